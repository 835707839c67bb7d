import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { renderCollection } from '../../src/render/index.js';
import { tokenScriptCode } from './collection-helpers.js';
import { makePoolKey, signJwt } from './jwt.js';
import { CC_CLIENT_ID, CLIENT_ID, handPlan } from './plans.js';
import type { PlanOptions } from './plans.js';
import { failures, runScript } from './sandbox.js';
import type { SentRequest, StubResponse, StubRun } from './sandbox.js';

const key = makePoolKey();
const exp = Math.floor(Date.now() / 1000) + 3600;
const ID_TOKEN = signJwt(key, { token_use: 'id', sub: 'u1', exp: exp + 60 });
const ACCESS_TOKEN = signJwt(key, { token_use: 'access', sub: 'u1', exp });
const CC_TOKEN = signJwt(key, { token_use: 'access', scope: 'pets/read pets/write', exp: exp + 120 });

const SECRETS = { password: 'pw-Secret-1!', clientSecret: 'client-secret-xyz', ccSecret: 'cc-secret-abc' };

/** The fetch failure the token logic recorded for the run. */
function tokenError(run: StubRun): Record<string, unknown> & { summary: string } {
  const recorded = run.collectionVariables.get('_apigwAuthz.tokenError.CognitoAuth');
  if (recorded === undefined) throw new Error('no token error recorded');
  return JSON.parse(recorded) as Record<string, unknown> & { summary: string };
}

function script(options: PlanOptions = {}): string {
  return tokenScriptCode(renderCollection(handPlan(options)), 'CognitoAuth');
}

const IDP = 'http://idp.test/';
const TOKEN_URL = 'http://auth.test/oauth2/token';
const baseVariables = {
  'CognitoAuth.clientId': CLIENT_ID,
  'CognitoAuth.idpEndpoint': IDP,
  'CognitoAuth.tokenUrl': TOKEN_URL,
  'CognitoAuth.username': 'alice',
  'CognitoAuth.password': SECRETS.password,
};

function answer(request: SentRequest): StubResponse {
  if (request.url === IDP) {
    return {
      code: 200,
      body: JSON.stringify({
        AuthenticationResult: { IdToken: ID_TOKEN, AccessToken: ACCESS_TOKEN, TokenType: 'Bearer' },
      }),
    };
  }
  if (request.url === TOKEN_URL)
    return { code: 200, body: JSON.stringify({ access_token: CC_TOKEN, expires_in: 3600 }) };
  return { code: 404, body: 'not found' };
}

describe('cognito-token.js: password flow', () => {
  it('calls InitiateAuth USER_PASSWORD_AUTH without SECRET_HASH when there is no client secret', () => {
    const run = runScript(script(), { variables: baseVariables, send: answer });
    expect(failures(run)).toEqual([]);
    expect(run.sent).toHaveLength(1);
    const [request] = run.sent;
    expect(request).toMatchObject({
      url: IDP,
      method: 'POST',
      header: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
    });
    expect(JSON.parse(request!.body.raw!)).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { USERNAME: 'alice', PASSWORD: SECRETS.password },
    });
    expect(run.collectionVariables.get('_CognitoAuth.idToken')).toBe(ID_TOKEN);
    expect(run.collectionVariables.get('_CognitoAuth.accessToken')).toBe(ACCESS_TOKEN);
    expect(run.collectionVariables.get('_CognitoAuth.unscopedAccessToken')).toBe(ACCESS_TOKEN);
    // the earliest `exp` of the tokens, from the JWT (no ExpiresIn in the answer)
    expect(run.collectionVariables.get('_CognitoAuth.expiresAt')).toBe(String(exp * 1000));
  });

  it('adds SECRET_HASH = Base64(HMAC-SHA256(username + clientId, clientSecret)) when a client secret is given', () => {
    const run = runScript(script(), {
      variables: { ...baseVariables, 'CognitoAuth.clientSecret': SECRETS.clientSecret },
      send: answer,
    });
    const sent = JSON.parse(run.sent[0]!.body.raw!) as { AuthParameters: Record<string, string> };
    const expected = createHmac('sha256', SECRETS.clientSecret).update(`alice${CLIENT_ID}`).digest('base64');
    expect(sent.AuthParameters.SECRET_HASH).toBe(expected);
  });

  it('does not fetch again while the cached tokens are valid, and does after they expire', () => {
    const first = runScript(script(), { variables: baseVariables, send: answer });
    const cachedVariables = Object.fromEntries(first.collectionVariables);
    const second = runScript(script(), {
      variables: baseVariables,
      collectionVariables: cachedVariables,
      send: answer,
    });
    expect(second.sent).toHaveLength(0);
    const expired = { ...cachedVariables, '_CognitoAuth.expiresAt': String(Date.now() + 1000) };
    const third = runScript(script(), {
      variables: baseVariables,
      collectionVariables: expired,
      send: answer,
    });
    expect(third.sent).toHaveLength(1);
  });

  it('records a rejected InitiateAuth once (endpoint, status, AWS error type and message), without the password', () => {
    const run = runScript(script(), {
      variables: baseVariables,
      send: () => ({
        code: 400,
        body: '{"__type":"NotAuthorizedException","message":"Incorrect username or password."}',
      }),
    });
    expect(failures(run)).toEqual([]); // the cases that need the token report "blocked by" it
    const error = tokenError(run);
    expect(error).toMatchObject({
      endpoint: IDP,
      status: 400,
      errorType: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
      missing: ['id', 'access', 'unscoped-access'],
    });
    expect(error.summary).toBe(
      'CognitoAuth token fetch: InitiateAuth USER_PASSWORD_AUTH at http://idp.test/ returned 400 ' +
        'NotAuthorizedException: Incorrect username or password. Check the CognitoAuth.* variables.',
    );
    expect(JSON.stringify(error)).not.toContain(SECRETS.password);
    // not retried on the next request
    const next = runScript(script(), {
      variables: baseVariables,
      collectionVariables: Object.fromEntries(run.collectionVariables),
      send: answer,
    });
    expect(next.sent).toHaveLength(0);
  });

  it('records a transport error with its message or code, never [object Object], after one immediate retry', () => {
    const refused = runScript(script(), {
      variables: baseVariables,
      send: () => new Error('connect ECONNREFUSED'),
    });
    expect(refused.sent).toHaveLength(2);
    expect(tokenError(refused).summary).toContain('failed: connect ECONNREFUSED');
    const bare = runScript(script(), {
      variables: baseVariables,
      send: () => Object.assign(new Error(''), { code: 'ECONNRESET' }),
    });
    expect(tokenError(bare).summary).toContain('failed: ECONNRESET');
    expect(tokenError(bare).summary).not.toContain('[object Object]');
  });

  it('recovers when the retry succeeds', () => {
    let calls = 0;
    const run = runScript(script(), {
      variables: baseVariables,
      send: (request) => (calls++ === 0 ? new Error('read ECONNRESET') : answer(request)),
    });
    expect(run.collectionVariables.get('_apigwAuthz.tokenError.CognitoAuth')).toBeUndefined();
    expect(run.collectionVariables.get('_CognitoAuth.idToken')).toBe(ID_TOKEN);
  });
});

describe('cognito-token.js: other flows', () => {
  it('gets scoped access tokens from client_credentials with the access-token client (accessTokenFlow)', () => {
    const run = runScript(
      script({ cognito: { accessTokenFlow: 'client_credentials', accessTokenClientId: CC_CLIENT_ID } }),
      {
        variables: {
          ...baseVariables,
          'CognitoAuth.accessTokenClientId': CC_CLIENT_ID,
          'CognitoAuth.accessTokenClientSecret': SECRETS.ccSecret,
        },
        send: answer,
      },
    );
    expect(failures(run)).toEqual([]);
    expect(run.sent.map((r) => r.url)).toEqual([IDP, TOKEN_URL]);
    const cc = run.sent[1]!;
    expect(cc.header.Authorization).toBe(
      `Basic ${Buffer.from(`${CC_CLIENT_ID}:${SECRETS.ccSecret}`).toString('base64')}`,
    );
    expect(cc.header['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(cc.body).toEqual({
      mode: 'urlencoded',
      urlencoded: [
        { key: 'grant_type', value: 'client_credentials' },
        { key: 'scope', value: 'pets/read pets/write' },
      ],
    });
    expect(run.collectionVariables.get('_CognitoAuth.idToken')).toBe(ID_TOKEN);
    expect(run.collectionVariables.get('_CognitoAuth.accessToken')).toBe(CC_TOKEN);
    expect(run.collectionVariables.get('_CognitoAuth.unscopedAccessToken')).toBe(ACCESS_TOKEN);
  });

  it('uses the main client for accessTokenFlow when no access-token client is configured', () => {
    const run = runScript(script({ cognito: { accessTokenFlow: 'client_credentials' } }), {
      variables: { ...baseVariables, 'CognitoAuth.clientSecret': SECRETS.clientSecret },
      send: answer,
    });
    expect(run.sent[1]!.header.Authorization).toBe(
      `Basic ${Buffer.from(`${CLIENT_ID}:${SECRETS.clientSecret}`).toString('base64')}`,
    );
  });

  it('fails the run when a needed token cannot come from the flow (client_credentials has no ID token)', () => {
    const run = runScript(script({ cognito: { tokenFlow: 'client_credentials' } }), {
      variables: { ...baseVariables, 'CognitoAuth.clientSecret': SECRETS.clientSecret },
      send: answer,
    });
    expect(run.sent.map((r) => r.url)).toEqual([TOKEN_URL]);
    expect(tokenError(run).summary).toContain('no id token (token flow client_credentials');
  });

  it('reads static tokens from variables without any request', () => {
    const run = runScript(script({ cognito: { tokenFlow: 'static' } }), {
      variables: { 'CognitoAuth.idToken': ID_TOKEN, 'CognitoAuth.accessToken': ACCESS_TOKEN },
      send: answer,
    });
    expect(run.sent).toHaveLength(0);
    expect(failures(run)).toEqual([]);
    expect(run.collectionVariables.get('_CognitoAuth.idToken')).toBe(ID_TOKEN);
    expect(run.collectionVariables.get('_CognitoAuth.accessToken')).toBe(ACCESS_TOKEN);
  });

  it('records missing static tokens as the token error', () => {
    const run = runScript(script({ cognito: { tokenFlow: 'static' } }), { send: answer });
    expect(tokenError(run).summary).toContain(
      'CognitoAuth token fetch: no id, access, unscoped-access token',
    );
  });
});
