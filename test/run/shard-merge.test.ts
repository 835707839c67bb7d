/**
 * `run --parallel`, `run --shard` and `report merge` on the bundled example against `serve` and the Cognito
 * stand-ins, with one mutation so that some cases fail: the shards together run exactly the cases of the
 * unsharded run, once each; merging their JSON results gives the unsharded exit code and the same JSON and JUnit
 * reports. Also: a failing token endpoint stops the run before any case, after one attempt, with exit 3.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/exit-codes.js';
import type { RunningGateway } from '../../src/emulator/index.js';
import { exitCodeFor, runCollection } from '../../src/run/index.js';
import type { RunResult } from '../../src/run/index.js';
import { runCli } from '../cli/cli-helpers.js';
import { startHttpServer } from '../support/http.js';
import { startStandins } from '../support/standins.js';
import type { Standins } from '../support/standins.js';
import { endpointVars, loadExample, secretProcessEnv, serve, writeSuite } from '../support/suite.js';
import type { Suite } from '../support/suite.js';

/** The JSON report without what differs per machine: the token fetches (each shard fetches its own tokens). */
function comparable(json: string): unknown {
  const parsed = JSON.parse(json) as { stats: Record<string, unknown> };
  delete parsed.stats.scriptRequests;
  return parsed;
}

describe('parallel, shards and report merge on the example suite', () => {
  let standins: Standins;
  let gateway: RunningGateway;
  let suite: Suite;
  let dir: string;

  beforeAll(async () => {
    standins = await startStandins();
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-shards-'));
    const example = await loadExample(standins);
    suite = await writeSuite(example, dir);
    // The mutation: TokenAuth no longer protects GET /orders, so its deny cases fail.
    const mutated = structuredClone(example);
    const route = mutated.model.routes.find((r) => r.method === 'GET' && r.path === '/orders');
    if (!route) throw new Error('example route GET /orders not found');
    route.authorization = { type: 'NONE' };
    gateway = await serve(mutated);
  });
  afterAll(async () => {
    await gateway?.stop();
    await standins?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const options = () => ({
    collection: suite.collectionFile,
    environment: suite.environmentFile,
    envVars: endpointVars(standins, gateway.url),
    processEnv: secretProcessEnv(),
    reporters: ['json' as const, 'junit' as const],
  });

  it('shards 1/3..3/3 run exactly the cases of the unsharded run; the merge equals it', async () => {
    const whole = await runCollection({
      ...options(),
      parallel: 2,
      jsonReportFile: join(dir, 'whole.json'),
      junitFile: join(dir, 'whole.xml'),
    });
    expect(exitCodeFor(whole)).toBe(1);
    expect(whole.cases.length).toBe(suite.plan.cases.length);
    expect(whole.cases.map((c) => c.order)).toEqual([...whole.cases.keys()]);
    expect(whole.cases.some((c) => c.outcome === 'failed' && c.route === 'GET /orders')).toBe(true);
    expect(whole.cases.filter((c) => c.outcome === 'skipped').map((c) => c.skippedReason)).toContain(
      'needs CognitoAuth.expiredToken',
    );
    // The tokens were fetched once, before the workers: no worker fetched its own.
    expect(whole.stats.scriptRequests).toBeGreaterThan(0);
    expect(whole.stats.scriptRequests).toBeLessThanOrEqual(2);

    const shards: RunResult[] = [];
    for (const index of [1, 2, 3]) {
      shards.push(
        await runCollection({
          ...options(),
          parallel: 1,
          shard: { index, total: 3 },
          jsonReportFile: join(dir, `shard-${index}.json`),
          junitFile: join(dir, `shard-${index}.xml`),
        }),
      );
    }
    const keys = shards.flatMap((s) => s.cases.map((c) => c.key));
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(whole.cases.map((c) => c.key).sort());
    expect(shards.every((s) => s.cases.length > 0)).toBe(true);

    const merged = await runCli([
      'report',
      'merge',
      ...[1, 2, 3].map((i) => join(dir, `shard-${i}.json`)),
      '--reporters',
      'cli,json,junit',
      '--json-report',
      join(dir, 'merged.json'),
      '--junit',
      join(dir, 'merged.xml'),
    ]);
    expect(merged.code).toBe(exitCodeFor(whole));
    expect(merged.stdout).toMatch(/^FAILED: /);
    expect(comparable(await readFile(join(dir, 'merged.json'), 'utf8'))).toEqual(
      comparable(await readFile(join(dir, 'whole.json'), 'utf8')),
    );
    expect(await readFile(join(dir, 'merged.xml'), 'utf8')).toBe(
      await readFile(join(dir, 'whole.xml'), 'utf8'),
    );
  });

  it('a failing token endpoint: exit 3, one line naming endpoint, status and AWS error, one attempt, no case sent', async () => {
    let attempts = 0;
    const idp = await startHttpServer((_req, res) => {
      attempts += 1;
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }),
      );
    });
    let sent = 0;
    const api = await startHttpServer((_req, res) => {
      sent += 1;
      res.writeHead(200).end('{}');
    });
    try {
      const error = await runCollection({
        ...options(),
        reporters: [],
        envVars: { ...endpointVars(standins, api.url), 'CognitoAuth.idpEndpoint': `${idp.url}/` },
      }).catch((err: unknown) => err);
      const failure = describeFailure(error);
      expect(failure.exitCode).toBe(3);
      expect(failure.line).not.toContain('\n');
      expect(failure.line).toContain(`${idp.url}/`);
      expect(failure.line).toContain('400');
      expect(failure.line).toContain('NotAuthorizedException');
      expect(failure.line).toContain('Incorrect username or password.');
      expect(failure.line).not.toContain('[object Object]');
      expect(attempts).toBe(1);
      expect(sent).toBe(0);
    } finally {
      await idp.stop();
      await api.stop();
    }
  });
});
