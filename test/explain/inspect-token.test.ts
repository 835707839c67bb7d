/**
 * The pure checks of explain, one token or request built to fail exactly one check each, asserting the named cause;
 * and the five supplied-token mistakes of issue 9 (another pool, expired, ID token on a scoped method, a pasted
 * space, a `Bearer ` prefix).
 */

import { SignJWT, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkIdentitySources,
  checkSigV4,
  checkTokenSource,
  checkValidationRegex,
} from '../../src/explain/checks.js';
import { inspectToken, regexMismatch, tokenFactsFor, type TokenFacts } from '../../src/explain/index.js';
import {
  config,
  model,
  petstoreConfig,
  petstoreModel,
  requestAuthorizer,
  tokenAuthorizer,
} from '../support/models.js';

const NOW_S = 1_700_000_000;
const NOW_MS = NOW_S * 1000;
const POOL_ISS = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1';
const CLIENT = '4e2x8mple5cl1ent6id7abc890';
let key: CryptoKey;

async function jwt(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ iss: POOL_ISS, sub: 'u1', iat: NOW_S - 60, exp: NOW_S + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header })
    .sign(key);
}
const idToken = (extra: JWTPayload = {}) => jwt({ token_use: 'id', aud: CLIENT, ...extra });
const accessToken = (extra: JWTPayload = {}) =>
  jwt({ token_use: 'access', client_id: CLIENT, scope: 'pets/read', ...extra });

const facts = (extra: Partial<TokenFacts> = {}): TokenFacts => ({
  kind: 'COGNITO_USER_POOLS',
  issuers: [POOL_ISS],
  clientIds: [CLIENT],
  scopes: [],
  now: NOW_MS,
  ...extra,
});
const causes = (token: string, f: TokenFacts = facts()) =>
  inspectToken(token, f)
    .filter((x) => x.severity === 'error')
    .map((x) => x.cause);

beforeAll(async () => {
  ({ privateKey: key } = await generateKeyPair('RS256'));
});

describe('inspectToken: the supplied-token mistakes', () => {
  it('a valid ID token on a scope-less method has no error', async () => {
    expect(causes(await idToken())).toEqual([]);
  });

  it('names a token from another pool in the same region', async () => {
    const token = await idToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool9' });
    const [first] = inspectToken(token, facts());
    expect(first?.cause).toBe('issuer-other-pool');
    expect(first?.message).toContain('us-east-1_OtherPool9');
  });

  it('names the region of a token from a pool in another region', async () => {
    const token = await idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123' });
    const [first] = inspectToken(token, facts());
    expect(first?.cause).toBe('issuer-other-region');
    expect(first?.message).toMatch(/eu-west-1.*us-east-1/);
  });

  it('names an expired token with the time passed', async () => {
    const [first] = inspectToken(await idToken({ exp: NOW_S - 200 }), facts());
    expect(first?.cause).toBe('jwt-expired');
    expect(first?.message).toContain('3 min 20 s ago');
  });

  it('names a token not valid yet (nbf)', async () => {
    expect(causes(await idToken({ nbf: NOW_S + 120 }))).toEqual(['jwt-not-yet-valid']);
  });

  it('warns about a token that expires soon, with the time left', async () => {
    const findings = inspectToken(await idToken({ exp: NOW_S + 90 }), facts());
    expect(findings.find((f) => f.cause === 'token-expires-soon')?.message).toContain('1 min 30 s');
  });

  it('names an ID token on a scoped method', async () => {
    expect(causes(await idToken(), facts({ scopes: ['pets/write'] }))).toEqual(['access-token-required']);
  });

  it('names an access token on a scope-less method', async () => {
    expect(causes(await accessToken())).toEqual(['id-token-required']);
  });

  it('names an access token without the method scope, listing the scopes present', async () => {
    const [first] = inspectToken(await accessToken(), facts({ scopes: ['pets/write'] }));
    expect(first?.cause).toBe('scope-missing');
    expect(first?.message).toContain('(pets/read)');
    const ok = inspectToken(await accessToken(), facts({ scopes: ['pets/read'] }));
    expect(ok.map((f) => f.cause)).toContain('scopes-present');
  });

  it('names a token with a space pasted into it', async () => {
    const token = await idToken();
    const spaced = `${token.slice(0, 40)} ${token.slice(40)}`;
    const [first] = inspectToken(spaced, facts());
    expect(first?.cause).toBe('token-whitespace');
    expect(first?.message).toContain('character 41');
  });

  it('accepts a Bearer prefix for Cognito (info), warns for a Lambda TOKEN, refuses a malformed one', async () => {
    const token = await idToken();
    expect(inspectToken(`Bearer ${token}`, facts()).map((f) => [f.cause, f.severity])).toContainEqual([
      'bearer-prefix',
      'info',
    ]);
    expect(causes(`Bearer ${token}`)).toEqual([]);
    expect(inspectToken('Bearer allow-alice', { kind: 'TOKEN' })[0]).toMatchObject({
      cause: 'bearer-prefix',
      severity: 'warning',
    });
    expect(causes(`bearer ${token}`)).toContain('bearer-prefix-malformed');
    expect(causes(`Bearer  ${token}`)).toContain('bearer-prefix-malformed');
  });

  it('names quotes and line breaks', async () => {
    const token = await idToken();
    expect(causes(`"${token}"`)[0]).toBe('token-quotes');
    expect(causes(`${token.slice(0, 30)}\n${token.slice(30)}`)[0]).toBe('token-newline');
  });

  it('names a value that is not a JWT', () => {
    expect(causes('not-a-jwt')).toEqual(['jwt-malformed']);
  });

  it('checks aud against the validation expression and the app client', async () => {
    expect(causes(await idToken({ aud: 'other' }), facts({ validationExpression: `^${CLIENT}$` }))).toEqual([
      'aud-mismatch',
    ]);
    const findings = inspectToken(await idToken({ aud: 'someoneelse' }), facts());
    expect(findings.find((f) => f.cause === 'client-id-mismatch')?.severity).toBe('warning');
  });

  it('checks alg and kid', async () => {
    const hs = await new SignJWT({ iss: POOL_ISS, token_use: 'id', exp: NOW_S + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
    expect(causes(hs)).toEqual(expect.arrayContaining(['jwt-alg-not-allowed', 'jwt-kid-missing']));
  });

  it('never echoes the token or its signature', async () => {
    const token = await idToken({
      exp: NOW_S - 1,
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X1',
    });
    const text = JSON.stringify(inspectToken(`Bearer ${token} `, facts({ scopes: ['a'] })));
    for (const part of token.split('.')) expect(text).not.toContain(part);
  });

  it('tokenFactsFor reads issuers, client ids and token use from the model and config', () => {
    const f = tokenFactsFor(petstoreModel(), petstoreConfig(), 'CognitoAuth', ['pets/write']);
    expect(f).toMatchObject({ kind: 'COGNITO_USER_POOLS', issuers: [POOL_ISS], tokenUse: 'access' });
    expect(f.clientIds).toContain(CLIENT);
  });
});

describe('request checks', () => {
  it('the validation regex: which part fails, shown against the pattern', () => {
    const pattern = '^[a-z][a-z0-9-]{3,63}$';
    expect(regexMismatch(pattern, 'Allow-alice')).toBe(
      `character 1 (an upper-case letter) does not match [a-z] in ${pattern}`,
    );
    expect(regexMismatch(pattern, 'abc')).toBe(
      'the token ends after 3 characters, but [a-z0-9-]{3,63} needs 1 more',
    );
    expect(regexMismatch(pattern, 'allow alice')).toContain('character 6 (a space)');
    expect(regexMismatch('^\\w{5}$', 'abcdef')).toContain('1 character too many');
    expect(regexMismatch(pattern, 'allow-alice')).toBeUndefined();
    const auth = tokenAuthorizer('T', { validationExpression: pattern });
    expect(checkValidationRegex(auth, 'Allow-alice').map((f) => f.cause)).toEqual(['token-regex-mismatch']);
  });

  it('the header name against the token source', () => {
    const auth = tokenAuthorizer('T');
    const sent = { method: 'GET', path: '/x', headers: { Authorization: 'allow-alice' } };
    const [finding] = checkTokenSource(auth, sent);
    expect(finding?.cause).toBe('header-name-mismatch');
    expect(finding?.message).toContain('X-Auth-Token');
    expect(finding?.message).toContain('Authorization');
    expect(checkTokenSource(auth, { ...sent, headers: { 'x-auth-token': 'a' } })).toEqual([]);
  });

  it('REQUEST identity sources: a missing one, one sent in the wrong place, an unset stage variable', () => {
    const auth = requestAuthorizer('R');
    const findings = checkIdentitySources(
      auth,
      { method: 'GET', path: '/r', headers: { 'X-Tenant-Id': 't', apiVersion: '1' } },
      {},
    );
    expect(findings.map((f) => f.cause)).toEqual(['header-name-mismatch', 'stage-variable-unset']);
    expect(findings[0]?.message).toContain('sends apiVersion as a header');
    const missing = checkIdentitySources(
      auth,
      { method: 'GET', path: '/r?apiVersion=1' },
      { authStage: 's' },
    );
    expect(missing.map((f) => f.cause)).toEqual(['identity-source-missing']);
  });

  it('IAM: what is missing from the signature', () => {
    const cause = (headers: Record<string, string>) =>
      checkSigV4({ method: 'GET', path: '/a', headers }, 'us-east-1').map((f) => f.cause);
    expect(cause({})).toEqual(['sigv4-missing']);
    expect(cause({ Authorization: 'Bearer abc' })).toEqual(['sigv4-not-sigv4']);
    const scope = (region: string, service: string) =>
      `AWS4-HMAC-SHA256 Credential=AKID/20231114/${region}/${service}/aws4_request, SignedHeaders=host, Signature=ab`;
    expect(cause({ Authorization: scope('us-east-1', 'execute-api'), host: 'h' })).toEqual([
      'sigv4-date-missing',
      'sigv4-unsigned-header',
    ]);
    expect(
      cause({ Authorization: scope('eu-west-1', 's3'), host: 'h', 'X-Amz-Date': '20231114T221320Z' }),
    ).toEqual(['sigv4-wrong-service', 'sigv4-wrong-region', 'sigv4-unsigned-header']);
  });

  it('builds on the shared model builders', () => {
    expect(model({ authorizers: [], routes: [] }).stage.name).toBe('prod');
    expect(config().publicRoutes).toEqual([]);
  });
});
