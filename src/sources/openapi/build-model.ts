/**
 * OpenAPI 3 / Swagger 2.0 export of an API Gateway REST API -> AuthModel. Pure: the parsed document in, the
 * model out, or an error that names the file, the JSON pointer (and line, when known) and a fix.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
 */

import { InvalidExportError, UnsupportedAuthorizerError, type ApigwAuthzError } from '../../errors.js';
import {
  AWS_IAM_AUTHORIZER_NAME,
  canonicalizeModel,
  compare,
  iamAuthorizer,
  INVALID_REGEX_FIX,
  isObject,
  isPlaceholder,
  isValidTtl,
  parseGatewayResponseHeaders,
  parseIdentitySource,
  parseUserPoolArn,
  regexSyntaxError,
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
} from '../../model/types.js';
import { restJwtSettings } from '../http-api-model.js';
import { OPERATION_METHODS, OpenApiReaderBase, type Json, type Segments } from './reader-base.js';
import { sentence } from './http-api.js';
import {
  hasTemplatePlaceholder,
  isIntrinsic,
  literalParts,
  renderTemplateValue,
  type PseudoParameters,
} from './template-values.js';

/**
 * Where the document came from: the file name and a JSON pointer -> `line N, column M` lookup. A document that is
 * part of a larger file (a CloudFormation `Body`) names its place in `pointer`; errors and warnings then point into
 * the file.
 */
export interface ExportSource extends PseudoParameters {
  file: string;
  locate?: (pointer: string) => string | undefined;
  /** The document's JSON pointer in `file`, e.g. `#/Resources/Api/Properties/Body`; `#` (the default) for a whole file. */
  pointer?: string;
  /** doctor only: keep a validation regex that does not compile, for doctor to report, instead of refusing. */
  lenient?: boolean;
}

const EXPORT_FIX =
  'Export the API with its authorizers: `aws apigateway get-export --rest-api-id ID --stage-name STAGE ' +
  '--export-type oas30 --parameters extensions=authorizers FILE` (or `extensions=apigateway`).';

const AUTHORIZER_TYPES: Record<string, AuthorizerKind> = {
  token: 'TOKEN',
  request: 'REQUEST',
  cognito_user_pools: 'COGNITO_USER_POOLS',
  // The REST JWT authorizer (reference A.2: the type value is inferred; both `jwtConfiguration` shapes are read).
  jwt: 'JWT',
};

/** How an identitySource error names the authorizer. */
const KIND_WORDS: Partial<Record<AuthorizerKind, string>> = {
  TOKEN: 'token',
  COGNITO_USER_POOLS: 'Cognito',
  JWT: 'JWT',
};

const DEFAULT_HOST = 'example.execute-api.us-east-1.amazonaws.com';
const DEFAULT_STAGE = 'prod';
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** What a security scheme means to API Gateway. */
type SchemeMeaning =
  | { kind: 'authorizer'; authorizer: Authorizer }
  | { kind: 'apiKey' }
  | { kind: 'unsupported'; message: string };
/** A security scheme and where it is defined. */
type Scheme = SchemeMeaning & { path: Segments };

/** What a source reader returns: the model and what it assumed (each kind of assumption once). */
export interface SourceReadResult {
  model: AuthModel;
  warnings: string[];
}

/**
 * Reads an OpenAPI 3 / Swagger 2.0 document that defines an API Gateway REST API: a `get-export` file, a file
 * kept in a repository (with template values, root-level `security`), or a CloudFormation `Body` object.
 *
 * @param doc - the parsed document
 * @param source - the file name, the document's pointer in it, a pointer locator, and the region and account
 *   when known (they replace `${AWS::Region}` / `${AWS::AccountId}`)
 * @returns the canonical (sorted) model and the warnings, each naming the field and what was assumed
 * @throws InvalidExportError when the document is not an API Gateway definition or is inconsistent
 * @throws UnsupportedAuthorizerError for an authorizer type or security scheme API Gateway REST APIs do not have
 */
export function readOpenApiDocument(doc: unknown, source: ExportSource): SourceReadResult {
  const reader = new ExportReader(source);
  const model = reader.read(doc);
  return { model, warnings: reader.warnings() };
}

/**
 * Builds the AuthModel of an API Gateway export; `readOpenApiDocument` without the warnings.
 *
 * @param doc - the parsed OpenAPI 3 or Swagger 2.0 document
 * @param source - the file name and a pointer locator, so that every error can say where the problem is
 * @returns the canonical (sorted) model
 * @throws InvalidExportError when the document is not an API Gateway export or is inconsistent
 * @throws UnsupportedAuthorizerError for an authorizer type or security scheme API Gateway REST APIs do not have
 */
export function buildModelFromExport(doc: unknown, source: ExportSource): AuthModel {
  return readOpenApiDocument(doc, source).model;
}

class ExportReader extends OpenApiReaderBase {
  constructor(source: ExportSource) {
    super(source, EXPORT_FIX);
  }

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
    if (oas3 && doc.securityDefinitions !== undefined) {
      // An OAS 3 file that kept Swagger 2's top-level securityDefinitions: API Gateway's import reads both.
      for (const [name, scheme] of this.readSchemes(doc.securityDefinitions, ['securityDefinitions'])) {
        if (schemes.has(name)) continue;
        schemes.set(name, scheme);
      }
      this.note(
        'securityDefinitions',
        ['securityDefinitions'],
        'an OpenAPI 3 file with Swagger 2 securityDefinitions: read them as components.securitySchemes ' +
          '(a name defined in both is taken from components.securitySchemes).',
      );
    }
    const rootSecurity = this.readRootSecurity(doc.security, schemes, schemesPath);
    const routes = this.readRoutes(doc.paths, schemes, schemesPath, rootSecurity);

    // IAM is not an authorizer resource in AWS: list it only when a method uses it, as the live reader does.
    const used = new Set(
      routes.flatMap((r) => (r.authorization.type === 'AUTHORIZER' ? [r.authorization.authorizer] : [])),
    );
    // Several IAM schemes are one `sigv4` authorizer (readScheme names them all so).
    const byName = new Map<string, Authorizer>();
    for (const [name, s] of schemes) {
      if (s.kind !== 'authorizer') continue;
      if (s.authorizer.kind === 'AWS_IAM' && !used.has(s.authorizer.name)) continue;
      if (s.authorizer.name !== name) {
        this.note(
          'IAM scheme name',
          s.path,
          `the IAM (awsSigv4) scheme "${name}" is named "${AWS_IAM_AUTHORIZER_NAME}", as API Gateway's export ` +
            'names it.',
        );
      }
      const twin = byName.get(s.authorizer.name);
      if (twin !== undefined && twin.kind !== s.authorizer.kind) {
        throw this.error(
          InvalidExportError,
          `Security scheme "${AWS_IAM_AUTHORIZER_NAME}" is an authorizer, but API Gateway names its IAM ` +
            `(awsSigv4) scheme "${AWS_IAM_AUTHORIZER_NAME}" too, so the two cannot be told apart.`,
          s.path,
          `Rename the authorizer "${AWS_IAM_AUTHORIZER_NAME}".`,
        );
      }
      byName.set(s.authorizer.name, s.authorizer);
    }
    const authorizers = [...byName.values()];

    const { api, stage } = oas3 ? this.readServers(doc) : this.readHost(doc);
    if (api.region === undefined && this.source.region !== undefined) api.region = this.source.region;
    const apiKeySource = this.readApiKeySource(doc['x-amazon-apigateway-api-key-source']);
    const cors = readCors(doc.paths);
    return canonicalizeModel({
      api: {
        ...api,
        name: this.readTitle(doc.info),
        ...(apiKeySource === undefined ? {} : { apiKeySource }),
      },
      stage,
      authorizers,
      routes,
      gatewayResponses: this.readGatewayResponses(doc['x-amazon-apigateway-gateway-responses']),
      ...(cors === undefined ? {} : { cors: { allowOrigin: cors } }),
    });
  }

  // ---- API ----

  /** `info.title`; a templated title becomes its literal words (never a placeholder in a file name). */
  private readTitle(info: unknown): string {
    const title = isObject(info) ? info.title : undefined;
    if (isString(title) && !isPlaceholder(title)) return title;
    const rendered = renderTemplateValue(title, this.source);
    if (rendered === undefined) return 'api';
    if (!isPlaceholder(rendered.text)) return rendered.text;
    const name = literalParts(rendered.text) || 'api';
    this.note(
      'info.title',
      ['info', 'title'],
      `the API name is a template value (${describe(rendered)}): named "${name}" after its literal parts.`,
    );
    return name;
  }

  /**
   * `x-amazon-apigateway-api-key-source`. `HEADER` is API Gateway's default and is left out of the model, so that
   * a file that writes it and one that does not (and the live API) give the same model.
   */
  private readApiKeySource(raw: unknown): 'AUTHORIZER' | undefined {
    if (raw === undefined || raw === null) return undefined;
    const value = isString(raw) ? raw.trim().toUpperCase() : undefined;
    if (value === 'AUTHORIZER') return 'AUTHORIZER';
    if (value === 'HEADER') return undefined;
    throw this.error(
      InvalidExportError,
      `Invalid x-amazon-apigateway-api-key-source ${JSON.stringify(raw)}: expected HEADER or AUTHORIZER.`,
      ['x-amazon-apigateway-api-key-source'],
    );
  }

  /**
   * A string field that a template may have written as an intrinsic or with `${var}` placeholders: the text with
   * what is known substituted, or undefined when the value is neither (the caller reports the type error).
   * Warns once per field kind when placeholders remain.
   */
  private templatedString(raw: unknown, path: Segments, kind: string, assumed: string): string | undefined {
    const rendered = renderTemplateValue(raw, this.source);
    if (rendered === undefined) return undefined;
    if (hasTemplatePlaceholder(rendered.text)) {
      this.note(kind, path, `${kind} is a template value (${describe(rendered)}): ${assumed}`);
    }
    return rendered.text;
  }

  // ---- security schemes -> authorizers ----

  private readSchemes(raw: unknown, base: Segments): Map<string, Scheme> {
    return this.readSchemeMap(raw, base, (name, scheme, path) => this.readScheme(name, scheme, path));
  }

  private readScheme(name: string, scheme: Json, path: Segments): SchemeMeaning {
    const authtype = scheme['x-amazon-apigateway-authtype'];
    const config = scheme['x-amazon-apigateway-authorizer'];
    if (config !== undefined) {
      return { kind: 'authorizer', authorizer: this.readAuthorizer(name, scheme, config, path) };
    }
    if (isString(authtype) && authtype.toLowerCase() === 'awssigv4') {
      // API Gateway's exports (and so the live and template readers) always name IAM `sigv4`, whatever the file
      // calls it (SAM writes `AWS_IAM`): one name keeps a SAM API's model equal to its deployed export's.
      return { kind: 'authorizer', authorizer: iamAuthorizer() };
    }
    if (authtype !== undefined) throw this.authtypeWithoutAuthorizer(name, authtype, path);
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
        'Set type to one of the listed values (an HTTP API export is read as one when it has ' +
          'x-amazon-apigateway-importexport-version).',
      );
    }

    const identitySources = this.readIdentitySources(kind, scheme, config, schemePath, path);
    const validationExpression =
      kind !== 'REQUEST' && kind !== 'JWT' && config.identityValidationExpression !== undefined
        ? this.readRegex(config.identityValidationExpression, [...path, 'identityValidationExpression'])
        : undefined;
    let ttlSeconds = 0;
    let lambdaUri: string | undefined;
    let userPools: Authorizer['userPools'] = [];
    let jwt: Authorizer['jwt'];
    if (kind === 'JWT') {
      jwt = restJwtSettings(config.jwtConfiguration, [...path, 'jwtConfiguration'], (at, message, fix) => {
        throw this.error(InvalidExportError, sentence(message), [...at], fix);
      });
    } else if (kind === 'COGNITO_USER_POOLS') {
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
      if (config.authorizerUri !== undefined) {
        lambdaUri = this.templatedString(
          config.authorizerUri,
          [...path, 'authorizerUri'],
          'authorizerUri',
          'kept with named placeholders; it only names the Lambda function, who may call a route is unchanged.',
        );
        if (lambdaUri === undefined) {
          throw this.error(InvalidExportError, 'authorizerUri must be a string.', [...path, 'authorizerUri']);
        }
      }
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
      ...(jwt === undefined ? {} : { jwt }),
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
    const given = config.identitySource;
    if (given !== undefined && !isString(given)) {
      throw this.error(InvalidExportError, 'identitySource must be a comma-separated string.', sourcePath);
    }
    let raw: string | undefined = given;
    if (raw !== undefined && raw.trim() === '') {
      // API Gateway's import accepts `identitySource: ""` and reads it as unset (reference section 7).
      raw = undefined;
      if (kind !== 'REQUEST') {
        const header =
          isString(scheme.name) && scheme.name.trim() !== '' ? scheme.name.trim() : 'Authorization';
        this.note(
          'identitySource ""',
          sourcePath,
          `identitySource is empty: read as absent, so the token header is the scheme's name (${header}).`,
        );
      }
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
      if (kind === 'COGNITO_USER_POOLS' || kind === 'JWT') {
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
        `Invalid identitySource ${JSON.stringify(raw)}: a ${KIND_WORDS[kind]} authorizer reads ` +
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
    const reason = regexSyntaxError(raw);
    // doctor keeps it and reports it (rule regex-invalid)
    if (reason === undefined || this.source.lenient) return raw;
    throw this.error(
      InvalidExportError,
      `identityValidationExpression ${JSON.stringify(raw)} is not a valid regular expression (${reason}).`,
      path,
      INVALID_REGEX_FIX,
    );
  }

  private readUserPools(raw: unknown, path: Segments): Authorizer['userPools'] {
    const assumed =
      'kept as a placeholder user pool; the config can name it (cognito.userPoolId and cognito.region).';
    if (isIntrinsic(raw)) {
      // The whole list from a template (a `Ref` to a CommaDelimitedList, a `Fn::Split`): one unknown pool.
      const text = this.templatedString(raw, path, 'providerARNs', assumed) ?? '';
      const pool = parseUserPoolArn(text);
      if (pool) return [pool];
    }
    if (!Array.isArray(raw) || raw.length === 0) {
      throw this.error(
        InvalidExportError,
        'A Cognito authorizer needs providerARNs: a non-empty list of user pool ARNs.',
        path,
        EXPORT_FIX,
      );
    }
    return raw.map((arn: unknown, i) => {
      const text = this.templatedString(arn, [...path, i], 'providerARNs', assumed);
      const pool = text === undefined ? undefined : parseUserPoolArn(text);
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

  /**
   * Root-level `security`: what an operation without its own `security` gets. API Gateway's import applies it
   * (reference section 7). Undefined when it grants nothing (absent, `[]`, only SAM's `NONE`).
   */
  private readRootSecurity(
    raw: unknown,
    schemes: Map<string, Scheme>,
    schemesPath: Segments,
  ): Pick<Route, 'authorization' | 'apiKeyRequired'> | undefined {
    if (raw === undefined || raw === null) return undefined;
    const security = this.readSecurity(raw, ['security'], schemes, schemesPath);
    return security.authorization.type === 'NONE' && !security.apiKeyRequired ? undefined : security;
  }

  private readRoutes(
    paths: unknown,
    schemes: Map<string, Scheme>,
    schemesPath: Segments,
    rootSecurity: Pick<Route, 'authorization' | 'apiKeyRequired'> | undefined,
  ): Route[] {
    if (paths === undefined) return [];
    if (!isObject(paths))
      throw this.error(InvalidExportError, 'Expected "paths" to be an object.', ['paths']);
    const routes: Route[] = [];
    const seen = new Map<string, string>();
    let inherited = 0;
    for (const [key, item] of Object.entries(paths)) {
      const path = key.startsWith('/') ? key : `/${key}`;
      if (path !== key) {
        // `AWS::Include`d bodies and hand-written files drop the slash; API Gateway's resource path has it.
        this.note('path without "/"', ['paths', key], `the path has no leading "/": read as "${path}".`);
      }
      const twin = seen.get(path);
      if (twin !== undefined) {
        throw this.error(
          InvalidExportError,
          `Paths ${JSON.stringify(twin)} and ${JSON.stringify(key)} are the same resource ${JSON.stringify(path)}.`,
          ['paths', key],
          'Merge their operations under one path that starts with "/".',
        );
      }
      seen.set(path, key);
      const branch = this.conditional(item, ['paths', key]);
      if (!isObject(branch.value)) continue;
      for (const [verb, rawOperation] of Object.entries(branch.value)) {
        const method = OPERATION_METHODS[verb.toLowerCase()];
        if (method === undefined) continue;
        const { value: operation, path: opPath } = this.conditional(rawOperation, [...branch.path, verb]);
        if (operation === undefined) continue;
        if (!isObject(operation))
          throw this.error(InvalidExportError, 'Expected an operation object.', opPath);
        const own = operation.security;
        if ((own === undefined || own === null) && rootSecurity !== undefined) {
          inherited++;
          routes.push({ method, path, ...structuredClone(rootSecurity) });
          continue;
        }
        routes.push({
          method,
          path,
          ...this.readSecurity(own, [...opPath, 'security'], schemes, schemesPath),
        });
      }
    }
    if (inherited > 0 && rootSecurity !== undefined) {
      const names = [
        ...(rootSecurity.authorization.type === 'AUTHORIZER' ? [rootSecurity.authorization.authorizer] : []),
        ...(rootSecurity.apiKeyRequired ? ['API key'] : []),
      ];
      this.noteRootSecurity(inherited, names.join(' + '));
    }
    return routes;
  }

  /**
   * A path item or operation that SAM wraps in `Fn::If` (a function with a `Condition`): the condition is unknown
   * here, so the route is read as existing (its first branch that is not `AWS::NoValue`), with a warning. A route
   * that may exist is tested; one dropped could be a protected route missed.
   */
  private conditional(value: unknown, path: Segments): { value: unknown; path: Segments } {
    if (!isIntrinsic(value) || !('Fn::If' in value)) return { value, path };
    const branches = value['Fn::If'];
    if (!Array.isArray(branches) || branches.length !== 3) return { value, path };
    const index = [1, 2].find((i) => {
      const branch: unknown = branches[i];
      return !(isObject(branch) && branch.Ref === 'AWS::NoValue');
    });
    const condition = isString(branches[0]) ? branches[0] : '?';
    this.note(
      'Fn::If',
      [...path, 'Fn::If'],
      `a conditional definition (Fn::If on condition ${condition}): read as ` +
        (index === undefined
          ? 'absent (both branches are AWS::NoValue).'
          : 'present, as its first branch that exists.'),
    );
    return index === undefined
      ? { value: undefined, path }
      : { value: branches[index], path: [...path, 'Fn::If', index] };
  }

  /** One `security` list (an operation's or the root's) -> the method's authorization and API key flag. */
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
    let authorizer: { name: string; scheme: string; kind: AuthorizerKind; scopes: string[] } | undefined;
    this.forEachRequirement(raw, path, schemes, schemesPath, (name, scheme, scopes, at) => {
      if (scheme.kind === 'apiKey') {
        apiKeyRequired = true;
        return;
      }
      if (authorizer !== undefined && authorizer.name !== scheme.authorizer.name) {
        throw this.error(
          InvalidExportError,
          `A method has one authorization in API Gateway, but this operation names "${authorizer.scheme}" and "${name}".`,
          at,
        );
      }
      authorizer ??= {
        name: scheme.authorizer.name,
        scheme: name,
        kind: scheme.authorizer.kind,
        scopes: [],
      };
      for (const scope of scopes) if (!authorizer.scopes.includes(scope)) authorizer.scopes.push(scope);
    });
    if (authorizer === undefined) return { authorization: { type: 'NONE' }, apiKeyRequired };
    // Scopes only mean something to a Cognito or JWT authorizer (`authorizationScopes`).
    const scopes =
      authorizer.kind === 'COGNITO_USER_POOLS' || authorizer.kind === 'JWT' ? authorizer.scopes : [];
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
    const rendered = isObject(server) ? renderTemplateValue(server.url, this.source) : undefined;
    if (!isObject(server) || rendered === undefined) return stageFrom(undefined, undefined);
    const variables = isObject(server.variables) ? server.variables : {};
    let form = rendered.form === '${}' ? undefined : rendered.form;
    // `{name}` is a server variable; `${name}` a template placeholder, left for the check below.
    const url = rendered.text.replace(/(?<!\$)\{([^{}]+)\}/g, (_, name: string) => {
      const variable = variables[name];
      const value = isObject(variable) ? variable.default : undefined;
      if (typeof value === 'number') return String(value);
      const text = renderTemplateValue(value, this.source);
      if (text !== undefined && text.form !== '${}') form ??= `${text.form} in variables.${name}`;
      return text?.text ?? '';
    });
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([^?#]*)/i.exec(url);
    const [host, path] = match ? [match[2], match[3]] : [undefined, url];
    return this.unknownParts(
      stageFrom(known(host), knownPath(path), match ? `${match[1]?.toLowerCase()}://` : undefined),
      url,
      form,
      ['servers', 0, 'url'],
      'servers[].url',
    );
  }

  /** Swagger 2.0: `https://` + host + basePath. */
  private readHost(doc: Json): Pick<AuthModel, 'api' | 'stage'> {
    const host = renderTemplateValue(doc.host, this.source);
    const basePath = renderTemplateValue(doc.basePath, this.source);
    const templated = [host, basePath].find((v) => v !== undefined && isPlaceholder(v.text));
    return this.unknownParts(
      stageFrom(known(host?.text), knownPath(basePath?.text)),
      `${host?.text ?? ''}${basePath?.text ?? ''}`,
      templated?.form === '${}' ? undefined : templated?.form,
      [templated === host ? 'host' : 'basePath'],
      'host/basePath',
    );
  }

  /** Warns when a template left the API's URL (partly) unknown, naming what was assumed instead. */
  private unknownParts(
    result: Pick<AuthModel, 'api' | 'stage'>,
    url: string,
    form: string | undefined,
    path: Segments,
    kind: string,
  ): Pick<AuthModel, 'api' | 'stage'> {
    if (isPlaceholder(url)) {
      const what = form === undefined ? JSON.stringify(url) : `${form} ${JSON.stringify(url)}`;
      this.note(
        kind,
        path,
        `the API's URL is a template value (${what}), unknown before deploy: assumed ${result.stage.baseUrl}; ` +
          'set baseUrl in the config.',
      );
    }
    return result;
  }
}

/** A host that a template left unknown is no host. */
function known(host: string | undefined): string | undefined {
  return host === undefined || isPlaceholder(host) || host === '' ? undefined : host;
}

/** A path without the segments a template left unknown. */
function knownPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return path
    .split('/')
    .filter((segment) => !isPlaceholder(segment))
    .join('/');
}

/** How a template value is written, for a warning: `Fn::Sub "petstore-${Stage}"` or `"${Stage}"`. */
function describe(rendered: { text: string; form: string }): string {
  return rendered.form === '${}'
    ? JSON.stringify(rendered.text)
    : `${rendered.form} ${JSON.stringify(rendered.text)}`;
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

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
