/**
 * templates/oidc-token.js in a stub sandbox: the token requests it sends for each flow (client_credentials with
 * HTTP Basic, password, static), the run-long cache, and the one recorded failure that never quotes a secret.
 */

import { describe, expect, it } from 'vitest';

import { renderCollection } from '../../src/render/index.js';
import { tokenScriptCode } from './collection-helpers.js';
import { PARTNER_CLIENT_ID, jwtPlan } from './jwt-plans.js';
import type { JwtPlanOptions } from './jwt-plans.js';
import { makePoolKey, signJwt } from './jwt.js';
import { failures, runScript } from './sandbox.js';
import type { SentRequest, StubResponse } from './sandbox.js';

const key = makePoolKey('partner-key-1');
const exp = Math.floor(Date.now() / 1000) + 3600;
const SCOPED = signJwt(key, {
  iss: 'https://login.partner.example/',
  scope: 'orders:read orders:write',
  exp,
});
const UNSCOPED = signJwt(key, { iss: 'https://login.partner.example/', scp: ['openid'], exp: exp + 60 });
const SECRET = 'partner-secret/with+odd&chars';
const TOKEN_URL = 'http://idp.test/oauth/token';

function script(options: JwtPlanOptions = {}): string {
  return tokenScriptCode(renderCollection(jwtPlan({ partnerOnly: true, ...options })), 'PartnerJwt');
}

const variables = {
  'PartnerJwt.clientId': PARTNER_CLIENT_ID,
  'PartnerJwt.clientSecret': SECRET,
  'PartnerJwt.tokenUrl': TOKEN_URL,
};

function form(request: SentRequest): Record<string, string> {
  return Object.fromEntries((request.body.urlencoded ?? []).map((p) => [p.key, p.value]));
}

function answer(request: SentRequest): StubResponse {
  const scope = form(request).scope ?? '';
  return {
    code: 200,
    body: JSON.stringify({
      access_token: scope.includes('orders:read') ? SCOPED : UNSCOPED,
      expires_in: 3600,
    }),
  };
}

function tokenError(collectionVariables: Map<string, string>): Record<string, unknown> & { summary: string } {
  const recorded = collectionVariables.get('_apigwAuthz.tokenError.PartnerJwt');
  if (recorded === undefined || recorded === '') throw new Error('no token error recorded');
  return JSON.parse(recorded) as Record<string, unknown> & { summary: string };
}

describe('oidc-token.js', () => {
  it('client_credentials: HTTP Basic (form-encoded id and secret), the routes scopes, then the unscoped token', () => {
    const run = runScript(script(), { variables, send: answer });
    expect(failures(run)).toEqual([]);
    expect(run.sent).toHaveLength(2);
    const [scoped, unscoped] = run.sent;
    const basic = `Basic ${Buffer.from(`${PARTNER_CLIENT_ID}:${encodeURIComponent(SECRET)}`).toString('base64')}`;
    expect(scoped).toMatchObject({
      url: TOKEN_URL,
      method: 'POST',
      header: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic },
    });
    expect(form(scoped!)).toEqual({ grant_type: 'client_credentials', scope: 'orders:read orders:write' });
    expect(form(unscoped!)).toEqual({ grant_type: 'client_credentials' });
    expect(run.collectionVariables.get('_PartnerJwt.accessToken')).toBe(SCOPED);
    expect(run.collectionVariables.get('_PartnerJwt.unscopedAccessToken')).toBe(UNSCOPED);
    expect(run.collectionVariables.get('_PartnerJwt.expiresAt')).toBe(String(exp * 1000));
    expect(run.collectionVariables.get('_apigwAuthz.tokenError.PartnerJwt')).toBeUndefined();
  });

  it('sends oidc.scopes with both tokens and the audience parameter when set', () => {
    const run = runScript(script({ oidc: { scopes: ['openid'] } }), {
      variables: { ...variables, 'PartnerJwt.audience': 'https://orders.example.com/api' },
      send: answer,
    });
    expect(run.sent.map(form)).toEqual([
      {
        grant_type: 'client_credentials',
        scope: 'orders:read orders:write openid',
        audience: 'https://orders.example.com/api',
      },
      { grant_type: 'client_credentials', scope: 'openid', audience: 'https://orders.example.com/api' },
    ]);
  });

  it('fetches once per run: later requests use the cache until exp, then fetch again', () => {
    const first = runScript(script(), { variables, send: answer });
    const cache = Object.fromEntries(first.collectionVariables);
    const second = runScript(script(), { variables, collectionVariables: cache, send: answer });
    expect(second.sent).toHaveLength(0);
    // the parent of a parallel run hands the tokens over as run-time variables
    const handedOver = runScript(script(), { variables: { ...variables, ...cache }, send: answer });
    expect(handedOver.sent).toHaveLength(0);
    const expiring = { ...cache, '_PartnerJwt.expiresAt': String(Date.now() + 1000) };
    expect(runScript(script(), { variables, collectionVariables: expiring, send: answer }).sent).toHaveLength(
      2,
    );
  });

  it('password: username and password in the body, a public client names itself (no Basic header)', () => {
    const run = runScript(script({ oidc: { tokenFlow: 'password' } }), {
      variables: {
        'PartnerJwt.clientId': PARTNER_CLIENT_ID,
        'PartnerJwt.tokenUrl': TOKEN_URL,
        'PartnerJwt.username': 'alice',
        'PartnerJwt.password': 'pw-1!',
      },
      send: answer,
    });
    expect(failures(run)).toEqual([]);
    expect(run.sent[0]?.header.Authorization).toBeUndefined();
    expect(form(run.sent[0]!)).toEqual({
      grant_type: 'password',
      username: 'alice',
      password: 'pw-1!',
      scope: 'orders:read orders:write',
      client_id: PARTNER_CLIENT_ID,
    });
  });

  it('static: the supplied tokens, no request', () => {
    const run = runScript(script({ oidc: { tokenFlow: 'static' } }), {
      variables: { 'PartnerJwt.accessToken': SCOPED, 'PartnerJwt.unscopedAccessToken': UNSCOPED },
      send: answer,
    });
    expect(run.sent).toHaveLength(0);
    expect(run.collectionVariables.get('_PartnerJwt.accessToken')).toBe(SCOPED);
    expect(run.collectionVariables.get('_PartnerJwt.unscopedAccessToken')).toBe(UNSCOPED);
    const missing = runScript(script({ oidc: { tokenFlow: 'static' } }), { variables: {}, send: answer });
    expect(tokenError(missing.collectionVariables).summary).toBe(
      'PartnerJwt token fetch: no access, unscoped-access token (token flow static; static reads ' +
        'PartnerJwt.accessToken and PartnerJwt.unscopedAccessToken). Check the PartnerJwt.* variables.',
    );
  });

  it('records a refused grant once (endpoint, status, OAuth error), one request, never the secret', () => {
    const run = runScript(script(), {
      variables,
      send: () => ({
        code: 401,
        body: '{"error":"invalid_client","error_description":"client authentication failed"}',
      }),
    });
    expect(failures(run)).toEqual([]);
    expect(run.sent).toHaveLength(1);
    const error = tokenError(run.collectionVariables);
    expect(error).toMatchObject({
      endpoint: TOKEN_URL,
      status: 401,
      errorType: 'invalid_client',
      missing: ['access', 'unscoped-access'],
    });
    expect(error.summary).toBe(
      `PartnerJwt token fetch: client_credentials grant at ${TOKEN_URL} returned 401 invalid_client: ` +
        'client authentication failed. Check the PartnerJwt.* variables.',
    );
    expect(JSON.stringify([...run.collectionVariables])).not.toContain(SECRET);
    const next = runScript(script(), {
      variables,
      collectionVariables: Object.fromEntries(run.collectionVariables),
      send: answer,
    });
    expect(next.sent).toHaveLength(0);
  });

  it('refuses an "unscoped" token that carries a route scope (the issuer grants it unasked): its cases are blocked', () => {
    const run = runScript(script(), {
      variables,
      send: () => ({ code: 200, body: JSON.stringify({ access_token: SCOPED, expires_in: 3600 }) }),
    });
    expect(run.collectionVariables.get('_PartnerJwt.accessToken')).toBe(SCOPED);
    expect(run.collectionVariables.get('_PartnerJwt.unscopedAccessToken')).toBe('');
    const error = tokenError(run.collectionVariables);
    expect(error.missing).toEqual(['unscoped-access']);
    expect(error.summary).toContain('carries orders:read orders:write (the issuer grants them unasked)');
  });

  it('records an empty token URL without sending anything', () => {
    const run = runScript(script(), { variables: { ...variables, 'PartnerJwt.tokenUrl': '' }, send: answer });
    expect(run.sent).toHaveLength(0);
    expect(tokenError(run.collectionVariables).summary).toContain('PartnerJwt.tokenUrl is empty');
  });
});
