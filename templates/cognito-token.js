// apigw-authz: Cognito token logic, part of the pre-request script of the folders whose requests send a Cognito
// token or forge one (templates/prerequest.js calls it with the case's authorizer, before the request).
// `apigwAuthzTokens(authorizer, flows, done)`, where flows (from the renderer's setup line) is
//   { token: 'password' | 'client_credentials' | 'static',      // ID tokens (and the plain access token)
//     accessToken?: 'password' | 'client_credentials' | 'static', // scoped access tokens, when another flow
//     scopes: string[],                                          // every scope of the authorizer's methods
//     needs: ('id' | 'access' | 'unscoped-access')[] }           // the tokens the collection's requests use
// Settings come from the variables `NAME.*`; the tokens are cached for the run in the collection variables
// `_NAME.idToken`, `_NAME.accessToken`, `_NAME.unscopedAccessToken` until `_NAME.expiresAt`. Newman never runs an
// OAuth 2.0 grant, so the folder's oauth2 auth reads `{{_NAME.idToken}}` or `{{_NAME.accessToken}}` filled here.
// The cache, the token requests and the one recorded failure per run: templates/token-fetch.js.

/* global apigwAuthzTokenFetch */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's module loader
var cryptoJs = require('crypto-js');

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by templates/prerequest.js
function apigwAuthzTokens(authorizer, flows, done) {
  var TOKEN_VARIABLES = { id: 'idToken', access: 'accessToken', 'unscoped-access': 'unscopedAccessToken' };
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

  // The AWS JSON API's `__type`/`message` (or OAuth's `error`/`error_description`) of a failed call's body; else
  // the start of its text.
  function awsError(res) {
    var text = res.text() || '';
    var body = tokenFetch.responseJson(res) || {};
    var errorType = String(body.__type || body.error || '').replace(/^.*#/, '');
    var message = String(body.message || body.Message || body.error_description || '');
    var detail =
      errorType || message
        ? (errorType ? errorType + (message ? ': ' : '') : '') + message
        : text.length > 300
          ? text.slice(0, 300) + '...'
          : text;
    return { errorType: errorType, message: message, detail: detail };
  }

  function callProblem(what, endpoint, err, res) {
    return tokenFetch.callProblem(what, endpoint, err, res, awsError);
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
    tokenFetch.send(
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
        var body = problem ? null : tokenFetch.responseJson(res);
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
    tokenFetch.send(
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
        var body = problem ? null : tokenFetch.responseJson(res);
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

  function finish() {
    tokenFetch.finish(
      'token flow ' +
        flows.token +
        (flows.accessToken ? ', access token flow ' + flows.accessToken : '') +
        '; client_credentials gives no ID token; static reads ' +
        settingPrefix +
        'idToken and ' +
        settingPrefix +
        'accessToken',
      done,
    );
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
        tokenFetch.noteExpiry(result.access, result.expiresIn);
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
        tokenFetch.noteExpiry(result.id, result.expiresIn);
        tokenFetch.noteExpiry(result.access, result.expiresIn);
      }
      accessTokenStep();
    });
  } else {
    accessTokenStep();
  }
}
