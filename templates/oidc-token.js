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
// `_NAME.unscopedAccessToken` until `_NAME.expiresAt`. Never written anywhere else: a token or secret never goes
// into a test name, an error text or a file.
// The cache, the token requests and the one recorded failure per run: templates/token-fetch.js.

/* global apigwAuthzTokenFetch */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's module loader
var oidcCryptoJs = require('crypto-js');

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by templates/prerequest.js
function apigwAuthzOidcTokens(authorizer, flows, done) {
  var TOKEN_VARIABLES = { access: 'accessToken', 'unscoped-access': 'unscopedAccessToken' };
  var tokenFetch = apigwAuthzTokenFetch(authorizer, flows, TOKEN_VARIABLES);
  var setting = tokenFetch.setting;
  var settingPrefix = tokenFetch.settingPrefix;
  var needs = tokenFetch.needs;
  var tokens = tokenFetch.tokens;
  var problems = tokenFetch.problems;

  if (tokenFetch.settled()) {
    done();
    return;
  }

  // The scopes a token carries: `scope` (space-separated) or `scp` (a list or a string), as API Gateway reads them.
  function tokenScopes(claims) {
    var value = claims ? (claims.scope !== undefined ? claims.scope : claims.scp) : undefined;
    if (Array.isArray(value)) return value.map(String);
    return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
  }

  // OAuth's `error` and `error_description` (or a problem document's `detail`/`title`) of a failed call's body.
  function oauthError(res) {
    var body = tokenFetch.responseJson(res) || {};
    var errorType = String(body.error || body.__type || '');
    var message = String(body.error_description || body.message || body.detail || body.title || '');
    var detail = errorType ? errorType + (message ? ': ' + message : '') : message;
    return { errorType: errorType, message: message, detail: detail };
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
    tokenFetch.send(
      { url: endpoint, method: 'POST', header: header, body: { mode: 'urlencoded', urlencoded: form } },
      function (err, res) {
        var problem = tokenFetch.callProblem(what, endpoint, err, res, oauthError);
        var body = problem ? null : tokenFetch.responseJson(res);
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

  function remember(use, token, expiresIn) {
    if (!token) return;
    tokens[use] = token;
    tokenFetch.noteExpiry(token, expiresIn);
  }

  function finish() {
    tokenFetch.finish(
      'token flow ' +
        flows.token +
        (flows.token === 'static'
          ? '; static reads ' + settingPrefix + 'accessToken and ' + settingPrefix + 'unscopedAccessToken'
          : ''),
      done,
    );
  }

  // The unscoped token must carry none of the routes' scopes, or the missing-scope cases would prove nothing:
  // some issuers grant every allowed scope when none is asked for.
  function checkUnscoped() {
    var granted = tokenScopes(tokenFetch.jwtClaims(tokens['unscoped-access'])).filter(function (scope) {
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
