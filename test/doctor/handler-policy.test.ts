import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../../src/config/types.js';
import { checkHandlerPolicies, diagnose, type HandlerCheck } from '../../src/doctor/index.js';
import type { AuthModel } from '../../src/model/types.js';
import { config, model, requestAuthorizer, route, tokenAuthorizer } from '../support/models.js';

// Real handler modules, written as Lambda code, in a temp dir: doctor loads them the way serve does.
const dir = mkdtempSync(path.join(tmpdir(), 'apigw-authz-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function handlerFile(name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

const POLICY = `
function policy(effect, resource) {
  return {
    principalId: 'alice',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  };
}
const wholeStage = (arn) => arn.split('/').slice(0, 2).join('/') + '/*/*';
`;

/** The classic mistake: the policy names the one method (and path) that was called. */
const ONE_METHOD = handlerFile(
  'one-method.mjs',
  `${POLICY}
export const handler = async (event) => {
  if ((event.authorizationToken ?? event.headers?.['X-Tenant-Id']) !== 'good') throw new Error('Unauthorized');
  return policy('Allow', event.methodArn);
};`,
);
const WHOLE_STAGE = handlerFile(
  'whole-stage.mjs',
  `${POLICY}
console.info('loading the whole-stage authorizer');
export const handler = async (event) => {
  console.log('authorizing', event.methodArn);
  if (event.authorizationToken !== 'good') throw new Error('Unauthorized');
  return policy('Allow', wholeStage(event.methodArn));
};`,
);
/** Allows everything when first called on GET, but refuses DELETE when called on it. */
const GET_WIDENS = handlerFile(
  'get-widens.cjs',
  `${POLICY}
exports.handler = (event, context, callback) => {
  const method = event.methodArn.split('/')[2];
  if (method === 'DELETE') return callback(null, policy('Deny', event.methodArn));
  callback(null, policy('Allow', wholeStage(event.methodArn)));
};`,
);
const ALWAYS_401 = handlerFile(
  'always-401.mjs',
  `export const handler = async () => { throw new Error('Unauthorized'); };`,
);
const BROKEN = handlerFile('broken.mjs', `throw new Error('missing dependency');`);
const HANGS = handlerFile('hangs.mjs', `export const handler = () => new Promise(() => {});`);

const TOKEN_ROUTES = [route('GET', '/orders', 'TokenAuth'), route('POST', '/orders', 'TokenAuth')];

function tokenSetup(handler: string, extra: { ttlSeconds?: number; validToken?: string } = {}) {
  const m: AuthModel = model({
    authorizers: [tokenAuthorizer('TokenAuth', { ttlSeconds: extra.ttlSeconds ?? 300 })],
    routes: TOKEN_ROUTES,
  });
  const c: ProjectConfig = config({ TokenAuth: { handler, validToken: extra.validToken ?? 'good' } });
  return { m, c };
}

const cacheFindings = (m: AuthModel, c: ProjectConfig, handlerChecks: HandlerCheck[]) =>
  diagnose(m, c, { handlerChecks })
    .filter((f) => f.rule.startsWith('lambda-'))
    .map((f) => ({ rule: f.rule, severity: f.severity, subject: f.subject }));

describe('doctor invokes the configured Lambda handler (the cache pitfall, proven)', () => {
  it('catches a handler whose policy names one method: an error naming the calls it breaks', async () => {
    const { m, c } = tokenSetup(ONE_METHOD);
    const checks = await checkHandlerPolicies(m, c);
    expect(checks).toEqual([
      expect.objectContaining({
        authorizer: 'TokenAuth',
        outcome: 'uncovered',
        firstCall: 'GET /orders',
        mismatches: [{ call: 'POST /orders', cached: 'implicit-deny', fresh: 'allow' }],
      }),
    ]);
    const findings = diagnose(m, c, { handlerChecks: checks });
    const finding = findings.find((f) => f.rule === 'lambda-cache-policy-uncovered');
    expect(finding).toMatchObject({ severity: 'error', subject: 'TokenAuth' });
    expect(finding?.message).toMatch(/one-method\.mjs/);
    expect(finding?.message).toMatch(
      /POST \/orders \(403 implicit deny from the cache; allowed when called first\)/,
    );
    // both wordings of the implicit deny (reference section 3)
    expect(finding?.message).toMatch(/because no identity-based policy allows the execute-api:Invoke action/);
    expect(finding?.message).toMatch(/older text: "User is not authorized to access this resource"/);
    // proven: the guess (the note) is not repeated
    expect(findings.some((f) => f.rule === 'lambda-cache-policy-scope')).toBe(false);
  });

  it('clears the finding for a handler whose policy covers the whole stage, and keeps its logs off stdout', async () => {
    const { m, c } = tokenSetup(WHOLE_STAGE);
    const logged: string[] = [];
    const checks = await checkHandlerPolicies(m, c, { log: (text) => logged.push(text) });
    expect(checks).toEqual([expect.objectContaining({ outcome: 'covered', calls: 2 })]);
    expect(cacheFindings(m, c, checks)).toEqual([]);
    expect(logged.join('')).toMatch(/^loading the whole-stage authorizer\n/);
    expect(logged.join('')).toMatch(
      /authorizing arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5\/prod\/GET\/orders/,
    );
  });

  it('reports a cached policy that lets through a call the handler refuses', async () => {
    const m = model({
      authorizers: [tokenAuthorizer('TokenAuth')],
      routes: [
        route('GET', '/orders/{orderId}', 'TokenAuth'),
        route('DELETE', '/orders/{orderId}', 'TokenAuth'),
      ],
    });
    const c = config(
      { TokenAuth: { handler: GET_WIDENS, validToken: 'good' } },
      { pathParameters: { orderId: '7' } },
    );
    const [check] = await checkHandlerPolicies(m, c);
    // DELETE first denies GET within the TTL too, but GET first lets DELETE through: the worse case is reported
    expect(check).toMatchObject({
      outcome: 'uncovered',
      firstCall: 'GET /orders/7',
      mismatches: [
        { call: 'DELETE /orders/7', cached: 'allow', fresh: 'explicit-deny' },
        { call: 'DELETE /orders/70', cached: 'allow', fresh: 'explicit-deny' },
      ],
    });
    const finding = diagnose(m, c, { handlerChecks: [check as HandlerCheck] }).find(
      (f) => f.rule === 'lambda-cache-policy-uncovered',
    );
    expect(finding?.message).toMatch(/calls the handler refuses are let through from the cache/);
    expect(finding?.message).not.toMatch(/allowed calls get 403/);
  });

  it('checks every verb of an ANY route and a second value of each path parameter', async () => {
    const m = model({
      authorizers: [tokenAuthorizer('TokenAuth')],
      routes: [route('ANY', '/files/{proxy+}', 'TokenAuth'), route('GET', '/files/{proxy+}')],
    });
    const c = config({ TokenAuth: { handler: ONE_METHOD, validToken: 'good' } });
    const [check] = await checkHandlerPolicies(m, c);
    if (check?.outcome !== 'uncovered') throw new Error(`expected uncovered, got ${check?.outcome}`);
    const calls = check.mismatches.map((mismatch) => mismatch.call);
    // GET has its own (open) method on the resource, so the authorizer never sees it
    expect(calls).not.toContain('GET /files/doc/sample');
    expect(check.firstCall).toBe('POST /files/doc/sample');
    expect(calls).toContain('PUT /files/doc/sample');
    expect(calls).toContain('POST /files/doc/sample/other');
    expect(calls).toContain('DELETE /files/doc/sample/other');
    // 6 verbs (every verb but GET) x 2 paths, each invoked once; all but the first call are broken
    expect(check.calls).toBe(12);
    expect(calls).toHaveLength(11);
  });

  it('builds REQUEST events from validIdentity and catches the same mistake', async () => {
    const m = model({
      authorizers: [
        requestAuthorizer('RequestAuth', {
          identitySources: [
            { location: 'header', name: 'X-Tenant-Id', expression: 'method.request.header.X-Tenant-Id' },
          ],
        }),
      ],
      routes: [route('GET', '/reports', 'RequestAuth'), route('GET', '/reports/{id}', 'RequestAuth')],
    });
    const c = config({
      RequestAuth: { handler: ONE_METHOD, validIdentity: { 'method.request.header.X-Tenant-Id': 'good' } },
    });
    const checks = await checkHandlerPolicies(m, c);
    expect(checks[0]).toMatchObject({ outcome: 'uncovered', firstCall: 'GET /reports' });
    expect(cacheFindings(m, c, checks)).toEqual([
      { rule: 'lambda-cache-policy-uncovered', severity: 'error', subject: 'RequestAuth' },
    ]);
  });

  it('only compares calls that share a cache key (a context source that differs per method)', async () => {
    const m = model({
      authorizers: [
        requestAuthorizer('RequestAuth', {
          identitySources: [
            { location: 'header', name: 'X-Tenant-Id', expression: 'method.request.header.X-Tenant-Id' },
            { location: 'context', name: 'httpMethod', expression: 'context.httpMethod' },
          ],
        }),
      ],
      routes: [route('GET', '/reports', 'RequestAuth'), route('POST', '/reports', 'RequestAuth')],
    });
    const c = config({
      RequestAuth: { handler: ONE_METHOD, validIdentity: { 'method.request.header.X-Tenant-Id': 'good' } },
    });
    expect(await checkHandlerPolicies(m, c)).toEqual([expect.objectContaining({ outcome: 'covered' })]);
  });

  it('skips authorizers without caching or without a handler', async () => {
    const { m, c } = tokenSetup(ONE_METHOD, { ttlSeconds: 0 });
    expect(await checkHandlerPolicies(m, c)).toEqual([]);
    const noHandler = config({ TokenAuth: { validToken: 'good' } });
    expect(await checkHandlerPolicies(tokenSetup(ONE_METHOD).m, noHandler)).toEqual([]);
  });

  it('without literal credentials: a note that says why the handler was not invoked', async () => {
    const { m, c } = tokenSetup(ONE_METHOD, { validToken: '{{TokenAuth.validToken}}' });
    const checks = await checkHandlerPolicies(m, c);
    expect(checks).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
    const findings = diagnose(m, c, { handlerChecks: checks });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['lambda-cache-policy-scope', 'info']]);
    expect(findings[0]?.message).toMatch(/The handler was not invoked: validToken is a run-time variable/);
  });

  it('a handler that refuses the valid credentials, or does not load, is a warning and the note stays', async () => {
    for (const [handler, rule] of [
      [ALWAYS_401, 'lambda-handler-rejects-valid'],
      [BROKEN, 'lambda-handler-failed'],
    ] as const) {
      const { m, c } = tokenSetup(handler);
      const checks = await checkHandlerPolicies(m, c);
      expect(cacheFindings(m, c, checks)).toEqual([
        { rule, severity: 'warning', subject: 'TokenAuth' },
        { rule: 'lambda-cache-policy-scope', severity: 'info', subject: 'TokenAuth' },
      ]);
    }
    const { m, c } = tokenSetup(ALWAYS_401);
    const [check] = await checkHandlerPolicies(m, c);
    expect(check).toMatchObject({ outcome: 'rejected', reason: 'it failed with "Unauthorized" (401)' });
  });

  it('stops at the first call the handler does not answer in time', async () => {
    const { m, c } = tokenSetup(HANGS);
    const started = Date.now();
    const checks = await checkHandlerPolicies(m, c, { timeoutMs: 50 });
    expect(checks).toEqual([
      expect.objectContaining({ outcome: 'failed', reason: 'it did not answer GET /orders within 50 ms' }),
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
