import { createPublicKey, createVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { Forgery } from '../../src/cases/types.js';
import { renderCollection } from '../../src/render/index.js';
import { caseDescriptorOf } from '../../src/run/case-descriptor.js';
import { itemFor, prerequestCode } from './collection-helpers.js';
import { decodeSegment, makePoolKey, signJwt } from './jwt.js';
import { LAMBDA_JWT, handPlan } from './plans.js';
import { failures, runScript } from './sandbox.js';

const collection = renderCollection(handPlan());
const pool = makePoolKey('pool-kid-42');
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1';
const REAL = signJwt(pool, { sub: 'alice', iss: ISSUER, token_use: 'id', exp: 4102444800 });
const foreignJwk = JSON.parse(
  readFileSync(new URL('../../templates/foreign-test-key.json', import.meta.url), 'utf8'),
) as {
  kty: string;
  n: string;
  e: string;
};
const foreignPublic = createPublicKey({
  key: { kty: foreignJwk.kty, n: foreignJwk.n, e: foreignJwk.e },
  format: 'jwk',
});

/** The token cache as the Cognito token logic leaves it for the rest of the run (fresh, so no fetch). */
function cachedTokens(idToken: string): Record<string, string> {
  return {
    '_CognitoAuth.idToken': idToken,
    '_CognitoAuth.accessToken': REAL,
    '_CognitoAuth.unscopedAccessToken': REAL,
    '_CognitoAuth.expiresAt': String(4102444800000),
  };
}

function forge(forgery: Forgery, token: string | null = REAL) {
  const item = itemFor(collection, 'GET', '/pets', `ID token, ${forgery}`);
  return runScript(prerequestCode(item), {
    requestName: item.name,
    // a missing token: the fetch failed earlier in the run (recorded once, not retried)
    collectionVariables:
      token === null
        ? { '_apigwAuthz.tokenError.CognitoAuth': '{"summary":"CognitoAuth token fetch: failed"}' }
        : cachedTokens(token),
  });
}

function verifies(token: string, key: KeyObject): boolean {
  const [h, p, s] = token.split('.');
  return createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s!, 'base64url'));
}

const [realHeader, realPayload, realSignature] = REAL.split('.') as [string, string, string];

describe('forge-token.js', () => {
  it('reads what to forge from the case descriptor in the request description', () => {
    const item = itemFor(collection, 'GET', '/pets', 'ID token, alg-none');
    expect(caseDescriptorOf(item)).toMatchObject({
      name: '[GET] /pets - deny: ID token, alg-none',
      key: 'GET /pets#forged-alg-none',
      category: 'forged',
      expect: { outcome: 'rejected', statuses: [401] },
      token: { authorizer: 'CognitoAuth', use: 'id' },
      forge: { forgery: 'alg-none', source: '{{_CognitoAuth.idToken}}' },
    });
    expect(forge('alg-none').sent).toEqual([]); // the cached token is used, nothing is fetched
  });

  it('tampered-payload: changed claims, original header and signature', () => {
    const forged = forge('tampered-payload').locals.get('_forged')!;
    const [h, p, s] = forged.split('.');
    expect(h).toBe(realHeader);
    expect(s).toBe(realSignature);
    expect(decodeSegment(p!)).toEqual({ ...decodeSegment(realPayload), sub: 'alice-apigw-authz-tampered' });
  });

  it('stripped-signature: header.payload.', () => {
    expect(forge('stripped-signature').locals.get('_forged')).toBe(`${realHeader}.${realPayload}.`);
  });

  it('alg-none: {"alg":"none","typ":"JWT"} header, same claims, no signature', () => {
    const [h, p, s] = forge('alg-none').locals.get('_forged')!.split('.');
    expect(decodeSegment(h!)).toEqual({ alg: 'none', typ: 'JWT' });
    expect(p).toBe(realPayload);
    expect(s).toBe('');
  });

  it('foreign-key: same header (kid) and claims, a valid RS256 signature of the public foreign test key', () => {
    const run = forge('foreign-key');
    expect(failures(run)).toEqual([]);
    const forged = run.locals.get('_forged')!;
    const [h, p] = forged.split('.');
    expect(h).toBe(realHeader);
    expect(p).toBe(realPayload);
    expect(verifies(forged, foreignPublic)).toBe(true);
    expect(verifies(forged, pool.publicKey)).toBe(false);
    expect(verifies(REAL, pool.publicKey)).toBe(true);
    // deterministic: PKCS#1 v1.5 has no randomness
    expect(forge('foreign-key').locals.get('_forged')).toBe(forged);
  });

  it('other-issuer: iss of another pool in the same region, signed with the foreign key', () => {
    const forged = forge('other-issuer').locals.get('_forged')!;
    const [h, p] = forged.split('.');
    expect(h).toBe(realHeader);
    expect(decodeSegment(p!)).toEqual({
      ...decodeSegment(realPayload),
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ForeignPool',
    });
    expect(verifies(forged, foreignPublic)).toBe(true);
  });

  it('other-issuer works for local stand-in issuers too', () => {
    const local = signJwt(pool, { iss: 'http://127.0.0.1:9229/local_5PYvb2aV' });
    const p = forge('other-issuer', local).locals.get('_forged')!.split('.')[1]!;
    expect(decodeSegment(p).iss).toBe('http://127.0.0.1:9229/local_ForeignPool');
  });

  it('space-inside: the same token with one space in the middle of the payload segment', () => {
    const forged = forge('space-inside').locals.get('_forged')!;
    expect(forged.split(' ')).toHaveLength(2);
    expect(forged.replace(' ', '')).toBe(REAL);
    expect(forged.indexOf(' ')).toBe(realHeader.length + 1 + Math.floor(realPayload.length / 2));
  });

  it('space-inside: the space lands between two payload characters for tokens of every length', () => {
    for (let n = 0; n < 24; n++) {
      const token = signJwt(pool, { sub: 'u'.repeat(n), iss: ISSUER, token_use: 'id' });
      const forged = forge('space-inside', token).locals.get('_forged')!;
      const at = forged.indexOf(' ');
      expect(forged.replace(' ', ''), `length ${token.length}`).toBe(token);
      // inside the payload: after the first dot, before the second, and never next to either
      expect(forged.split('.').map((part) => part.includes(' '))).toEqual([false, true, false]);
      expect(forged[at - 1]).toMatch(/^[A-Za-z0-9_-]$/);
      expect(forged[at + 1]).toMatch(/^[A-Za-z0-9_-]$/);
    }
  });

  it('space-inside: an opaque token gets the space between two of its characters', () => {
    expect(forge('space-inside', 'abcdef').locals.get('_forged')).toBe('abc def');
    expect(forge('space-inside', 'ab').locals.get('_forged')).toBe('a b');
  });

  it('forges from a value source (a Lambda TOKEN JWT variable)', () => {
    const item = itemFor(collection, 'GET', '/orders', 'JWT with alg none');
    const run = runScript(prerequestCode(item), {
      requestName: item.name,
      variables: { 'TokenAuth.jwt': LAMBDA_JWT },
    });
    expect(failures(run)).toEqual([]);
    expect(run.locals.get('_forged')).toBe(
      `eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.${LAMBDA_JWT.split('.')[1]}.`,
    );
  });

  it('sends an empty token (never {{_forged}}) and leaves the verdict to the test script when the real token is missing', () => {
    const run = forge('foreign-key', null);
    expect(run.locals.get('_forged')).toBe('');
    expect(failures(run)).toEqual([]); // blocked, not failed: see assert-case.test.ts
  });

  it.each<[string, string]>([
    ['not a JWT', 'opaque-token'],
    // strict base64url: a decoder that skips foreign characters would take these for JWTs
    [
      'a JWT with a space in its payload',
      `${realHeader}.${realPayload.slice(0, 8)} ${realPayload.slice(8)}.${realSignature}`,
    ],
    [
      'a JWT with standard base64 (+ / =) in its signature',
      `${realHeader}.${realPayload}.${realSignature}+/==`,
    ],
    [
      'a JWT whose header has an impossible length',
      `${realHeader}${'A'.repeat((5 - (realHeader.length % 4)) % 4)}.${realPayload}.${realSignature}`,
    ],
  ])(
    'fails the request (and sends an empty token, never {{_forged}}) when the real token is %s',
    (_label, token) => {
      const run = forge('foreign-key', token);
      expect(run.locals.get('_forged')).toBe('');
      expect(failures(run)).toEqual([expect.stringContaining('cannot forge the foreign-key token')]);
    },
  );
});
