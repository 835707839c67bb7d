// apigw-authz: the assertions of every request, run once as the collection-level test script.
// Each request's pre-request script sets the local variable `_case` (name, expectation, hint); this script
// compares the response with it. Runs in Newman 6's sandbox (postman-sandbox 4.7.1) and in the Postman app:
// plain ES5 style, no top-level await, no redeclared legacy globals.

var BODY_LIMIT = 300;
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
var rawCase = pm.variables.get('_case');
var testCase = null;
try {
  testCase = rawCase ? JSON.parse(rawCase) : null;
} catch {
  testCase = null;
}

// A local variable set by one request's pre-request script can still be visible to the next request, so a
// request without its own `_case` would be judged by the previous one's expectation: refuse that loudly.
if (!testCase || testCase.name !== requestName) {
  pm.test('[' + requestName + '] has its apigw-authz case data', function () {
    throw new Error(
      '[' +
        requestName +
        '] no case data for this request (found ' +
        (testCase ? 'the case of "' + testCase.name + '"' : 'none') +
        '). Regenerate the collection with apigw-authz; do not edit request names.',
    );
  });
  return;
}

var status = pm.response.code;
var bodyText = pm.response.text() || '';
var errorType = pm.response.headers.get('x-amzn-ErrorType') || '';

function truncate(text) {
  return text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) + '...' : text;
}

// What came back, for every failure message.
function got() {
  return (
    'got ' +
    status +
    (errorType ? ' (x-amzn-ErrorType: ' + errorType + ')' : '') +
    ' ' +
    (bodyText ? truncate(bodyText) : '<empty body>')
  );
}

// Items carry an index into the hint table the renderer declares above this script (`apigwAuthzHints`).
var hintText =
  typeof testCase.hint === 'number' && typeof apigwAuthzHints !== 'undefined'
    ? apigwAuthzHints[testCase.hint]
    : testCase.hint;

function fail(what) {
  throw new Error('[' + testCase.name + '] ' + what + '; ' + got() + '. Hint: ' + hintText);
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

if (expectation.outcome === 'authorized') {
  pm.test(testCase.name + ': authorized', function () {
    if (status === 401 || status === 403) fail('expected the authorizer to let the request through');
    if (isAuthErrorType(errorType)) fail('expected no authorizer error type');
    if (status === 500 && (errorType + ' ' + bodyText).indexOf('AuthorizerConfiguration') !== -1) {
      fail('the authorizer failed (AuthorizerConfigurationException)');
    }
  });
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

expectation.headers.forEach(function (header) {
  pm.test(testCase.name + ': header ' + header.name, function () {
    var actual = pm.response.headers.get(header.name);
    if (actual === undefined || actual === null) fail('expected header ' + header.name);
    if (header.value !== '' && actual !== header.value) {
      fail('expected header ' + header.name + ': ' + header.value + ' (was ' + actual + ')');
    }
  });
});
