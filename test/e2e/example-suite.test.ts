import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/emulator/index.js';
import { exitCodeFor, formatRunSummary, runCollection } from '../../src/run/index.js';
import { M2M_CLIENT_SECRET, PASSWORD, startStandins } from '../support/standins.js';
import type { Standins } from '../support/standins.js';
import {
  AWS_TEST_IDENTITY,
  endpointVars,
  loadExample,
  secretProcessEnv,
  serve,
  writeSuite,
} from '../support/suite.js';
import type { Suite } from '../support/suite.js';

describe('the example suite against serve and the Cognito stand-ins', () => {
  let standins: Standins;
  let gateway: RunningGateway;
  let suite: Suite;
  let dir: string;

  beforeAll(async () => {
    standins = await startStandins();
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-e2e-'));
    const example = await loadExample(standins);
    suite = await writeSuite(example, dir);
    gateway = await serve(example);
  });
  afterAll(async () => {
    await gateway?.stop();
    await standins?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes 100% under Newman, with secrets from the process environment', async () => {
    const result = await runCollection({
      collection: suite.collectionFile,
      environment: suite.environmentFile,
      envVars: endpointVars(standins, gateway.url),
      processEnv: secretProcessEnv(),
    });
    expect(result.failures, formatRunSummary(result)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(exitCodeFor(result)).toBe(0);
    // Every case ran except the optional ones whose variable (the expired token) is not supplied.
    const optional = suite.plan.cases.filter((c) => c.skipUnlessVariable !== undefined).length;
    expect(result.stats.cases).toBe(suite.plan.cases.length - optional);
    expect(result.stats.failedAssertions).toBe(0);
    expect(Object.keys(result.perAuthorizer).length).toBeGreaterThanOrEqual(4);
  });
});
