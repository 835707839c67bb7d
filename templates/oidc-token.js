// apigw-authz: generic OIDC token logic for JWT authorizers whose issuer is not a Cognito user pool (`oidc:` in the
// config), part of the pre-request script of the folders whose requests send or forge such a token
// (templates/prerequest.js calls it with the case's authorizer, before the request).
// `apigwAuthzOidcTokens(authorizer, flows, done)`, where flows (from the renderer's setup line) is
//   { provider: 'oidc',
//     token: 'client_credentials' | 'password' | 'static',
//     scopes: string[],          // every scope of the authorizer's routes: what the scoped access token asks for
//     extraScopes: string[],     // oidc.scopes: asked for with both tokens (the unscoped token asks for these only)
//     needs: ('access' | 'unscoped-access')[] }   // the tokens the collection's requests use
// Settings come from the variables `NAME.*`: tokenUrl, clientId, audience (not secret), clientSecret, username,
// password (secret; supplied at run time), and for the static flow accessToken / unscopedAccessToken. The tokens
// are fetched once per run and cached in the collection variables `_NAME.accessToken` and
// `_NAME.unscopedAccessToken` until `_NAME.expiresAt` (ms since the epoch, from the JWT `exp`). Never written
// anywhere else: a token or secret never goes into a test name, an error text or a file.
// A failed fetch is recorded ONCE per run in `_apigwAuthz.tokenError.NAME` (JSON: endpoint, status, OAuth error,
// description, summary) and not retried on later requests: the cases that need the token report "blocked".
// Newman 6's sandbox: callback pm.sendRequest only, no top-level await, CryptoJS/_/atob/btoa are predeclared
// globals (so other names), and a throw inside a callback is not counted as a failure.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's module loader
var oidcCryptoJs = require('crypto-js');

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by templates/prerequest.js
function apigwAuthzOidcTokens(authorizer, flows, done) {
  var RENEW_EARLY_MS = 60000;
  var TOKEN_VARIABLES = { access: 'accessToken', 'unscoped-access': 'unscopedAccessToken' };
  var ERROR_VARIABLE = '_apigwAuthz.tokenError.' + authorizer;
  var settingPrefix = authorizer + '.';
  var cachePrefix = '_' + authorizer + '.';

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

  if (pm.variables.get(ERROR_VARIABLE)) {
    done();
    return;
  }
  var fresh = flows.needs.every(function (use) {
    return cached(TOKEN_VARIABLES[use]) !== '';
  });
  if (fresh && Date.now() < Number(cached('expiresAt') || 0) - RENEW_EARLY_MS) {
    done();
    return;
  }

  function base64UrlToWords(segment) {
    var base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4 !== 0) base64 += '=';
    return oidcCryptoJs.enc.Base64.parse(base64);
  }

  // The JWT's claims, or null when the token is not a readable JWT (an opaque access token).
  function jwtClaims(token) {
    try {
      var claims = JSON.parse(base64UrlToWords(token.split('.')[1]).toString(oidcCryptoJs.enc.Utf8));
      return claims && typeof claims === 'object' ? claims : null;
    } catch {
      return null;
    }
  }

  // The scopes a token carries: `scope` (space-separated) or `scp` (a list or a string), as API Gateway reads them.
  function tokenScopes(claims) {
    var value = claims ? (claims.scope !== undefined ? claims.scope : claims.scp) : undefined;
    if (Array.isArray(value)) return value.map(String);
    return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
  }

  function responseJson(res) {
    try {
      return res.json();
    } catch {
      return null;
    }
  }

  function errorText(err) {
    if (err.message) return String(err.message);
    if (err.code) return String(err.code);
    try {
      return JSON.stringify(err);
    } catch {
      return 'unknown error';
    }
  }

  // Why a token call failed, or null when it returned 200: endpoint, status, OAuth `error` and
  // `error_description` of the body. Never request data (it holds secrets) and never the response's tokens.
  function callProblem(what, endpoint, err, res) {
    if (err)
      return { endpoint: endpoint, summary: what + ' failed: ' + errorText(err), message: errorText(err) };
    if (res.code === 200) return null;
    var body = responseJson(res) || {};
    var errorType = String(body.error || body.__type || '');
    var message = String(body.error_description || body.message || body.detail || body.title || '');
    var detail = errorType ? errorType + (message ? ': ' + message : '') : message;
    return {
      endpoint: endpoint,
      status: res.code,
      errorType: errorType,
      message: message,
      summary: what + ' returned ' + res.code + (detail ? ' ' + detail : ''),
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

  // application/x-www-form-urlencoded, as RFC 6749 section 2.3.1 wants client ids and secrets encoded for Basic.
  function formEncode(value) {
    return encodeURIComponent(value).replace(/%20/g, '+');
  }

  // One token request at the token endpoint: `scopes` (may be empty: no scope parameter).
  function tokenRequest(scopes, requestDone) {
    var endpoint = setting('tokenUrl');
    var clientId = setting('clientId');
    var clientSecret = setting('clientSecret');
    var grant = flows.token === 'password' ? 'password' : 'client_credentials';
    var form = [{ key: 'grant_type', value: grant }];
    if (grant === 'password') {
      form.push({ key: 'username', value: setting('username') });
      form.push({ key: 'password', value: setting('password') });
    }
    if (scopes.length > 0) form.push({ key: 'scope', value: scopes.join(' ') });
    if (setting('audience')) form.push({ key: 'audience', value: setting('audience') });
    var header = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    if (clientSecret) {
      header.Authorization =
        'Basic ' +
        oidcCryptoJs.enc.Base64.stringify(
          oidcCryptoJs.enc.Utf8.parse(formEncode(clientId) + ':' + formEncode(clientSecret)),
        );
    } else {
      // A public client (password flow without a secret) names itself in the body.
      form.push({ key: 'client_id', value: clientId });
    }
    var what = grant + ' grant at ' + endpoint;
    if (!endpoint) {
      requestDone({ summary: 'no token endpoint: ' + settingPrefix + 'tokenUrl is empty' }, null);
      return;
    }
    send(
      { url: endpoint, method: 'POST', header: header, body: { mode: 'urlencoded', urlencoded: form } },
      function (err, res) {
        var problem = callProblem(what, endpoint, err, res);
        var body = problem ? null : responseJson(res);
        if (!problem && !(body && body.access_token)) {
          problem = { endpoint: endpoint, status: 200, summary: what + ' returned no access_token' };
        }
        requestDone(
          problem,
          problem ? null : { token: String(body.access_token), expiresIn: body.expires_in },
        );
      },
    );
  }

  var tokens = { access: '', 'unscoped-access': '' };
  var expiries = [];
  var problems = [];

  function remember(use, token, expiresIn) {
    if (!token) return;
    tokens[use] = token;
    var claims = jwtClaims(token);
    var exp = claims && typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    expiries.push(exp || Date.now() + (Number(expiresIn) || 300) * 1000);
  }

  function finish() {
    Object.keys(TOKEN_VARIABLES).forEach(function (use) {
      pm.collectionVariables.set(cachePrefix + TOKEN_VARIABLES[use], tokens[use]);
    });
    pm.collectionVariables.set(
      cachePrefix + 'expiresAt',
      String(expiries.length ? Math.min.apply(null, expiries) : 0),
    );
    var missing = flows.needs.filter(function (use) {
      return !tokens[use];
    });
    if (missing.length > 0 && problems.length === 0) {
      problems.push({
        summary:
          'no ' +
          missing.join(', ') +
          ' token (token flow ' +
          flows.token +
          (flows.token === 'static'
            ? '; static reads ' + settingPrefix + 'accessToken and ' + settingPrefix + 'unscopedAccessToken'
            : '') +
          ')',
      });
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

  // The unscoped token must carry none of the routes' scopes, or the missing-scope cases would prove nothing:
  // some issuers grant every allowed scope when none is asked for.
  function checkUnscoped() {
    var granted = tokenScopes(jwtClaims(tokens['unscoped-access'])).filter(function (scope) {
      return flows.scopes.indexOf(scope) !== -1;
    });
    if (!tokens['unscoped-access'] || granted.length === 0) return;
    tokens['unscoped-access'] = '';
    problems.push({
      summary:
        "the token asked for without the routes' scopes carries " +
        granted.join(' ') +
        ' (the issuer grants them unasked); set oidc.scopes to a scope the client may have that no route requires',
    });
  }

  if (flows.token === 'static') {
    remember('access', setting('accessToken'), 0);
    if (needs('unscoped-access')) remember('unscoped-access', setting('unscopedAccessToken'), 0);
    checkUnscoped();
    finish();
    return;
  }

  var scoped = flows.scopes.concat(
    flows.extraScopes.filter(function (scope) {
      return flows.scopes.indexOf(scope) === -1;
    }),
  );

  function unscopedStep() {
    if (!needs('unscoped-access')) {
      finish();
      return;
    }
    tokenRequest(flows.extraScopes, function (problem, result) {
      if (problem) problems.push(problem);
      if (result) remember('unscoped-access', result.token, result.expiresIn);
      checkUnscoped();
      finish();
    });
  }

  if (needs('access')) {
    tokenRequest(scoped, function (problem, result) {
      if (result) remember('access', result.token, result.expiresIn);
      if (!problem) {
        unscopedStep();
        return;
      }
      // The same endpoint and client would fail the same way: one request, one recorded reason.
      problems.push(problem);
      finish();
    });
  } else {
    unscopedStep();
  }
}
