/**
 * serve explains itself: one log line per request (text and JSON) with the route, the authorizer, the decision and
 * the reason, never a credential; the x-apigw-authz-* headers; the explain endpoint.
 */

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { explainRequest } from '../../src/explain/index.js';
import { call } from './helpers.js';
import { FIXTURES } from './helpers.js';
import { config, model, route, tokenAuthorizer } from '../support/models.js';

const TOKEN = 'scoped_secret_token_value_1';
let gateway: RunningGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

async function start(
  logFormat: 'text' | 'json',
  handler = 'behaviour.mjs',
): Promise<{ url: string; lines: string[] }> {
  const lines: string[] = [];
  gateway = await startGateway({
    model: model({
      authorizers: [tokenAuthorizer('TokenAuth', { validationExpression: '^\\w{5,40}$' })],
      routes: [
        route('GET', '/health'),
        route('GET', '/orders', 'TokenAuth'),
        route('DELETE', '/orders', 'TokenAuth'),
      ],
    }),
    config: config({ TokenAuth: { handler: path.join(FIXTURES, handler) } }),
    env: {},
    log: (line) => lines.push(line),
    logFormat,
    explain: (input) => explainRequest({ ...input, log: () => undefined }),
  });
  return { url: gateway.url, lines };
}

describe('serve request log', () => {
  it('writes one text line per request with route, authorizer, decision and reason, and no credential', async () => {
    const { url, lines } = await start('text');
    await call(`${url}/orders`, { headers: { 'X-Auth-Token': 'no!' } });
    await call(`${url}/orders`, { headers: { 'X-Auth-Token': TOKEN } });
    await call(`${url}/orders`, { method: 'DELETE', headers: { 'X-Auth-Token': TOKEN } });
    await call(`${url}/health`);
    await call(`${url}/nowhere`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^GET \/orders \[GET \/orders\] 401 TokenAuth: token \(a value of 3 characters\) does not match identityValidationExpression \^\\w\{5,40\}\$ \(Lambda not invoked\) id=\S+\n$/,
    );
    expect(lines[1]).toMatch(
      /^GET \/orders \[GET \/orders\] 200 TokenAuth: the policy of principal tester allows .*\(Lambda invoked\)/,
    );
    expect(lines[2]).toMatch(
      /^DELETE \/orders \[DELETE \/orders\] 403 TokenAuth: the cached policy .* does not allow .*\(cached policy, Lambda not invoked\)/,
    );
    expect(lines[3]).toMatch(/^GET \/health \[GET \/health\] 200 public: GET \/health has no authorization/);
    expect(lines[4]).toMatch(/^GET \/nowhere \[no route\] 403 no route: no route takes GET \/nowhere/);
    expect(lines.join('')).not.toContain(TOKEN);
  });

  it('--log json gives the same as JSON lines', async () => {
    const { url, lines } = await start('json');
    await call(`${url}/orders`, { headers: { 'X-Auth-Token': TOKEN } });
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({
      method: 'GET',
      path: '/orders',
      route: 'GET /orders',
      authorizer: 'TokenAuth',
      status: 200,
      authorizerInvoked: true,
      cause: 'allowed',
    });
    expect(lines[0]).not.toContain(TOKEN);
  });

  it('a handler error that quotes the token is redacted from the reason', async () => {
    const { url, lines } = await start('text', 'quotes-token.mjs');
    const reply = await call(`${url}/orders`, { headers: { 'X-Auth-Token': TOKEN } });
    expect(reply.status).toBe(500);
    expect(lines[0]).toContain('the Lambda threw Error: "token <redacted> is not one I know"');
    expect(lines[0]).not.toContain(TOKEN);
    expect(reply.headers.get('x-apigw-authz-reason')).not.toContain(TOKEN);
  });
});

describe('serve response headers and the explain endpoint', () => {
  it('says whether the authorizer ran and why, on protected routes only', async () => {
    const { url } = await start('text');
    const refused = await call(`${url}/orders`, { headers: { 'X-Auth-Token': 'no!' } });
    expect(refused.headers.get('x-apigw-authz-authorizer-invoked')).toBe('false');
    expect(refused.headers.get('x-apigw-authz-cause')).toBe('token-regex-mismatch');
    expect(refused.headers.get('x-apigw-authz-reason')).toContain(
      'does not match identityValidationExpression',
    );
    const allowed = await call(`${url}/orders`, { headers: { 'X-Auth-Token': TOKEN } });
    expect(allowed.headers.get('x-apigw-authz-authorizer-invoked')).toBe('true');
    const open = await call(`${url}/health`);
    expect(open.headers.get('x-apigw-authz-reason')).toBeNull();
    expect(open.headers.get('x-apigw-authz-request-id')).toMatch(/^0{8}-/);
  });

  it('explains the last request, a request by id, and a described request', async () => {
    const { url } = await start('text');
    const first = await call(`${url}/orders`, { headers: { Authorization: TOKEN } });
    await call(`${url}/health`);
    const base = url.replace(/\/prod$/, '');
    const byId = await call(
      `${base}/__apigw-authz/explain?id=${first.headers.get('x-apigw-authz-request-id') ?? ''}`,
    );
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      verdict: { status: 401 },
      decision: { cause: 'token-missing' },
      rootCause: { cause: 'header-name-mismatch' },
    });
    expect(byId.text).not.toContain(TOKEN);
    const last = await call(`${base}/__apigw-authz/explain?last=1`);
    expect(last.body).toMatchObject({ route: 'GET /health', rootCause: { cause: 'public-route' } });
    const described = await call(
      `${base}/__apigw-authz/explain?method=GET&path=/orders&header=${encodeURIComponent('X-Auth-Token: Abc')}`,
    );
    expect(described.body).toMatchObject({
      verdict: { status: 401 },
      rootCause: { cause: 'token-regex-mismatch' },
    });
    expect((await call(`${base}/__apigw-authz/explain?id=nope`)).status).toBe(404);
    expect((await call(`${base}/__apigw-authz/explain?method=GET`)).status).toBe(400);
  });
});
