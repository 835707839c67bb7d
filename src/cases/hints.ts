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
  // JWT authorizers (REST and HTTP APIs) and HTTP APIs: reference jwt-and-http-api-authorizers.md.
  jwtMissing:
    'JWT authorizer: the token must be in the identity source (e.g. the Authorization header); without it HTTP APIs answer 401 with www-authenticate: Bearer, before any check.',
  jwtBearer:
    'HTTP API JWT authorizers take the token raw or after "Bearer " (one space); send one JWT, nothing else, in the identity source.',
  jwtMalformed:
    'The identity source must hold one JWT (three base64url parts separated by dots), raw or (HTTP APIs) after "Bearer "; otherwise 401, on HTTP APIs with error_description="token contains an invalid number of segments".',
  jwtIssuer:
    'JWT authorizer: the token\'s `iss` must equal the configured issuer exactly, including any trailing slash (Auth0 and many OIDC issuers end in "/", Cognito\'s https://cognito-idp.<region>.amazonaws.com/<poolId> does not).',
  jwtAudienceHttp:
    'HTTP API JWT authorizer: the token\'s `aud` must match one of the audiences; `client_id` is compared only when the token has no `aud` (Cognito access tokens), so add the app client id to the audiences; otherwise 401 "the token does not have a valid audience".',
  jwtAudienceRest:
    "REST JWT authorizer: the token's `aud` must be one of its issuer's audiences; whether `client_id` stands in for a missing `aud` (Cognito access tokens) is not documented for REST APIs, so test with a token that carries `aud`.",
  jwtIdVsAccess:
    'Nothing in a JWT marks it as an access token: a route without scopes accepts ID tokens too. Give the route scopes (then only a token carrying one passes), or use audiences only access tokens carry (REST: a required `token_use` = `access` claim rule).',
  jwtScopeHttp:
    'HTTP API JWT authorizer: a valid token without any of the route\'s scopes (`scope` or `scp` claim) gets 403 Forbidden with www-authenticate error="insufficient_scope", not 401. Cognito custom scopes are spelled resource-server/scope and come from client_credentials or the hosted UI.',
  jwtScopeRest:
    "REST JWT authorizer: a valid token without any of the method's scopes (`scope` or `scp` claim) gets 403 Forbidden. Cognito spells custom scopes resource-server/scope; list every spelling a method accepts when other issuers are trusted too.",
  jwtExpired:
    'JWT authorizer: `exp` must be in the future and `nbf`/`iat` in the past (no clock skew is documented); fetch a fresh token. HTTP APIs answer an expired token with 401 error_description="the token has expired".',
  jwtAlgorithms:
    "The authorizer must verify the signature with the issuer's JWKS key named by `kid`: HTTP APIs accept RSA only (RS256/384/512), REST JWT authorizers only their defaultAlgorithms. alg none, HS256 keyed with the public key, a foreign key or a changed payload must get 401.",
  jwtKeys:
    "API Gateway caches the issuer's key set (about 2 hours on HTTP APIs, up to 1 hour on REST): after a key rotation keep the old key published until its tokens expire; a token whose `kid` is not in the key set is refused.",
  jwtClaims:
    'REST JWT additionalClaims: a required claim must be present and, when expectedValues are set, equal one of them exactly (case-sensitive); a token breaking a rule gets 401.',
  httpLambdaSources:
    'HTTP API Lambda authorizer: every configured identity source ($request.header.X, $request.querystring.X, $context.X, $stageVariables.X) must be present and non-empty, or API Gateway answers 401 without invoking the Lambda.',
  httpLambdaDecision:
    'HTTP API Lambda authorizer: with simple responses (payload 2.0) the Lambda returns {"isAuthorized": true|false, "context": {...}}, otherwise an IAM policy whose Allow covers the routeArn; a deny gets 403, an invalid answer or a failed invocation 500.',
  httpLambdaCaching:
    'HTTP API Lambda authorizer caching: the result is cached by the identity source values and by default reused on every route of the authorizer; a policy must cover every route (or add $context.routeKey to the identity sources). Every identity value must be part of the key.',
  httpLambdaContext:
    'The authorizer context reaches a payload-2.0 integration at requestContext.authorizer.lambda.<key> with its JSON type; JWT claims at requestContext.authorizer.jwt.claims.<name> as strings (arrays as "[a b]"). Check what the authorizer returns and the integration payload format.',
  httpIam:
    'HTTP API AWS_IAM route: the request must be SigV4-signed for execute-api in the API region, by a caller with execute-api:Invoke on the route; unsigned or badly signed requests get 403.',
  httpCorsPreflight:
    'HTTP API CORS: API Gateway answers a preflight OPTIONS itself only when no route matches it; an ANY, OPTIONS or $default route runs its authorizer on the preflight, which carries no credentials, so browsers get 401/403. Add an OPTIONS /{proxy+} route without authorization.',
  httpCorsAutomatic:
    'HTTP API CORS: with a CORS configuration and no route matching OPTIONS, API Gateway answers the preflight itself with Access-Control-Allow-Origin for an allowed Origin; check allowOrigins, allowMethods and allowHeaders.',
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
