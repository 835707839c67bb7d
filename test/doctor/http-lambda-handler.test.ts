import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../../src/config/types.js';
import { checkHandlerPolicies, diagnose, loadHandlerModules } from '../../src/doctor/index.js';
import type { AuthModel, PayloadFormat } from '../../src/model/types.js';
import { config, httpLambdaAuthorizer, model, route } from '../support/models.js';

// Real handler modules, written as Lambda code: doctor invokes them once with the valid identity.
const dir = mkdtempSync(path.join(tmpdir(), 'apigw-authz-doctor-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function handlerFile(name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

/**
 * Each handler checks the event it gets the way API Gateway builds it for its payload format, and answers
 * `{isAuthorized: false}` / a Deny when anything differs: a wrong event fails the tests that expect an allow.
 */
const EVENT_CHECK = `
function validEvent(event) {
  if (event.version === '2.0') {
    return (
      event.type === 'REQUEST' &&
      JSON.stringify(event.identitySource) === JSON.stringify(['good', 'acme']) &&
      event.headers['x-api-token'] === 'good' &&
      event.queryStringParameters.tenant === 'acme' &&
      event.routeKey === 'GET /reports/{id}' &&
      event.rawPath === '/prod/reports/7' &&
      event.requestContext.domainName === 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com' &&
      event.pathParameters.id === '7' &&
      event.requestContext.http.method === 'GET' &&
      event.routeArn === 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/reports/7'
    );
  }
  return (
    event.version === '1.0' &&
    event.identitySource === 'good,acme' &&
    event.authorizationToken === 'good,acme' &&
    event.methodArn === 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/reports/7'
  );
}
const policy = (effect, resource) => ({
  principalId: 'alice',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  context: { tier: 'gold', quota: 5, tags: ['a', 'b'] },
});
`;

const SIMPLE = handlerFile(
  'simple.mjs',
  `${EVENT_CHECK}
export const handler = async (event) => ({ isAuthorized: validEvent(event), context: { tier: 'gold', quota: 5 } });`,
);
const POLICY = handlerFile(
  'policy.mjs',
  `${EVENT_CHECK}
export const handler = async (event) =>
  policy(validEvent(event) ? 'Allow' : 'Deny', event.routeArn ?? event.methodArn);`,
);
const BOTH = handlerFile(
  'both.cjs',
  `${EVENT_CHECK}
exports.handler = (event, context, callback) =>
  callback(null, { ...policy('Allow', event.routeArn), isAuthorized: validEvent(event) });`,
);
const NEITHER = handlerFile('neither.mjs', `export const handler = async () => ({ allow: true });`);
const THROWS = handlerFile('throws.mjs', `export const handler = async () => { throw new Error('boom'); };`);
const BROKEN = handlerFile('broken.mjs', `throw new Error('missing dependency');`);

const VALID = { '$request.header.X-Api-Token': 'good', '$request.querystring.tenant': 'acme' };

function setup(
  handler: string | undefined,
  httpLambda: { payloadFormat: PayloadFormat; simpleResponses: boolean },
  validIdentity: Record<string, string> = VALID,
): { m: AuthModel; c: ProjectConfig } {
  const m = model({
    api: { kind: 'HTTP', id: 'a1b2c3d4e5', name: 'orders-http', region: 'us-east-1' },
    authorizers: [httpLambdaAuthorizer('Lambda', { httpLambda })],
    routes: [route('GET', '/reports/{id}', 'Lambda'), route('POST', '/reports/{id}', 'Lambda')],
  });
  const c = config(
    { Lambda: { validIdentity, ...(handler === undefined ? {} : { handler }) } },
    { pathParameters: { id: '7' } },
  );
  return { m, c };
}

async function doctor(m: AuthModel, c: ProjectConfig) {
  const handlerChecks = await checkHandlerPolicies(m, c, { log: () => {}, timeoutMs: 2000 });
  const handlerModules = await loadHandlerModules(c);
  return { handlerChecks, findings: diagnose(m, c, { handlerChecks, handlerModules }) };
}

const SIMPLE_ON = { payloadFormat: '2.0', simpleResponses: true } as const;
const SIMPLE_OFF = { payloadFormat: '2.0', simpleResponses: false } as const;
const V1 = { payloadFormat: '1.0', simpleResponses: false } as const;

describe('doctor: an HTTP Lambda authorizer handler, invoked once with the valid identity', () => {
  it.each([
    ['2.0 simple responses, {isAuthorized}', SIMPLE, SIMPLE_ON, 'simple'],
    ['2.0 policy responses, a policy on the routeArn', POLICY, SIMPLE_OFF, 'policy'],
    ['1.0, a policy on the methodArn', POLICY, V1, 'policy'],
    ['2.0 simple responses, both shapes', BOTH, SIMPLE_ON, 'both'],
  ] as const)('%s: answered and allowed, no finding', async (_, handler, format, response) => {
    const { m, c } = setup(handler, format);
    const { handlerChecks, findings } = await doctor(m, c);
    expect(handlerChecks).toEqual([
      { authorizer: 'Lambda', handler, outcome: 'answered', call: 'GET /reports/7', response, allowed: true },
    ]);
    expect(findings).toEqual([]);
  });

  it('simple responses on, the handler returns a policy: an error with both fixes', async () => {
    const { m, c } = setup(POLICY, SIMPLE_ON);
    const { findings } = await doctor(m, c);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'http-lambda-response-format',
      severity: 'error',
      subject: 'Lambda',
    });
    expect(findings[0]?.message).toContain(
      `(payload 2.0, simple responses on) must return {"isAuthorized": true|false, "context": {...}}, but its handler ${POLICY}, invoked locally for GET /reports/7`,
    );
    expect(findings[0]?.message).toMatch(
      /returned an IAM policy and no isAuthorized: .*500 Internal Server Error/,
    );
    expect(findings[0]?.fix).toMatch(/Return \{"isAuthorized": true.*or turn simple responses off/);
  });

  it.each([
    [SIMPLE_OFF, /turn simple responses on \(enableSimpleResponses: true\)/],
    [V1, /switch to payload format 2\.0 with simple responses on/],
  ] as const)(
    'simple responses off (%j), the handler returns {isAuthorized}: an error',
    async (format, fix) => {
      const { m, c } = setup(SIMPLE, format);
      const { findings } = await doctor(m, c);
      expect(findings.map((f) => [f.rule, f.severity])).toEqual([['http-lambda-response-format', 'error']]);
      expect(findings[0]?.message).toMatch(
        /must return an IAM policy .*returned a simple response \(\{"isAuthorized": \.\.\.\}\) and no policy/,
      );
      expect(findings[0]?.fix).toMatch(fix);
    },
  );

  it('a result of neither shape: an error whatever the format', async () => {
    const { m, c } = setup(NEITHER, SIMPLE_ON);
    const { findings } = await doctor(m, c);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['http-lambda-response-format', 'error']]);
    expect(findings[0]?.message).toMatch(/returned neither isAuthorized \(a boolean\) nor an IAM policy/);
  });

  it('the right shape refusing the valid identity: lambda-handler-rejects-valid', async () => {
    const { m, c } = setup(SIMPLE, SIMPLE_ON, { ...VALID, '$request.querystring.tenant': 'other' });
    const { handlerChecks, findings } = await doctor(m, c);
    expect(handlerChecks[0]).toMatchObject({ outcome: 'answered', response: 'simple', allowed: false });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['lambda-handler-rejects-valid', 'warning']]);
    expect(findings[0]?.message).toMatch(
      /refused it \(isAuthorized is not true\): valid callers get 403 Forbidden/,
    );
  });

  it('a handler that throws: a warning; one that does not load: only the module finding', async () => {
    const throws = setup(THROWS, SIMPLE_ON);
    const thrown = await doctor(throws.m, throws.c);
    expect(thrown.findings.map((f) => [f.rule, f.severity])).toEqual([['lambda-handler-failed', 'warning']]);
    expect(thrown.findings[0]?.message).toMatch(/it threw "boom" for GET \/reports\/7/);
    const unloadable = setup(BROKEN, SIMPLE_ON);
    const broken = await doctor(unloadable.m, unloadable.c);
    expect(broken.findings.map((f) => f.rule)).toEqual(['config-handler-invalid']);
  });

  it('without literal validIdentity values the handler is not invoked, and the note says why', async () => {
    const { m, c } = setup(SIMPLE, SIMPLE_ON, { '$request.header.X-Api-Token': 'good' });
    const { handlerChecks, findings } = await doctor(m, c);
    expect(handlerChecks).toEqual([
      {
        authorizer: 'Lambda',
        handler: SIMPLE,
        outcome: 'skipped',
        reason: 'no validIdentity value for $request.querystring.tenant in the config',
      },
    ]);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['http-lambda-response-format', 'info']]);
    expect(findings[0]?.message).toMatch(
      /The handler was not invoked: no validIdentity value for \$request\.querystring\.tenant/,
    );
  });

  it('a $default route: the event carries routeKey $default', async () => {
    const file = handlerFile(
      'default.mjs',
      `export const handler = async (event) => ({ isAuthorized: event.routeKey === '$default' && event.requestContext.routeKey === '$default' });`,
    );
    const m = model({
      api: { kind: 'HTTP', id: 'a1b2c3d4e5', name: 'orders-http', region: 'us-east-1' },
      authorizers: [httpLambdaAuthorizer('Lambda')],
      routes: [route('ANY', '$default', 'Lambda')],
    });
    const checks = await checkHandlerPolicies(
      m,
      config({ Lambda: { handler: file, validIdentity: VALID } }),
      {
        log: () => {},
      },
    );
    expect(checks).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        call: 'GET / ($default)',
        response: 'simple',
        allowed: true,
      }),
    ]);
  });
});
