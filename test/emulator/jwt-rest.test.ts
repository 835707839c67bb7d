import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWTPayload } from 'jose';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import type { Authorizer } from '../../src/model/types.js';
import { config, headerSource, jwtAuthorizer, model, route } from '../support/models.js';
import { UNAUTHORIZED, call, outcome } from './helpers.js';
import { sign, signingKey, startIssuers, type LocalIssuer, type SigningKey } from './jwt-issuer.js';

const NOW_S = 1_800_000_000;

let issuers: Awaited<ReturnType<typeof startIssuers>>;
let first: LocalIssuer;
let second: LocalIssuer;
let rsa: SigningKey;
let ec: SigningKey;
let other: SigningKey;
let gw: RunningGateway;

/** A REST JWT authorizer over two issuers, each with its own audiences and claim rules. */
function restJwt(name: string, algorithms: ('RS256' | 'ES256')[]): Authorizer {
  // REST syntax for the source; `jwt` replaces the builder's one-issuer settings with both issuers.
  return jwtAuthorizer(name, first.issuer, ['first-aud'], {
    identitySources: [headerSource('Authorization')],
    jwt: {
      algorithms,
      issuers: [
        {
          issuer: first.issuer,
          audiences: ['first-aud'],
          claims: [
            { name: 'token_use', values: ['access'], required: true },
            { name: 'tenant', values: ['t1', 't2'], required: false },
            { name: 'department', values: [], required: true },
          ],
        },
        { issuer: second.issuer, audiences: ['second-aud'], claims: [] },
      ],
    },
  });
}

function firstClaims(extra: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = {
    iss: first.issuer,
    sub: 'u1',
    aud: 'first-aud',
    exp: NOW_S + 600,
    iat: NOW_S - 10,
    token_use: 'access',
    department: 'sales',
    scope: 'orders/read',
    level: 42,
    roles: ['user', 'editor'],
    ...extra,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as JWTPayload;
}

beforeAll(async () => {
  [rsa, ec, other] = await Promise.all([signingKey('r1'), signingKey('e1', 'ES256'), signingKey('o1')]);
  issuers = await startIssuers({ first: [rsa, ec], second: [other] });
  first = issuers.first as LocalIssuer;
  second = issuers.second as LocalIssuer;
  gw = await startGateway({
    model: model({
      authorizers: [restJwt('RestJwt', ['RS256', 'ES256']), restJwt('RsaOnly', ['RS256'])],
      routes: [
        route('GET', '/orders', 'RestJwt', ['orders/read']),
        route('GET', '/any', 'RestJwt'),
        route('GET', '/rsa', 'RsaOnly'),
      ],
    }),
    config: config(),
    now: () => NOW_S * 1000,
  });
});
afterAll(async () => {
  await gw.stop();
  await issuers.stopAll();
});

const get = (path: string, authorization?: string) =>
  call(`${gw.url}${path}`, authorization === undefined ? {} : { headers: { Authorization: authorization } });

describe('REST JWT authorizer', () => {
  it('lets a valid token through, raw or with "Bearer ", and hands the claims JSON-typed', async () => {
    const token = await sign(rsa, firstClaims());
    for (const value of [token, `Bearer ${token}`]) {
      const reply = await get('/orders', value);
      expect(reply.status).toBe(200);
      expect(reply.body?.authorizer).toMatchObject({ claims: { level: 42, roles: ['user', 'editor'] } });
    }
  });

  it('answers failures like REST: 401 Unauthorized through UNAUTHORIZED, no www-authenticate', async () => {
    const expired = await sign(rsa, firstClaims({ exp: NOW_S - 1 }));
    for (const [value, cause] of [
      [undefined, 'token-missing'],
      ['nope', 'jwt-malformed'],
      [expired, 'jwt-expired'],
    ] as const) {
      const reply = await get('/orders', value);
      expect(outcome(reply)).toEqual(UNAUTHORIZED);
      expect(reply.headers.get('www-authenticate')).toBeNull();
      expect(reply.headers.get('x-apigw-authz-cause')).toBe(cause);
    }
  });

  it('answers a missing scope 403 {"message":"Forbidden"} through ACCESS_DENIED', async () => {
    const reply = await get('/orders', await sign(rsa, firstClaims({ scope: 'profile', scp: ['x'] })));
    expect(outcome(reply)).toEqual({
      status: 403,
      body: '{"message":"Forbidden"}',
      errorType: 'AccessDeniedException',
    });
    expect(
      (await get('/orders', await sign(rsa, firstClaims({ scope: undefined, scp: ['orders/read'] })))).status,
    ).toBe(200);
  });

  it('applies the allow-list: ES256 where it is listed, not where only RS256 is', async () => {
    const es = await sign(ec, firstClaims());
    expect((await get('/orders', es)).status).toBe(200);
    const refused = await get('/rsa', es);
    expect([refused.status, refused.headers.get('x-apigw-authz-cause')]).toEqual([
      401,
      'jwt-alg-not-allowed',
    ]);
  });

  it('checks each issuer with its own keys and audiences', async () => {
    const secondToken = await sign(other, { iss: second.issuer, aud: 'second-aud', exp: NOW_S + 60 });
    expect((await get('/any', secondToken)).status).toBe(200);
    const crossed = await sign(other, { iss: second.issuer, aud: 'first-aud', exp: NOW_S + 60 });
    expect((await get('/any', crossed)).headers.get('x-apigw-authz-cause')).toBe('aud-mismatch');
    // The second issuer's iss with the first issuer's key: its keys do not verify it.
    const wrongKey = await sign(
      rsa,
      { iss: second.issuer, aud: 'second-aud', exp: NOW_S + 60 },
      { kid: 'o1' },
    );
    expect((await get('/any', wrongKey)).headers.get('x-apigw-authz-cause')).toBe('jwt-signature-invalid');
  });

  it('applies claim rules: required must be present, present must match, absent and optional passes', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ token_use: undefined }, 401, 'jwt-claim-missing'],
      [{ token_use: 'id' }, 401, 'jwt-claim-mismatch'],
      [{ tenant: 't3' }, 401, 'jwt-claim-mismatch'],
      [{ tenant: 1 }, 401, 'jwt-claim-mismatch'],
      [{ department: undefined }, 401, 'jwt-claim-missing'],
      [{ tenant: 't2', department: 'anything' }, 200, 'allowed'],
      [{ tenant: undefined }, 200, 'allowed'],
    ];
    for (const [extra, status, cause] of cases) {
      const reply = await get('/orders', await sign(rsa, firstClaims(extra)));
      expect([reply.status, reply.headers.get('x-apigw-authz-cause')]).toEqual([status, cause]);
    }
  });
});
