/**
 * The user's config file (`--config FILE`): what API Gateway does not know. See DESIGN.md "Configuration".
 * `loadConfig` validates the raw YAML/JSON and returns a `ProjectConfig` with every default filled in, so no
 * later stage ever sees `undefined` where a default exists.
 */

import type { AwsResponseId } from '../aws-responses.js';

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
  /**
   * The user pool id (`us-east-1_AbC123`) when the source names the pool with a template value
   * (`!GetAtt UserPool.Arn`); the model's pool is completed from it (see `fillUserPools`).
   */
  userPoolId?: string;
  /** The user pool's region, for the same case. */
  region?: string;
  /**
   * Adds the case "valid token with a `Bearer ` prefix -> authorized": REST Cognito authorizers accept the
   * prefix, and some client libraries send it while others do not, so it runs only when asked for.
   */
  bearerPrefixCase?: boolean;
}

export const OIDC_TOKEN_FLOWS = ['client_credentials', 'password', 'static'] as const;
/** How the Postman token script gets a JWT authorizer's tokens from a generic OIDC issuer. */
export type OidcTokenFlow = (typeof OIDC_TOKEN_FLOWS)[number];

/**
 * `authorizers.NAME.oidc`: where a JWT authorizer's tokens come from when the issuer is not a Cognito user pool
 * (a Cognito issuer takes `cognito:` as for REST Cognito authorizers). Secrets (client secret, password, static
 * tokens) are run-time variables, never config keys.
 */
export interface OidcSettings {
  /** The issuer this entry gets tokens from; default: the authorizer's first issuer. */
  issuer?: string;
  /**
   * A saved copy of the issuer's discovery document (`/.well-known/openid-configuration`), relative to the
   * config file: `authUrl`, `tokenUrl` and the offered scopes come from it unless set below.
   */
  discoveryDocument?: string;
  /** OAuth 2.0 authorization endpoint, for the Postman app's authorization-code flow. */
  authUrl?: string;
  /** Token endpoint for `client_credentials` and `password`. */
  tokenUrl?: string;
  /** The issuer's key set (the forge script's `hs256-public-key`); default: the discovery document's `jwks_uri`. */
  jwksUrl?: string;
  clientId?: string;
  /** Scopes to request besides each route's own (space-joined in the request). */
  scopes: string[];
  /** Extra token-request parameter some issuers need for access tokens (Auth0's `audience`). */
  audience?: string;
  callbackUrl: string;
  tokenFlow: OidcTokenFlow;
}

/**
 * `serve.issuers` entry: the local identity server that stands in for a cloud issuer named by the API (the
 * LocalStack trap: a template naming the real Cognito issuer must still verify local tokens). Explicit, and
 * printed by `serve` at start and in every reason that mentions the issuer.
 */
export interface IssuerStandIn {
  /** The `iss` the local server writes into its tokens. */
  issuer: string;
  /** Key set URL; default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
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
  /** JWT authorizers with a non-Cognito issuer. */
  oidc?: OidcSettings;
  /**
   * HTTP API authorizers: context values the integration must receive (key -> JSON value, typed as the payload
   * gives them). Adds a case that needs an integration echoing the authorizer context, as `serve`'s does.
   */
  expectContext?: Record<string, unknown>;
}

/**
 * `expectations.<id>` in the config file: pins what a team's region answers for one AWS_RESPONSE_TEXTS entry.
 * `messages` replace the accepted wordings; `status` and `errorType` replace the table's.
 */
export interface ExpectationOverride {
  messages?: string[];
  status?: number;
  errorType?: string;
}

export const MISSING_SOURCE_WITHOUT_CACHE = ['reject', 'invoke'] as const;
/** serve: what a REQUEST authorizer with TTL 0 does when a configured identity source is missing. */
export type MissingSourceWithoutCache = (typeof MISSING_SOURCE_WITHOUT_CACHE)[number];

/** `serve:` in the config file: choices where AWS's documentation leaves the behaviour open. */
export interface ServeSettings {
  /**
   * REQUEST authorizer, caching off (TTL 0), a configured identity source missing or empty: `reject` (default)
   * answers 401 without calling the Lambda; `invoke` calls it with the source absent (reference open question 3).
   */
  requestWithoutCacheMissingSource: MissingSourceWithoutCache;
  /** JWT authorizers: cloud issuer URL (exactly as the API names it) -> the local server standing in for it. */
  issuers?: Record<string, IssuerStandIn>;
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
  /** serve only; absent means every default (`requestWithoutCacheMissingSource: reject`). */
  serve?: ServeSettings;
  /** Overrides of AWS_RESPONSE_TEXTS entries, keyed by entry id (`explicitDeny`, `unauthorized`, ...). */
  expectations?: Partial<Record<AwsResponseId, ExpectationOverride>>;
}

export function defaultAuthorizerSettings(): AuthorizerSettings {
  return { tokenFormat: 'opaque', validIdentity: {} };
}
