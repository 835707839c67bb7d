/**
 * `serve`: a local API Gateway front door built from the AuthModel and the ProjectConfig. It reads only the model
 * and the config (never the case derivation or the renderer), so a suite run against it tests the derivation.
 *
 * Where the AWS reference leaves a behaviour open, the emulator picks one reading, named here for the README:
 * - TOKEN validation regex: unanchored `new RegExp(expr).test(token)` (the most permissive; write `^...$`).
 * - An empty TOKEN header is treated like a missing one: 401 before the Lambda.
 * - REQUEST with TTL 0: the Lambda is called even when an identity source is missing (the pre-check is tied to
 *   caching in the developer guide). With TTL > 0, missing or empty sources are 401 before the Lambda.
 * - Header identity sources are matched case-insensitively, query strings case-sensitively.
 * - A Lambda result without `principalId`, or with a null/object/array `context` value, is a 500.
 * - Deny bodies use `Message` (as the wire does), also under a DEFAULT_4XX template equal to AWS's default one.
 * - Failed Lambda calls (error, timeout, malformed output, module that does not load) are
 *   AUTHORIZER_CONFIGURATION_ERROR: 500 `{"message":null}`, AuthorizerConfigurationException.
 * - Only successful Lambda results are cached; the cache is per authorizer and keyed by the token (TOKEN) or by
 *   all identity-source values (REQUEST), so a policy cached on one route is reused on every other route.
 * - Cognito: `Bearer <jwt>` is rejected (401); `aud` is checked only with a validation expression.
 * - AWS_IAM: a non-SigV4 Authorization header gives 403 IncompleteSignatureException (AWS's message without the
 *   echoed header); an unknown access key 403 AccessDeniedException; IAM policies are not evaluated.
 * - methodArn: the concrete path as sent (percent-encoded), root `.../GET/`.
 * - A method missing on the most specific resource does not fall back to a greedy resource: 403.
 */

export { startGateway, STATS_PATH, type StartGatewayOptions } from './server.js';
export type { AuthorizerStats, GatewayStats, RunningGateway } from './types.js';
