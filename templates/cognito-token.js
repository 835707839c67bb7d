// apigw-authz: Cognito token script, the pre-request script of a Cognito authorizer's folder.
// The renderer injects one line above this file: `var authorizer = 'NAME'; var flows = {...};` where flows is
//   { token: 'password' | 'client_credentials' | 'static',      // ID tokens (and the plain access token)
//     accessToken?: 'password' | 'client_credentials' | 'static', // scoped access tokens, when another flow
//     scopes: string[],                                          // every scope of the authorizer's methods
//     needs: ('id' | 'access' | 'unscoped-access')[] }           // the tokens the folder's requests use
// Settings come from the variables `NAME.*`; the tokens are cached for the run in the collection variables
// `_NAME.idToken`, `_NAME.accessToken`, `_NAME.unscopedAccessToken` until `_NAME.expiresAt` (ms since the
// epoch, from the JWT `exp`: cognito-local sends no ExpiresIn). Newman never runs an OAuth 2.0 grant, so the
// folder's oauth2 auth reads `{{_NAME.idToken}}` or `{{_NAME.accessToken}}` filled here.
// Newman 6's sandbox: callback pm.sendRequest only, no top-level await, CryptoJS/_/atob/btoa are predeclared
// globals (so other names), and a throw inside a callback is not counted as a failure (so pm.test).

/* global authorizer, flows -- injected by the renderer in the line above */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's module loader
var cryptoJs = require('crypto-js');
var RENEW_EARLY_MS = 60000;
var TOKEN_VARIABLES = { id: 'idToken', access: 'accessToken', 'unscoped-access': 'unscopedAccessToken' };
var settingPrefix = authorizer + '.';
var cachePrefix = '_' + authorizer + '.';

function setting(name) {
  var value = pm.variables.get(settingPrefix + name);
  return value === undefined || value === null ? '' : String(value);
}

function cached(name) {
  var value = pm.collectionVariables.get(cachePrefix + name);
  return value === undefined || value === null ? '' : String(value);
}

function haveAllTokens() {
  return flows.needs.every(function (use) {
    return cached(TOKEN_VARIABLES[use]) !== '';
  });
}

if (haveAllTokens() && Date.now() < Number(cached('expiresAt') || 0) - RENEW_EARLY_MS) {
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

// Why a token call failed, or '' when it returned 200. Never includes request data (it holds secrets).
function callProblem(what, err, res) {
  if (err) return what + ' failed: ' + (err.message || String(err));
  if (res.code !== 200) {
    var text = res.text() || '';
    return what + ' returned ' + res.code + ' ' + (text.length > 300 ? text.slice(0, 300) + '...' : text);
  }
  return '';
}

function passwordFlow(clientId, clientSecret, done) {
  var username = setting('username');
  var endpoint = setting('idpEndpoint');
  var parameters = { USERNAME: username, PASSWORD: setting('password') };
  if (clientSecret) {
    // SECRET_HASH = Base64(HMAC_SHA256(key = client secret, message = username + client id))
    parameters.SECRET_HASH = cryptoJs.enc.Base64.stringify(
      cryptoJs.HmacSHA256(username + clientId, clientSecret),
    );
  }
  pm.sendRequest(
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
      var problem = callProblem(what, err, res);
      var body = problem ? null : responseJson(res);
      var result = body && body.AuthenticationResult;
      if (!problem && !result) {
        problem =
          what +
          ' returned no tokens' +
          (body && body.ChallengeName ? ' but challenge ' + body.ChallengeName : '');
      }
      done(
        problem,
        result
          ? { id: result.IdToken || '', access: result.AccessToken || '', expiresIn: result.ExpiresIn }
          : null,
      );
    },
  );
}

function clientCredentialsFlow(clientId, clientSecret, done) {
  var endpoint = setting('tokenUrl');
  var form = [{ key: 'grant_type', value: 'client_credentials' }];
  if (flows.scopes.length > 0) form.push({ key: 'scope', value: flows.scopes.join(' ') });
  pm.sendRequest(
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
      var problem = callProblem(what, err, res);
      var body = problem ? null : responseJson(res);
      if (!problem && !(body && body.access_token)) problem = what + ' returned no access_token';
      done(problem, problem ? null : { id: '', access: body.access_token, expiresIn: body.expires_in });
    },
  );
}

function staticFlow(done) {
  done('', { id: setting('idToken'), access: setting('accessToken'), expiresIn: 0 });
}

function runFlow(flow, clientId, clientSecret, done) {
  if (flow === 'password') passwordFlow(clientId, clientSecret, done);
  else if (flow === 'client_credentials') clientCredentialsFlow(clientId, clientSecret, done);
  else staticFlow(done);
}

function needs(use) {
  return flows.needs.indexOf(use) !== -1;
}

var tokens = { id: '', access: '', 'unscoped-access': '' };
var expiries = [];

function remember(token, expiresIn) {
  if (!token) return;
  expiries.push(jwtExpiry(token) || Date.now() + (Number(expiresIn) || 300) * 1000);
}

function reportFlow(label, problem) {
  pm.test(authorizer + ': ' + label, function () {
    if (problem)
      throw new Error(authorizer + ': ' + problem + '. Check the ' + settingPrefix + '* variables.');
  });
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
  pm.test(authorizer + ': tokens for ' + flows.needs.join(', '), function () {
    if (missing.length > 0) {
      throw new Error(
        authorizer +
          ': no ' +
          missing.join(', ') +
          ' token (token flow ' +
          flows.token +
          (flows.accessToken ? ', access token flow ' + flows.accessToken : '') +
          '; client_credentials gives no ID token; static reads ' +
          settingPrefix +
          'idToken and ' +
          settingPrefix +
          'accessToken).',
      );
    }
  });
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
    if (flows.accessToken !== 'static') reportFlow('access token (' + flows.accessToken + ')', problem);
    if (result) {
      tokens.access = result.access;
      remember(result.access, result.expiresIn);
    }
    finish();
  });
}

if (needs('id') || needs('unscoped-access') || (needs('access') && !flows.accessToken)) {
  runFlow(flows.token, setting('clientId'), setting('clientSecret'), function (problem, result) {
    if (flows.token !== 'static') reportFlow('tokens (' + flows.token + ')', problem);
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
