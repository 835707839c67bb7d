/**
 * The JWT authorizer forgeries of templates/forge-token.js: `hs256-public-key` (algorithm confusion: HS256 keyed
 * with the issuer's RSA public key as the PEM text Node writes) and `unknown-kid` (a kid the key set lacks, signed
 * with the foreign test key). Node checks each forged token the way a vulnerable verifier and a strict one would.
 */

import { createHmac, createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { renderCollection } from '../../src/render/index.js';
import { itemFor, prerequestCode } from './collection-helpers.js';
import { jwtPlan } from './jwt-plans.js';
import { decodeSegment, makePoolKey, signJwt } from './jwt.js';
import type { PoolKey } from './jwt.js';
import { failures, runScript } from './sandbox.js';
import type { SentRequest, StubResponse } from './sandbox.js';

const collection = renderCollection(jwtPlan());
const ISSUER = 'http://127.0.0.1:9555/partner/';
const JWKS_URL = 'http://127.0.0.1:9555/partner/jwks';

function jwkOf(key: PoolKey): JsonWebKey {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' };
}

/** What a vulnerable verifier does with an HS256 token: HMAC with the PEM text of the issuer's key for the kid. */
function pemOf(jwk: JsonWebKey): string {
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
}

function hmacVerifies(token: string, pem: string): boolean {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', pem).update(`${h}.${p}`).digest('base64url') === s;
}

const signingKey = makePoolKey('partner-key-2');
const otherKey = makePoolKey('partner-key-1');
const JWKS = { keys: [jwkOf(otherKey), jwkOf(signingKey)] };
const REAL = signJwt(signingKey, { iss: ISSUER, sub: 'm2m', scope: 'orders:read', exp: 4102444800 });

function cache(token: string): Record<string, string> {
  return {
    '_PartnerJwt.accessToken': token,
    '_PartnerJwt.unscopedAccessToken': token,
    '_PartnerJwt.expiresAt': '4102444800000',
  };
}

function serve(jwks: unknown): (request: SentRequest) => StubResponse {
  return (request) => {
    if (request.url === JWKS_URL) return { code: 200, body: JSON.stringify(jwks) };
    if (request.url === `${ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`) {
      return { code: 200, body: JSON.stringify({ issuer: ISSUER, jwks_uri: JWKS_URL }) };
    }
    return { code: 404, body: '{}' };
  };
}

function forge(
  label: string,
  options: {
    token?: string;
    variables?: Record<string, string>;
    jwks?: unknown;
    extraCache?: Record<string, string>;
  } = {},
) {
  const item = itemFor(collection, 'GET', '/partner/orders', label);
  return runScript(prerequestCode(item), {
    requestName: item.name,
    variables: options.variables ?? { 'PartnerJwt.jwksUrl': JWKS_URL },
    collectionVariables: { ...cache(options.token ?? REAL), ...options.extraCache },
    send: serve(options.jwks ?? JWKS),
  });
}

const HS256 = 'HS256 signed with the issuer public key';

describe('forge-token.js: hs256-public-key', () => {
  it('header {"alg":"HS256","typ":"JWT","kid":<same kid>}, same claims, HMAC-SHA256 keyed with the PEM Node writes', () => {
    const run = forge(HS256);
    expect(failures(run)).toEqual([]);
    expect(run.sent.map((r) => r.url)).toEqual([JWKS_URL]);
    const forged = run.locals.get('_forged')!;
    const [h, p] = forged.split('.');
    expect(Buffer.from(h!, 'base64url').toString('utf8')).toBe(
      '{"alg":"HS256","typ":"JWT","kid":"partner-key-2"}',
    );
    expect(p).toBe(REAL.split('.')[1]);
    expect(hmacVerifies(forged, pemOf(jwkOf(signingKey)))).toBe(true);
    expect(hmacVerifies(forged, pemOf(jwkOf(otherKey)))).toBe(false);
    // deterministic
    expect(forge(HS256).locals.get('_forged')).toBe(forged);
  });

  it.each<[string, number, number]>([
    ['1024-bit', 1024, 65537],
    ['2048-bit', 2048, 65537],
    ['3072-bit', 3072, 65537],
    ['2048-bit, e = 3', 2048, 3],
  ])(
    'builds the SPKI PEM byte for byte as Node does for a %s key',
    (_label, modulusLength, publicExponent) => {
      const pair = generateKeyPairSync('rsa', { modulusLength, publicExponent });
      const key: PoolKey = { kid: `k-${modulusLength}-${publicExponent}`, ...pair };
      const token = signJwt(key, { iss: ISSUER, sub: 'x' });
      const forged = forge(HS256, { token, jwks: { keys: [jwkOf(key)] } }).locals.get('_forged')!;
      expect(hmacVerifies(forged, pemOf(jwkOf(key)))).toBe(true);
    },
  );

  it('without a key set URL, takes jwks_uri from the discovery document of the token issuer; fetches each document once per run', () => {
    const run = forge(HS256, { variables: {} });
    expect(failures(run)).toEqual([]);
    expect(run.sent.map((r) => r.url)).toEqual([
      'http://127.0.0.1:9555/partner/.well-known/openid-configuration',
      JWKS_URL,
    ]);
    expect(hmacVerifies(run.locals.get('_forged')!, pemOf(jwkOf(signingKey)))).toBe(true);
    const again = forge(HS256, { variables: {}, extraCache: Object.fromEntries(run.collectionVariables) });
    expect(again.sent).toEqual([]);
    expect(again.locals.get('_forged')).toBe(run.locals.get('_forged'));
  });

  it('fails the request (empty token, never {{_forged}}) when the key set has no key for the kid or cannot be had', () => {
    const noKey = forge(HS256, { jwks: { keys: [jwkOf(otherKey)] } });
    expect(noKey.locals.get('_forged')).toBe('');
    expect(failures(noKey)).toEqual([
      expect.stringContaining(`the key set at ${JWKS_URL} has no RSA key with kid "partner-key-2"`),
    ]);
    const down = forge(HS256, { variables: { 'PartnerJwt.jwksUrl': 'http://127.0.0.1:9555/gone' } });
    expect(failures(down)).toEqual([expect.stringContaining('answered 404')]);
  });
});

describe('forge-token.js: unknown-kid', () => {
  const foreign = JSON.parse(
    readFileSync(new URL('../../templates/foreign-test-key.json', import.meta.url), 'utf8'),
  ) as JsonWebKey;
  const foreignPublic = createPublicKey({ key: { kty: 'RSA', n: foreign.n, e: foreign.e }, format: 'jwk' });

  it('kid apigw-authz-unknown-kid, same claims, RS256 with the foreign test key; no key set fetched', () => {
    const run = forge('unknown kid');
    expect(failures(run)).toEqual([]);
    expect(run.sent).toEqual([]);
    const forged = run.locals.get('_forged')!;
    const [h, p, s] = forged.split('.');
    expect(decodeSegment(h!)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'apigw-authz-unknown-kid' });
    expect(p).toBe(REAL.split('.')[1]);
    expect(
      createVerify('RSA-SHA256').update(`${h}.${p}`).verify(foreignPublic, Buffer.from(s!, 'base64url')),
    ).toBe(true);
    expect(forge('unknown kid').locals.get('_forged')).toBe(forged);
  });
});
