/**
 * OpenAPI 3 / Swagger 2.0 export of an API Gateway REST API -> AuthModel. Pure: the parsed document in, the
 * model out, or an error that names the file, the JSON pointer (and line, when known) and a fix.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
 */

import {
  InvalidExportError,
  UnsupportedAuthorizerError,
  type ApigwAuthzError,
  type ErrorDetails,
} from '../../errors.js';
import { toPointer } from '../../model/json-pointer.js';
import {
  canonicalizeModel,
  compare,
  isValidTtl,
  parseGatewayResponseHeaders,
  parseIdentitySource,
  parseUserPoolArn,
  resolveTtl,
  splitIdentitySources,
  staticValue,
} from '../../model/parse.js';
import {
  GATEWAY_RESPONSE_TYPES,
  type AuthModel,
  type Authorizer,
  type AuthorizerKind,
  type GatewayResponse,
  type GatewayResponseType,
  type IdentitySource,
  type Route,
  type RouteMethod,
} from '../../model/types.js';

/** Where the document came from: the file name and a JSON pointer -> `line N, column M` lookup. */
export interface ExportSource {
  file: string;
  locate: (pointer: string) => string | undefined;
}

type Segments = Array<string | number>;
type Json = Record<string, unknown>;
type ErrorClass = new (message: string, details?: ErrorDetails) => ApigwAuthzError;

const EXPORT_FIX =
  'Export the API with its authorizers: `aws apigateway get-export --rest-api-id ID --stage-name STAGE ' +
  '--export-type oas30 --parameters extensions=authorizers FILE` (or `extensions=apigateway`).';

const AUTHORIZER_TYPES: Record<string, AuthorizerKind> = {
  token: 'TOKEN',
  request: 'REQUEST',
  cognito_user_pools: 'COGNITO_USER_POOLS',
};

const OPERATION_METHODS: Record<string, RouteMethod> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

const DEFAULT_HOST = 'example.execute-api.us-east-1.amazonaws.com';
const DEFAULT_STAGE = 'prod';
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** What a security scheme means to API Gateway. */
type Scheme =
  | { kind: 'authorizer'; authorizer: Authorizer }
  | { kind: 'apiKey' }
  | { kind: 'unsupported'; message: string };

/**
 * Builds the AuthModel of an API Gateway export.
 *
 * @param doc - the parsed OpenAPI 3 or Swagger 2.0 document
 * @param source - the file name and a pointer locator, so that every error can say where the problem is
 * @returns the canonical (sorted) model
 * @throws InvalidExportError when the document is not an API Gateway export or is inconsistent
 * @throws UnsupportedAuthorizerError for an authorizer type or security scheme API Gateway REST APIs do not have
 */
export function buildModelFromExport(doc: unknown, source: ExportSource): AuthModel {
  return new ExportReader(source).read(doc);
}

class ExportReader {
  constructor(private readonly source: ExportSource) {}

  read(doc: unknown): AuthModel {
    if (!isObject(doc) || !(isOpenApi3(doc) || isSwagger2(doc))) {
      throw this.error(
        InvalidExportError,
        'Not an OpenAPI 3 or Swagger 2.0 document: expected an "openapi: 3.x" or "swagger: \'2.0\'" field.',
        isObject(doc) ? ['openapi'] : [],
        EXPORT_FIX,
      );
    }
    if (!hasApiGatewayExtension(doc)) {
      throw this.error(
        InvalidExportError,
        'No API Gateway extensions (x-amazon-apigateway-*) in this document, so its authorizers are unknown.',
        [],
        EXPORT_FIX,
      );
    }
    const oas3 = isOpenApi3(doc);
    const schemesPath: Segments = oas3 ? ['components', 'securitySchemes'] : ['securityDefinitions'];
    const schemes = this.readSchemes(getIn(doc, schemesPath), schemesPath);
    const routes = this.readRoutes(doc.paths, schemes, schemesPath);

    // IAM is not an authorizer resource in AWS: list it only when a method uses it, as the live reader does.
    const used = new Set(
      routes.flatMap((r) => (r.authorization.type === 'AUTHORIZER' ? [r.authorization.authorizer] : [])),
    );
    const authorizers = [...schemes.values()].flatMap((s) =>
      s.kind === 'authorizer' && (s.authorizer.kind !== 'AWS_IAM' || used.has(s.authorizer.name))
        ? [s.authorizer]
        : [],
    );

    const { api, stage } = oas3 ? this.readServers(doc) : this.readHost(doc);
    const cors = readCors(doc.paths);
    return canonicalizeModel({
      api: { ...api, name: isObject(doc.info) && isString(doc.info.title) ? doc.info.title : 'api' },
      stage,
      authorizers,
      routes,
      gatewayResponses: this.readGatewayResponses(doc['x-amazon-apigateway-gateway-responses']),
      ...(cors === undefined ? {} : { cors: { allowOrigin: cors } }),
    });
  }

  // ---- security schemes -> authorizers ----

  private readSchemes(raw: unknown, base: Segments): Map<string, Scheme> {
    const schemes = new Map<string, Scheme>();
    if (raw === undefined) return schemes;
    if (!isObject(raw)) throw this.error(InvalidExportError, 'Expected an object of security schemes.', base);
    for (const [name, scheme] of Object.entries(raw)) {
      const path = [...base, name];
      if (!isObject(scheme))
        throw this.error(InvalidExportError, `Security scheme "${name}" is not an object.`, path);
      schemes.set(name, this.readScheme(name, scheme, path));
    }
    return schemes;
  }

  private readScheme(name: string, scheme: Json, path: Segments): Scheme {
    const authtype = scheme['x-amazon-apigateway-authtype'];
    const config = scheme['x-amazon-apigateway-authorizer'];
    if (config !== undefined) {
      return { kind: 'authorizer', authorizer: this.readAuthorizer(name, scheme, config, path) };
    }
    if (isString(authtype) && authtype.toLowerCase() === 'awssigv4') {
      return {
        kind: 'authorizer',
        authorizer: { name, kind: 'AWS_IAM', identitySources: [], ttlSeconds: 0, userPools: [] },
      };
    }
    if (authtype !== undefined) {
      throw this.error(
        InvalidExportError,
        `Security scheme "${name}" has x-amazon-apigateway-authtype ${JSON.stringify(authtype)} but no ` +
          'x-amazon-apigateway-authorizer, so its authorizer is unknown.',
        [...path, 'x-amazon-apigateway-authtype'],
        EXPORT_FIX,
      );
    }
    // A plain `type: apiKey` scheme is how exports mark `apiKeyRequired` (`api_key`: x-api-key in a header).
    if (scheme.type === 'apiKey') return { kind: 'apiKey' };
    return {
      kind: 'unsupported',
      message:
        `Security scheme "${name}" (type ${JSON.stringify(scheme.type)}) is not an API Gateway authorizer: it has ` +
        'no x-amazon-apigateway-authorizer or x-amazon-apigateway-authtype.',
    };
  }

  private readAuthorizer(name: string, scheme: Json, config: unknown, schemePath: Segments): Authorizer {
    const path = [...schemePath, 'x-amazon-apigateway-authorizer'];
    if (!isObject(config))
      throw this.error(InvalidExportError, `The authorizer of "${name}" is not an object.`, path);
    const expected = `Expected one of: ${Object.keys(AUTHORIZER_TYPES).join(', ')}.`;
    if (config.type === undefined) {
      throw this.error(
        InvalidExportError,
        `The authorizer of "${name}" has no type. ${expected}`,
        path,
        EXPORT_FIX,
      );
    }
    const kind = isString(config.type) ? AUTHORIZER_TYPES[config.type.toLowerCase()] : undefined;
    if (kind === undefined) {
      throw this.error(
        UnsupportedAuthorizerError,
        `Unknown authorizer type ${JSON.stringify(config.type)}. ${expected}`,
        [...path, 'type'],
        'Use a REST API authorizer type; HTTP API (v2) `jwt` authorizers are not supported.',
      );
    }

    const identitySources = this.readIdentitySources(kind, scheme, config, schemePath, path);
    const validationExpression =
      kind !== 'REQUEST' && config.identityValidationExpression !== undefined
        ? this.readRegex(config.identityValidationExpression, [...path, 'identityValidationExpression'])
        : undefined;
    let ttlSeconds = 0;
    let lambdaUri: string | undefined;
    let userPools: Authorizer['userPools'] = [];
    if (kind === 'COGNITO_USER_POOLS') {
      userPools = this.readUserPools(config.providerARNs, [...path, 'providerARNs']);
    } else {
      const ttl = config.authorizerResultTtlInSeconds;
      if (!isValidTtl(ttl)) {
        throw this.error(
          InvalidExportError,
          `Invalid authorizerResultTtlInSeconds ${JSON.stringify(ttl)}: expected an integer from 0 to 3600.`,
          [...path, 'authorizerResultTtlInSeconds'],
        );
      }
      ttlSeconds = resolveTtl(ttl);
      if (config.authorizerUri !== undefined && !isString(config.authorizerUri)) {
        throw this.error(InvalidExportError, 'authorizerUri must be a string.', [...path, 'authorizerUri']);
      }
      lambdaUri = config.authorizerUri;
    }
    // One key order for every source, so that serialized models compare byte for byte.
    return {
      name,
      kind,
      identitySources,
      ...(validationExpression === undefined ? {} : { validationExpression }),
      ttlSeconds,
      ...(lambdaUri === undefined ? {} : { lambdaUri }),
      userPools,
    };
  }

  private readIdentitySources(
    kind: AuthorizerKind,
    scheme: Json,
    config: Json,
    schemePath: Segments,
    path: Segments,
  ): IdentitySource[] {
    const sourcePath = [...path, 'identitySource'];
    const raw = config.identitySource;
    if (raw !== undefined && !isString(raw)) {
      throw this.error(InvalidExportError, 'identitySource must be a comma-separated string.', sourcePath);
    }
    if (kind === 'REQUEST') {
      // Optional when caching is off; each entry must be a header, query string, stage variable or context value.
      return splitIdentitySources(raw ?? '').map((expression) => {
        const parsed = parseIdentitySource(expression);
        if (!parsed) throw this.badIdentitySource(expression, sourcePath);
        return parsed;
      });
    }
    if (raw === undefined) {
      // The AWS `token` example names the header in the scheme (`name`, `in: header`), not in identitySource.
      if (scheme.in === 'header' && isString(scheme.name) && scheme.name.trim() !== '') {
        const header = scheme.name.trim();
        return [{ location: 'header', name: header, expression: `method.request.header.${header}` }];
      }
      if (kind === 'COGNITO_USER_POOLS') {
        return [
          { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
        ];
      }
      throw this.error(
        InvalidExportError,
        'A token authorizer needs its token header: set identitySource to `method.request.header.<Name>` or the ' +
          "scheme's `name` with `in: header`.",
        path,
      );
    }
    const expressions = splitIdentitySources(raw);
    const parsed =
      expressions.length === 1 && expressions[0] !== undefined
        ? parseIdentitySource(expressions[0])
        : undefined;
    if (parsed?.location !== 'header') {
      throw this.error(
        InvalidExportError,
        `Invalid identitySource ${JSON.stringify(raw)}: a ${kind === 'TOKEN' ? 'token' : 'Cognito'} authorizer reads ` +
          'one header, written `method.request.header.<Name>`.',
        sourcePath,
      );
    }
    return [parsed];
  }

  private badIdentitySource(expression: string, path: Segments): ApigwAuthzError {
    return this.error(
      InvalidExportError,
      `Invalid identity source ${JSON.stringify(expression)}: expected method.request.header.<Name>, ` +
        'method.request.querystring.<Name>, stageVariables.<Name> or context.<Name>, separated by commas.',
      path,
      'Path parameters and multi-value headers cannot be identity sources.',
    );
  }

  private readRegex(raw: unknown, path: Segments): string {
    if (!isString(raw))
      throw this.error(InvalidExportError, 'identityValidationExpression must be a string.', path);
    try {
      new RegExp(raw);
    } catch (err) {
      const reason =
        err instanceof Error
          ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')
          : String(err);
      throw this.error(
        InvalidExportError,
        `identityValidationExpression ${JSON.stringify(raw)} is not a valid regular expression (${reason}).`,
        path,
        'Correct the pattern, and anchor it with ^...$ so it means the same under full and partial matching.',
      );
    }
    return raw;
  }

  private readUserPools(raw: unknown, path: Segments): Authorizer['userPools'] {
    if (!Array.isArray(raw) || raw.length === 0) {
      throw this.error(
        InvalidExportError,
        'A Cognito authorizer needs providerARNs: a non-empty list of user pool ARNs.',
        path,
        EXPORT_FIX,
      );
    }
    return raw.map((arn: unknown, i) => {
      const pool = isString(arn) ? parseUserPoolArn(arn) : undefined;
      if (!pool) {
        throw this.error(
          InvalidExportError,
          `Invalid user pool ARN ${JSON.stringify(arn)}: expected arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}.`,
          [...path, i],
        );
      }
      return pool;
    });
  }

  // ---- paths -> routes ----

  private readRoutes(paths: unknown, schemes: Map<string, Scheme>, schemesPath: Segments): Route[] {
    if (paths === undefined) return [];
    if (!isObject(paths))
      throw this.error(InvalidExportError, 'Expected "paths" to be an object.', ['paths']);
    const routes: Route[] = [];
    for (const [path, item] of Object.entries(paths)) {
      if (!path.startsWith('/')) {
        throw this.error(InvalidExportError, `Path ${JSON.stringify(path)} must start with "/".`, [
          'paths',
          path,
        ]);
      }
      if (!isObject(item)) continue;
      for (const [key, operation] of Object.entries(item)) {
        const method = OPERATION_METHODS[key.toLowerCase()];
        if (method === undefined) continue;
        const opPath: Segments = ['paths', path, key];
        if (!isObject(operation))
          throw this.error(InvalidExportError, 'Expected an operation object.', opPath);
        routes.push({
          method,
          path,
          ...this.readSecurity(operation.security, [...opPath, 'security'], schemes, schemesPath),
        });
      }
    }
    return routes;
  }

  /** Per-operation security only: API Gateway ignores root-level security. */
  private readSecurity(
    raw: unknown,
    path: Segments,
    schemes: Map<string, Scheme>,
    schemesPath: Segments,
  ): Pick<Route, 'authorization' | 'apiKeyRequired'> {
    if (raw === undefined || raw === null) return { authorization: { type: 'NONE' }, apiKeyRequired: false };
    if (!Array.isArray(raw))
      throw this.error(InvalidExportError, 'Expected a list of security requirements.', path);
    let apiKeyRequired = false;
    let authorizer: { name: string; kind: AuthorizerKind; scopes: string[] } | undefined;
    raw.forEach((requirement: unknown, i) => {
      if (!isObject(requirement)) {
        throw this.error(InvalidExportError, 'Expected a security requirement object.', [...path, i]);
      }
      for (const [name, scopes] of Object.entries(requirement)) {
        const at = [...path, i, name];
        const scheme = schemes.get(name);
        if (scheme === undefined) {
          throw this.error(
            InvalidExportError,
            `Security scheme "${name}" is not defined in ${toPointer(schemesPath)}.`,
            at,
            `Define "${name}" there, or remove it from this operation's security.`,
          );
        }
        if (scheme.kind === 'unsupported') {
          throw this.error(UnsupportedAuthorizerError, scheme.message, [...schemesPath, name], EXPORT_FIX);
        }
        if (!Array.isArray(scopes) || !scopes.every(isString)) {
          throw this.error(InvalidExportError, 'Expected a list of scope strings.', at);
        }
        if (scheme.kind === 'apiKey') {
          apiKeyRequired = true;
          continue;
        }
        if (authorizer !== undefined && authorizer.name !== name) {
          throw this.error(
            InvalidExportError,
            `A method has one authorization in API Gateway, but this operation names "${authorizer.name}" and "${name}".`,
            at,
          );
        }
        authorizer ??= { name, kind: scheme.authorizer.kind, scopes: [] };
        for (const scope of scopes) if (!authorizer.scopes.includes(scope)) authorizer.scopes.push(scope);
      }
    });
    if (authorizer === undefined) return { authorization: { type: 'NONE' }, apiKeyRequired };
    // Scopes only mean something to a Cognito authorizer (`authorizationScopes`).
    const scopes = authorizer.kind === 'COGNITO_USER_POOLS' ? authorizer.scopes : [];
    return { authorization: { type: 'AUTHORIZER', authorizer: authorizer.name, scopes }, apiKeyRequired };
  }

  // ---- gateway responses ----

  private readGatewayResponses(raw: unknown): GatewayResponse[] {
    const base: Segments = ['x-amazon-apigateway-gateway-responses'];
    if (raw === undefined) return [];
    if (!isObject(raw))
      throw this.error(InvalidExportError, 'Expected an object of gateway responses.', base);
    return Object.entries(raw).map(([type, response]) => {
      const path = [...base, type];
      if (!(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) {
        throw this.error(
          InvalidExportError,
          `Unknown gateway response type "${type}". Expected one of: ${GATEWAY_RESPONSE_TYPES.join(', ')}.`,
          path,
        );
      }
      if (!isObject(response))
        throw this.error(InvalidExportError, 'Expected a gateway response object.', path);
      const status = response.statusCode;
      let statusCode: number | undefined;
      if (status !== undefined && status !== null) {
        const code = isString(status) && /^\d{3}$/.test(status.trim()) ? Number(status) : status;
        if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
          throw this.error(InvalidExportError, `Invalid statusCode ${JSON.stringify(status)}.`, [
            ...path,
            'statusCode',
          ]);
        }
        statusCode = code;
      }
      const headers = parseGatewayResponseHeaders(
        this.stringRecord(response.responseParameters, [...path, 'responseParameters']),
      );
      const templates = this.stringRecord(response.responseTemplates, [...path, 'responseTemplates']);
      const result: GatewayResponse = {
        type: type as GatewayResponseType,
        ...(statusCode === undefined ? {} : { statusCode }),
        headers,
        templates,
      };
      return result;
    });
  }

  private stringRecord(raw: unknown, path: Segments): Record<string, string> {
    if (raw === undefined || raw === null) return {};
    if (!isObject(raw)) throw this.error(InvalidExportError, 'Expected an object of strings.', path);
    const out: Record<string, string> = {};
    for (const key of Object.keys(raw).sort(compare)) {
      const value = raw[key];
      if (!isString(value)) throw this.error(InvalidExportError, 'Expected a string value.', [...path, key]);
      out[key] = value;
    }
    return out;
  }

  // ---- stage ----

  /** OAS3: the first server's URL with its variables' defaults; the stage is the first path segment. */
  private readServers(doc: Json): Pick<AuthModel, 'api' | 'stage'> {
    const server: unknown = Array.isArray(doc.servers) ? doc.servers[0] : undefined;
    if (!isObject(server) || !isString(server.url)) return stageFrom(undefined, undefined);
    const variables = isObject(server.variables) ? server.variables : {};
    const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const variable = variables[name];
      return isObject(variable) && (isString(variable.default) || typeof variable.default === 'number')
        ? String(variable.default)
        : '';
    });
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([^?#]*)/i.exec(url);
    return match ? stageFrom(match[2], match[3], `${match[1]?.toLowerCase()}://`) : stageFrom(undefined, url);
  }

  /** Swagger 2.0: `https://` + host + basePath. */
  private readHost(doc: Json): Pick<AuthModel, 'api' | 'stage'> {
    return stageFrom(
      isString(doc.host) ? doc.host : undefined,
      isString(doc.basePath) ? doc.basePath : undefined,
    );
  }

  // ---- errors ----

  private error(Class: ErrorClass, message: string, path: Segments, fix?: string): ApigwAuthzError {
    const pointer = toPointer(path);
    const line = this.source.locate(pointer);
    return new Class(message, {
      file: this.source.file,
      location: line === undefined ? pointer : `${pointer} (${line})`,
      ...(fix === undefined ? {} : { fix }),
    });
  }
}

function stageFrom(
  host: string | undefined,
  rawPath: string | undefined,
  scheme = 'https://',
): Pick<AuthModel, 'api' | 'stage'> {
  // AWS writes the basePath default as "/prod", giving "…amazonaws.com//prod": collapse the slashes.
  const segments = (rawPath ?? '').split('/').filter((s) => s !== '');
  const stageName = segments[0] ?? DEFAULT_STAGE;
  const hostname = host?.toLowerCase();
  const ids = hostname === undefined ? null : EXECUTE_API_HOST.exec(hostname);
  const api: AuthModel['api'] = { name: '' };
  if (ids?.[1] !== undefined) api.id = ids[1];
  if (ids?.[2] !== undefined) api.region = ids[2];
  const path = host === undefined && segments.length === 0 ? [DEFAULT_STAGE] : segments;
  const baseUrl = `${host === undefined ? 'https://' : scheme}${host ?? DEFAULT_HOST}${path.map((s) => `/${s}`).join('')}`;
  return { api, stage: { name: stageName, baseUrl, variables: {} } };
}

/**
 * The API's CORS origin: a static `Access-Control-Allow-Origin` mapped in an integration response (first in route
 * order), else `*` when a method response only declares the header, else undefined.
 */
function readCors(paths: unknown): string | undefined {
  if (!isObject(paths)) return undefined;
  let declared = false;
  for (const path of Object.keys(paths).sort(compare)) {
    const item = paths[path];
    if (!isObject(item)) continue;
    for (const key of Object.keys(item).sort(compare)) {
      const operation = item[key];
      if (OPERATION_METHODS[key.toLowerCase()] === undefined || !isObject(operation)) continue;
      const integration = operation['x-amazon-apigateway-integration'];
      const responses = isObject(integration) && isObject(integration.responses) ? integration.responses : {};
      for (const status of Object.keys(responses).sort(compare)) {
        const response = responses[status];
        const params =
          isObject(response) && isObject(response.responseParameters) ? response.responseParameters : {};
        for (const [name, value] of Object.entries(params)) {
          if (name.toLowerCase() !== 'method.response.header.access-control-allow-origin' || !isString(value))
            continue;
          const origin = staticValue(value);
          if (origin !== undefined) return origin;
          declared = true;
        }
      }
      if (isObject(operation.responses)) {
        for (const response of Object.values(operation.responses)) {
          if (isObject(response) && isObject(response.headers)) {
            if (Object.keys(response.headers).some((h) => h.toLowerCase() === 'access-control-allow-origin'))
              declared = true;
          }
        }
      }
    }
  }
  return declared ? '*' : undefined;
}

function isOpenApi3(doc: Json): boolean {
  return isString(doc.openapi) && doc.openapi.startsWith('3.');
}

function isSwagger2(doc: Json): boolean {
  return doc.swagger === '2.0' || doc.swagger === 2;
}

/** Whether any key anywhere starts with `x-amazon-apigateway-`. */
function hasApiGatewayExtension(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) {
        if (key.startsWith('x-amazon-apigateway-')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

function getIn(value: unknown, path: Segments): unknown {
  let node = value;
  for (const segment of path) node = isObject(node) ? node[String(segment)] : undefined;
  return node;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
