/**
 * The AuthModel: what API Gateway knows about an API's authorization, read from an export or from AWS.
 *
 * Every later stage (cases, render, doctor, emulator) reads only this. It imports nothing of the project, holds
 * no user configuration (that is `ProjectConfig`), and nothing source-specific that could make an export and the
 * live API of the same deployment give different collections.
 */

/** `REST` (v1, `apigateway`) or `HTTP` (v2, `apigatewayv2`): routing, responses and authorizers differ. */
export type ApiKind = 'REST' | 'HTTP';

/**
 * - `TOKEN`, `REQUEST`: REST Lambda authorizers;
 * - `COGNITO_USER_POOLS`: REST Cognito authorizer;
 * - `AWS_IAM`: SigV4, on REST and HTTP APIs (the answers differ by `ApiKind`);
 * - `JWT`: the built-in JWT authorizer, on HTTP APIs (one issuer) and REST APIs (issuers, algorithms, claims);
 * - `HTTP_LAMBDA`: an HTTP API's Lambda (`REQUEST`) authorizer, with a payload format and simple responses.
 *
 * Every deriver, the emulator and doctor have a `Record<AuthorizerKind, ...>` table: a new kind fails to compile
 * until each handles it.
 */
export type AuthorizerKind = 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | 'AWS_IAM' | 'JWT' | 'HTTP_LAMBDA';

export const AUTHORIZER_KINDS: readonly AuthorizerKind[] = [
  'TOKEN',
  'REQUEST',
  'COGNITO_USER_POOLS',
  'AWS_IAM',
  'JWT',
  'HTTP_LAMBDA',
];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** `ANY` is `x-amazon-apigateway-any-method`: one method entry that matches every HTTP verb. */
export type RouteMethod = HttpMethod | 'ANY';

export type IdentitySourceLocation = 'header' | 'querystring' | 'stageVariable' | 'context';

/**
 * One parsed identity source: REST `method.request.header.Authorization` or HTTP `$request.header.Authorization`
 * -> header `Authorization`; `$context.routeKey` -> context `routeKey`; `$stageVariables.x` -> stage variable `x`.
 */
export interface IdentitySource {
  location: IdentitySourceLocation;
  /** Header, query-string, stage-variable or context name, exactly as configured. */
  name: string;
  /** The expression as API Gateway writes it; also the key of `validIdentity` in the config. */
  expression: string;
}

/** The JWT signing algorithms a REST JWT authorizer may allow (`defaultAlgorithms`). */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
/** HTTP APIs: "Currently, only RSA-based algorithms are supported." */
export const HTTP_JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'RS384', 'RS512'];

/** A REST JWT `additionalClaims` rule (format `SINGLE_STRING`, the only one AWS has). */
export interface JwtClaimRule {
  /** `claimName`; never `iss`, `aud`, `exp`, `nbf`, `iat`, `scope` or `scp`. */
  name: string;
  /** `expectedValues`, matched exactly and case-sensitively; empty: any value. */
  values: string[];
  /** `required` (default false): the token must carry the claim. */
  required: boolean;
}

export interface JwtIssuer {
  /** The issuer URL; a token's `iss` must equal it exactly, trailing slash included. */
  issuer: string;
  /** Accepted audiences (`aud`; on HTTP APIs `client_id` when the token has no `aud`). */
  audiences: string[];
  /** REST only; empty on HTTP APIs. */
  claims: JwtClaimRule[];
}

/** The JWT authorizer's configuration: HTTP `JwtConfiguration {Issuer, Audience}` or REST `jwtConfiguration`. */
export interface JwtSettings {
  /** HTTP APIs: exactly one. REST: one or more, in source order. */
  issuers: JwtIssuer[];
  /** REST `defaultAlgorithms`; HTTP APIs: `HTTP_JWT_ALGORITHMS`. */
  algorithms: JwtAlgorithm[];
}

export const PAYLOAD_FORMATS = ['1.0', '2.0'] as const;
/** `authorizerPayloadFormatVersion` of an HTTP API Lambda authorizer. */
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

export interface HttpLambdaSettings {
  payloadFormat: PayloadFormat;
  /** `enableSimpleResponses` (2.0 only): `{isAuthorized, context}` instead of an IAM policy. */
  simpleResponses: boolean;
}

/**
 * A Cognito user pool named by an authorizer's providerARNs. A part a template leaves unknown before deploy is a
 * named placeholder (`${AWS::Region}`, `${UserPool}`; all parts are `${UserPool.Arn}` for a wholly templated ARN):
 * test with `isPlaceholder` (model/parse.ts) before using a part as a fact.
 */
export interface UserPoolRef {
  arn: string;
  region: string;
  accountId: string;
  /** e.g. `us-east-1_AbCdEf123` */
  userPoolId: string;
}

export interface Authorizer {
  /** The security scheme name in an export, the authorizer name in AWS; config keys use it. */
  name: string;
  kind: AuthorizerKind;
  /** Parsed and in source order. For TOKEN and COGNITO_USER_POOLS exactly one header. Empty for AWS_IAM. */
  identitySources: IdentitySource[];
  /** `identityValidationExpression`: a regex for TOKEN; matched against `aud` for Cognito. */
  validationExpression?: string;
  /** `authorizerResultTtlInSeconds`; 300 when unset, 0 disables caching. Always 0 for Cognito and IAM. */
  ttlSeconds: number;
  /** `authorizerUri` of a Lambda authorizer. */
  lambdaUri?: string;
  /** Cognito only; in source order. */
  userPools: UserPoolRef[];
  /** JWT only (always set for that kind). */
  jwt?: JwtSettings;
  /** HTTP_LAMBDA only (always set for that kind). */
  httpLambda?: HttpLambdaSettings;
}

export type RouteAuthorization =
  | { type: 'NONE' }
  | {
      type: 'AUTHORIZER';
      /** `Authorizer.name` */
      authorizer: string;
      /**
       * OAuth scopes of the method or route (any one suffices). Cognito: empty means the method wants an ID
       * token; JWT: empty means no scope check (and ID tokens pass).
       */
      scopes: string[];
    };

/** The path of an HTTP API's `$default` route (method `ANY`): it catches every request no other route matches. */
export const DEFAULT_ROUTE_PATH = '$default';

export interface Route {
  method: RouteMethod;
  /**
   * Path template as API Gateway writes it: `/pets/{petId}`, `/files/{proxy+}`, `/`; on HTTP APIs
   * `DEFAULT_ROUTE_PATH` for the `$default` route (with method `ANY`).
   */
  path: string;
  authorization: RouteAuthorization;
  apiKeyRequired: boolean;
}

export const GATEWAY_RESPONSE_TYPES = [
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'MISSING_AUTHENTICATION_TOKEN',
  'EXPIRED_TOKEN',
  'INVALID_SIGNATURE',
  'INVALID_API_KEY',
  'AUTHORIZER_FAILURE',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'WAF_FILTERED',
  'BAD_REQUEST_PARAMETERS',
  'BAD_REQUEST_BODY',
  'RESOURCE_NOT_FOUND',
  'REQUEST_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'THROTTLED',
  'QUOTA_EXCEEDED',
  'API_CONFIGURATION_ERROR',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'ACCESS_DENIED_BY_RESOURCE_POLICY',
] as const;
export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

export interface GatewayResponseHeader {
  /** e.g. `Access-Control-Allow-Origin` */
  name: string;
  /** Static value with the single quotes removed (`'*'` -> `*`), or undefined when it is a reference. */
  value?: string;
  /** A `method.request.*` (or other) reference when the value is not static. */
  reference?: string;
}

/** A customized gateway response (`x-amazon-apigateway-gateway-responses` / GetGatewayResponses). */
export interface GatewayResponse {
  type: GatewayResponseType;
  /** Absent means the type's default status. */
  statusCode?: number;
  headers: GatewayResponseHeader[];
  /** Content type -> template, e.g. `application/json` -> `{"message":$context.error.messageString}`. */
  templates: Record<string, string>;
}

export interface Stage {
  name: string;
  /** Stage URL without trailing slash, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/prod`. */
  baseUrl: string;
  variables: Record<string, string>;
  deploymentId?: string;
}

export interface AuthModel {
  api: {
    /**
     * `HTTP` for an HTTP API; absent means `REST` (readers write only `HTTP`, so that REST models and their
     * collections stay as they were).
     */
    kind?: 'HTTP';
    /** RestApi id when known (from AWS or the export's servers URL). */
    id?: string;
    /** `info.title` / RestApi name. */
    name: string;
    region?: string;
    /**
     * Where API keys come from (`apiKeySource`, `x-amazon-apigateway-api-key-source`): `HEADER` is the
     * `x-api-key` header, `AUTHORIZER` the Lambda authorizer's `usageIdentifierKey`. Absent means `HEADER`;
     * readers write only `AUTHORIZER`, so that a source that states the default and one that omits it agree.
     */
    apiKeySource?: 'HEADER' | 'AUTHORIZER';
  };
  stage: Stage;
  /** Sorted by name. */
  authorizers: Authorizer[];
  /** Sorted by path, then method. */
  routes: Route[];
  /** Only the customized ones, sorted by type. */
  gatewayResponses: GatewayResponse[];
  /**
   * REST: set when the API answers CORS on its methods (an OPTIONS method or method responses carrying
   * `Access-Control-Allow-Origin`): then 401/403 responses must carry it too, through DEFAULT_4XX.
   * HTTP: the API's `CorsConfiguration` (`allowOrigin` is its first origin): API Gateway answers preflights
   * itself unless a route (`ANY`, `OPTIONS`, `$default`) matches the `OPTIONS` request.
   */
  cors?: { allowOrigin: string; allowMethods?: string[]; allowHeaders?: string[] };
}

/** `REST` or `HTTP`, from the model's optional `api.kind`. */
export function apiKindOf(model: Pick<AuthModel, 'api'>): ApiKind {
  return model.api.kind ?? 'REST';
}
