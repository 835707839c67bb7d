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
export type { AuthorizerStats, Decision, GatewayStats, RunningGateway } from './types.js';
