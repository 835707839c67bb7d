// apigw-authz: the assertions of every request, run once as the collection-level test script.
// Each request carries its case descriptor (name, expectation, hint index) as a fenced `apigw-authz-case` JSON
// block at the end of its description; this script compares the response with it. Runs in Newman 6's sandbox
// (postman-sandbox 4.7.1), the Postman app and the Postman CLI: plain ES5 style, no top-level await, no
// redeclared legacy globals.

var BODY_LIMIT = 300;
var CASE_FENCE = '```apigw-authz-case\n';
// x-amzn-ErrorType values (prefixes) that mean an authorizer or API Gateway's auth layer refused the request.
var AUTH_ERROR_TYPES = [
  'Unauthorized',
  'AccessDenied',
  'AuthorizerConfiguration',
  'MissingAuthenticationToken',
  'InvalidSignature',
  'IncompleteSignature',
];

var requestName = pm.info.requestName;

// The case descriptor of this request (`pm.request.description` is a string or an object with `content`).
function caseDescriptor() {
  var description = pm.request.description;
  var text = description && typeof description === 'object' ? description.content : description;
  if (typeof text !== 'string') return null;
  var open = text.lastIndexOf(CASE_FENCE);
  if (open < 0) return null;
  var end = text.indexOf('\n```', open + CASE_FENCE.length);
  try {
    return JSON.parse(text.slice(open + CASE_FENCE.length, end < 0 ? undefined : end));
  } catch {
    return null;
  }
}

var testCase = caseDescriptor();

// A request without its descriptor cannot be judged: refuse that loudly.
if (!testCase) {
  pm.test('[' + requestName + '] has its apigw-authz case data', function () {
    throw new Error(
      '[' +
        requestName +
        '] no case data for this request (none in its description). Regenerate the collection with ' +
        'apigw-authz; do not edit request descriptions.',
    );
  });
  return;
}
// The case is named by its request (the descriptor does not repeat the name).
testCase.name = requestName;

// What the case needed before its request could prove anything, and why it is missing; '' when all is there.
var TOKEN_VARIABLES = { id: 'idToken', access: 'accessToken', 'unscoped-access': 'unscopedAccessToken' };

function blockedBy() {
  var token = testCase.token;
  if (token && !pm.variables.get('_' + token.authorizer + '.' + TOKEN_VARIABLES[token.use])) {
    var recorded = pm.variables.get('_apigwAuthz.tokenError.' + token.authorizer);
    var reason = 'the token variable _' + token.authorizer + '.' + TOKEN_VARIABLES[token.use] + ' is empty';
    if (recorded) {
      try {
        reason = JSON.parse(recorded).summary || reason;
      } catch {
        reason = String(recorded);
      }
    }
    return { what: 'the ' + token.authorizer + ' ' + token.use + ' token', reason: reason };
  }
  var forge = testCase.forge;
  if (forge) {
    var source = pm.variables.replaceIn(forge.source);
    if (!source || /\{\{[^}]*\}\}/.test(source)) {
      return { what: 'the token to forge from', reason: forge.source + ' is empty' };
    }
  }
  return null;
}

var blocked = blockedBy();
if (blocked) {
  pm.test(testCase.name + ': blocked', function () {
    throw new Error('[' + testCase.name + '] blocked by ' + blocked.what + ': ' + blocked.reason);
  });
  return;
}

var status = pm.response.code;
var bodyText = pm.response.text() || '';
var errorType = pm.response.headers.get('x-amzn-ErrorType') || '';
// HTTP API JWT authorizers answer with `www-authenticate: Bearer ...` (no x-amzn-ErrorType).
var wwwAuthenticate = pm.response.headers.get('www-authenticate') || '';

function truncate(text) {
  return text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) + '...' : text;
}

// What came back, for every failure message.
function got() {
  return (
    'got ' +
    status +
    (errorType ? ' (x-amzn-ErrorType: ' + errorType + ')' : '') +
    (wwwAuthenticate ? ' (www-authenticate: ' + wwwAuthenticate + ')' : '') +
    ' ' +
    (bodyText ? truncate(bodyText) : '<empty body>')
  );
}

// Items carry an index into the hint table the renderer declares above this script (`apigwAuthzHints`).
var hintText =
  typeof testCase.hint === 'number' && typeof apigwAuthzHints !== 'undefined'
    ? apigwAuthzHints[testCase.hint]
    : testCase.hint;

// Hints chosen from what came back (issue 9): the first hint of a failure names the likeliest cause.
var RESPONSE_HINTS = {
  header:
    'The authorizer was not invoked: the token must be in exactly the header named as the Token Source, and not empty.',
  regex:
    'The token fails the token validation expression (identityValidationExpression), so the Lambda is not invoked: check the regex (anchored ^...$) and the token.',
  notInvoked:
    'The authorizer was not invoked: check the token source header name and the token validation expression (REQUEST: every identity source present).',
  identity:
    'An identity source is missing or empty: with caching on, a REQUEST authorizer needs every identity source, or API Gateway answers 401 without invoking it.',
  sourceCheckSkipped:
    "API Gateway invoked the Lambda authorizer although an identity source was missing (the Lambda's answer is the 403): a request without one of the configured identity sources must get 401 before the Lambda runs; check the authorizer's identity sources and redeploy.",
  lambdaUnauthorized:
    'The Lambda authorizer answered Unauthorized for this token: check the value it expects (validToken) and its logs.',
  authorizerFailed:
    'AuthorizerConfigurationException: the Lambda authorizer failed, timed out or returned a malformed policy; check its logs, its output and that API Gateway may invoke it.',
  explicitDeny:
    "The authorizer's policy explicitly denies this method: check the Deny statement the Lambda returns.",
  implicitDeny:
    "The authorizer's policy does not allow this method ARN: return a Resource that covers it (e.g. arn:.../stage/*/*).",
  cachedDeny:
    'Authorizer caching: a policy cached for another route was reused here; with caching on, return a policy whose Resource covers every method (arn:.../stage/*/*) or set the TTL to 0.',
  cognito:
    "Cognito rejected the token: it must come from the user pool in the authorizer's providerARNs (iss), be unexpired, and be an ID token for methods without scopes or an access token carrying one of the method's scopes.",
  issuer:
    "The token's issuer (iss) is not the authorizer's user pool: fetch tokens from the pool in providerARNs (same region and pool id).",
  expired: 'The token has expired (401 "The incoming token has expired"): fetch a fresh one.',
  idToken:
    'This method has no OAuth scopes, so it wants an ID token: send the ID token, or add scopes to the method.',
  accessToken:
    'This method has OAuth scopes, so it wants an access token with one of them: send the access token, not the ID token.',
  scope:
    "The access token lacks the method's scope: request the scope (client_credentials or the hosted UI) or check the method's authorization scopes.",
  jwt: 'The token is not a valid JWT of the user pool (malformed, wrong alg, unknown kid or bad signature).',
  sigv4:
    'SigV4: the signature does not match; sign for the API region and execute-api, the exact path and query, a correct clock, and the session token of temporary credentials.',
  missingToken:
    '403 Missing Authentication Token: the request is unsigned on an AWS_IAM method, or the path or stage does not exist.',
  apiKey: '403 Forbidden: the x-api-key header is missing or not a key of a usage plan of this stage.',
  routeNotFound:
    'The route does not exist at this base URL: check the path, the stage and that the API was redeployed.',
  noAuthorizer:
    'A request without credentials got through: the method has no authorizer (authorization NONE), or the API was not redeployed after attaching one.',
  identityDropped:
    "A request without this identity source got through: it is not among the authorizer's identity sources (or caching is off and the Lambda allows it).",
  forged:
    'A forged or unknown credential got through: the authorizer must verify the signature with the issuer keys (JWKS), reject alg none and unsigned tokens, check iss and exp; a Lambda must not allow unknown tokens.',
  malformed:
    'A malformed token got through: check the token validation expression and that the authorizer parses the token.',
  wrongScope:
    "A token without this method's rights got through: check the method's authorization scopes (Cognito) or that the Lambda returns Deny for it.",
  expiredAccepted: 'An expired token got through: the authorizer must check exp.',
  apiKeyIgnored:
    'A request without a valid API key got through: the method does not require an API key (API Key Required), or the API was not redeployed.',
  cors: 'The rejection lacks Access-Control-Allow-Origin: add it to the DEFAULT_4XX gateway response (and customized UNAUTHORIZED/ACCESS_DENIED ones).',
  jwtMissing:
    'The JWT authorizer found no token (www-authenticate: Bearer): send it in the identity source header, raw or after "Bearer ".',
  jwtExpired: 'The JWT has expired (or its nbf/iat lies in the future): fetch a fresh token.',
  jwtAudience:
    "The JWT's audience is not accepted: its aud (or, only when it has no aud, client_id) must be one of the authorizer's audiences.",
  jwtScope:
    "The JWT is valid but carries none of the route's scopes (scope or scp claim): request them, or use an access token instead of an ID token.",
  jwtInvalid:
    "The JWT authorizer rejected the token: its iss must equal the issuer exactly (trailing slash included), its kid must be in the issuer's key set, and it must be RSA-signed (HTTP APIs) or use an allowed algorithm (REST).",
  httpForbidden:
    "HTTP API 403 Forbidden: the Lambda authorizer denied (isAuthorized false, or a policy without an Allow for the routeArn), the JWT lacks the route's scopes, or the SigV4 caller lacks execute-api:Invoke.",
  httpServerError:
    'HTTP API 500 Internal Server Error: the Lambda authorizer could not be invoked (permission), threw, timed out or answered in the wrong format (simple response vs policy for its payload version).',
  routeNotFoundHttp:
    'HTTP API 404 Not Found: no route key matches and there is no $default route; check the path, the stage and the routes.',
  issuerAccepted:
    'A token of another issuer (or the issuer with a trailing slash added or removed) got through: the authorizer must compare iss exactly with its configured issuer.',
  audienceAccepted:
    'A token for another audience got through: the authorizer must check aud against its audiences (client_id only when the token has no aud).',
  claimAccepted:
    "A token breaking a required-claim rule got through: check the authorizer's additionalClaims.",
  notYetValidAccepted:
    'A token whose nbf lies in the future got through: the authorizer must check nbf and iat.',
  partialIdentity:
    'A request with an unknown identity value got through after a valid one was cached: the authorizer cache key must include every identity source value (or the Lambda allows unknown values).',
  contextMissing:
    "The integration did not receive the expected authorizer context: check what the authorizer returns (context / claims) and the integration's payload format (2.0: requestContext.authorizer.lambda / .jwt.claims).",
  jwtClaims:
    "The token breaks one of the REST JWT authorizer's additionalClaims rules: a required claim is absent, or its value is none of the expected values (exact, case-sensitive).",
  lambdaDenied:
    'The HTTP API Lambda authorizer answered {"isAuthorized": false}: check the identity values it expects (validIdentity) and its logs.',
  preflightAnswer:
    'The preflight was not answered with CORS headers: configure CORS on the HTTP API (allowOrigins, allowMethods, allowHeaders) and make sure no route with an authorizer matches OPTIONS.',
};

// serve's cause ids (x-apigw-authz-cause, see src/emulator/causes.ts) -> hint.
var CAUSE_HINTS = {
  'route-not-found': 'routeNotFound',
  'token-missing': 'header',
  'token-empty': 'header',
  'token-regex-mismatch': 'regex',
  'validation-expression-invalid': 'regex',
  'identity-source-missing': 'identity',
  'lambda-unauthorized': 'lambdaUnauthorized',
  'lambda-error': 'authorizerFailed',
  'lambda-timeout': 'authorizerFailed',
  'lambda-load-failed': 'authorizerFailed',
  'lambda-invalid-result': 'authorizerFailed',
  'policy-explicit-deny': 'explicitDeny',
  'policy-implicit-deny': 'implicitDeny',
  'cached-policy-explicit-deny': 'cachedDeny',
  'cached-policy-implicit-deny': 'cachedDeny',
  'jwt-issuer-mismatch': 'issuer',
  'jwt-expired': 'expired',
  'id-token-required': 'idToken',
  'access-token-required': 'accessToken',
  'scope-missing': 'scope',
  'aud-mismatch': 'cognito',
  'jwt-not-yet-valid': 'jwtExpired',
  'jwt-claim-missing': 'jwtClaims',
  'jwt-claim-mismatch': 'jwtClaims',
  'simple-response-denied': 'lambdaDenied',
  'cached-simple-response-denied': 'cachedDeny',
  'sigv4-missing': 'missingToken',
  'api-key-missing': 'apiKey',
  'api-key-unknown': 'apiKey',
};

function responseHeader(name) {
  var value = pm.response.headers.get(name);
  return value === undefined || value === null ? '' : String(value);
}

// The case id: the part of the key after `#` (`missing-credentials`, `forged-alg-none`, ...).
var caseId = String(testCase.key || '').slice(String(testCase.key || '').lastIndexOf('#') + 1);

// The hint for a request that got through although the case expects a rejection: what the case is about.
function letThroughHint() {
  var category = testCase.category;
  if (caseId === 'other-issuer' || caseId === 'issuer-slash') return 'issuerAccepted';
  if (caseId === 'other-audience') return 'audienceAccepted';
  if (caseId === 'missing-claim' || caseId === 'wrong-claim') return 'claimAccepted';
  if (caseId === 'not-yet-valid') return 'notYetValidAccepted';
  if (caseId === 'cache-bleed-partial-identity') return 'partialIdentity';
  if (/^missing-(header|query)-/.test(caseId)) return 'identityDropped';
  if (category === 'missing') return 'noAuthorizer';
  if (category === 'forged') return 'forged';
  if (category === 'malformed') return 'malformed';
  if (category === 'wrong-scope') return 'wrongScope';
  if (category === 'expired') return 'expiredAccepted';
  if (category === 'api-key') return 'apiKeyIgnored';
  return '';
}

// The key of RESPONSE_HINTS that follows from the response and the case, or '' (then the case hint leads).
function responseHintKey(message) {
  var cause = responseHeader('x-apigw-authz-cause');
  var invoked = responseHeader('x-apigw-authz-authorizer-invoked');
  var text = typeof message === 'string' ? message : '';
  // A REST CORS case gets a rejection on purpose: what can fail is its header.
  var corsHeaders = expectation.outcome === 'rejected' && (expectation.headers || []).length > 0;
  if (testCase.category === 'cors' && corsHeaders && status >= 400 && status < 500) return 'cors';
  // An HTTP API preflight that API Gateway itself should answer.
  if (caseId === 'cors-preflight' && expectation.outcome === 'authorized') return 'preflightAnswer';
  // HTTP API JWT answers say why in www-authenticate.
  if (status >= 400 && /^Bearer\b/.test(wwwAuthenticate)) {
    if (wwwAuthenticate.indexOf('insufficient_scope') !== -1) return 'jwtScope';
    if (wwwAuthenticate.indexOf('has expired') !== -1) return 'jwtExpired';
    if (wwwAuthenticate.indexOf('audience') !== -1) return 'jwtAudience';
    if (wwwAuthenticate.indexOf('invalid_token') !== -1) return 'jwtInvalid';
    if (status === 401) return 'jwtMissing';
  }
  // A missing identity source must get 401 without invoking the Lambda: a 403 is the Lambda's own refusal, so
  // the Lambda ran (serve says why it refused; that is not the fault).
  var wants401 =
    expectation.outcome === 'rejected' &&
    expectation.statuses.indexOf(401) !== -1 &&
    expectation.statuses.indexOf(403) === -1;
  if (testCase.category === 'missing' && status === 403 && invoked !== 'false' && wants401) {
    return 'sourceCheckSkipped';
  }
  if (cause && CAUSE_HINTS[cause]) return CAUSE_HINTS[cause];
  if (cause && /^jwt-|^jwks-/.test(cause)) return 'jwt';
  if (cause && /^sigv4-/.test(cause)) return 'sigv4';
  if (status === 500 && (errorType + ' ' + bodyText).indexOf('AuthorizerConfiguration') !== -1) {
    return 'authorizerFailed';
  }
  if (status < 400) {
    if (expectation.outcome === 'authorized') return expectation.bodyJson ? 'contextMissing' : '';
    return letThroughHint();
  }
  if (status === 404 && text === 'Not Found') return 'routeNotFoundHttp';
  if (status === 500 && text === 'Internal Server Error') return 'httpServerError';
  if (status === 401) {
    if (text === 'The incoming token has expired') return 'expired';
    if (invoked === 'false') return 'notInvoked';
    if (testCase.token || testCase.forge) return 'cognito';
    return invoked === 'true' ? 'lambdaUnauthorized' : 'notInvoked';
  }
  if (status === 403) {
    if (/explicit deny/i.test(text))
      return testCase.category === 'cache-bleed' ? 'cachedDeny' : 'explicitDeny';
    if (/^User is not authorized to access this resource/.test(text)) {
      return testCase.category === 'cache-bleed' ? 'cachedDeny' : 'implicitDeny';
    }
    if (text === 'Missing Authentication Token') return 'missingToken';
    // REST's API key answer carries ForbiddenException; HTTP APIs send no error type.
    if (text === 'Forbidden') return errorType ? 'apiKey' : 'httpForbidden';
    if (/signature|InvalidSignature|IncompleteSignature/i.test(errorType + ' ' + text)) return 'sigv4';
  }
  return '';
}

// `<first hint>[ serve: <reason>.] (Also check: <case hint>)`: the first hint from the response, then the case's.
function hintFor(message) {
  var key = responseHintKey(message);
  var reason = responseHeader('x-apigw-authz-reason');
  var first = key ? RESPONSE_HINTS[key] : '';
  var why = reason ? ' (serve: ' + reason + ')' : '';
  if (!first || first === hintText) return (hintText || first) + why;
  return first + why + ' (Also check: ' + hintText + ')';
}

function fail(what) {
  throw new Error('[' + testCase.name + '] ' + what + '; ' + got() + '. Hint: ' + hintFor(bodyMessage()));
}

// The `message`/`Message` value of a JSON body, the key compared case-insensitively; undefined when absent.
function bodyMessage() {
  var parsed;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  var keys = Object.keys(parsed);
  for (var i = 0; i < keys.length; i += 1) {
    if (keys[i].toLowerCase() === 'message') return parsed[keys[i]];
  }
  return undefined;
}

function isAuthErrorType(value) {
  for (var i = 0; i < AUTH_ERROR_TYPES.length; i += 1) {
    if (value.indexOf(AUTH_ERROR_TYPES[i]) === 0) return true;
  }
  return false;
}

var expectation = testCase.expect;

// Headers the answer must carry (`''`: any value): CORS on rejections and on API Gateway's preflight answers.
function checkHeaders(headers) {
  (headers || []).forEach(function (header) {
    pm.test(testCase.name + ': header ' + header.name, function () {
      var actual = pm.response.headers.get(header.name);
      if (actual === undefined || actual === null) fail('expected header ' + header.name);
      if (header.value !== '' && actual !== header.value) {
        fail('expected header ' + header.name + ': ' + header.value + ' (was ' + actual + ')');
      }
    });
  });
}

// JSON with object keys sorted: deep equality that keeps JSON types ("42" is not 42).
function canonicalJson(value) {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value && typeof value === 'object') {
    return (
      '{' +
      Object.keys(value)
        .sort()
        .map(function (key) {
          return JSON.stringify(key) + ':' + canonicalJson(value[key]);
        })
        .join(',') +
      '}'
    );
  }
  return JSON.stringify(value === undefined ? null : value);
}

// Values the JSON body must hold (the authorizer context the integration echoes), each at its key path.
function checkBodyJson(checks) {
  if (!checks || checks.length === 0) return;
  pm.test(testCase.name + ': body values', function () {
    var parsed;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      fail('expected a JSON body');
    }
    checks.forEach(function (check) {
      var node = parsed;
      var where = check.path.join('.');
      for (var i = 0; i < check.path.length; i += 1) {
        var key = check.path[i];
        if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) {
          fail('expected ' + where + ' = ' + canonicalJson(check.value) + ' in the body (no ' + key + ')');
        }
        node = node[key];
      }
      if (canonicalJson(node) !== canonicalJson(check.value)) {
        fail('expected ' + where + ' = ' + canonicalJson(check.value) + ' (was ' + canonicalJson(node) + ')');
      }
    });
  });
}

if (expectation.outcome === 'authorized') {
  pm.test(testCase.name + ': authorized', function () {
    if (status === 401 || status === 403) fail('expected the authorizer to let the request through');
    if (isAuthErrorType(errorType)) fail('expected no authorizer error type');
    if (status === 500 && (errorType + ' ' + bodyText).indexOf('AuthorizerConfiguration') !== -1) {
      fail('the authorizer failed (AuthorizerConfigurationException)');
    }
  });
  checkHeaders(expectation.headers);
  checkBodyJson(expectation.bodyJson);
  return;
}

// No statuses (the CORS cases): any 4XX answer, since those check the header, not which rejection it is.
var wantedStatus = expectation.statuses.length > 0 ? expectation.statuses.join(' or ') : '4XX';
pm.test(testCase.name + ': status ' + wantedStatus, function () {
  var ok =
    expectation.statuses.length > 0
      ? expectation.statuses.indexOf(status) !== -1
      : status >= 400 && status < 500;
  if (!ok) fail('expected status ' + wantedStatus);
});

if (expectation.messages.length > 0 || expectation.messagePrefix) {
  pm.test(testCase.name + ': message', function () {
    // Every documented wording is accepted exactly (null: {"message":null}); a prefix only for texts that
    // carry request details (SigV4): an implicit deny must not pass an explicit-deny case.
    var message = bodyMessage();
    var wanted = expectation.messages
      .map(function (m) {
        return JSON.stringify(m);
      })
      .concat(expectation.messagePrefix ? [JSON.stringify(expectation.messagePrefix) + '...'] : [])
      .join(' or ');
    var nullAccepted = expectation.messages.indexOf(null) !== -1;
    if (typeof message !== 'string' && !(nullAccepted && message === null)) {
      fail('expected a JSON body with message ' + wanted);
    }
    var ok =
      expectation.messages.indexOf(message) !== -1 ||
      (typeof message === 'string' &&
        !!expectation.messagePrefix &&
        message.indexOf(expectation.messagePrefix) === 0);
    if (!ok) fail('expected message ' + wanted);
  });
}

if (expectation.errorType) {
  pm.test(testCase.name + ': x-amzn-ErrorType ' + expectation.errorType, function () {
    if (errorType !== expectation.errorType) fail('expected x-amzn-ErrorType ' + expectation.errorType);
  });
}

// HTTP API JWT rejections: `www-authenticate: Bearer`, with `error` and `error_description` where recorded.
if (expectation.wwwAuthenticate) {
  pm.test(testCase.name + ': www-authenticate', function () {
    var wanted = expectation.wwwAuthenticate;
    var parts = ['Bearer'];
    if (wanted.error) parts.push('error="' + wanted.error + '"');
    if (wanted.description) parts.push('error_description="' + wanted.description + '"');
    var what = 'expected www-authenticate with ' + parts.join(' ');
    if (!/^Bearer(\s|$)/.test(wwwAuthenticate)) fail(what);
    if (wanted.error && wwwAuthenticate.indexOf(' error="' + wanted.error + '"') === -1) fail(what);
    if (
      wanted.description &&
      wwwAuthenticate.indexOf('error_description="' + wanted.description + '"') === -1
    ) {
      fail(what);
    }
  });
}

checkHeaders(expectation.headers);
