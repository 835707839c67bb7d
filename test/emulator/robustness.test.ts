import { request } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { CONFIG_ERROR, FIXTURES, UNAUTHORIZED, call, outcome } from './helpers.js';
import { cognitoAuthorizer, config, model, route, tokenAuthorizer, userPool } from '../support/models.js';

/** A URL on 127.0.0.1 where nothing listens: bind a port, then free it. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/us-east-1_Down`;
}

/** Raw GET with a header too large for Node's parser; resolves with the status or the socket error. */
function rawGet(port: number, p: string, headers: Record<string, string>): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: p, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error) => resolve(error.message));
    req.end();
  });
}

const cognito = cognitoAuthorizer('CognitoAuth', [], { userPools: [userPool('us-east-1_Down', '1')] });

describe('the gateway keeps serving', () => {
  let gw: RunningGateway;
  let downIssuer: string;
  beforeAll(async () => {
    const issuer = await deadUrl();
    downIssuer = issuer;
    gw = await startGateway({
      model: model({
        authorizers: [
          tokenAuthorizer('Broken', { ttlSeconds: 300 }),
          tokenAuthorizer('NoHandler'),
          tokenAuthorizer('Missing'),
          tokenAuthorizer('Good', { validationExpression: '^[a-z-]+$' }),
          cognito,
        ],
        routes: [
          route('GET', '/health'),
          route('GET', '/broken', 'Broken'),
          route('GET', '/no-handler', 'NoHandler'),
          route('GET', '/missing', 'Missing'),
          route('GET', '/good/{id}', 'Good'),
          route('GET', '/pets', 'CognitoAuth'),
        ],
      }),
      config: config({
        Broken: { handler: path.join(FIXTURES, 'throws-at-load.mjs') },
        NoHandler: { handler: path.join(FIXTURES, 'no-handler.mjs') },
        Missing: { handler: path.join(FIXTURES, 'does-not-exist.mjs') },
        CognitoAuth: {
          cognito: { callbackUrl: 'x', tokenFlow: 'static', idpEndpoint: 'x', issuer },
        },
      }),
    });
  });
  afterAll(() => gw.stop());

  const healthy = async () => expect((await call(`${gw.url}/health`)).status).toBe(200);

  it.each([
    ['a handler module that throws while loading', '/broken'],
    ['a module without a handler export', '/no-handler'],
    ['a handler file that does not exist', '/missing'],
  ])('answers 500 AuthorizerConfigurationException for %s, every time', async (_name, p) => {
    for (let i = 0; i < 2; i++) {
      expect(outcome(await call(`${gw.url}${p}`, { headers: { 'X-Auth-Token': 'allow' } }))).toEqual(
        CONFIG_ERROR,
      );
    }
    await healthy();
    expect((await call(`${gw.url}/good/1`, { headers: { 'X-Auth-Token': 'allow' } })).status).toBe(200);
  });

  it('does not cache a failed authorizer call', () => {
    expect(gw.stats().authorizers.Broken).toEqual({ invocations: 2, cacheHits: 0, rejectedBeforeInvoke: 0 });
  });

  it('answers 401 when the JWKS URL is down (a genuinely signed token of the trusted issuer)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({ iss: downIssuer, token_use: 'id', sub: 'u' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setExpirationTime('1h')
      .sign(privateKey);
    const before = gw.stats().authorizers.CognitoAuth?.invocations ?? 0;
    expect(outcome(await call(`${gw.url}/pets`, { headers: { Authorization: jwt } }))).toEqual(UNAUTHORIZED);
    expect(gw.stats().authorizers.CognitoAuth?.invocations).toBe(before + 1);
    await healthy();
  });

  it.each([
    ['control characters in a token', 'a\tb'],
    ['a 9000-character token', 'a'.repeat(9000)],
    ['non-ASCII bytes', 'tøken'],
    ['JSON in a token', '{"alg":"none"}'],
  ])('answers malformed tokens (%s) with 401', async (_name, value) => {
    const status = await rawGet(gw.port, '/prod/good/1', { 'X-Auth-Token': value });
    expect(status).toBe(401);
    await healthy();
  });

  it.each([
    ['an Authorization header that is not a JWT', 'garbage'],
    ['a JWT with a broken header', 'e30.e30.e30'],
    [
      'a JWT of unknown issuer',
      `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"iss":"https://evil"}').toString('base64url')}.x`,
    ],
  ])('answers %s on a Cognito route with 401', async (_name, value) => {
    expect(outcome(await call(`${gw.url}/pets`, { headers: { Authorization: value } }))).toEqual(
      UNAUTHORIZED,
    );
  });

  it('survives an oversized header (Node rejects it) and a bad percent-encoding', async () => {
    const status = await rawGet(gw.port, '/prod/good/1', { 'X-Auth-Token': 'a'.repeat(20 * 1024) });
    expect(status === 431 || typeof status === 'string').toBe(true);
    expect(
      (await call(`${gw.url}/good/%E0%A4%A`, { headers: { 'X-Auth-Token': 'allow' } })).body?.pathParameters,
    ).toEqual({
      id: '%E0%A4%A',
    });
    await healthy();
  });

  it('answers 413 for a body over 10 MB', async () => {
    const reply = await call(`${gw.url}/health`, {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(reply.status).toBe(413);
    await healthy();
  });
});
