// apigw-authz: Cognito token logic, part of the pre-request script of the folders whose requests send a Cognito
// token or forge one (templates/prerequest.js calls it with the case's authorizer, before the request).
// `apigwAuthzTokens(authorizer, flows, done)`, where flows (from the renderer's setup line) is
//   { token: 'password' | 'client_credentials' | 'static',      // ID tokens (and the plain access token)
//     accessToken?: 'password' | 'client_credentials' | 'static', // scoped access tokens, when another flow
//     scopes: string[],                                          // every scope of the authorizer's methods
//     needs: ('id' | 'access' | 'unscoped-access')[] }           // the tokens the collection's requests use
// Settings come from the variables `NAME.*`; the tokens are cached for the run in the collection variables
// `_NAME.idToken`, `_NAME.accessToken`, `_NAME.unscopedAccessToken` until `_NAME.expiresAt` (ms since the
// epoch, from the JWT `exp`: cognito-local sends no ExpiresIn). Newman never runs an OAuth 2.0 grant, so the
// folder's oauth2 auth reads `{{_NAME.idToken}}` or `{{_NAME.accessToken}}` filled here.
// A failed fetch is recorded ONCE per run in `_apigwAuthz.tokenError.NAME` (JSON: endpoint, status, AWS error
// type, message, summary) and not retried on later requests: the cases that need the token report "blocked".
// Newman 6's sandbox: callback pm.sendRequest only, no top-level await, CryptoJS/_/atob/btoa are predeclared
// globals (so other names), and a throw inside a callback is not counted as a failure.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's module loader
var cryptoJs = require('crypto-js');

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by templates/prerequest.js
function apigwAuthzTokens(authorizer, flows, done) {
  var RENEW_EARLY_MS = 60000;
  var TOKEN_VARIABLES = { id: 'idToken', access: 'accessToken', 'unscoped-access': 'unscopedAccessToken' };
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

  function haveAllTokens() {
    return flows.needs.every(function (use) {
      return cached(TOKEN_VARIABLES[use]) !== '';
    });
  }

  if (pm.variables.get(ERROR_VARIABLE)) {
    done();
    return;
  }
  if (haveAllTokens() && Date.now() < Number(cached('expiresAt') || 0) - RENEW_EARLY_MS) {
    done();
    return;
  }

  function base64UrlToWords(segment) {
    var base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4 !== 0) base64 += '=';
    return cryptoJs.enc.Base64.parse(base64);
  }

  // Expiry in ms since the epoch from the JWT's `exp`; 0 when the token is not a readable JWT.
  function jwtExpiry(token) {
    try {
      var claims = JSON.parse(base64UrlToWords(token.split('.')[1]).toString(cryptoJs.enc.Utf8));
      return typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    } catch {
      return 0;
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

  // Why a token call failed, or null when it returned 200: endpoint, status, the AWS error type and message of
  // the body (`__type`/`message`, or OAuth's `error`/`error_description`). Never request data (it holds secrets).
  function callProblem(what, endpoint, err, res) {
    if (err)
      return { endpoint: endpoint, summary: what + ' failed: ' + errorText(err), message: errorText(err) };
    if (res.code === 200) return null;
    var text = res.text() || '';
    var body = responseJson(res) || {};
    var errorType = String(body.__type || body.error || '').replace(/^.*#/, '');
    var message = String(body.message || body.Message || body.error_description || '');
    var detail =
      errorType || message
        ? (errorType ? errorType + (message ? ': ' : '') : '') + message
        : text.length > 300
          ? text.slice(0, 300) + '...'
          : text;
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

  function passwordFlow(clientId, clientSecret, flowDone) {
    var username = setting('username');
    var endpoint = setting('idpEndpoint');
    var parameters = { USERNAME: username, PASSWORD: setting('password') };
    if (clientSecret) {
      // SECRET_HASH = Base64(HMAC_SHA256(key = client secret, message = username + client id))
      parameters.SECRET_HASH = cryptoJs.enc.Base64.stringify(
        cryptoJs.HmacSHA256(username + clientId, clientSecret),
      );
    }
    send(
      {
        url: endpoint,
        method: 'POST',
        header: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        },
        body: {
          mode: 'raw',
          raw: JSON.stringify({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: clientId,
            AuthParameters: parameters,
          }),
        },
      },
      function (err, res) {
        var what = 'InitiateAuth USER_PASSWORD_AUTH at ' + endpoint;
        var problem = callProblem(what, endpoint, err, res);
        var body = problem ? null : responseJson(res);
        var result = body && body.AuthenticationResult;
        if (!problem && !result) {
          var why = body && body.ChallengeName ? ' but challenge ' + body.ChallengeName : '';
          problem = { endpoint: endpoint, status: 200, summary: what + ' returned no tokens' + why };
        }
        flowDone(
          problem,
          result
            ? { id: result.IdToken || '', access: result.AccessToken || '', expiresIn: result.ExpiresIn }
            : null,
        );
      },
    );
  }

  function clientCredentialsFlow(clientId, clientSecret, flowDone) {
    var endpoint = setting('tokenUrl');
    var form = [{ key: 'grant_type', value: 'client_credentials' }];
    if (flows.scopes.length > 0) form.push({ key: 'scope', value: flows.scopes.join(' ') });
    send(
      {
        url: endpoint,
        method: 'POST',
        header: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization:
            'Basic ' + cryptoJs.enc.Base64.stringify(cryptoJs.enc.Utf8.parse(clientId + ':' + clientSecret)),
        },
        body: { mode: 'urlencoded', urlencoded: form },
      },
      function (err, res) {
        var what = 'client_credentials grant at ' + endpoint;
        var problem = callProblem(what, endpoint, err, res);
        var body = problem ? null : responseJson(res);
        if (!problem && !(body && body.access_token)) {
          problem = { endpoint: endpoint, status: 200, summary: what + ' returned no access_token' };
        }
        flowDone(problem, problem ? null : { id: '', access: body.access_token, expiresIn: body.expires_in });
      },
    );
  }

  function staticFlow(flowDone) {
    flowDone(null, { id: setting('idToken'), access: setting('accessToken'), expiresIn: 0 });
  }

  function runFlow(flow, clientId, clientSecret, flowDone) {
    if (flow === 'password') passwordFlow(clientId, clientSecret, flowDone);
    else if (flow === 'client_credentials') clientCredentialsFlow(clientId, clientSecret, flowDone);
    else staticFlow(flowDone);
  }

  function needs(use) {
    return flows.needs.indexOf(use) !== -1;
  }

  var tokens = { id: '', access: '', 'unscoped-access': '' };
  var expiries = [];
  var problems = [];

  function remember(token, expiresIn) {
    if (!token) return;
    expiries.push(jwtExpiry(token) || Date.now() + (Number(expiresIn) || 300) * 1000);
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
          (flows.accessToken ? ', access token flow ' + flows.accessToken : '') +
          '; client_credentials gives no ID token; static reads ' +
          settingPrefix +
          'idToken and ' +
          settingPrefix +
          'accessToken)',
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

  function accessTokenStep() {
    if (!flows.accessToken || !needs('access')) {
      finish();
      return;
    }
    var clientId = setting('accessTokenClientId') || setting('clientId');
    var clientSecret = setting('accessTokenClientId')
      ? setting('accessTokenClientSecret')
      : setting('clientSecret');
    runFlow(flows.accessToken, clientId, clientSecret, function (problem, result) {
      if (problem) problems.push(problem);
      if (result) {
        tokens.access = result.access;
        remember(result.access, result.expiresIn);
      }
      finish();
    });
  }

  if (needs('id') || needs('unscoped-access') || (needs('access') && !flows.accessToken)) {
    runFlow(flows.token, setting('clientId'), setting('clientSecret'), function (problem, result) {
      if (problem) problems.push(problem);
      if (result) {
        tokens.id = result.id;
        tokens['unscoped-access'] = result.access;
        if (!flows.accessToken) tokens.access = result.access;
        remember(result.id, result.expiresIn);
        remember(result.access, result.expiresIn);
      }
      accessTokenStep();
    });
  } else {
    accessTokenStep();
  }
}
