/**
 * Why the front door decided what it did: one stable id per check that can refuse (or let through) a request.
 * `serve`'s request log, its `x-apigw-authz-reason` header and `explain` all name these ids, so a hint chosen from a
 * response and an explanation of the same request cannot disagree. Ids are a contract: add, never rename.
 */

export const DECISION_CAUSES = [
  // let through
  'allowed',
  'public-route',
  // before any authorizer
  'route-not-found',
  'request-too-large',
  'authorizer-unknown',
  // Lambda TOKEN / REQUEST: API Gateway's own checks (the Lambda is not invoked)
  'token-missing',
  'token-empty',
  'token-regex-mismatch',
  'validation-expression-invalid',
  'identity-source-missing',
  // Lambda TOKEN / REQUEST: the invocation and its policy
  'lambda-unauthorized',
  'lambda-error',
  'lambda-timeout',
  'lambda-load-failed',
  'lambda-invalid-result',
  'policy-explicit-deny',
  'policy-implicit-deny',
  'cached-policy-explicit-deny',
  'cached-policy-implicit-deny',
  // Cognito user pools
  'jwt-malformed',
  'jwt-issuer-mismatch',
  'jwt-alg-not-allowed',
  'jwt-kid-unknown',
  'jwks-unreachable',
  'jwt-signature-invalid',
  'jwt-expired',
  'jwt-not-yet-valid',
  'jwt-claims-invalid',
  'id-token-required',
  'access-token-required',
  'scope-missing',
  'aud-mismatch',
  // AWS_IAM (SigV4)
  'sigv4-missing',
  'sigv4-not-sigv4',
  'sigv4-incomplete',
  'sigv4-date-missing',
  'sigv4-unknown-access-key',
  'sigv4-session-token',
  'sigv4-expired',
  'sigv4-signed-header-missing',
  'sigv4-body-hash',
  'sigv4-wrong-service',
  'sigv4-wrong-region',
  'sigv4-signature-mismatch',
  // API keys (after the authorizer)
  'api-key-missing',
  'api-key-unknown',
  // added for HTTP APIs and JWT authorizers
  'authorizer-unsupported',
  'jwt-claim-missing',
  'jwt-claim-mismatch',
  'simple-response-denied',
  'cached-simple-response-denied',
  'cors-preflight',
] as const;

export type DecisionCause = (typeof DECISION_CAUSES)[number];
