/**
 * Runs rendered collections with Newman 6.2.2 (the library) against stub servers on 127.0.0.1: the real
 * sandbox executes the templates (token fetch, forgery, assertions), and a wrong gateway must make them fail.
 */

import { createPublicKey, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AuthCase, TestPlan } from '../../src/cases/types.js';
import { renderCollection, renderEnvironment, serializeJson } from '../../src/render/index.js';
import type { PostmanCollection, PostmanEnvironment } from '../../src/render/index.js';
import { ACCESS_KEY_ID, CC_CLIENT_ID, CLIENT_ID, handPlan } from './plans.js';
import { startStubs } from './stub-servers.js';
import type { StubOptions, Stubs } from './stub-servers.js';

const require = createRequire(import.meta.url);

/** The parts of Newman's run summary the tests read. */
interface Execution {
  item: { name: string };
  /** The SDK Request as sent (after auth); token calls from scripts are executions of the same item. */
  request: { url: { toString(): string }; headers: { get(name: string): string | undefined } };
  response?: { code: number };
  assertions?: { assertion: string; skipped: boolean; error?: { message: string } }[];
}
interface Summary {
  run: {
    failures: { error: { message: string; test?: string }; source?: { name: string } }[];
    executions: Execution[];
    stats: { requests: { total: number } };
  };
}
interface NewmanLib {
  run(
    options: Record<string, unknown>,
    callback: (err: Error | null, summary: Summary) => void,
  ): { on(event: string, listener: (...args: unknown[]) => void): void };
}
const newman = require('newman') as NewmanLib;

// Secrets only ever reach Newman as --env-var values; the renderer never sees them.
const SECRETS = {
  password: 'Pw-render-test-7f3a!',
  clientSecret: 'cs-render-test-2b9c',
  ccClientSecret: 'cc-render-test-91d0',
  secretAccessKey: 'sak-render-test-5e6f/abc+def',
  validToken: 'allow-alice',
};

const STUB_OPTIONS: StubOptions = {
  clientId: CLIENT_ID,
  clientSecret: SECRETS.clientSecret,
  username: 'alice',
  password: SECRETS.password,
  ccClientId: CC_CLIENT_ID,
  ccClientSecret: SECRETS.ccClientSecret,
  accessKeyId: ACCESS_KEY_ID,
  secretAccessKey: SECRETS.secretAccessKey,
};

function planFor(): TestPlan {
  return handPlan({ cognito: { accessTokenFlow: 'client_credentials', accessTokenClientId: CC_CLIENT_ID } });
}

function envVars(stubs: Stubs, extra: Record<string, string> = {}): { key: string; value: string }[] {
  return Object.entries({
    baseUrl: stubs.baseUrl,
    'CognitoAuth.idpEndpoint': stubs.idpEndpoint,
    'CognitoAuth.tokenUrl': stubs.tokenUrl,
    'CognitoAuth.username': 'alice',
    'CognitoAuth.password': SECRETS.password,
    'CognitoAuth.clientSecret': SECRETS.clientSecret,
    'CognitoAuth.accessTokenClientSecret': SECRETS.ccClientSecret,
    awsAccessKeyId: ACCESS_KEY_ID,
    awsSecretAccessKey: SECRETS.secretAccessKey,
    'TokenAuth.validToken': SECRETS.validToken,
    ...extra,
  }).map(([key, value]) => ({ key, value }));
}

function run(
  collection: PostmanCollection,
  environment: PostmanEnvironment,
  envVar: { key: string; value: string }[],
): Promise<Summary> {
  return new Promise((resolve, reject) => {
    newman.run({ collection, environment, envVar, timeoutRequest: 10_000 }, (err, summary) =>
      err ? reject(err) : resolve(summary),
    );
  });
}

/**
 * One execution per request sent. Newman lists an item's execution again for each `pm.sendRequest` of its
 * scripts (the same object), so the token script's calls show up as duplicates.
 */
function itemExecutions(summary: Summary): Execution[] {
  return [...new Set(summary.run.executions)];
}

function failedCases(summary: Summary): Set<string> {
  return new Set(summary.run.failures.map((f) => f.source?.name ?? '?'));
}

function failureText(summary: Summary): string {
  return summary.run.failures.map((f) => `${f.source?.name}: ${f.error.message}`).join('\n');
}

describe('newman runs the rendered collection against a gateway that behaves', () => {
  let stubs: Stubs;
  let plan: TestPlan;
  let collection: PostmanCollection;
  let environment: PostmanEnvironment;
  let summary: Summary;

  beforeAll(async () => {
    stubs = await startStubs(STUB_OPTIONS);
    plan = planFor();
    collection = renderCollection(plan);
    environment = renderEnvironment(plan);
    summary = await run(
      collection,
      environment,
      envVars(stubs, { 'CognitoAuth.expiredToken': stubs.expiredToken }),
    );
  });
  afterAll(async () => {
    await stubs.close();
  });

  it('passes every case', () => {
    expect(failureText(summary)).toBe('');
    const executed = itemExecutions(summary);
    expect(executed.map((e) => e.item.name)).toEqual(plan.cases.map((c) => c.name));
    for (const execution of executed) {
      const real = (execution.assertions ?? []).filter((a) => !a.skipped);
      expect([execution.item.name, real.length > 0]).toEqual([execution.item.name, true]);
    }
  });

  it('fetches the Cognito tokens once per run across all the Cognito requests', () => {
    const cognitoRequests = plan.cases.filter((c) => c.group.title === 'CognitoAuth').length;
    expect(cognitoRequests).toBeGreaterThan(10);
    expect(stubs.calls).toMatchObject({ initiateAuth: 1, token: 1, gateway: plan.cases.length });
  });

  it('sends the raw ID token in Authorization for inherited oauth2, and noauth requests without one', () => {
    const executed = itemExecutions(summary);
    expect(stubs.received.map((r) => r.url)).toEqual(
      executed.map(
        (e) => new URL(e.request.url.toString()).pathname + new URL(e.request.url.toString()).search,
      ),
    );
    const byName = new Map(executed.map((e, i) => [e.item.name, stubs.received[i]!]));
    const positive = byName.get('[GET] /pets - allow: valid ID token (CognitoAuth)')!;
    expect(positive.headers.authorization).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(byName.get('[GET] /pets - deny: no Authorization header')!.headers.authorization).toBeUndefined();
  });

  it('forges a foreign-key token in the real sandbox that verifies against the public foreign test key', () => {
    const index = itemExecutions(summary).findIndex(
      (e) => e.item.name === '[GET] /pets - deny: ID token, foreign-key',
    );
    const token = String(stubs.received[index]!.headers.authorization);
    const jwk = JSON.parse(
      readFileSync(new URL('../../templates/foreign-test-key.json', import.meta.url), 'utf8'),
    ) as {
      n: string;
      e: string;
    };
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    const [h, p, s] = token.split('.');
    expect(
      createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s!, 'base64url')),
    ).toBe(true);
  });

  it('never writes a secret passed at run time into the rendered files', () => {
    const files = serializeJson(renderCollection(planFor())) + serializeJson(renderEnvironment(planFor()));
    for (const secret of Object.values(SECRETS)) expect(files).not.toContain(secret);
    // ... while Newman did receive and use them (the token fetch and SigV4 passed above).
    expect(stubs.calls.initiateAuth).toBe(1);
  });
});

describe('newman: skipped and failing cases', () => {
  let stubs: Stubs;
  beforeAll(async () => {
    stubs = await startStubs(STUB_OPTIONS);
  });
  afterAll(async () => {
    await stubs.close();
  });

  it('skips the expired-token case when no expired token is supplied', async () => {
    const plan = planFor();
    const summary = await run(renderCollection(plan), renderEnvironment(plan), envVars(stubs));
    expect(failureText(summary)).toBe('');
    const sent = itemExecutions(summary).map((e) => e.item.name);
    expect(sent).not.toContain('[GET] /pets - deny: expired token');
    expect(sent).toHaveLength(plan.cases.length - 1);
  });

  it('reports the cases that need a token a wrong password cannot get as blocked, with the AWS error', async () => {
    const plan = planFor();
    const summary = await run(
      renderCollection(plan),
      renderEnvironment(plan),
      envVars(stubs, { 'CognitoAuth.password': 'wrong-password' }),
    );
    const text = failureText(summary);
    expect(text).toContain(
      '[[GET] /pets - allow: valid ID token (CognitoAuth)] blocked by the CognitoAuth id token: CognitoAuth ' +
        'token fetch: InitiateAuth USER_PASSWORD_AUTH at ',
    );
    expect(text).toContain('returned 400 NotAuthorizedException: Incorrect username or password. Check the');
    expect(text).not.toContain('wrong-password');
    expect(text).not.toContain('[object Object]');
    expect(failedCases(summary)).toContain('[GET] /pets - allow: valid ID token (CognitoAuth)');
    // Only blocked cases fail, each once: no status or message failure follows a missing token.
    for (const line of text.split('\n').filter((l) => l !== '')) expect(line).toContain('] blocked by ');
  });
});

describe('newman runs the rendered collection against a gateway that lets everything through', () => {
  let stubs: Stubs;
  let plan: TestPlan;
  let summary: Summary;

  beforeAll(async () => {
    stubs = await startStubs({ ...STUB_OPTIONS, wrong: true });
    plan = planFor();
    summary = await run(
      renderCollection(plan),
      renderEnvironment(plan),
      envVars(stubs, { 'CognitoAuth.expiredToken': stubs.expiredToken }),
    );
  });
  afterAll(async () => {
    await stubs.close();
  });

  it('fails every negative case and no positive one', () => {
    const failed = failedCases(summary);
    const names = (polarity: AuthCase['polarity']) =>
      plan.cases.filter((c) => c.polarity === polarity).map((c) => c.name);
    expect(names('negative').filter((n) => !failed.has(n))).toEqual([]);
    expect(names('positive').filter((n) => failed.has(n))).toEqual([]);
  });

  it('names the case, what came back and the hint in the failure', () => {
    const failure = summary.run.failures.find(
      (f) => f.source?.name === '[GET] /orders - deny: explicit deny token',
    );
    expect(failure?.error.message).toContain(
      '[[GET] /orders - deny: explicit deny token] expected status 403; got 200 {}',
    );
    expect(failure?.error.message).toContain('Hint for deny-token');
  });
});
