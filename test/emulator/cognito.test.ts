import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoSettings } from '../../src/config/types.js';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { renderCollection } from '../../src/render/index.js';
import { itemFor, prerequestCode } from '../render/collection-helpers.js';
import { handPlan } from '../render/plans.js';
import { runScript } from '../render/sandbox.js';
import { UNAUTHORIZED, call, outcome } from './helpers.js';
import { cognitoAuthorizer, config, model, route } from '../support/models.js';

const NOW_S = 1_700_000_000;
const POOL = 'us-east-1_Local';
const KID = 'test-key-1';

function cognitoSettings(extra: Partial<CognitoSettings>): CognitoSettings {
  return {
    callbackUrl: 'https://oauth.pstmn.io/v1/callback',
    tokenFlow: 'static',
    idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
    ...extra,
  };
}

let jwksServer: Server;
let jwksBase: string;
let key: CryptoKey;
let foreignKey: CryptoKey;

async function sign(claims: JWTPayload, signingKey: CryptoKey = key): Promise<string> {
  return new SignJWT({ iat: NOW_S - 60, exp: NOW_S + 3600, sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .sign(signingKey);
}

beforeAll(async () => {
  ({ privateKey: foreignKey } = await generateKeyPair('RS256'));
});

describe('Cognito user pool authorizer', () => {
  let gw: RunningGateway;
  let issuer: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    jwksServer = createServer((req, res) => {
      if (req.url === `/${POOL}/.well-known/jwks.json`) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksBase = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    issuer = `${jwksBase}/${POOL}`;

    tokens.id = await sign({ iss: issuer, token_use: 'id', aud: 'client-1', email: 'alice@example.com' });
    tokens.access = await sign({
      iss: issuer,
      token_use: 'access',
      client_id: 'client-1',
      scope: 'openid pets/read',
    });
    tokens.unscopedAccess = await sign({
      iss: issuer,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
    });
    tokens.expired = await sign({ iss: issuer, token_use: 'id', iat: NOW_S - 7200, exp: NOW_S - 3600 });
    tokens.foreign = await sign({ iss: issuer, token_use: 'id' }, foreignKey);
    tokens.foreignExpired = await sign({ iss: issuer, token_use: 'id', exp: NOW_S - 10 }, foreignKey);
    tokens.otherIssuer = await sign({ iss: `${jwksBase}/us-east-1_Other`, token_use: 'id' });
    const [h, p, s] = tokens.id.split('.') as [string, string, string];
    const tampered = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' };
    tokens.tampered = `${h}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${s}`;
    tokens.stripped = `${h}.${p}.`;
    tokens.algNone = new UnsecuredJWT({
      iss: issuer,
      token_use: 'id',
      sub: 'user-1',
      exp: NOW_S + 3600,
    }).encode();
    tokens.spaced = `${tokens.id.slice(0, 20)} ${tokens.id.slice(20)}`;

    gw = await startGateway({
      model: model({
        authorizers: [cognitoAuthorizer('CognitoAuth', [POOL])],
        routes: [
          route('GET', '/pets', 'CognitoAuth'),
          route('GET', '/pets/{petId}', 'CognitoAuth', ['pets/read', 'pets/admin']),
        ],
      }),
      config: config({ CognitoAuth: { cognito: cognitoSettings({ issuer }) } }),
      now: () => NOW_S * 1000,
    });
  });
  afterAll(async () => {
    await gw.stop();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  /** A token by name; a typo must fail loudly, not send no header (which is a 401 for another reason). */
  const tok = (name: string): string => {
    const value = tokens[name];
    if (value === undefined) throw new Error(`no token ${name}`);
    return value;
  };
  const get = (p: string, authorization?: string) =>
    call(`${gw.url}${p}`, { headers: authorization === undefined ? {} : { Authorization: authorization } });

  it('allows an ID token on a method without scopes and hands the claims to the integration', async () => {
    const reply = await get('/pets', tok('id'));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      principalId: 'user-1',
      authorizer: { claims: { email: 'alice@example.com', token_use: 'id', iss: issuer } },
    });
  });

  it('allows an access token carrying one of the method scopes', async () => {
    expect((await get('/pets/42', tok('access'))).status).toBe(200);
  });

  it('answers "The incoming token has expired" for an expired genuine token', async () => {
    expect(outcome(await get('/pets', tok('expired')))).toEqual({
      status: 401,
      body: '{"message":"The incoming token has expired"}',
      errorType: 'UnauthorizedException',
    });
  });

  it.each([
    ['an access token where an ID token is expected', '/pets', 'access'],
    ['an ID token where an access token is expected', '/pets/42', 'id'],
    ['an access token without the method scope', '/pets/42', 'unscopedAccess'],
    ['a token signed by a foreign key', '/pets', 'foreign'],
    ['an expired token signed by a foreign key', '/pets', 'foreignExpired'],
    ['a token of another pool', '/pets', 'otherIssuer'],
    ['a tampered payload', '/pets', 'tampered'],
    ['a stripped signature', '/pets', 'stripped'],
    ['alg none', '/pets', 'algNone'],
    ['a space inside the token', '/pets', 'spaced'],
  ])('answers 401 Unauthorized for %s', async (_name, p, which) => {
    expect(outcome(await get(p, tok(which)))).toEqual(UNAUTHORIZED);
  });

  it.each([
    ['not a JWT', 'not-a-jwt'],
    ['three garbage parts', 'a.b.c'],
  ])('answers 401 Unauthorized for %s', async (_name, value) => {
    expect(outcome(await get('/pets', value))).toEqual(UNAUTHORIZED);
  });

  it('accepts `Bearer <jwt>` as REST Cognito authorizers do, with the same checks as the raw token', async () => {
    const reply = await get('/pets', `Bearer ${tok('id')}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ principalId: 'user-1', authorizer: { claims: { token_use: 'id' } } });
    expect((await get('/pets/42', `Bearer ${tok('access')}`)).status).toBe(200);
    // the prefix changes nothing else: wrong token kind, expiry and forgeries still fail
    expect(outcome(await get('/pets', `Bearer ${tok('access')}`))).toEqual(UNAUTHORIZED);
    expect((await get('/pets', `Bearer ${tok('expired')}`)).status).toBe(401);
    expect(outcome(await get('/pets', `Bearer ${tok('foreign')}`))).toEqual(UNAUTHORIZED);
  });

  it.each([
    ['a lower-case scheme', (t: string) => `bearer ${t}`],
    ['two spaces after Bearer', (t: string) => `Bearer  ${t}`],
    ['another scheme', (t: string) => `Token ${t}`],
    ['the prefix twice', (t: string) => `Bearer Bearer ${t}`],
    ['the prefix glued to the token', (t: string) => `Bearer${t}`],
  ])('rejects %s in front of a valid token', async (_name, wrap) => {
    expect(outcome(await get('/pets', wrap(tok('id'))))).toEqual(UNAUTHORIZED);
  });

  it.each([0, 1, 2])('rejects a valid token with a space inside segment %i (strict base64url)', async (i) => {
    const parts = tok('id').split('.');
    const part = parts[i] as string;
    parts[i] = `${part.slice(0, part.length >> 1)} ${part.slice(part.length >> 1)}`;
    const spaced = parts.join('.');
    expect(outcome(await get('/pets', spaced))).toEqual(UNAUTHORIZED);
    expect(outcome(await get('/pets', `Bearer ${spaced}`))).toEqual(UNAUTHORIZED);
  });

  it.each([
    [
      'standard base64 (+ / =) in the signature',
      (s: string) => `${s.replace(/-/g, '+').replace(/_/g, '/')}==`,
    ],
    ['a trailing newline escape in the signature', (s: string) => `${s}%0A`],
    ['an impossible signature length', (s: string) => `${s}${'A'.repeat((5 - (s.length % 4)) % 4)}`],
  ])('rejects a valid token with %s', async (_name, change) => {
    const [h, p, sig] = tok('id').split('.') as [string, string, string];
    expect(outcome(await get('/pets', `${h}.${p}.${change(sig)}`))).toEqual(UNAUTHORIZED);
  });

  it('rejects the generated space-inside forgery (templates/forge-token.js) for tokens of every length', async () => {
    const collection = renderCollection(handPlan());
    const item = itemFor(collection, 'GET', '/pets', 'ID token, space-inside');
    for (let n = 0; n < 12; n++) {
      const genuine = await sign({ iss: issuer, token_use: 'id', aud: 'client-1', name: 'x'.repeat(n) });
      // the genuine token passes, so the 401 below is the space's doing
      expect((await get('/pets', genuine)).status, `genuine, length ${genuine.length}`).toBe(200);
      const run = runScript(prerequestCode(item), {
        requestName: item.name,
        collectionVariables: {
          '_CognitoAuth.idToken': genuine,
          '_CognitoAuth.accessToken': genuine,
          '_CognitoAuth.unscopedAccessToken': genuine,
          '_CognitoAuth.expiresAt': String(Date.now() + 3_600_000),
        },
      });
      const forged = run.locals.get('_forged') ?? '';
      expect(forged.replace(' ', '')).toBe(genuine);
      expect(outcome(await get('/pets', forged)), `forged, length ${genuine.length}`).toEqual(UNAUTHORIZED);
    }
  });

  it('answers 401 for a missing header before verifying anything', async () => {
    const before = gw.stats().authorizers.CognitoAuth;
    expect(outcome(await get('/pets'))).toEqual(UNAUTHORIZED);
    const after = gw.stats().authorizers.CognitoAuth;
    expect(after?.rejectedBeforeInvoke).toBe((before?.rejectedBeforeInvoke ?? 0) + 1);
    expect(after?.invocations).toBe(before?.invocations);
  });
});

describe('Cognito authorizer with several pools, the default issuer and an aud validation expression', () => {
  it('accepts tokens of any listed pool and checks aud against the expression', async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256' };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    const gw = await startGateway({
      model: model({
        authorizers: [
          cognitoAuthorizer('Multi', ['us-east-1_PoolA', 'us-east-1_PoolB'], {
            validationExpression: '^client-[0-9]+$',
          }),
        ],
        routes: [route('GET', '/me', 'Multi')],
      }),
      config: config({ Multi: { cognito: cognitoSettings({ jwksUrl }) } }),
      now: () => NOW_S * 1000,
    });
    try {
      const awsIssuer = (pool: string) => `https://cognito-idp.us-east-1.amazonaws.com/${pool}`;
      const token = (pool: string, aud: string) =>
        sign({ iss: awsIssuer(pool), token_use: 'id', aud }, pair.privateKey);
      const get = async (t: Promise<string>) =>
        (await call(`${gw.url}/me`, { headers: { Authorization: await t } })).status;
      expect(await get(token('us-east-1_PoolA', 'client-1'))).toBe(200);
      expect(await get(token('us-east-1_PoolB', 'client-2'))).toBe(200);
      expect(await get(token('us-east-1_PoolC', 'client-1'))).toBe(401);
      expect(await get(token('us-east-1_PoolA', 'other-app'))).toBe(401);
    } finally {
      await gw.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
