/**
 * A TestPlan is the list of AuthCases derived from an AuthModel and a ProjectConfig: each case is a route, a
 * credentials mutation, an exact expected outcome and a troubleshooting hint. Render turns it into Postman JSON.
 *
 * Values in headers and query parameters are literal strings that may contain Postman `{{variable}}` references.
 */

import type { AuthorizerKind, GatewayResponseType, HttpMethod, Route } from '../model/types.js';
import type { ProjectConfig } from '../config/types.js';
import type { AuthModel } from '../model/types.js';

export interface NameValue {
  name: string;
  value: string;
}

/** Ways a real token is broken at run time by the forge script (templates/forge-token.js). */
export const FORGERIES = [
  /** payload changed (`sub`), original signature kept */
  'tampered-payload',
  /** `header.payload.` */
  'stripped-signature',
  /** header `alg: none`, no signature */
  'alg-none',
  /** same claims and kid, RS256-signed with a publicly known foreign key */
  'foreign-key',
  /** `iss` of another user pool, signed with the foreign key */
  'other-issuer',
  /** a space inserted inside the token */
  'space-inside',
  /** header `alg: HS256`, HMAC-signed with the issuer's RSA public key as PEM text (algorithm confusion) */
  'hs256-public-key',
  /** a `kid` the issuer's key set does not have, RS256-signed with the foreign key */
  'unknown-kid',
] as const;
export type Forgery = (typeof FORGERIES)[number];

/**
 * Which token the token script of an authorizer provides (Cognito authorizers, and JWT authorizers whose
 * tokens come from `cognito:` or `oidc:` settings; an OIDC issuer has no ID token: `id` is Cognito-only):
 * - `id`: the ID token (from `tokenFlow`);
 * - `access`: the access token for scoped methods (from `accessTokenFlow` when set, else `tokenFlow`);
 * - `unscoped-access`: the access token of `tokenFlow` (password flow: scope `aws.cognito.signin.user.admin`
 *   only), used for "access token without the method's scope" and "access token where an ID token is expected".
 */
export type CognitoTokenUse = 'id' | 'access' | 'unscoped-access';

/** Where a real token comes from at run time. */
export type TokenSource =
  /** fetched (or given) by the Cognito token script of that authorizer */
  | { kind: 'cognito'; authorizer: string; tokenUse: CognitoTokenUse }
  /** a literal or `{{variable}}` value, e.g. a Lambda TOKEN authorizer's valid JWT */
  | { kind: 'value'; value: string };

export type Credential =
  /** Nothing: `noauth`, no token header. */
  | { kind: 'none' }
  /**
   * A real Cognito token in the authorizer's token header (positive cases inherit the folder's oauth2 auth);
   * `prefix` (e.g. `Bearer `) goes before it, sent as a raw header.
   */
  | {
      kind: 'cognito-token';
      authorizer: string;
      tokenUse: CognitoTokenUse;
      header: string;
      prefix?: string;
    }
  /** A real token, broken by `forgery`, in `header`. Sent with `noauth`. */
  | { kind: 'forged-token'; source: TokenSource; forgery: Forgery; header: string }
  /** Raw headers and query parameters, sent with `noauth` (Lambda TOKEN/REQUEST values, malformed tokens). */
  | { kind: 'raw'; headers: NameValue[]; query: NameValue[] }
  /** AWS SigV4 (`awsv4` auth) from run-time credentials, or with a deliberately wrong secret key. */
  | { kind: 'sigv4'; variant: 'valid' | 'wrong-secret' };

/** One value a JSON response body must hold: `path` walks object keys from the body's root. */
export interface BodyJsonCheck {
  /** e.g. `['authorizer', 'lambda', 'tier']`; keys are literal (a claim name may contain dots or colons). */
  path: string[];
  /** Deep-equal, JSON-typed: `"42"` and `42` differ, object key order does not matter. */
  value: unknown;
}

export type Expectation =
  /**
   * Not 401/403, no authorizer error type, not 500 AuthorizerConfigurationException; and, when given, the
   * headers (HTTP API CORS preflights answered by API Gateway) and body values (authorizer context echoed by
   * the integration, `expectContext`).
   */
  | { outcome: 'authorized'; headers?: NameValue[]; bodyJson?: BodyJsonCheck[] }
  | {
      outcome: 'rejected';
      /**
       * Accepted statuses; one where AWS is certain, several where the reference leaves it open; empty: any 4XX
       * (the CORS cases, which check the header of whichever client-error answer comes back).
       */
      statuses: number[];
      /**
       * Accepted body messages, each exactly (`message`/`Message` key, the key compared case-insensitively;
       * `null`: `{"message":null}`); empty: not checked.
       */
      messages: (string | null)[];
      /** Accepted message prefix, for AWS messages that carry request details (SigV4). */
      messagePrefix?: string;
      /** `x-amzn-ErrorType` value where AWS documents it. */
      errorType?: string;
      /**
       * HTTP API JWT rejections: the `www-authenticate` header must start with `Bearer`, and carry
       * `error="<error>"` and `error_description="<description>"` when given (only where AWS documents them).
       */
      wwwAuthenticate?: { error?: 'invalid_token' | 'insufficient_scope'; description?: string };
      /** Headers the rejection must carry (the CORS cases: Access-Control-Allow-Origin; `''`: any value). */
      headers: NameValue[];
    };

export type CasePolarity = 'positive' | 'negative';

export interface AuthCase {
  /** Stable key, unique in the plan, e.g. `GET /pets#missing-credentials`; ids are derived from it. */
  key: string;
  /** `[GET] /pets - allow: valid ID token (CognitoAuth)` */
  name: string;
  /** Authorizer name; undefined for routes without authorization. */
  authorizer?: string;
  kind: AuthorizerKind | 'NONE';
  /** Folder grouping: authorizer name (or `Public routes`/`Unprotected routes`) and, for Cognito, the scope set. */
  group: { title: string; scopes?: string[] };
  route: Route;
  /** The concrete request: ANY becomes GET, path templates get sample values. */
  method: HttpMethod;
  /** Concrete path below the stage, starting with `/`. */
  path: string;
  /** Headers every request of this route needs regardless of the case (e.g. `x-api-key`). */
  headers: NameValue[];
  /** Rejections: the gateway response types the answer may come from (what the CORS cases pick from). */
  responseTypes?: GatewayResponseType[];
  credential: Credential;
  expect: Expectation;
  /** From the AWS troubleshooting guides; printed with every failing assertion. */
  hint: string;
  polarity: CasePolarity;
  /** Skip the request at run time when this variable is empty (e.g. the optional expired token). */
  skipUnlessVariable?: string;
}

/** A variable the collection reads at run time; all of them go into the environment file. */
export interface VariableSpec {
  key: string;
  /** Non-secret default; secrets always have an empty value. */
  value: string;
  secret: boolean;
  /** Must be supplied at run time (printed by `generate`). */
  required: boolean;
  description: string;
}

export interface TestPlan {
  model: AuthModel;
  config: ProjectConfig;
  /** In run order: order matters for the authorizer cache (cache-bleed cases follow their warm-up). */
  cases: AuthCase[];
  /** Variables the cases reference (tokens, identity values); render adds its own. */
  variables: VariableSpec[];
  /** Routes without authorization that are not listed in publicRoutes (API-key-only routes excluded). */
  unprotectedRoutes: Route[];
  /** Routes without an authorizer that require an API key: they get the API key cases, not "unprotected". */
  apiKeyOnlyRoutes?: Route[];
  /** Non-fatal findings to print, e.g. a configured validToken that fails the regex. */
  warnings: string[];
}
