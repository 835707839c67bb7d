/**
 * Agreement: for every request the bundled example suite sends (run with Newman against serve and the Cognito
 * stand-ins, each request captured from Newman's `request` events), `explain` as a library call gives the same
 * decision serve gave: status, body message and cause. serve's log has one line per request and no credential.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import newman from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { explainRequest } from '../../src/explain/index.js';
import { M2M_CLIENT_SECRET, PASSWORD, startStandins, type Standins } from '../support/standins.js';
import {
  AWS_TEST_IDENTITY,
  TEST_API_KEY,
  endpointVars,
  loadExample,
  writeSuite,
  type Example,
} from '../support/suite.js';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
  responseBody: string;
  cause: string | null;
}

interface RequestEvent {
  request: {
    method: string;
    url: { toString(): string };
    headers: { all(): { key: string; value: string; disabled?: boolean }[] };
    body?: { mode?: string; raw?: string };
  };
  response?: { code: number; stream?: Buffer; headers: { get(name: string): string | undefined } };
}

const SERVE_ENV = {
  AWS_ACCESS_KEY_ID: AWS_TEST_IDENTITY.accessKeyId,
  AWS_SECRET_ACCESS_KEY: AWS_TEST_IDENTITY.secretAccessKey,
  APIGW_AUTHZ_API_KEYS: TEST_API_KEY,
};

function bodyMessage(body: string): unknown {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return 'message' in parsed ? parsed.message : parsed.Message;
  } catch {
    return undefined;
  }
}

/** serve caches Lambda results, a fresh explain does not: the same decision either way. */
const uncached = (cause: string | null): string | null =>
  cause === null ? null : cause.replace(/^cached-/, '');

describe('explain agrees with serve on every request of the example suite', () => {
  let standins: Standins;
  let gateway: RunningGateway;
  let example: Example;
  let dir: string;
  const sent: Sent[] = [];
  const log: string[] = [];

  beforeAll(async () => {
    standins = await startStandins();
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-agree-'));
    example = await loadExample(standins);
    const suite = await writeSuite(example, dir);
    gateway = await startGateway({
      model: example.model,
      config: example.config,
      env: SERVE_ENV,
      log: (line) => log.push(line),
    });
    const envVar = Object.entries({
      ...endpointVars(standins, gateway.url),
      'CognitoAuth.password': PASSWORD,
      'CognitoAuth.accessTokenClientSecret': M2M_CLIENT_SECRET,
      awsAccessKeyId: AWS_TEST_IDENTITY.accessKeyId,
      awsSecretAccessKey: AWS_TEST_IDENTITY.secretAccessKey,
      apiKey: TEST_API_KEY,
    }).map(([key, value]) => ({ key, value }));
    await new Promise<void>((resolve, reject) => {
      newman
        .run(
          {
            collection: suite.collectionFile,
            environment: suite.environmentFile,
            envVar,
            timeoutRequest: 10_000,
          },
          (err) => (err ? reject(err) : resolve()),
        )
        .on('request', (err: unknown, args: RequestEvent) => {
          const url = args.request.url.toString();
          if (err || !args.response || !url.startsWith(gateway.url.replace(/\/prod$/, ''))) return;
          const headers: Record<string, string> = {};
          for (const h of args.request.headers.all()) if (!h.disabled) headers[h.key] = h.value;
          sent.push({
            method: args.request.method,
            url,
            headers,
            ...(args.request.body?.mode === 'raw' && args.request.body.raw
              ? { body: args.request.body.raw }
              : {}),
            status: args.response.code,
            responseBody: args.response.stream?.toString('utf8') ?? '',
            cause: args.response.headers.get('x-apigw-authz-cause') ?? null,
          });
        });
    });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await standins?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('captured the suite requests', () => {
    expect(sent.length).toBeGreaterThan(30);
    expect(new Set(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(sent.map((s) => s.status))).toEqual(expect.objectContaining(new Set([200, 401, 403])));
  });

  async function disagreements(against: Example): Promise<string[]> {
    const found: string[] = [];
    for (const s of sent) {
      const url = new URL(s.url);
      const path = `${url.pathname.replace(/^\/prod/, '') || '/'}${url.search}`;
      const explanation = await explainRequest({
        model: against.model,
        config: against.config,
        request: {
          method: s.method,
          path,
          headers: s.headers,
          ...(s.body === undefined ? {} : { body: s.body }),
        },
        env: SERVE_ENV,
        log: () => undefined,
      });
      const served = { status: s.status, message: bodyMessage(s.responseBody), cause: uncached(s.cause) };
      const explained = {
        status: explanation.verdict.status,
        message: explanation.verdict.allowed ? bodyMessage(s.responseBody) : explanation.verdict.message,
        cause: s.cause === null ? null : uncached(explanation.decision.cause),
      };
      if (JSON.stringify(served) !== JSON.stringify(explained)) {
        found.push(
          `${s.method} ${path}: serve ${JSON.stringify(served)} explain ${JSON.stringify(explained)}`,
        );
      }
    }
    return found;
  }

  it('gives the same status, message and cause for each', async () => {
    expect(await disagreements(example)).toEqual([]);
  }, 120_000);

  it('would notice a disagreement (explain over a model whose TokenAuth regex differs)', async () => {
    const mutated: Example = {
      config: example.config,
      model: {
        ...example.model,
        authorizers: example.model.authorizers.map((a) =>
          a.name === 'TokenAuth' ? { ...a, validationExpression: '^x$' } : a,
        ),
      },
    };
    const found = await disagreements(mutated);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((line) => /orders|files/.test(line))).toBe(true);
  }, 120_000);

  it('serve logged one line per request, with no credential in it', () => {
    expect(log).toHaveLength(sent.length);
    const text = log.join('');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    for (const secret of [
      'allow-alice',
      'deny-mallory',
      'tenant-1',
      AWS_TEST_IDENTITY.secretAccessKey,
      TEST_API_KEY,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('Signature=');
  });
});
