import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWTPayload } from 'jose';
import { startGateway, type GatewayFaults } from '../../src/emulator/index.js';
import {
  API_ID,
  REGION,
  config,
  httpLambdaAuthorizer,
  jwtAuthorizer,
  model,
  route,
} from '../support/models.js';
import { call } from './helpers.js';
import {
  algNone,
  hs256WithPublicKey,
  sign,
  signingKey,
  startIssuers,
  type LocalIssuer,
  type SigningKey,
} from './jwt-issuer.js';

const NOW_S = 1_800_000_000;
const TOKEN = 'orders-token-1';

let issuers: Awaited<ReturnType<typeof startIssuers>>;
let local: LocalIssuer;
let rsa: SigningKey;
let ec: SigningKey;

interface Probe {
  name: string;
  path: string;
  method?: string;
  headers: Record<string, string>;
}
let probes: Probe[];

beforeAll(async () => {
  [rsa, ec] = await Promise.all([signingKey('k1'), signingKey('e1', 'ES256')]);
  issuers = await startIssuers({ local: [rsa, ec] });
  local = issuers.local as LocalIssuer;
  const claims = (extra: Record<string, unknown> = {}): JWTPayload => ({
    iss: local.issuer,
    sub: 'u1',
    aud: 'orders-api',
    exp: NOW_S + 600,
    iat: NOW_S - 10,
    scope: 'orders/read',
    ...extra,
  });
  const jwt = (token: string) => ({ Authorization: `Bearer ${token}` });
  // In order: the Lambda probes rely on the cache filled by the first of them.
  probes = [
    { name: 'valid token', path: '/orders', headers: jwt(await sign(rsa, claims())) },
    { name: 'wrong audience', path: '/orders', headers: jwt(await sign(rsa, claims({ aud: 'other-api' }))) },
    { name: 'no route scope', path: '/orders', headers: jwt(await sign(rsa, claims({ scope: 'openid' }))) },
    {
      name: 'other issuer',
      path: '/orders',
      headers: jwt(await sign(rsa, claims({ iss: 'https://other-issuer.example' }))),
    },
    {
      name: 'HS256 keyed with the public key',
      path: '/orders',
      headers: jwt(hs256WithPublicKey(rsa, claims())),
    },
    { name: 'alg none', path: '/orders', headers: jwt(algNone(claims(), 'k1')) },
    { name: 'expired (control)', path: '/orders', headers: jwt(await sign(rsa, claims({ exp: NOW_S - 5 }))) },
    { name: 'ES256 (control)', path: '/orders', headers: jwt(await sign(ec, claims())) },
    { name: 'valid identity', path: '/reports?tenant=tenant-1', headers: { 'X-Api-Token': TOKEN } },
    { name: 'identity source missing', path: '/reports', headers: { 'X-Api-Token': TOKEN } },
    {
      name: 'same token, other tenant, other route',
      path: '/inventory/sku-1?tenant=tenant-2',
      method: 'POST',
      headers: { 'X-Api-Token': TOKEN },
    },
    { name: 'unknown token (control)', path: '/reports?tenant=tenant-1', headers: { 'X-Api-Token': 'nope' } },
  ];
});
afterAll(() => issuers.stopAll());

/** The status of every probe, in order, against a fresh gateway with `faults`. */
async function statuses(faults: GatewayFaults): Promise<Record<string, number>> {
  const gw = await startGateway({
    model: model({
      api: { kind: 'HTTP', id: API_ID, name: 'faults-lab', region: REGION },
      stage: { name: '$default', baseUrl: 'https://example.invalid', variables: {} },
      authorizers: [jwtAuthorizer('Jwt', local.issuer, ['orders-api']), httpLambdaAuthorizer('LambdaAuth')],
      routes: [
        route('GET', '/orders', 'Jwt', ['orders/read']),
        route('GET', '/reports', 'LambdaAuth'),
        route('ANY', '/inventory/{proxy+}', 'LambdaAuth'),
      ],
    }),
    config: config({
      LambdaAuth: {
        validIdentity: { '$request.header.X-Api-Token': TOKEN, '$request.querystring.tenant': 'tenant-1' },
      },
    }),
    now: () => NOW_S * 1000,
    faults,
  });
  try {
    const result: Record<string, number> = {};
    for (const probe of probes) {
      result[probe.name] = (
        await call(`${gw.url}${probe.path}`, { method: probe.method ?? 'GET', headers: probe.headers })
      ).status;
    }
    return result;
  } finally {
    await gw.stop();
  }
}

describe('faults: each broken gateway changes exactly the answers of its own check', () => {
  let baseline: Record<string, number>;
  beforeAll(async () => {
    baseline = await statuses({});
  });

  it('answers every probe as AWS does without faults', () => {
    expect(baseline).toEqual({
      'valid token': 200,
      'wrong audience': 401,
      'no route scope': 403,
      'other issuer': 401,
      'HS256 keyed with the public key': 401,
      'alg none': 401,
      'expired (control)': 401,
      'ES256 (control)': 401,
      'valid identity': 200,
      'identity source missing': 401,
      'same token, other tenant, other route': 403,
      'unknown token (control)': 403,
    });
  });

  it.each<[keyof GatewayFaults, Record<string, number>]>([
    ['jwtSkipAudience', { 'wrong audience': 200 }],
    ['jwtSkipScopes', { 'no route scope': 200 }],
    ['jwtSkipIssuer', { 'other issuer': 200 }],
    ['jwtSkipAlgorithmAllowList', { 'HS256 keyed with the public key': 200, 'alg none': 200 }],
    // Invoked with the tenant missing, the Lambda refuses: 403 where API Gateway answers 401 itself.
    ['lambdaSkipIdentitySourceCheck', { 'identity source missing': 403 }],
    ['lambdaCacheByFirstSourceOnly', { 'same token, other tenant, other route': 200 }],
  ])('%s', async (fault, changed) => {
    const answers = await statuses({ [fault]: true });
    const differences = Object.fromEntries(
      Object.entries(answers).filter(([name, s]) => baseline[name] !== s),
    );
    expect(differences).toEqual(changed);
  });
});
