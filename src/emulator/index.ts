/**
 * `serve`: a local API Gateway front door built from the AuthModel and the ProjectConfig. It reads only the model
 * and the config (never the case derivation or the renderer), so a suite run against it tests the derivation.
 *
 * Where the AWS reference leaves a behaviour open, the emulator picks one reading, named here for the README:
 * - TOKEN validation regex: unanchored `new RegExp(expr).test(token)` (the most permissive; write `^...$`).
 * - An empty TOKEN header is treated like a missing one: 401 before the Lambda.
 * - REQUEST: a missing or empty identity source is 401 before the Lambda. With TTL 0 the guide is silent; the
 *   config switch `serve: { requestWithoutCacheMissingSource: invoke }` calls the Lambda instead (default reject).
 * - Header identity sources are matched case-insensitively, query strings case-sensitively.
 * - A Lambda result without `principalId`, or with a null/object/array `context` value, is a 500.
 * - Error texts are today's wording from `src/aws-responses.ts` (`current`): denies say `... with an explicit deny
 *   in an identity-based policy` / `... because no identity-based policy allows the execute-api:Invoke action`.
 * - Deny bodies use `Message` (as the wire does), also under a DEFAULT_4XX template equal to AWS's default one.
 * - Failed Lambda calls (error, timeout, malformed output, module that does not load) are
 *   AUTHORIZER_CONFIGURATION_ERROR: 500 `{"message":null}`, AuthorizerConfigurationException.
 * - Only successful Lambda results are cached; the cache is per authorizer and keyed by the token (TOKEN) or by
 *   all identity-source values (REQUEST), so a policy cached on one route is reused on every other route.
 * - Cognito: the raw JWT and `Bearer <jwt>` (exactly that prefix, one space) are accepted; each segment must be
 *   strict base64url (a space anywhere is a 401); `aud` is checked only with a validation expression.
 * - API keys (`apiKeyRequired`): the keys in `APIGW_AUTHZ_API_KEYS` (comma-separated; secrets, so never in the
 *   config file). HEADER: `x-api-key`; AUTHORIZER: the Lambda's `usageIdentifierKey`. Checked after the
 *   authorizer; a missing or unknown key is 403 `{"message":"Forbidden"}`, ForbiddenException.
 * - AWS_IAM, and any request no route takes: a non-SigV4 Authorization header gives 403
 *   IncompleteSignatureException (AWS's message with `<token>` in place of the echoed credential); an unknown
 *   access key 403 AccessDeniedException; IAM policies are not evaluated.
 * - Every answer carries `x-apigw-authz-request-id`; on routes with an authorizer or an API key also
 *   `x-apigw-authz-authorizer-invoked`, `x-apigw-authz-cause` and `x-apigw-authz-reason` (AWS never sends them).
 * - methodArn: the concrete path as sent (percent-encoded), root `.../GET/`.
 * - A method missing on the most specific resource falls back to the next matching resource that has it
 *   (`{param}`, then `{proxy+}`), with that resource's own authorization, possibly none.
 * - An authorizer kind `serve` cannot emulate on the API's type (a REST Lambda on an HTTP API, an HTTP Lambda on a
 *   REST API) fails closed: a warning at start, and 500 on its routes, never an open route.
 *
 * HTTP APIs (`api.kind: HTTP`):
 * - Routing: full match (exact over `{param}`), then greedy `{proxy+}`, then `$default`; `ANY` takes the methods
 *   a path does not define; nothing: 404 `{"message":"Not Found"}`. Stage `$default` has no URL prefix. A trailing
 *   slash is ignored (open on AWS).
 * - CORS: a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`) that no route takes (not even
 *   `$default`) gets 204 with the configured headers; a matching route runs its authorizer. Integration answers
 *   get `Access-Control-Allow-Origin` when the `Origin` is allowed; authorizer refusals get none (undocumented).
 * - Answers are fixed (no gateway responses, no `x-amzn-ErrorType`).
 * - JWT: keys by discovery (`<iss>/.well-known/openid-configuration`) or `serve.issuers[...].jwksUrl`, fetched once
 *   and again for an unknown kid at most every 30 s; `Bearer ` (exactly) optional; RSA only; exact `iss`; `aud`
 *   decides, `client_id` only without `aud` (REST too); a token without `exp` is refused (open on AWS); `nbf`/`iat`
 *   in the future refused; scopes from `scope` or `scp`. `www-authenticate` as the reference captures it; the
 *   `error_description` of a wrong issuer, kid, signature or time claim is serve's wording. Claims reach the
 *   integration as strings (`[a b]` lists, `map[k:v]` objects); `jwt.scopes` is the token's scopes on routes with
 *   scopes, else null. REST JWT: the same checks with `defaultAlgorithms` and claim rules (absent and not required
 *   passes); 401 `{"message":"Unauthorized"}` through UNAUTHORIZED, 403 `{"message":"Forbidden"}` through
 *   ACCESS_DENIED for a missing scope; claims JSON-typed.
 * - Lambda: a missing or empty identity source 401 without invoking; a deny 403 `{"message":"Forbidden"}`; any
 *   failure (a thrown `Unauthorized` too) 500 `{"message":"Internal Server Error"}`. The cache is keyed by every
 *   identity value and shared by all routes (no source: no cache). routeArn/methodArn `.../<stage>/<METHOD>/<path>`.
 * - IAM: SigV4 as on REST; any failure 403 `{"message":"Forbidden"}`.
 */

export {
  describedFromQuery,
  EXPLAIN_PATH,
  startGateway,
  STATS_PATH,
  type ExplainInput,
  type StartGatewayOptions,
} from './server.js';
export {
  API_KEYS_ENV,
  callFromRequest,
  createGatewayCore,
  decideRequest,
  gatewayAccountId,
  parseApiKeys,
  STAND_IN_ACCOUNT_ID,
  type DescribedRequest,
  type GatewayCore,
  type GatewayCoreOptions,
} from './decide.js';
export { DECISION_CAUSES, type DecisionCause } from './causes.js';
export { matchHttpRoute, stagePrefix } from './http-routing.js';
export {
  buildHttpAuthorizerEvent,
  type HttpAuthorizerEvent,
  type HttpAuthorizerEventV1,
  type HttpAuthorizerEventV2,
} from './http-lambda-event.js';
export { httpClaimValue, resolveIssuers, tokenScopes, type ResolvedIssuer } from './jwt-authorizer.js';
export {
  asciiLine,
  CAUSE_HEADER,
  decisionSummary,
  formatRequestLog,
  INVOKED_HEADER,
  invocationNote,
  LOG_FORMATS,
  REASON_HEADER,
  REQUEST_ID_HEADER,
  type LogFormat,
} from './request-log.js';
export { describeToken, redactSecrets } from './describe.js';
export { parseCompactJwt, isBase64Url, type CompactJwt } from './jwt-format.js';
export type { AuthorizerStats, Decision, GatewayFaults, GatewayStats, RunningGateway } from './types.js';
