/**
 * Troubleshooting hints, one sentence or two each, from the AWS troubleshooting guides (knowledge-center
 * articles on 401/403 from Lambda and Cognito authorizers, SigV4 mismatches and authorizer caching).
 * Every case carries one hint; it is printed with every failing assertion.
 */

export const HINTS = {
  cognitoPoolIssuer:
    "Cognito: the token must come from the user pool in the authorizer's providerARNs; the token's `iss` must be https://cognito-idp.<region>.amazonaws.com/<userPoolId> of that pool.",
  cognitoExpired:
    'Cognito: ID and access tokens expire (5 minutes to 1 day); an expired token gets 401 "The incoming token has expired". Fetch a fresh token.',
  cognitoIdVsAccess:
    'Cognito: a method without OAuth scopes wants an ID token; a method with scopes wants an access token that carries one of them. Sending the other kind gets 401.',
  cognitoScope:
    "Cognito: the access token's `scope` claim must contain at least one of the method's authorization scopes (custom scopes come from client_credentials or the hosted UI, not from USER_PASSWORD_AUTH).",
  tokenSpaces:
    'A space or line break inside the token breaks it and gets 401 Unauthorized; send the token itself (a REST Cognito authorizer also accepts it after "Bearer "; a Lambda authorizer gets the header value verbatim).',
  bearerPrefix:
    'REST Cognito authorizers accept the token raw or as "Bearer <token>" (one space); a 401 here means the prefix or the space after it is malformed, or the token itself is rejected (see the plain valid-token case).',
  tokenSourceHeader:
    'The token must be in exactly the header named as the Token Source (identitySource method.request.header.<Name>); a missing or empty header gets 401 without calling the Lambda.',
  validationRegex:
    'The token validation expression (identityValidationExpression) runs before the Lambda: a token that does not match gets 401 without calling it. Write it anchored (^...$).',
  identitySources:
    'REQUEST authorizers: with caching on, every identity source (header, query string, stage variable, context) must be present and non-empty, or API Gateway answers 401 without calling the Lambda.',
  caching:
    'Authorizer caching: a cached policy is reused for every method and path of the API with the same identity; return a policy whose Resource covers all methods (e.g. arn:.../stage/*/*) or set the TTL to 0.',
  redeploy:
    'Changes to authorizers, methods or gateway responses take effect only after you redeploy the API to the stage.',
  corsDefault4xx:
    'CORS: 401/403 answers come from gateway responses, not from your method; add Access-Control-Allow-Origin to the DEFAULT_4XX gateway response (and to customized UNAUTHORIZED/ACCESS_DENIED ones).',
  apiKey:
    'API keys: a method with "API key required" needs a key of a usage plan attached to this stage in x-api-key (apiKeySource HEADER), else 403 {"message":"Forbidden"} (ForbiddenException); with apiKeySource AUTHORIZER the Lambda authorizer returns it as usageIdentifierKey. Redeploy after changing the setting.',
  apiKeyFromAuthorizer:
    'This method requires an API key with apiKeySource AUTHORIZER: the request sends no x-api-key; the Lambda authorizer must return a key of a usage plan of this stage as usageIdentifierKey, else API Gateway answers 403 {"message":"Forbidden"}.',
  apiKeyNotAuthorization:
    'This route requires an API key but has no authorizer: API keys identify usage-plan clients, they are not authorization. Attach an authorizer if the route is not meant to be reachable by every key holder.',
  authorizerConfiguration:
    'A 500 with x-amzn-ErrorType AuthorizerConfigurationException means the Lambda authorizer failed, timed out, returned malformed output, or API Gateway may not invoke it (check its resource policy/role and its logs).',
  lambdaDecision:
    'The Lambda authorizer decides: throwing exactly "Unauthorized" gives 401; an explicit Deny gives 403 "User is not authorized to access this resource with an explicit deny in an identity-based policy" (older wording: "... with an explicit deny"); a policy with no statement matching the method ARN gives 403 "User is not authorized to access this resource because no identity-based policy allows the execute-api:Invoke action" (older: "User is not authorized to access this resource").',
  sigv4:
    'SigV4: sign for the API region and the service execute-api, with the exact path and query string, a correct clock (signatures expire after 5 minutes) and the session token for temporary credentials.',
  sigv4Unsigned:
    'An unsigned request to an AWS_IAM method gets 403 "Missing Authentication Token" (the same answer as a route that does not exist: check the path and the stage).',
  publicAllowList:
    'This route has no authorization. If it is meant to be public, list it in publicRoutes (e.g. "GET /health"); otherwise attach an authorizer (a method without one is open to everybody) and redeploy.',
  jwtForgery:
    'The authorizer must verify the JWT signature with the issuer keys (JWKS), reject alg none and unsigned tokens, and check iss, exp and the token use.',
} as const;

export type HintKey = keyof typeof HINTS;

/** One hint text from several catalogue entries, in the given order. */
export function hint(...keys: HintKey[]): string {
  const key = keys.join(' ');
  let text = joined.get(key);
  if (text === undefined) {
    text = [...new Set(keys)].map((k) => HINTS[k]).join(' ');
    joined.set(key, text);
  }
  return text;
}

/** Every case asks for its hint: join each list of keys once. */
const joined = new Map<string, string>();
