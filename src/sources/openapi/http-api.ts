/**
 * OpenAPI 3 export of an API Gateway HTTP API (`aws apigatewayv2 export-api --specification OAS30
 * --include-extensions`, or an OpenAPI body kept in a repository) -> `HttpApiParts` -> `buildHttpApiModel`, the one
 * place every HTTP API source ends. Pure: the parsed document in, the model and warnings out, or an error that
 * names the file, the JSON pointer (and line, when known) and a fix.
 *
 * Also `detectApiKind`: whether an export describes a REST or an HTTP API, from the document alone.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-export.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 */

import { InvalidExportError, UnsupportedAuthorizerError } from '../../errors.js';
import { toPointer } from '../../model/json-pointer.js';
import { AWS_IAM_AUTHORIZER_NAME, isObject, isPlaceholder } from '../../model/parse.js';
import { DEFAULT_ROUTE_PATH, type ApiKind, type AuthModel } from '../../model/types.js';
import { buildHttpApiModel, valueOf, type HttpAuthorizerParts, type PartPath } from '../http-api-model.js';
import type { ExportSource, SourceReadResult } from './build-model.js';
import { isIntrinsic, literalParts, renderTemplateValue } from './template-values.js';
import { OPERATION_METHODS, OpenApiReaderBase, type Json, type Segments } from './reader-base.js';

const EXPORT_FIX =
  'Export the HTTP API with its extensions: `aws apigatewayv2 export-api --api-id ID --specification OAS30 ' +
  '--output-type JSON --include-extensions --stage-name STAGE FILE`.';

/** The HTTP API authorizer types an export writes (`x-amazon-apigateway-authorizer.type`). */
const HTTP_AUTHORIZER_TYPES: Record<string, 'JWT' | 'REQUEST'> = { jwt: 'JWT', request: 'REQUEST' };
/** REST-only types, named in the error so that a REST file read as HTTP says why. */
const REST_AUTHORIZER_TYPES = new Set(['token', 'cognito_user_pools']);

const DEFAULT_HOST = 'example.execute-api.us-east-1.amazonaws.com';
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const DISCOVERY_SUFFIX = '/.well-known/openid-configuration';

// ---- REST or HTTP ----

/** What decided `detectApiKind`: the kind and the JSON pointer of the field that decided it (none: the default). */
export interface ApiKindSignal {
  kind: ApiKind;
  pointer?: string;
}

/**
 * Whether an API Gateway OpenAPI document describes a REST or an HTTP API. Exports carry no API type, so the
 * document's HTTP-only features decide; REST is the default (every REST export stays REST).
 *
 * In order: Swagger 2.0 is REST (HTTP APIs import only OpenAPI 3). Then HTTP-only fields decide HTTP:
 * `x-amazon-apigateway-importexport-version`, `x-amazon-apigateway-cors`, a `$default` path or `isDefaultRoute`, an
 * integration's `payloadFormatVersion`, an authorizer's `authorizerPayloadFormatVersion`. Then REST-only fields
 * decide REST: gateway responses, an API key source, a `token` or `cognito_user_pools` authorizer, a `jwt`
 * authorizer in REST's `issuers[]` shape. Last, a `jwt` authorizer in HTTP's `{issuer, audience}` shape in an
 * `oauth2` or `openIdConnect` scheme (REST may write that shape too, hence the low rank) decides HTTP.
 *
 * @param doc - the parsed document (anything: a non-document is REST, whose reader reports it)
 * @returns the kind and the pointer of the deciding field
 */
export function detectApiKind(doc: unknown): ApiKindSignal {
  if (!isObject(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.'))
    return { kind: 'REST' };
  const http = (path: Segments): ApiKindSignal => ({ kind: 'HTTP', pointer: toPointer(path) });
  const rest = (path: Segments): ApiKindSignal => ({ kind: 'REST', pointer: toPointer(path) });

  for (const key of ['x-amazon-apigateway-importexport-version', 'x-amazon-apigateway-cors']) {
    if (doc[key] !== undefined) return http([key]);
  }
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [key, item] of Object.entries(paths)) {
    if (key === DEFAULT_ROUTE_PATH || key === `/${DEFAULT_ROUTE_PATH}`) return http(['paths', key]);
    if (!isObject(item)) continue;
    for (const [verb, operation] of Object.entries(item)) {
      if (OPERATION_METHODS[verb.toLowerCase()] === undefined || !isObject(operation)) continue;
      if (operation.isDefaultRoute !== undefined) return http(['paths', key, verb, 'isDefaultRoute']);
      const integration = operation['x-amazon-apigateway-integration'];
      if (isObject(integration) && integration.payloadFormatVersion !== undefined) {
        return http(['paths', key, verb, 'x-amazon-apigateway-integration', 'payloadFormatVersion']);
      }
    }
  }
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  const authorizers = Object.entries(schemes).flatMap(([name, scheme]) => {
    const config = isObject(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    return isObject(scheme) && isObject(config)
      ? [{ scheme, config, path: ['components', 'securitySchemes', name, 'x-amazon-apigateway-authorizer'] }]
      : [];
  });
  for (const { config, path } of authorizers) {
    if (config.authorizerPayloadFormatVersion !== undefined)
      return http([...path, 'authorizerPayloadFormatVersion']);
  }

  for (const key of ['x-amazon-apigateway-gateway-responses', 'x-amazon-apigateway-api-key-source']) {
    if (doc[key] !== undefined) return rest([key]);
  }
  for (const { config, path } of authorizers) {
    const type = typeof config.type === 'string' ? config.type.toLowerCase() : '';
    if (REST_AUTHORIZER_TYPES.has(type)) return rest([...path, 'type']);
    const jwt = config.jwtConfiguration;
    if (type === 'jwt' && isObject(jwt) && valueOf(jwt, 'issuers') !== undefined)
      return rest([...path, 'jwtConfiguration']);
  }
  for (const { scheme, config, path } of authorizers) {
    const type = typeof config.type === 'string' ? config.type.toLowerCase() : '';
    const jwt = config.jwtConfiguration;
    if (type === 'jwt' && (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') && isObject(jwt)) {
      return http([...path, 'jwtConfiguration']);
    }
  }
  return { kind: 'REST' };
}

// ---- the reader ----

/** What a security scheme means to an HTTP API. */
type SchemeMeaning =
  | { kind: 'authorizer'; type: 'JWT' | 'REQUEST'; parts: HttpAuthorizerParts }
  | { kind: 'iam' }
  | { kind: 'unsupported'; message: string };
type Scheme = SchemeMeaning & { path: Segments };

/** A route's authorization before the builder checks it: `authorizationType` + the authorizer's name + scopes. */
interface RouteAuth {
  authorizationType: 'NONE' | 'AWS_IAM' | 'JWT' | 'CUSTOM';
  authorizer?: string;
  scopes: string[];
}

/**
 * Reads an OpenAPI 3 document that defines an API Gateway HTTP API.
 *
 * @param doc - the parsed document
 * @param source - the file name, the document's pointer in it, a pointer locator, and the region and account when
 *   known (they replace `${AWS::Region}` / `${AWS::AccountId}` in template values)
 * @returns the canonical model (`api.kind: 'HTTP'`) and the warnings, each naming the field and what was assumed
 * @throws InvalidExportError when the document is not an HTTP API definition or is inconsistent
 * @throws UnsupportedAuthorizerError for an authorizer type or security scheme HTTP APIs do not have
 */
export function readHttpApiDocument(doc: unknown, source: ExportSource): SourceReadResult {
  const reader = new HttpExportReader(source);
  const model = reader.read(doc);
  return { model, warnings: reader.warnings() };
}

class HttpExportReader extends OpenApiReaderBase {
  constructor(source: ExportSource) {
    super(source, EXPORT_FIX);
  }

  read(doc: unknown): AuthModel {
    if (!isObject(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
      throw this.error(
        InvalidExportError,
        'Not an OpenAPI 3 document: HTTP APIs are exported and imported as OpenAPI 3.0 only ("openapi: 3.0.1").',
        isObject(doc) ? ['openapi'] : [],
        EXPORT_FIX,
      );
    }
    const schemes = this.readSchemes(isObject(doc.components) ? doc.components.securitySchemes : undefined);
    const routes = this.readRoutes(doc, schemes);
    const authorizers = [...schemes.values()].flatMap((s) => (s.kind === 'authorizer' ? [s.parts] : []));
    const iamUsed = routes.some((r) => r.authorizationType === 'AWS_IAM');
    const twin = [...schemes.entries()].find(
      ([name, s]) => s.kind === 'authorizer' && name === AWS_IAM_AUTHORIZER_NAME,
    );
    if (iamUsed && twin !== undefined) {
      throw this.error(
        InvalidExportError,
        `Security scheme "${AWS_IAM_AUTHORIZER_NAME}" is an authorizer, but IAM routes are named ` +
          `"${AWS_IAM_AUTHORIZER_NAME}" too, so the two cannot be told apart.`,
        twin[1].path,
        `Rename the authorizer "${AWS_IAM_AUTHORIZER_NAME}".`,
      );
    }
    const { api, stage } = this.readServers(doc.servers);
    const model = buildHttpApiModel(
      {
        name: this.readTitle(doc.info),
        ...api,
        ...(api.region === undefined && this.source.region !== undefined
          ? { region: this.source.region }
          : {}),
        stage,
        authorizers,
        routes: routes.map(({ authorizationType, authorizer, scopes, routeKey, path }) => ({
          routeKey,
          path,
          authorizationType,
          ...(authorizer === undefined ? {} : { authorizer }),
          authorizationScopes: scopes,
        })),
        cors: doc['x-amazon-apigateway-cors'],
      },
      (path, message, fix) => {
        throw this.error(InvalidExportError, sentence(message), [...path], fix);
      },
    );
    return model;
  }

  private readTitle(info: unknown): string {
    const title = isObject(info) ? info.title : undefined;
    if (typeof title === 'string' && !isPlaceholder(title)) return title;
    // A templated title becomes its literal words (never a placeholder in a file name), as the REST reader does.
    const rendered = renderTemplateValue(title, this.source);
    return rendered === undefined ? 'api' : literalParts(rendered.text) || 'api';
  }

  // ---- security schemes ----

  private readSchemes(raw: unknown): Map<string, Scheme> {
    return this.readSchemeMap(raw ?? undefined, ['components', 'securitySchemes'], (name, scheme, path) =>
      this.readScheme(name, scheme, path),
    );
  }

  private readScheme(name: string, scheme: Json, path: Segments): SchemeMeaning {
    const config = scheme['x-amazon-apigateway-authorizer'];
    const authtype = scheme['x-amazon-apigateway-authtype'];
    if (config !== undefined) {
      const at = [...path, 'x-amazon-apigateway-authorizer'];
      if (!isObject(config))
        throw this.error(InvalidExportError, `The authorizer of "${name}" is not an object.`, at);
      const raw = typeof config.type === 'string' ? config.type.toLowerCase() : undefined;
      const type = raw === undefined ? undefined : HTTP_AUTHORIZER_TYPES[raw];
      if (type === undefined) {
        const rest = raw !== undefined && REST_AUTHORIZER_TYPES.has(raw);
        throw this.error(
          UnsupportedAuthorizerError,
          `${config.type === undefined ? `The authorizer of "${name}" has no type` : `Unknown HTTP API authorizer type ${JSON.stringify(config.type)}`}` +
            `${rest ? ' (a REST API type)' : ''}. Expected one of: jwt, request.`,
          [...at, 'type'],
          rest
            ? 'This file reads as an HTTP API export; remove its HTTP-only fields (x-amazon-apigateway-importexport-version, payloadFormatVersion, $default) if it is a REST API.'
            : 'Set type to jwt (issuer and audience) or request (a Lambda authorizer).',
        );
      }
      return { kind: 'authorizer', type, parts: this.authorizerParts(name, scheme, config, type, at) };
    }
    if (typeof authtype === 'string' && authtype.toLowerCase() === 'awssigv4') return { kind: 'iam' };
    if (authtype !== undefined) throw this.authtypeWithoutAuthorizer(name, authtype, path);
    return {
      kind: 'unsupported',
      message:
        `Security scheme "${name}" (type ${JSON.stringify(scheme.type)}) is not an API Gateway authorizer: it has ` +
        'no x-amazon-apigateway-authorizer, and no x-amazon-apigateway-authtype awsSigv4.',
    };
  }

  private authorizerParts(
    name: string,
    scheme: Json,
    config: Json,
    type: 'JWT' | 'REQUEST',
    path: Segments,
  ): HttpAuthorizerParts {
    const parts: HttpAuthorizerParts = {
      name,
      path,
      authorizerType: type,
      identitySource: this.plain(config.identitySource),
    };
    if (type === 'REQUEST') {
      return {
        ...parts,
        authorizerUri: this.plain(config.authorizerUri),
        authorizerPayloadFormatVersion: config.authorizerPayloadFormatVersion,
        enableSimpleResponses: config.enableSimpleResponses,
        authorizerResultTtlInSeconds: config.authorizerResultTtlInSeconds,
      };
    }
    const given = config.jwtConfiguration;
    if (!isObject(given) || scheme.type !== 'openIdConnect') {
      return { ...parts, jwtConfiguration: isObject(given) ? this.plainJwt(given) : given };
    }
    // The openIdConnect variant: `jwtConfiguration` carries the audience, the issuer is the discovery URL's base.
    const jwt = this.plainJwt(given);
    if (valueOf(jwt, 'issuer') !== undefined) return { ...parts, jwtConfiguration: jwt };
    const url = this.plain(scheme.openIdConnectUrl);
    const urlPath = [...path.slice(0, -1), 'openIdConnectUrl'];
    if (
      typeof url !== 'string' ||
      !url.endsWith(DISCOVERY_SUFFIX) ||
      url.length === DISCOVERY_SUFFIX.length
    ) {
      throw this.error(
        InvalidExportError,
        `The openIdConnect scheme "${name}" needs openIdConnectUrl, the issuer's discovery document ` +
          `(…${DISCOVERY_SUFFIX}), not ${JSON.stringify(url) ?? 'nothing'}.`,
        urlPath,
        `Set openIdConnectUrl to {issuer}${DISCOVERY_SUFFIX}, or jwtConfiguration.issuer to the issuer.`,
      );
    }
    // Discovery appends the suffix to the issuer without its trailing slash, so the slash cannot be recovered:
    // read without it, and say so (a token's `iss` must match exactly).
    const issuer = url.slice(0, -DISCOVERY_SUFFIX.length);
    this.note(
      'openIdConnectUrl',
      urlPath,
      `the issuer is read from openIdConnectUrl as ${JSON.stringify(issuer)} (without a trailing slash); if ` +
        "the tokens' iss ends in /, set jwtConfiguration.issuer",
    );
    return { ...parts, jwtConfiguration: { ...jwt, issuer } };
  }

  /** `jwtConfiguration` with its issuer and audience entries rendered when a template wrote them. */
  private plainJwt(jwt: Json): Json {
    const out: Json = { ...jwt };
    for (const [key, value] of Object.entries(jwt)) {
      const lower = key.toLowerCase();
      if (lower === 'issuer') out[key] = this.plain(value);
      if (lower === 'audience')
        out[key] = Array.isArray(value) ? value.map((v) => this.plain(v)) : this.plain(value);
    }
    return out;
  }

  /** A value with a template's intrinsic (`Fn::Sub`, `Ref`) rendered to its text; any other value as is. */
  private plain(value: unknown): unknown {
    return isIntrinsic(value) ? renderTemplateValue(value, this.source)?.text : value;
  }

  // ---- routes ----

  private readRoutes(
    doc: Json,
    schemes: Map<string, Scheme>,
  ): Array<RouteAuth & { routeKey: string; path: PartPath }> {
    // Root-level `security`: applied to operations without their own, as the REST reader does (API Gateway's REST
    // import applies it). Whether the HTTP API import does is not documented (open question in the reference);
    // a warning says when a route inherits it.
    const root =
      doc.security === undefined || doc.security === null
        ? undefined
        : this.readSecurity(doc.security, ['security'], schemes);
    const rootApplies = root !== undefined && root.authorizationType !== 'NONE';
    if (doc.paths === undefined) return [];
    if (!isObject(doc.paths))
      throw this.error(InvalidExportError, 'Expected "paths" to be an object.', ['paths']);
    const routes: Array<RouteAuth & { routeKey: string; path: PartPath }> = [];
    const seen = new Map<string, Segments>();
    let inherited = 0;
    for (const [key, item] of Object.entries(doc.paths)) {
      if (!isObject(item)) continue;
      const isDefaultPath = key === DEFAULT_ROUTE_PATH || key === `/${DEFAULT_ROUTE_PATH}`;
      for (const [verb, operation] of Object.entries(item)) {
        const method = OPERATION_METHODS[verb.toLowerCase()];
        if (method === undefined) continue;
        const opPath: Segments = ['paths', key, verb];
        if (!isObject(operation))
          throw this.error(InvalidExportError, 'Expected an operation object.', opPath);
        const routeKey =
          isDefaultPath || operation.isDefaultRoute === true ? DEFAULT_ROUTE_PATH : `${method} ${key}`;
        if (!isDefaultPath && !key.startsWith('/')) {
          throw this.error(
            InvalidExportError,
            `Route key ${JSON.stringify(routeKey)} does not parse: the path ${JSON.stringify(key)} does not start with "/".`,
            ['paths', key],
            `Write the path as ${JSON.stringify(`/${key}`)} (or $default for the default route).`,
          );
        }
        const twin = seen.get(routeKey);
        if (twin !== undefined) {
          throw this.error(
            InvalidExportError,
            `Route ${routeKey} is defined twice: here and at ${toPointer([...this.base, ...twin])}.`,
            opPath,
            'Keep one definition (the $default route is either "/$default" or "$default", not both).',
          );
        }
        seen.set(routeKey, opPath);
        const auth = this.readOperationAuth(operation, opPath, schemes);
        if (auth === undefined && rootApplies) inherited++;
        routes.push({
          ...(auth ?? (rootApplies ? structuredClone(root) : { authorizationType: 'NONE', scopes: [] })),
          routeKey,
          path: opPath,
        });
      }
    }
    if (inherited > 0 && root !== undefined) {
      this.noteRootSecurity(
        inherited,
        root.authorizer ?? root.authorizationType,
        'whether the HTTP API import applies it is not documented',
      );
    }
    return routes;
  }

  /** An operation's own authorization (`security`, `x-amazon-apigateway-auth`), or undefined when it has none. */
  private readOperationAuth(
    operation: Json,
    opPath: Segments,
    schemes: Map<string, Scheme>,
  ): RouteAuth | undefined {
    const own = operation.security;
    const security =
      own === undefined || own === null
        ? undefined
        : this.readSecurity(own, [...opPath, 'security'], schemes);
    const ext = operation['x-amazon-apigateway-auth'];
    if (ext === undefined || ext === null) return security;
    const extPath = [...opPath, 'x-amazon-apigateway-auth'];
    const type = isObject(ext) && typeof ext.type === 'string' ? ext.type.toUpperCase() : undefined;
    if (type !== 'AWS_IAM' && type !== 'NONE') {
      throw this.error(
        InvalidExportError,
        `x-amazon-apigateway-auth must be {"type": "AWS_IAM"} or {"type": "NONE"}, not ${JSON.stringify(ext)}.`,
        extPath,
        'Set type to AWS_IAM or NONE, or use security with a security scheme.',
      );
    }
    if (
      security !== undefined &&
      security.authorizationType !== 'NONE' &&
      security.authorizationType !== type
    ) {
      throw this.error(
        InvalidExportError,
        `An HTTP API route has one authorization, but this operation has security ${security.authorizer ?? security.authorizationType} and x-amazon-apigateway-auth ${type}.`,
        extPath,
        'Keep one of the two.',
      );
    }
    return { authorizationType: type, scopes: [] };
  }

  /** One `security` list (an operation's or the root's) -> the route's authorization. */
  private readSecurity(raw: unknown, path: Segments, schemes: Map<string, Scheme>): RouteAuth {
    if (!Array.isArray(raw))
      throw this.error(InvalidExportError, 'Expected a list of security requirements.', path);
    let found: (RouteAuth & { scheme: string }) | undefined;
    this.forEachRequirement(
      raw,
      path,
      schemes,
      ['components', 'securitySchemes'],
      (name, scheme, scopes, at) => {
        if (found !== undefined && found.scheme !== name) {
          throw this.error(
            InvalidExportError,
            `An HTTP API route has one authorization, but this operation names "${found.scheme}" and "${name}".`,
            at,
            'Keep one security requirement: IAM, one Lambda authorizer or one JWT authorizer.',
          );
        }
        found ??=
          scheme.kind === 'iam'
            ? { authorizationType: 'AWS_IAM', scopes: [], scheme: name }
            : {
                authorizationType: scheme.type === 'JWT' ? 'JWT' : 'CUSTOM',
                authorizer: name,
                scopes: [],
                scheme: name,
              };
        for (const scope of scopes) if (!found.scopes.includes(scope)) found.scopes.push(scope);
      },
    );
    if (found === undefined) return { authorizationType: 'NONE', scopes: [] };
    const { scheme: _scheme, ...auth } = found;
    return auth;
  }

  // ---- stage ----

  /**
   * `servers[0].url` with its variables' defaults: `https://{id}.execute-api.{region}.amazonaws.com/{basePath}`,
   * where the `basePath` default is the exported stage's name, and empty for the `$default` stage (served at the
   * root).
   */
  private readServers(servers: unknown): {
    api: { id?: string; region?: string };
    stage: AuthModel['stage'];
  } {
    const server: unknown = Array.isArray(servers) ? servers[0] : undefined;
    const raw = isObject(server) ? renderTemplateValue(server.url, this.source)?.text : undefined;
    const variables = isObject(server) && isObject(server.variables) ? server.variables : {};
    const url = (raw ?? '').replace(/(?<!\$)\{([^{}]+)\}/g, (_, name: string) => {
      const variable = variables[name];
      const value = isObject(variable) ? variable.default : undefined;
      return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    });
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([^?#]*)/i.exec(url);
    const host = match?.[2] !== undefined && !/\$\{/.test(match[2]) ? match[2] : undefined;
    const scheme = host === undefined ? 'https' : (match?.[1]?.toLowerCase() ?? 'https');
    const segments = (match?.[3] ?? '').split('/').filter((s) => s !== '' && !/\$\{/.test(s));
    // The `$default` stage is served at the root; any other stage's name is the first path segment.
    const stageName =
      segments[0] === undefined || segments[0] === DEFAULT_ROUTE_PATH ? DEFAULT_ROUTE_PATH : segments[0];
    const path = segments[0] === DEFAULT_ROUTE_PATH ? segments.slice(1) : segments;
    const ids = host === undefined ? null : EXECUTE_API_HOST.exec(host.toLowerCase());
    return {
      api: {
        ...(ids?.[1] === undefined ? {} : { id: ids[1] }),
        ...(ids?.[2] === undefined ? {} : { region: ids[2] }),
      },
      stage: {
        name: stageName,
        baseUrl: `${scheme}://${host ?? DEFAULT_HOST}${path.map((s) => `/${s}`).join('')}`,
        variables: {},
      },
    };
  }
}

/** The model builder's `a JWT authorizer needs an issuer URL` -> `A JWT authorizer needs an issuer URL.` */
export function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
