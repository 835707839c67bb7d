// apigw-authz: what the Cognito and the OIDC token logic share (templates/cognito-token.js, oidc-token.js): one
// authorizer's settings (`NAME.*`), the run-long token cache (`_NAME.*` until `_NAME.expiresAt`), token requests,
// and the failure recorded ONCE per run in `_apigwAuthz.tokenError.NAME` (JSON: endpoint, status, error type,
// message, summary; not retried: the cases that need the token report "blocked"). Newman 6's sandbox: callback
// pm.sendRequest, no top-level await, CryptoJS/_/atob/btoa are predeclared globals (so other names).

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's module loader
var tokenFetchCryptoJs = require('crypto-js');

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by templates/cognito-token.js and oidc-token.js
function apigwAuthzTokenFetch(authorizer, flows, tokenVariables) {
  var RENEW_EARLY_MS = 60000;
  var ERROR_VARIABLE = '_apigwAuthz.tokenError.' + authorizer;
  var settingPrefix = authorizer + '.';
  var cachePrefix = '_' + authorizer + '.';
  var tokens = {};
  Object.keys(tokenVariables).forEach(function (use) {
    tokens[use] = '';
  });
  var expiries = [];
  var problems = [];

  function setting(name) {
    var value = pm.variables.get(settingPrefix + name);
    return value === undefined || value === null ? '' : String(value);
  }

  // Cached tokens may also come from the parent of a parallel run (as run-time variables), hence pm.variables.
  function cached(name) {
    var value = pm.variables.get(cachePrefix + name);
    return value === undefined || value === null ? '' : String(value);
  }

  function needs(use) {
    return flows.needs.indexOf(use) !== -1;
  }

  function settled() {
    if (pm.variables.get(ERROR_VARIABLE)) return true;
    var fresh = flows.needs.every(function (use) {
      return cached(tokenVariables[use]) !== '';
    });
    return fresh && Date.now() < Number(cached('expiresAt') || 0) - RENEW_EARLY_MS;
  }

  function base64UrlToWords(segment) {
    var base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4 !== 0) base64 += '=';
    return tokenFetchCryptoJs.enc.Base64.parse(base64);
  }

  // The JWT's claims, or null when the token is not a readable JWT (an opaque access token).
  function jwtClaims(token) {
    try {
      var claims = JSON.parse(base64UrlToWords(token.split('.')[1]).toString(tokenFetchCryptoJs.enc.Utf8));
      return claims && typeof claims === 'object' ? claims : null;
    } catch {
      return null;
    }
  }

  function responseJson(res) {
    try {
      return res.json();
    } catch {
      return null;
    }
  }

  // A transport error as text: its message, else its code, else its JSON; never `[object Object]`.
  function errorText(err) {
    if (err.message) return String(err.message);
    if (err.code) return String(err.code);
    try {
      return JSON.stringify(err);
    } catch {
      return 'unknown error';
    }
  }

  // Why a token call failed, or null when it returned 200: endpoint, status, and what `readError(res)` finds in
  // the body ({ errorType, message, detail }). Never request data (it holds secrets) nor the response's tokens.
  function callProblem(what, endpoint, err, res, readError) {
    if (err)
      return { endpoint: endpoint, summary: what + ' failed: ' + errorText(err), message: errorText(err) };
    if (res.code === 200) return null;
    var error = readError(res);
    return {
      endpoint: endpoint,
      status: res.code,
      errorType: error.errorType,
      message: error.message,
      summary: what + ' returned ' + res.code + (error.detail ? ' ' + error.detail : ''),
    };
  }

  // pm.sendRequest with one immediate retry on a transport error (a reset connection is not a verdict).
  function send(request, callback) {
    pm.sendRequest(request, function (err, res) {
      if (!err) {
        callback(err, res);
        return;
      }
      pm.sendRequest(request, callback);
    });
  }

  // The cache lasts until the earliest expiry: the JWT's `exp` (cognito-local sends no ExpiresIn), else ExpiresIn.
  function noteExpiry(token, expiresIn) {
    if (!token) return;
    var claims = jwtClaims(token);
    var exp = claims && typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    expiries.push(exp || Date.now() + (Number(expiresIn) || 300) * 1000);
  }

  // Caches the tokens, records the failure when a needed one is missing (`whyNone`: why, when no call failed).
  function finish(whyNone, done) {
    Object.keys(tokenVariables).forEach(function (use) {
      pm.collectionVariables.set(cachePrefix + tokenVariables[use], tokens[use]);
    });
    pm.collectionVariables.set(
      cachePrefix + 'expiresAt',
      String(expiries.length ? Math.min.apply(null, expiries) : 0),
    );
    var missing = flows.needs.filter(function (use) {
      return !tokens[use];
    });
    if (missing.length > 0 && problems.length === 0) {
      problems.push({ summary: 'no ' + missing.join(', ') + ' token (' + whyNone + ')' });
    }
    if (missing.length > 0) {
      var first = problems[0];
      first.summary =
        authorizer +
        ' token fetch: ' +
        problems
          .map(function (p) {
            return p.summary.replace(/\.$/, '');
          })
          .join('; ') +
        '. Check the ' +
        settingPrefix +
        '* variables.';
      first.missing = missing;
      pm.collectionVariables.set(ERROR_VARIABLE, JSON.stringify(first));
    }
    done();
  }

  return {
    settingPrefix: settingPrefix,
    setting: setting,
    needs: needs,
    settled: settled,
    jwtClaims: jwtClaims,
    responseJson: responseJson,
    callProblem: callProblem,
    send: send,
    tokens: tokens,
    problems: problems,
    noteExpiry: noteExpiry,
    finish: finish,
  };
}
