import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  M2M_CLIENT_ID,
  M2M_CLIENT_SECRET,
  OTHER_CLIENT_ID,
  PASSWORD,
  USERNAME,
  startStandins,
} from '../support/standins.js';
import type { Standins } from '../support/standins.js';

interface AuthResult {
  AuthenticationResult?: { IdToken: string; AccessToken: string };
  __type?: string;
}

async function initiateAuth(
  s: Standins,
  clientId: string,
  password = PASSWORD,
): Promise<{ status: number; body: AuthResult }> {
  const res = await fetch(s.idpEndpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME, PASSWORD: password },
    }),
  });
  return { status: res.status, body: (await res.json()) as AuthResult };
}

async function clientCredentials(
  s: Standins,
  secret: string,
  scope?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    ...(scope === undefined ? {} : { scope }),
  });
  const res = await fetch(s.tokenUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${M2M_CLIENT_ID}:${secret}`).toString('base64')}`,
    },
    body: form.toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('local Cognito stand-ins', () => {
  let s: Standins;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    s = await startStandins();
    jwks = createRemoteJWKSet(new URL(s.jwksUrl));
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('serves on 127.0.0.1 with the documented URL shapes', () => {
    expect(s.cognitoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.issuer).toBe(`${s.cognitoUrl}/us-east-1_PetStore1`);
    expect(s.idpEndpoint).toBe(`${s.cognitoUrl}/`);
    expect(s.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/token$/);
  });

  it('answers InitiateAuth USER_PASSWORD_AUTH over raw HTTP with verifiable ID and access tokens', async () => {
    const { status, body } = await initiateAuth(s, CLIENT_ID);
    expect(status).toBe(200);
    const tokens = body.AuthenticationResult;
    if (!tokens) throw new Error('no AuthenticationResult');
    const id = await jwtVerify(tokens.IdToken, jwks, {
      issuer: s.issuer,
      audience: CLIENT_ID,
      algorithms: ['RS256'],
    });
    expect(id.payload).toMatchObject({ token_use: 'id', 'cognito:username': USERNAME });
    const access = await jwtVerify(tokens.AccessToken, jwks, { issuer: s.issuer, algorithms: ['RS256'] });
    expect(access.payload).toMatchObject({ token_use: 'access', client_id: CLIENT_ID });
    expect(access.payload.aud).toBeUndefined();
    // 60-minute validity from the fixture client
    expect((access.payload.exp ?? 0) - (access.payload.iat ?? 0)).toBe(3600);
  });

  it('rejects a wrong password', async () => {
    const { status } = await initiateAuth(s, CLIENT_ID, 'not-the-password');
    expect(status).toBe(400);
  });

  it('issues tokens of another pool under another issuer', async () => {
    const { status, body } = await initiateAuth(s, OTHER_CLIENT_ID);
    expect(status).toBe(200);
    const token = body.AuthenticationResult?.IdToken ?? '';
    expect(decodeJwt(token).iss).toBe(s.otherIssuer);
    await expect(jwtVerify(token, jwks, { issuer: s.issuer })).rejects.toThrow(/iss/);
  });

  it('issues client_credentials access tokens shaped like Cognito, verifiable with the same JWKS and issuer', async () => {
    const { status, body } = await clientCredentials(s, M2M_CLIENT_SECRET, 'pets/read');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    const { payload } = await jwtVerify(String(body.access_token), jwks, {
      issuer: s.issuer,
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({ token_use: 'access', client_id: M2M_CLIENT_ID, scope: 'pets/read' });
    expect(payload.aud).toBeUndefined();
  });

  it.each([
    [
      'no scope requested: every allowed scope',
      M2M_CLIENT_SECRET,
      undefined,
      200,
      'pets/read pets/write orders/read orders/write',
    ],
    ['a wrong secret', 'wrong-secret', 'pets/read', 400, 'invalid_client'],
    ['a scope the client may not have', M2M_CLIENT_SECRET, 'pets/admin', 400, 'invalid_scope'],
  ])('client_credentials with %s', async (_name, secret, scope, expectedStatus, expected) => {
    const { status, body } = await clientCredentials(s, secret, scope);
    expect(status).toBe(expectedStatus);
    if (expectedStatus === 200) expect(decodeJwt(String(body.access_token)).scope).toBe(expected);
    else expect(body).toEqual({ error: expected });
  });

  it('stops cognito-local by PID and frees its port', async () => {
    const other = await startStandins();
    const pid = other.pids.cognitoLocal;
    expect(pid).toBeTypeOf('number');
    expect((await fetch(`${other.cognitoUrl}/health`)).status).toBe(200);
    await other.stop();
    expect(() => process.kill(pid ?? 0, 0)).toThrow();
    await expect(fetch(`${other.cognitoUrl}/health`)).rejects.toThrow();
    await expect(fetch(other.tokenUrl, { method: 'POST' })).rejects.toThrow();
  });
});
