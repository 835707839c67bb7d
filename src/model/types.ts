/**
 * The AuthModel: what API Gateway knows about an API's authorization, read from an export or from AWS.
 *
 * Every later stage (cases, render, doctor, emulator) reads only this. It imports nothing of the project, holds
 * no user configuration (that is `ProjectConfig`), and nothing source-specific that could make an export and the
 * live API of the same deployment give different collections.
 */

export type AuthorizerKind = 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | 'AWS_IAM';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** `ANY` is `x-amazon-apigateway-any-method`: one method entry that matches every HTTP verb. */
export type RouteMethod = HttpMethod | 'ANY';

export type IdentitySourceLocation = 'header' | 'querystring' | 'stageVariable' | 'context';

/** One parsed identity source, e.g. `method.request.header.Authorization` -> header `Authorization`. */
export interface IdentitySource {
  location: IdentitySourceLocation;
  /** Header, query-string, stage-variable or context name, exactly as configured. */
  name: string;
  /** The expression as API Gateway writes it; also the key of `validIdentity` in the config. */
  expression: string;
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
}

export type RouteAuthorization =
  | { type: 'NONE' }
  | {
      type: 'AUTHORIZER';
      /** `Authorizer.name` */
      authorizer: string;
      /** Cognito OAuth scopes on this method; empty means the method wants an ID token. */
      scopes: string[];
    };

export interface Route {
  method: RouteMethod;
  /** Path template as API Gateway writes it: `/pets/{petId}`, `/files/{proxy+}`, `/`. */
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
   * Set when the API answers CORS on its methods (an OPTIONS method or method responses carrying
   * `Access-Control-Allow-Origin`): then 401/403 responses must carry it too, through DEFAULT_4XX.
   */
  cors?: { allowOrigin: string };
}
