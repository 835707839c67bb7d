import { describe, expect, it } from 'vitest';
import { checkRequiredVariables, inspectSuppliedTokens, requiredVariables } from './preflight.js';

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1';
const NOW = Date.UTC(2026, 0, 1);

function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const idClaims = {
  iss: ISSUER,
  token_use: 'id',
  aud: 'client-1',
  exp: NOW / 1000 + 3600,
  iat: NOW / 1000 - 60,
};

function collection(tokenFlow: string): Record<string, unknown> {
  const meta = {
    format: 1,
    authorizers: [
      {
        name: 'CognitoAuth',
        kind: 'COGNITO_USER_POOLS',
        tokenHeader: 'Authorization',
        issuer: ISSUER,
        clientId: '{{CognitoAuth.clientId}}',
        tokenFlows: { token: tokenFlow },
      },
    ],
    variables: { required: ['CognitoAuth.idToken'], optional: [] },
  };
  return {
    info: { name: 'c', description: `Suite.\n\n\`\`\`apigw-authz-suite\n${JSON.stringify(meta)}\n\`\`\`\n` },
    item: [],
  };
}

describe('inspectSuppliedTokens', () => {
  const values = (entries: Record<string, string>) =>
    new Map(Object.entries({ 'CognitoAuth.clientId': 'client-1', ...entries }));

  it('accepts a good static ID token and an expired token that has expired', () => {
    const checks = inspectSuppliedTokens(
      collection('static'),
      values({
        'CognitoAuth.idToken': jwt(idClaims),
        'CognitoAuth.expiredToken': jwt({ ...idClaims, exp: NOW / 1000 - 60 }),
      }),
      NOW,
    );
    expect(checks.filter((c) => c.severity === 'error')).toEqual([]);
  });

  it.each([
    [
      'another pool',
      { iss: ISSUER.replace('PetStore1', 'OtherPool9') },
      /CognitoAuth\.idToken: .*issuer-other-pool/,
    ],
    ['expired', { exp: NOW / 1000 - 60 }, /CognitoAuth\.idToken: .*jwt-expired/],
    [
      'an access token where the ID token goes',
      { token_use: 'access', client_id: 'client-1' },
      /id-token-required/,
    ],
  ])('refuses a static ID token from %s, naming the cause', (_name, change, cause) => {
    const checks = inspectSuppliedTokens(
      collection('static'),
      values({ 'CognitoAuth.idToken': jwt({ ...idClaims, ...change }) }),
      NOW,
    );
    expect(checks[0]?.severity).toBe('error');
    expect(checks[0]?.message).toMatch(cause);
  });

  it('refuses an expiredToken that has not expired, and checks no token of a fetched flow', () => {
    const checks = inspectSuppliedTokens(
      collection('password'),
      values({ 'CognitoAuth.idToken': 'not a jwt', 'CognitoAuth.expiredToken': jwt(idClaims) }),
      NOW,
    );
    expect(checks.map((c) => c.message)).toEqual([
      'CognitoAuth.expiredToken: the token has not expired, so the expired-token case would fail (jwt-not-expired)',
    ]);
  });
});

describe('required variables', () => {
  it('reads the suite metadata and `Required.` descriptions, and names every missing one with its env name', () => {
    const required = requiredVariables(collection('static'), {
      values: [{ key: 'baseUrl', value: '', description: 'Required. The stage URL.' }],
    });
    expect(required.sort()).toEqual(['CognitoAuth.idToken', 'baseUrl']);
    expect(() => checkRequiredVariables(required, new Map([['baseUrl', 'http://x']]), {}, undefined)).toThrow(
      'missing required variable CognitoAuth.idToken; nothing was sent',
    );
    expect(() => checkRequiredVariables(required, new Map(), {}, [])).toThrow(/baseUrl/);
  });
});
