/**
 * explainRequest end to end over hand-built models: the verdict is the decision core's, the root cause the most
 * specific finding behind it. One request per check, built to fail exactly that check.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainRequest, formatExplanation, parseRequestLine } from '../../src/explain/index.js';
import type { AuthModel } from '../../src/model/types.js';
import type { ProjectConfig } from '../../src/config/types.js';
import { FIXTURES } from '../emulator/helpers.js';
import {
  cognitoAuthorizer,
  config,
  iamAuthorizer,
  model,
  requestAuthorizer,
  route,
  tokenAuthorizer,
} from '../support/models.js';

const NOW_S = 1_700_000_000;
const POOL = 'us-east-1_Local1';
let jwks: Server;
let jwksUrl: string;
let key: CryptoKey;
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;

async function jwt(claims: JWTPayload): Promise<string> {
  return new SignJWT({ iss: ISS, sub: 'u1', iat: NOW_S - 60, exp: NOW_S + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  const body = JSON.stringify({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }],
  });
  jwks = createServer((_, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

const tokenModel = (): AuthModel =>
  model({
    authorizers: [tokenAuthorizer('TokenAuth', { validationExpression: '^[a-z][a-z0-9-]{3,63}$' })],
    routes: [route('GET', '/orders', 'TokenAuth'), route('DELETE', '/orders/{id}', 'TokenAuth')],
  });
const tokenConfig = (): ProjectConfig =>
  config({ TokenAuth: { handler: path.join(FIXTURES, 'behaviour.mjs') } });

const explain = (
  m: AuthModel,
  c: ProjectConfig,
  method: string,
  p: string,
  headers: Record<string, string>,
) =>
  explainRequest({
    model: m,
    config: c,
    request: { method, path: p, headers },
    now: NOW_S * 1000,
    env: {},
    log: () => undefined,
  });

describe('explain: Lambda TOKEN', () => {
  it('header name vs token source', async () => {
    const e = await explain(tokenModel(), tokenConfig(), 'GET', '/orders', { Authorization: 'echo' });
    expect(e.verdict).toMatchObject({ status: 401, message: 'Unauthorized' });
    expect(e.authorizerInvoked).toBe(false);
    expect(e.decision.cause).toBe('token-missing');
    expect(e.rootCause.cause).toBe('header-name-mismatch');
  });

  it('the validation regex, and a Bearer prefix the regex rejects', async () => {
    const e = await explain(tokenModel(), tokenConfig(), 'GET', '/orders', { 'X-Auth-Token': 'Echo-token' });
    expect(e.rootCause).toMatchObject({ cause: 'token-regex-mismatch' });
    expect(e.rootCause.message).toContain('character 1 (an upper-case letter) does not match [a-z]');
    const bearer = await explain(tokenModel(), tokenConfig(), 'GET', '/orders', {
      'X-Auth-Token': 'Bearer echo',
    });
    expect(bearer.decision.cause).toBe('token-regex-mismatch');
    expect(bearer.rootCause.cause).toBe('bearer-prefix');
  });

  it('invokes the handler: the policy, whether it covers this call, which routes the cached policy blocks', async () => {
    const e = await explain(tokenModel(), tokenConfig(), 'GET', '/orders', { 'X-Auth-Token': 'scoped-1' });
    expect(e.verdict.status).toBe(200);
    expect(e.authorizerInvoked).toBe(true);
    expect(e.policy?.coversThisCall).toBe(true);
    expect(e.policy?.blocksFromCache).toEqual(['DELETE /orders/1']);
    expect(e.findings.map((f) => f.cause)).toContain('cached-policy-blocks-routes');
    const wide = await explain(tokenModel(), tokenConfig(), 'GET', '/orders', { 'X-Auth-Token': 'echo' });
    expect(wide.policy?.blocksFromCache).toEqual([]);
  });

  it('the text output leads with the verdict, the root cause and the fix', async () => {
    const e = await explain(tokenModel(), tokenConfig(), 'GET', '/orders', { Authorization: 'echo' });
    const text = formatExplanation(e);
    expect(text.split('\n')[0]).toBe('GET /orders -> 401 "Unauthorized" (UnauthorizedException)');
    expect(text).toContain('Root cause [header-name-mismatch]');
    expect(text).toContain('Fix: send the token in the X-Auth-Token header');
  });
});

describe('explain: REQUEST, stage variables, IAM', () => {
  const requestModel = () =>
    model({
      authorizers: [requestAuthorizer('RequestAuth')],
      routes: [route('GET', '/reports', 'RequestAuth')],
    });

  it('missing identity sources and unset stage variables', async () => {
    const e = await explain(requestModel(), config(), 'GET', '/reports?apiVersion=1', { 'X-Tenant-Id': 't' });
    expect(e.decision.cause).toBe('identity-source-missing');
    expect(e.rootCause.cause).toBe('stage-variable-unset');
    const header = await explain(
      requestModel(),
      config({}, { stageVariables: { authStage: 's' } }),
      'GET',
      '/reports',
      {
        'X-Tenant-Id': 't',
      },
    );
    expect(header.rootCause.cause).toBe('identity-source-missing');
    expect(header.rootCause.message).toContain('apiVersion');
  });

  it('IAM: a Bearer token where a signature is needed', async () => {
    const m = model({ authorizers: [iamAuthorizer()], routes: [route('GET', '/admin', 'sigv4')] });
    const e = await explain(m, config(), 'GET', '/admin', { Authorization: 'Bearer abc.def.ghi' });
    expect(e.verdict.status).toBe(403);
    expect(e.rootCause.cause).toBe('sigv4-not-sigv4');
    const unsigned = await explain(m, config(), 'GET', '/admin', {});
    expect(unsigned.verdict.message).toBe('Missing Authentication Token');
    expect(unsigned.rootCause.cause).toBe('sigv4-missing');
  });

  it('a route that does not exist', async () => {
    const e = await explain(requestModel(), config(), 'POST', '/reports', {});
    expect(e.verdict).toMatchObject({ status: 403, message: 'Missing Authentication Token' });
    expect(e.rootCause.cause).toBe('route-not-found');
  });
});

describe('explain: Cognito (JWKS on 127.0.0.1)', () => {
  const cognitoModel = () =>
    model({
      authorizers: [cognitoAuthorizer('CognitoAuth', [POOL])],
      routes: [route('GET', '/pets', 'CognitoAuth'), route('POST', '/pets', 'CognitoAuth', ['pets/write'])],
    });
  const cognitoConfig = (url = jwksUrl) =>
    config({
      CognitoAuth: {
        cognito: {
          clientId: 'client1',
          callbackUrl: 'https://oauth.pstmn.io/v1/callback',
          tokenFlow: 'static',
          idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
          jwksUrl: url,
        },
      },
    });
  const ask = (method: string, authorization: string, url?: string) =>
    explain(cognitoModel(), cognitoConfig(url), method, '/pets', { Authorization: authorization });

  it('a valid ID token is allowed; Bearer-prefixed too (named as accepted)', async () => {
    const token = await jwt({ token_use: 'id', aud: 'client1' });
    expect((await ask('GET', token)).verdict.status).toBe(200);
    const bearer = await ask('GET', `Bearer ${token}`);
    expect(bearer.verdict.status).toBe(200);
    expect(bearer.findings.map((f) => f.cause)).toEqual(
      expect.arrayContaining(['bearer-prefix', 'jwt-kid-known']),
    );
    expect(bearer.token?.jwt?.claims.token_use).toBe('id');
  });

  it('another pool, expired, ID token on a scoped method, a space', async () => {
    const other = await ask(
      'GET',
      await jwt({ token_use: 'id', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other9' }),
    );
    expect([other.verdict.status, other.rootCause.cause]).toEqual([401, 'issuer-other-pool']);
    const expired = await ask('GET', await jwt({ token_use: 'id', exp: NOW_S - 30 }));
    expect(expired.verdict.message).toBe('The incoming token has expired');
    expect(expired.rootCause.cause).toBe('jwt-expired');
    const idOnScoped = await ask('POST', await jwt({ token_use: 'id' }));
    expect([idOnScoped.verdict.status, idOnScoped.rootCause.cause]).toEqual([401, 'access-token-required']);
    const token = await jwt({ token_use: 'id' });
    const spaced = await ask('GET', `${token.slice(0, 50)} ${token.slice(50)}`);
    expect([spaced.decision.cause, spaced.rootCause.cause]).toEqual(['jwt-malformed', 'token-whitespace']);
  });

  it('an unknown kid against the JWKS; offline the signature is "not checked"', async () => {
    const foreign = await new SignJWT({ iss: ISS, token_use: 'id', exp: NOW_S + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: 'k-other' })
      .sign(key);
    const e = await ask('GET', foreign);
    expect(e.verdict.status).toBe(401);
    expect(e.rootCause.cause).toBe('jwt-kid-unknown');
    const offline = await ask('GET', await jwt({ token_use: 'id' }), 'http://127.0.0.1:9/jwks.json');
    expect(offline.notChecked.join(' ')).toContain('could not be fetched');
    expect(offline.verdict.status).toBe(200);
  });

  it('never writes the token into the explanation', async () => {
    const token = await jwt({ token_use: 'id', exp: NOW_S - 30 });
    const text =
      JSON.stringify(await ask('GET', `Bearer ${token}`)) + formatExplanation(await ask('GET', token));
    expect(text).not.toContain(token.split('.')[2]);
  });
});

describe('parseRequestLine', () => {
  it('takes METHOD /path or a stage URL', () => {
    expect(parseRequestLine('get /pets?x=1', 'prod')).toEqual({ method: 'GET', path: '/pets?x=1' });
    expect(parseRequestLine('https://a.execute-api.us-east-1.amazonaws.com/prod/pets/1', 'prod')).toEqual({
      method: 'GET',
      path: '/pets/1',
    });
    expect(() => parseRequestLine('FETCH /pets', 'prod')).toThrow(/unknown HTTP method/);
  });
});
