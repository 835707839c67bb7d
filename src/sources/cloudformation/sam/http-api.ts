/**
 * SAM `AWS::Serverless::HttpApi` -> `AWS::ApiGatewayV2::*`, as the SAM translator (samtranslator
 * `http_api_generator.py`, `apigatewayv2.py`, `open_api.py`, `implicit_http_api_plugin.py`, push.py `HttpApi`)
 * decides each route's authorization:
 * - `HttpApi` events without `ApiId` create the implicit `ServerlessHttpApi`; an event without `Path` and `Method`
 *   is the `$default` route (`ANY`);
 * - `Globals.HttpApi` merges into each API (maps merge, lists concatenate, the resource wins);
 * - `Auth.Authorizers`: `JwtConfiguration` present -> a JWT (OAuth2) authorizer, which needs `IdentitySource`;
 *   otherwise a Lambda (REQUEST) authorizer, which needs `FunctionArn` and `AuthorizerPayloadFormatVersion`;
 *   `Identity {Headers, QueryStrings, StageVariables, Context}` -> `$request.header.`, `$request.querystring.`,
 *   `$stageVariables.`, `$context.` in that order; `ReauthorizeEvery` -> the TTL; `EnableIamAuthorizer` adds
 *   `AWS_IAM`;
 * - an event's `Auth.Authorizer` (or `DefaultAuthorizer` when the event's `Auth` names none), `NONE` only with a
 *   `DefaultAuthorizer`; the event's `AuthorizationScopes` override the authorizer's; without event `Auth`,
 *   `DefaultAuthorizer` applies to every route except `OPTIONS` (the reverse of REST's preflight default).
 *
 * SAM writes an OpenAPI body. Here an API without `DefinitionBody` becomes explicit `Authorizer`, `Route` and
 * `Stage` resources (the same API, read by http-api.ts without the body reader); an inline `DefinitionBody` is
 * edited as SAM edits it (event operations, security schemes, the default authorizer, CORS, title) and read by the
 * HTTP API OpenAPI reader. Function ARNs are never invented: they stay intrinsics for the evaluator.
 *
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapiauth.html
 */

import { createHash } from 'node:crypto';

import type { InvalidTemplateError } from '../../../errors.js';
import { toPointer } from '../../../model/json-pointer.js';
import { isObject, isValidTtl, parsePayloadFormat } from '../../../model/parse.js';
import { keyOf } from '../../http-api-model.js';

import {
  BOTH_DEFINITIONS,
  applicableGlobals,
  bodyS3Location,
  isIntrinsic,
  mergeGlobal,
  resolveParameterRefs,
  samAuthMap,
  samError,
  type Json,
} from './values.js';

/** The logical id of the HTTP API that `HttpApi` events without `ApiId` create. */
export const IMPLICIT_HTTP_API_ID = 'ServerlessHttpApi';
/** An HTTP API's default stage; SAM's default `StageName`. */
const DEFAULT_STAGE = '$default';
const SERVERLESS_HTTP_API = 'AWS::Serverless::HttpApi';
const SERVERLESS_FUNCTION = 'AWS::Serverless::Function';
const ANY_METHOD = 'x-amazon-apigateway-any-method';
const IAM = 'AWS_IAM';
const NONE = 'NONE';

const AUTH_KEYS = new Set(['Authorizers', 'DefaultAuthorizer', 'EnableIamAuthorizer']);
const CORS_KEYS = [
  'AllowMethods',
  'AllowHeaders',
  'AllowOrigins',
  'MaxAge',
  'ExposeHeaders',
  'AllowCredentials',
];
const JWT_KEYS = new Set(['AuthorizationScopes', 'JwtConfiguration', 'IdentitySource']);
const LAMBDA_KEYS = new Set([
  'FunctionArn',
  'FunctionInvokeRole',
  'Identity',
  'AuthorizerPayloadFormatVersion',
  'EnableSimpleResponses',
  'EnableFunctionDefaultPermissions',
]);
const IDENTITY_PREFIXES: ReadonlyArray<[string, string]> = [
  ['Headers', '$request.header.'],
  ['QueryStrings', '$request.querystring.'],
  ['StageVariables', '$stageVariables.'],
  ['Context', '$context.'],
];

type Segments = Array<string | number>;

/** What the expansion needs from the SAM expander. */
export interface HttpApiContext {
  file: string;
  warn(message: string): void;
  /** The CloudFormation evaluator; used only for references to template parameters. */
  evaluate(value: unknown, pointer: string): unknown;
}

interface HttpEvent {
  owner: string;
  id: string;
  at: Segments;
  apiId: string;
  path: string;
  /** Lower case; `x-amazon-apigateway-any-method` for ANY. */
  method: string;
  auth?: Json;
}

interface HttpAuthorizer {
  name: string;
  kind: 'JWT' | 'REQUEST' | 'AWS_IAM';
  /** The authorizer's `AuthorizationScopes`: the default scopes of its routes. */
  scopes: unknown[];
  /** `AWS::ApiGatewayV2::Authorizer` properties (without `ApiId`); none for AWS_IAM. */
  resource?: Json;
  /** The OpenAPI security scheme SAM writes into a body. */
  scheme: Json;
}

/** One route's authorization: an authorizer name (`AWS_IAM` included) with scopes, or none. */
interface RouteAuth {
  authorizer?: string;
  scopes: unknown[];
}

/**
 * Expands every `AWS::Serverless::HttpApi` (and the implicit `ServerlessHttpApi`) of a SAM template.
 *
 * @param template - the SAM template in long form; its `Resources` gains the implicit API when events need it
 * @param ctx - the file, the warning sink and the evaluator for parameter references
 * @returns per HTTP API logical id, the CloudFormation resources that replace it
 * @throws InvalidTemplateError where the SAM translator refuses the template, naming the property and the fix
 */
export function expandHttpApis(template: Json, ctx: HttpApiContext): Map<string, Json> {
  return new HttpApiExpander(template, ctx).expand();
}

class HttpApiExpander {
  private readonly resources: Json;
  private readonly parameters: Set<string>;

  constructor(
    private readonly template: Json,
    private readonly ctx: HttpApiContext,
  ) {
    this.resources = isObject(template.Resources) ? template.Resources : {};
    this.parameters = new Set(isObject(template.Parameters) ? Object.keys(template.Parameters) : []);
  }

  expand(): Map<string, Json> {
    const events = this.collectEvents();
    const globals = this.globals();
    const out = new Map<string, Json>();
    for (const [id, resource] of Object.entries(this.resources)) {
      if (!isObject(resource) || resource.Type !== SERVERLESS_HTTP_API) continue;
      if (resource.Properties !== undefined && !isObject(resource.Properties)) {
        throw this.fail(['Resources', id, 'Properties'], 'Properties must be a map.');
      }
      const own = isObject(resource.Properties) ? resource.Properties : {};
      const applicable = applicableGlobals(globals, resource.IgnoreGlobals);
      const properties = mergeGlobal(structuredClone(applicable), own) as Json;
      const attributes: Json = {};
      for (const key of ['Condition', 'DependsOn', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy']) {
        if (resource[key] !== undefined) attributes[key] = resource[key];
      }
      out.set(
        id,
        this.translate(
          id,
          properties,
          events.filter((e) => e.apiId === id),
          attributes,
        ),
      );
    }
    return out;
  }

  // ---- events and globals ----

  private globals(): Json {
    const raw = isObject(this.template.Globals) ? this.template.Globals.HttpApi : undefined;
    if (raw === undefined || raw === null) return {};
    if (!isObject(raw))
      throw this.fail(['Globals', 'HttpApi'], 'Globals.HttpApi must be a map of properties.');
    for (const key of ['DefinitionBody', 'DefinitionUri', 'StageName']) {
      if (key in raw) {
        throw this.fail(
          ['Globals', 'HttpApi', key],
          `Globals.HttpApi cannot set ${key}: SAM refuses it.`,
          `Move ${key} to each AWS::Serverless::HttpApi resource.`,
        );
      }
    }
    return raw;
  }

  /** Every `HttpApi` event of every function; adds `ServerlessHttpApi` when an event has no `ApiId`. */
  private collectEvents(): HttpEvent[] {
    const events: HttpEvent[] = [];
    let implicit = false;
    for (const [owner, resource] of Object.entries(this.resources)) {
      if (!isObject(resource) || resource.Type !== SERVERLESS_FUNCTION) continue;
      const properties = isObject(resource.Properties) ? resource.Properties : {};
      if (!isObject(properties.Events)) continue;
      for (const [id, event] of Object.entries(properties.Events)) {
        if (!isObject(event) || event.Type !== 'HttpApi') continue;
        const at: Segments = ['Resources', owner, 'Properties', 'Events', id, 'Properties'];
        const raw = event.Properties ?? {};
        if (!isObject(raw)) throw this.fail(at, `Event "${id}" must have a Properties map.`);
        const path = this.resolve(raw.Path, [...at, 'Path']);
        const method = this.resolve(raw.Method, [...at, 'Method']);
        if ((path === undefined) !== (method === undefined)) {
          throw this.fail(
            [...at, path === undefined ? 'Path' : 'Method'],
            `Event "${id}" sets ${path === undefined ? 'Method' : 'Path'} without ${path === undefined ? 'Path' : 'Method'}.`,
            'Set both Path and Method, or neither for the $default route.',
          );
        }
        for (const [name, value] of [
          ['Path', path],
          ['Method', method],
        ] as const) {
          if (value !== undefined && (typeof value !== 'string' || value === '')) {
            throw this.fail(
              [...at, name],
              `Event "${id}" needs ${name} as a string, got ${JSON.stringify(value)}.`,
              `Set ${name} literally (e.g. ${name === 'Path' ? '/orders/{orderId}' : 'get'}): SAM reads it before deploy.`,
            );
          }
        }
        let apiId = IMPLICIT_HTTP_API_ID;
        if (raw.ApiId === undefined) implicit = true;
        else {
          const ref = isObject(raw.ApiId) && typeof raw.ApiId.Ref === 'string' ? raw.ApiId.Ref : raw.ApiId;
          const target = typeof ref === 'string' ? this.resources[ref] : undefined;
          if (typeof ref !== 'string' || !isObject(target) || target.Type !== SERVERLESS_HTTP_API) {
            throw this.fail(
              [...at, 'ApiId'],
              `ApiId of event "${id}" must be a valid reference to an '${SERVERLESS_HTTP_API}' resource in the same template.`,
              'Use ApiId: !Ref <your AWS::Serverless::HttpApi>, or remove it to use the implicit ServerlessHttpApi.',
            );
          }
          apiId = ref;
        }
        const auth =
          raw.Auth === undefined || raw.Auth === null ? undefined : this.resolve(raw.Auth, [...at, 'Auth']);
        if (auth !== undefined && !isObject(auth))
          throw this.fail([...at, 'Auth'], `Auth of event "${id}" must be a map.`);
        const lower = typeof method === 'string' ? method.toLowerCase() : ANY_METHOD;
        events.push({
          owner,
          id,
          at,
          apiId,
          path: typeof path === 'string' ? path : DEFAULT_STAGE,
          method: lower === 'any' ? ANY_METHOD : lower,
          ...(auth === undefined ? {} : { auth }),
        });
      }
    }
    if (implicit && !isObject(this.resources[IMPLICIT_HTTP_API_ID])) {
      this.resources[IMPLICIT_HTTP_API_ID] = { Type: SERVERLESS_HTTP_API, Properties: {} };
    }
    return events;
  }

  // ---- one API ----

  private translate(id: string, properties: Json, events: HttpEvent[], attributes: Json): Json {
    const at: Segments = ['Resources', id, 'Properties'];
    const body = properties.DefinitionBody;
    const uri = properties.DefinitionUri;
    if (body !== undefined && uri !== undefined) {
      throw this.fail(at, BOTH_DEFINITIONS, 'Remove one of them.');
    }
    const auth = this.readAuth(id, properties.Auth);
    const routes = events.map((event) => ({ event, auth: this.routeAuth(event, auth) }));
    const seen = new Set<string>();
    for (const { event } of routes) {
      const key = `${event.method} ${event.path}`;
      if (seen.has(key)) {
        throw this.fail(
          event.at,
          `API method '${event.method}' defined multiple times for path '${event.path}'.`,
          'Keep one event per path and method on an API.',
        );
      }
      seen.add(key);
    }
    const cors = this.readCors(id, properties.CorsConfiguration);
    const api: Json = { ProtocolType: 'HTTP' };
    for (const key of ['Description', 'DisableExecuteApiEndpoint', 'FailOnWarnings']) {
      if (properties[key] !== undefined) api[key] = properties[key];
    }
    const out: Json = {};
    if (isObject(body) && !isIntrinsic(body)) {
      api.Body = this.editBody(id, structuredClone(body), properties, routes, auth, cors);
      out[id] = { Type: 'AWS::ApiGatewayV2::Api', Properties: api, ...attributes };
    } else if (body !== undefined || uri !== undefined) {
      if (body !== undefined) {
        this.warn(
          [...at, 'DefinitionBody'],
          `DefinitionBody is ${JSON.stringify(Object.keys(isObject(body) ? body : {}))} (an unresolved include?), so ` +
            'SAM cannot add the events, Auth or CorsConfiguration to it.',
        );
        api.Body = body;
      } else {
        for (const key of ['Auth', 'CorsConfiguration', 'Name']) {
          if (properties[key] !== undefined) {
            throw this.fail(
              [...at, key],
              `${key} works only with inline OpenApi specified in the 'DefinitionBody' property (this API uses DefinitionUri).`,
              'Write it into the OpenAPI file, or use DefinitionBody (with Fn::Transform AWS::Include for a local file).',
            );
          }
        }
        api.BodyS3Location = bodyS3Location(uri);
        if (events.length > 0) {
          this.warn(
            events[0]!.at,
            `the routes of events on API "${id}" go into its DefinitionUri document, which is not read here.`,
          );
        }
      }
      out[id] = { Type: 'AWS::ApiGatewayV2::Api', Properties: api, ...attributes };
    } else {
      if (events.length === 0) {
        throw this.fail(
          at,
          "'DefinitionUri' or 'DefinitionBody' are required properties of an 'AWS::Serverless::HttpApi'.",
          "Add a value for one of these properties, or add an 'HttpApi' event to an 'AWS::Serverless::Function'.",
        );
      }
      api.Name = properties.Name ?? { Ref: 'AWS::StackName' };
      if (cors !== undefined) api.CorsConfiguration = cors;
      out[id] = { Type: 'AWS::ApiGatewayV2::Api', Properties: api, ...attributes };
      Object.assign(out, this.resourcesOf(id, auth.authorizers, routes, attributes));
    }
    const stageName = properties.StageName ?? DEFAULT_STAGE;
    const stage: Json = { ApiId: { Ref: id }, StageName: stageName, AutoDeploy: true };
    if (properties.StageVariables !== undefined) stage.StageVariables = properties.StageVariables;
    out[stageId(id, stageName)] = { Type: 'AWS::ApiGatewayV2::Stage', Properties: stage, ...attributes };
    return out;
  }

  private readAuth(id: string, raw: unknown): { authorizers: Map<string, HttpAuthorizer>; default?: string } {
    const authorizers = new Map<string, HttpAuthorizer>();
    if (raw === undefined || raw === null) return { authorizers };
    const at: Segments = ['Resources', id, 'Properties', 'Auth'];
    const auth = samAuthMap(this.resolve(raw, at), at, AUTH_KEYS, (where, message, fix) =>
      this.fail(where, message, fix),
    );
    if (auth.EnableIamAuthorizer === true) {
      authorizers.set(IAM, {
        name: IAM,
        kind: 'AWS_IAM',
        scopes: [],
        scheme: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      });
    }
    const list = auth.Authorizers;
    if (list !== undefined && list !== null) {
      if (!isObject(list)) throw this.fail([...at, 'Authorizers'], 'Auth.Authorizers must be a map.');
      for (const [name, config] of Object.entries(list)) {
        authorizers.set(name, this.readAuthorizer(name, config, [...at, 'Authorizers', name]));
      }
    }
    const fallback = auth.DefaultAuthorizer;
    if (fallback === undefined || fallback === null || fallback === '') return { authorizers };
    if (typeof fallback !== 'string') {
      throw this.fail(
        [...at, 'DefaultAuthorizer'],
        'DefaultAuthorizer must be a string.',
        'Name one of Auth.Authorizers.',
      );
    }
    if (!authorizers.has(fallback)) {
      throw this.fail(
        [...at, 'DefaultAuthorizer'],
        `Unable to set DefaultAuthorizer because '${fallback}' was not defined in 'Authorizers'.`,
        fallback === IAM ? 'Set Auth.EnableIamAuthorizer: true.' : 'Name one of Auth.Authorizers.',
      );
    }
    return { authorizers, default: fallback };
  }

  private readAuthorizer(name: string, config: unknown, at: Segments): HttpAuthorizer {
    if (!isObject(config)) throw this.fail(at, `Auth.Authorizers.${name} must be a map.`);
    if ('OpenIdConnectUrl' in config) {
      throw this.fail(
        [...at, 'OpenIdConnectUrl'],
        `'OpenIdConnectUrl' is no longer a supported property for authorizer '${name}'.`,
        'Use JwtConfiguration: {issuer, audience}.',
      );
    }
    const jwt = config.JwtConfiguration !== undefined && config.JwtConfiguration !== null;
    const allowed = jwt ? JWT_KEYS : LAMBDA_KEYS;
    for (const key of Object.keys(config)) {
      if (allowed.has(key)) continue;
      const other = jwt ? LAMBDA_KEYS.has(key) : JWT_KEYS.has(key);
      throw this.fail(
        [...at, key],
        other
          ? `${key} is only supported for ${jwt ? 'Lambda Authorizer' : key === 'IdentitySource' ? "OAuth2 Authorizer. For Lambda Authorizer, use the 'Identity' property instead" : 'OAuth2 Authorizer'}.`
          : `Auth.Authorizers.${name} has an unknown property ${key}.`,
        jwt
          ? 'An OAuth2 authorizer takes JwtConfiguration, IdentitySource and AuthorizationScopes.'
          : 'A Lambda authorizer takes FunctionArn, AuthorizerPayloadFormatVersion, Identity, EnableSimpleResponses, FunctionInvokeRole.',
      );
    }
    const scopes = config.AuthorizationScopes ?? [];
    if (!Array.isArray(scopes))
      throw this.fail([...at, 'AuthorizationScopes'], 'AuthorizationScopes must be a list.');
    return jwt ? this.jwtAuthorizer(name, config, scopes, at) : this.lambdaAuthorizer(name, config, at);
  }

  private jwtAuthorizer(name: string, config: Json, scopes: unknown[], at: Segments): HttpAuthorizer {
    const raw = config.JwtConfiguration;
    if (!isObject(raw) || isIntrinsic(raw)) {
      throw this.fail([...at, 'JwtConfiguration'], 'JwtConfiguration must be a map {issuer, audience}.');
    }
    // SAM lowercases the keys (`Issuer` and `issuer` both work).
    const jwt: Json = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
    const key = (lower: string): string => keyOf(raw, lower) ?? lower;
    if (
      jwt.issuer === undefined ||
      jwt.issuer === '' ||
      (typeof jwt.issuer !== 'string' && !isIntrinsic(jwt.issuer))
    ) {
      throw this.fail(
        [...at, 'JwtConfiguration', key('issuer')],
        `The JWT authorizer ${name} needs an issuer URL.`,
        'Set JwtConfiguration.issuer to the token issuer (`iss`), e.g. https://cognito-idp.<region>.amazonaws.com/<poolId>.',
      );
    }
    if (!Array.isArray(jwt.audience) && !isIntrinsic(jwt.audience)) {
      throw this.fail(
        [...at, 'JwtConfiguration', key('audience')],
        `The audience of the JWT authorizer ${name} must be a list, not ${JSON.stringify(jwt.audience) ?? 'nothing'}.`,
        'Write audience as a list, e.g. audience: [my-client-id].',
      );
    }
    const source = config.IdentitySource;
    if (source === undefined || source === null || source === '') {
      throw this.fail(
        at,
        `${name} OAuth2 Authorizer must define 'IdentitySource'.`,
        'Add IdentitySource: $request.header.Authorization.',
      );
    }
    return {
      name,
      kind: 'JWT',
      scopes,
      resource: {
        Name: name,
        AuthorizerType: 'JWT',
        IdentitySource: Array.isArray(source) ? source : [source],
        JwtConfiguration: { Issuer: jwt.issuer, Audience: jwt.audience },
      },
      scheme: {
        type: 'oauth2',
        'x-amazon-apigateway-authorizer': { jwtConfiguration: jwt, identitySource: source, type: 'jwt' },
      },
    };
  }

  private lambdaAuthorizer(name: string, config: Json, at: Segments): HttpAuthorizer {
    if (!config.FunctionArn) {
      throw this.fail(
        at,
        `${name} Lambda Authorizer must define 'FunctionArn'.`,
        'Add FunctionArn: !GetAtt <Function>.Arn.',
      );
    }
    const version = config.AuthorizerPayloadFormatVersion;
    if (version === undefined || version === null) {
      throw this.fail(
        at,
        `${name} Lambda Authorizer must define 'AuthorizerPayloadFormatVersion'.`,
        'Add AuthorizerPayloadFormatVersion: "2.0" (or "1.0").',
      );
    }
    if (!isIntrinsic(version) && parsePayloadFormat(version) === undefined) {
      throw this.fail(
        [...at, 'AuthorizerPayloadFormatVersion'],
        `Unknown payload format version ${JSON.stringify(version)}.`,
        'Set AuthorizerPayloadFormatVersion to "1.0" or "2.0".',
      );
    }
    const uri = {
      'Fn::Sub': [
        'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations',
        { __FunctionArn__: config.FunctionArn },
      ],
    };
    const resource: Json = {
      Name: name,
      AuthorizerType: 'REQUEST',
      AuthorizerUri: uri,
      AuthorizerPayloadFormatVersion: typeof version === 'number' ? version.toFixed(1) : version,
    };
    const lambda: Json = { type: 'request', authorizerUri: uri };
    const role = config.FunctionInvokeRole;
    if (role && role !== NONE) {
      resource.AuthorizerCredentialsArn = role;
      lambda.authorizerCredentials = role;
    }
    const identity = config.Identity;
    if (identity !== undefined && identity !== null) {
      if (!isObject(identity))
        throw this.fail([...at, 'Identity'], `Auth.Authorizers.${name}.Identity must be a map.`);
      const ttl = identity.ReauthorizeEvery;
      if (ttl !== undefined && ttl !== null) {
        if (!isIntrinsic(ttl) && !isValidTtl(ttl)) {
          throw this.fail(
            [...at, 'Identity', 'ReauthorizeEvery'],
            `ReauthorizeEvery ${JSON.stringify(ttl)} is not 0-3600 seconds.`,
            'Set a whole number of seconds from 0 to 3600.',
          );
        }
        resource.AuthorizerResultTtlInSeconds = ttl;
        lambda.authorizerResultTtlInSeconds = ttl;
      }
      const sources: unknown[] = [];
      for (const [key, prefix] of IDENTITY_PREFIXES) {
        const values = identity[key];
        if (values === undefined || values === null) continue;
        if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
          throw this.fail([...at, 'Identity', key], `Identity.${key} must be a list of strings.`);
        }
        sources.push(...values.map((v) => `${prefix}${v}`));
      }
      resource.IdentitySource = sources;
      lambda.identitySource = sources;
    }
    lambda.authorizerPayloadFormatVersion = resource.AuthorizerPayloadFormatVersion;
    if (config.EnableSimpleResponses) {
      resource.EnableSimpleResponses = config.EnableSimpleResponses;
      lambda.enableSimpleResponses = config.EnableSimpleResponses;
    }
    return {
      name,
      kind: 'REQUEST',
      scopes: [],
      resource,
      scheme: { type: 'apiKey', name: 'Unused', in: 'header', 'x-amazon-apigateway-authorizer': lambda },
    };
  }

  /** The authorization SAM gives an event's route (push.py `_add_auth_to_openapi_integration`, open_api.py). */
  private routeAuth(
    event: HttpEvent,
    api: { authorizers: Map<string, HttpAuthorizer>; default?: string },
  ): RouteAuth {
    const auth = event.auth;
    const where = `on API method [${event.method}] for path [${event.path}]`;
    if (auth === undefined) {
      // DefaultAuthorizer: every integrated method without its own security, except OPTIONS.
      if (api.default === undefined || event.method === 'options') return { scopes: [] };
      return { authorizer: api.default, scopes: api.authorizers.get(api.default)?.scopes ?? [] };
    }
    const at = [...event.at, 'Auth'];
    let name = auth.Authorizer;
    if (name === undefined || name === null || name === '') {
      if (api.default === undefined) {
        throw this.fail(
          at,
          "'Auth' section requires either an explicit 'Authorizer' set or a 'DefaultAuthorizer' configured on the HttpApi.",
          'Name the authorizer in the event, or set Auth.DefaultAuthorizer on the API.',
        );
      }
      name = api.default;
    }
    if (typeof name !== 'string') {
      throw this.fail([...at, 'Authorizer'], `Unable to set Authorizer ${where}: it must be a string.`);
    }
    const scopes = auth.AuthorizationScopes;
    if (scopes !== undefined && scopes !== null && !Array.isArray(scopes)) {
      throw this.fail(
        [...at, 'AuthorizationScopes'],
        `Unable to set Authorizer ${where} because 'AuthorizationScopes' must be a list of strings.`,
      );
    }
    if (name === NONE) {
      if (api.default === undefined) {
        throw this.fail(
          [...at, 'Authorizer'],
          `Unable to set Authorizer ${where} because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`,
          'Remove Authorizer: NONE (routes without an authorizer are already open), or set Auth.DefaultAuthorizer.',
        );
      }
      return { scopes: [] };
    }
    const authorizer = api.authorizers.get(name);
    if (authorizer === undefined) {
      throw this.fail(
        [...at, 'Authorizer'],
        api.authorizers.size === 0
          ? `Unable to set Authorizer [${name}] ${where} because the related API does not define any Authorizers.`
          : `Unable to set Authorizer [${name}] ${where} because it wasn't defined in the API's Authorizers.`,
        name === IAM
          ? 'Set Auth.EnableIamAuthorizer: true on the API.'
          : `Define "${name}" under Auth.Authorizers of API "${event.apiId}".`,
      );
    }
    if (authorizer.kind === 'AWS_IAM') return { authorizer: name, scopes: [] };
    const own = Array.isArray(scopes) && scopes.length > 0 ? scopes : authorizer.scopes;
    return { authorizer: name, scopes: own };
  }

  private readCors(id: string, raw: unknown): Json | undefined {
    if (raw === undefined || raw === null || raw === false) return undefined;
    const at: Segments = ['Resources', id, 'Properties', 'CorsConfiguration'];
    const cors = this.resolve(raw, at);
    let out: Json;
    if (cors === true) out = { AllowOrigins: ['*'] };
    else if (isIntrinsic(cors)) out = { AllowOrigins: cors };
    else if (isObject(cors)) {
      const unknown = Object.keys(cors).find((key) => !CORS_KEYS.includes(key));
      if (unknown !== undefined) {
        throw this.fail(
          [...at, unknown],
          `Invalid key '${unknown}' for 'Cors' property.`,
          `Use ${CORS_KEYS.join(', ')}.`,
        );
      }
      out = { ...cors };
    } else throw this.fail(at, "Invalid value for 'Cors' property.", 'Use true or a map of Allow* keys.');
    const origins = out.AllowOrigins;
    if (
      out.AllowCredentials === true &&
      Array.isArray(origins) &&
      origins.length === 1 &&
      origins[0] === '*'
    ) {
      throw this.fail(
        at,
        "Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set.",
        'Name the allowed origins.',
      );
    }
    return out;
  }

  // ---- output ----

  /** Explicit `Authorizer` and `Route` resources (an API without DefinitionBody). */
  private resourcesOf(
    id: string,
    authorizers: Map<string, HttpAuthorizer>,
    routes: Array<{ event: HttpEvent; auth: RouteAuth }>,
    attributes: Json,
  ): Json {
    const out: Json = {};
    const ids = new Map<string, string>();
    for (const authorizer of authorizers.values()) {
      if (authorizer.resource === undefined) continue;
      const logicalId = `${id}${alphanumeric(authorizer.name)}Authorizer`;
      ids.set(authorizer.name, logicalId);
      out[logicalId] = {
        Type: 'AWS::ApiGatewayV2::Authorizer',
        Properties: { ApiId: { Ref: id }, ...authorizer.resource },
        ...attributes,
      };
    }
    for (const { event, auth } of routes) {
      const method = event.method === ANY_METHOD ? 'ANY' : event.method.toUpperCase();
      const routeKey =
        event.path === DEFAULT_STAGE && method === 'ANY' ? DEFAULT_STAGE : `${method} ${event.path}`;
      const route: Json = { ApiId: { Ref: id }, RouteKey: routeKey, AuthorizationType: NONE };
      const authorizer = auth.authorizer === undefined ? undefined : authorizers.get(auth.authorizer);
      if (authorizer?.kind === 'AWS_IAM') route.AuthorizationType = IAM;
      else if (authorizer !== undefined) {
        route.AuthorizationType = authorizer.kind === 'JWT' ? 'JWT' : 'CUSTOM';
        route.AuthorizerId = { Ref: ids.get(authorizer.name) };
        if (authorizer.kind === 'JWT' && auth.scopes.length > 0) route.AuthorizationScopes = auth.scopes;
      }
      const owner = this.resources[event.owner];
      const condition =
        isObject(owner) && typeof owner.Condition === 'string' ? { Condition: owner.Condition } : {};
      out[`${id}${alphanumeric(event.owner)}${alphanumeric(event.id)}Route`] = {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: route,
        ...attributes,
        ...condition,
      };
    }
    return out;
  }

  /** An inline DefinitionBody, edited as SAM edits it (open_api.py `OpenApiEditor`). */
  private editBody(
    id: string,
    body: Json,
    properties: Json,
    routes: Array<{ event: HttpEvent; auth: RouteAuth }>,
    auth: { authorizers: Map<string, HttpAuthorizer>; default?: string },
    cors: Json | undefined,
  ): Json {
    const at: Segments = ['Resources', id, 'Properties', 'DefinitionBody'];
    if (typeof body.openapi !== 'string' || !isObject(body.paths)) {
      throw this.fail(
        at,
        "'DefinitionBody' does not contain a valid OpenApi definition (an openapi 3 version and a paths map).",
        'Fix the inline OpenAPI document.',
      );
    }
    const paths = body.paths;
    for (const { event, auth: routeAuth } of routes) {
      const item = paths[event.path] ?? (paths[event.path] = {});
      if (!isObject(item))
        throw this.fail([...at, 'paths', event.path], `The value of path "${event.path}" must be a map.`);
      const existing = item[event.method];
      const operation: Json = isObject(existing) ? existing : {};
      if (!isObject(operation['x-amazon-apigateway-integration'])) {
        operation['x-amazon-apigateway-integration'] = {
          type: 'aws_proxy',
          httpMethod: 'POST',
          payloadFormatVersion: '2.0',
          uri: {
            'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${event.owner}.Arn}/invocations`,
          },
        };
        if (event.path === DEFAULT_STAGE && event.method === ANY_METHOD) operation.isDefaultRoute = true;
        operation.responses ??= {};
      }
      item[event.method] = operation;
      if (event.auth !== undefined) {
        const security = Array.isArray(operation.security) ? operation.security : [];
        operation.security = [...security, { [routeAuth.authorizer ?? NONE]: routeAuth.scopes }];
      }
    }
    if (auth.authorizers.size > 0) {
      const components = isObject(body.components) ? body.components : (body.components = {});
      const schemes = isObject(components.securitySchemes)
        ? components.securitySchemes
        : (components.securitySchemes = {});
      for (const authorizer of auth.authorizers.values()) schemes[authorizer.name] = authorizer.scheme;
    }
    if (auth.default !== undefined) {
      const scopes = auth.authorizers.get(auth.default)?.scopes ?? [];
      for (const item of Object.values(paths)) {
        if (!isObject(item)) continue;
        for (const [method, operation] of Object.entries(item)) {
          if (method === 'options' || method === 'parameters' || !isObject(operation)) continue;
          if (!isObject(operation['x-amazon-apigateway-integration'])) continue;
          if (Array.isArray(operation.security) && operation.security.length > 0) continue;
          operation.security = [{ [auth.default]: scopes }];
        }
      }
    }
    if (cors !== undefined) {
      body['x-amazon-apigateway-cors'] = Object.fromEntries(
        Object.entries(cors).map(([k, v]) => [`${k.charAt(0).toLowerCase()}${k.slice(1)}`, v]),
      );
    }
    if (properties.Name !== undefined) {
      const info = isObject(body.info) ? body.info : (body.info = {});
      info.title = properties.Name;
    }
    return body;
  }

  // ---- helpers ----

  /** `{"Ref": "<template parameter>"}` anywhere in `value` -> its value; every other intrinsic stays. */
  private resolve(value: unknown, at: Segments): unknown {
    return resolveParameterRefs(value, at, this.parameters, (v, pointer) => this.ctx.evaluate(v, pointer));
  }

  private warn(at: Segments, message: string): void {
    this.ctx.warn(`${this.ctx.file} ${toPointer(at)}: ${message}`);
  }

  private fail(at: Segments, message: string, fix?: string): InvalidTemplateError {
    return samError(this.ctx.file, at, message, fix, 'sam-resource-httpapi.html');
  }
}

/** The stage's logical id as SAM names it (`<Api>ApiGatewayDefaultStage` for `$default`). */
function stageId(api: string, stageName: unknown): string {
  if (stageName === DEFAULT_STAGE) return `${api}ApiGatewayDefaultStage`;
  if (typeof stageName === 'string' && /^[A-Za-z0-9]+$/.test(stageName)) return `${api}${stageName}Stage`;
  return `${api}Stage${createHash('sha1').update(JSON.stringify(stageName)).digest('hex').slice(0, 10)}`;
}

function alphanumeric(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '');
}
