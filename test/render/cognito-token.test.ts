import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { renderCollection } from '../../src/render/index.js';
import { tokenScriptCode } from './collection-helpers.js';
import { makePoolKey, signJwt } from './jwt.js';
import { CC_CLIENT_ID, CLIENT_ID, handPlan } from './plans.js';
import type { PlanOptions } from './plans.js';
import { failures, runScript } from './sandbox.js';
import type { SentRequest, StubResponse } from './sandbox.js';

const key = makePoolKey();
const exp = Math.floor(Date.now() / 1000) + 3600;
const ID_TOKEN = signJwt(key, { token_use: 'id', sub: 'u1', exp: exp + 60 });
const ACCESS_TOKEN = signJwt(key, { token_use: 'access', sub: 'u1', exp });
const CC_TOKEN = signJwt(key, { token_use: 'access', scope: 'pets/read pets/write', exp: exp + 120 });

const SECRETS = { password: 'pw-Secret-1!', clientSecret: 'client-secret-xyz', ccSecret: 'cc-secret-abc' };

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
    expect(second.tests).toHaveLength(0);
    const expired = { ...cachedVariables, '_CognitoAuth.expiresAt': String(Date.now() + 1000) };
    const third = runScript(script(), {
      variables: baseVariables,
      collectionVariables: expired,
      send: answer,
    });
    expect(third.sent).toHaveLength(1);
  });

  it('reports a rejected InitiateAuth as a failed test, without echoing the password', () => {
    const run = runScript(script(), {
      variables: baseVariables,
      send: () => ({
        code: 400,
        body: '{"__type":"NotAuthorizedException","message":"Incorrect username or password."}',
      }),
    });
    const failed = failures(run);
    expect(failed).toEqual([
      expect.stringContaining(
        'CognitoAuth: InitiateAuth USER_PASSWORD_AUTH at http://idp.test/ returned 400',
      ),
      expect.stringContaining('CognitoAuth: no id, access, unscoped-access token'),
    ]);
    expect(failed.join('\n')).not.toContain(SECRETS.password);
  });

  it('reports a transport error as a failed test', () => {
    const run = runScript(script(), {
      variables: baseVariables,
      send: () => new Error('connect ECONNREFUSED'),
    });
    expect(failures(run)[0]).toContain('failed: connect ECONNREFUSED');
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
    expect(failures(run)).toEqual([
      expect.stringContaining('CognitoAuth: no id token (token flow client_credentials'),
    ]);
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

  it('fails when static tokens are missing', () => {
    const run = runScript(script({ cognito: { tokenFlow: 'static' } }), { send: answer });
    expect(failures(run)).toEqual([
      expect.stringContaining('CognitoAuth: no id, access, unscoped-access token'),
    ]);
  });
});
