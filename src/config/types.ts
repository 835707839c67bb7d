/**
 * The user's config file (`--config FILE`): what API Gateway does not know. See DESIGN.md "Configuration".
 * `loadConfig` validates the raw YAML/JSON and returns a `ProjectConfig` with every default filled in, so no
 * later stage ever sees `undefined` where a default exists.
 */

export const DEPTHS = ['smoke', 'standard', 'full'] as const;
export type Depth = (typeof DEPTHS)[number];

export const TOKEN_FLOWS = ['password', 'client_credentials', 'static'] as const;
/** How the Postman token script gets Cognito tokens at run time. */
export type TokenFlow = (typeof TOKEN_FLOWS)[number];

export interface CognitoSettings {
  /** App client id (not a secret). */
  clientId?: string;
  /** Hosted-UI domain, e.g. `https://example.auth.us-east-1.amazoncognito.com`. */
  domain?: string;
  /** OAuth 2.0 callback URL used by the Postman app. */
  callbackUrl: string;
  /** How ID tokens (and access tokens, unless `accessTokenFlow` is set) are obtained. */
  tokenFlow: TokenFlow;
  /** Where access tokens for scoped methods come from, when not from `tokenFlow` (e.g. client_credentials). */
  accessTokenFlow?: TokenFlow;
  /** The client id for `accessTokenFlow: client_credentials`, when it is another app client. */
  accessTokenClientId?: string;
  /** Cognito JSON API endpoint for InitiateAuth; default `https://cognito-idp.<pool region>.amazonaws.com/`. */
  idpEndpoint: string;
  /** Hosted-UI token endpoint; default `<domain>/oauth2/token`. */
  tokenUrl?: string;
  /** serve only: JWKS URL override for local stand-ins. */
  jwksUrl?: string;
  /** serve only: issuer override for local stand-ins. */
  issuer?: string;
}

export interface AuthorizerSettings {
  /** serve only: absolute path of the Lambda handler module; absent means the built-in sample handler. */
  handler?: string;
  /** Literal test value or `{{variable}}`; absent means `{{NAME.validToken}}`. */
  validToken?: string;
  /** Optional: a token the authorizer must answer with an explicit Deny (403). */
  denyToken?: string;
  /** `jwt` adds the forged-JWT cases to a Lambda TOKEN authorizer. */
  tokenFormat: 'opaque' | 'jwt';
  /** REQUEST: one value per identity source expression; absent ones become `{{NAME.<expression>}}`. */
  validIdentity: Record<string, string>;
  cognito?: CognitoSettings;
}

export interface ProjectConfig {
  /** Absolute path of the config file, when one was given. */
  file?: string;
  /** Absolute directory that relative paths in the config are resolved against. */
  baseDir: string;
  baseUrl?: string;
  /** `METHOD /path` entries, e.g. `GET /health`; `ANY /path` allows every method. */
  publicRoutes: string[];
  depth: Depth;
  /** Sample values for `{param}` and `{proxy+}` path segments, keyed by parameter name (`proxy` for `{proxy+}`). */
  pathParameters: Record<string, string>;
  /** serve only. */
  stageVariables: Record<string, string>;
  /** Keyed by authorizer name. Authorizers without an entry get `defaultAuthorizerSettings()`. */
  authorizers: Record<string, AuthorizerSettings>;
}

export function defaultAuthorizerSettings(): AuthorizerSettings {
  return { tokenFormat: 'opaque', validIdentity: {} };
}
