/**
 * The end-to-end proof: the suite generated from the bundled example passes 100% against `serve` (built from the
 * same model) with the Cognito stand-ins, under Newman (through `run`) and under the official Postman CLI; the
 * reports `run` writes carry no credential; and `run`'s exit codes hold on the real suite.
 */

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/exit-codes.js';
import type { RunningGateway } from '../../src/emulator/index.js';
import { exitCodeFor, formatRunSummary, runCollection } from '../../src/run/index.js';
import { closedPort } from '../support/http.js';
import { M2M_CLIENT_SECRET, PASSWORD, startStandins } from '../support/standins.js';
import type { Standins } from '../support/standins.js';
import {
  AWS_TEST_IDENTITY,
  ROOT,
  TEST_API_KEY,
  endpointVars,
  loadExample,
  secretProcessEnv,
  serve,
  writeSuite,
} from '../support/suite.js';
import type { Suite } from '../support/suite.js';

const POSTMAN_CLI = join(ROOT, 'node_modules', '.bin', 'postman');

/** Runs a command without blocking the event loop (serve runs in this process); kills it by PID on timeout. */
function runCommand(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

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

  it('passes 100% under Newman, secrets from the process environment, reports free of credentials', async () => {
    const junitFile = join(dir, 'reports', 'junit.xml');
    const jsonReportFile = join(dir, 'reports', 'run.json');
    const result = await runCollection({
      collection: suite.collectionFile,
      environment: suite.environmentFile,
      envVars: endpointVars(standins, gateway.url),
      processEnv: secretProcessEnv(),
      reporters: ['junit', 'json'],
      junitFile,
      jsonReportFile,
    });
    expect(result.failures, formatRunSummary(result)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(exitCodeFor(result)).toBe(0);
    // Every case ran except the optional ones whose variable (the expired token) is not supplied.
    const optional = suite.plan.cases.filter((c) => c.skipUnlessVariable !== undefined).length;
    expect(result.stats.cases).toBe(suite.plan.cases.length - optional);
    expect(result.stats.failedAssertions).toBe(0);
    expect(result.stats.scriptRequests).toBeGreaterThan(0); // the token scripts really fetched tokens
    expect(Object.keys(result.perAuthorizer).sort()).toEqual(
      ['CORS on errors', 'CognitoAuth', 'Public routes', 'RequestAuth', 'TokenAuth', 'sigv4'].sort(),
    );

    // The reports hold real tokens, signed requests and the secrets in Newman's environment: all redacted.
    const reports = [await readFile(junitFile, 'utf8'), await readFile(jsonReportFile, 'utf8')];
    for (const report of reports) {
      for (const secret of [PASSWORD, M2M_CLIENT_SECRET, AWS_TEST_IDENTITY.secretAccessKey, TEST_API_KEY]) {
        expect(report).not.toContain(secret);
      }
      expect(report).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
      expect(report).not.toMatch(/AWS4-HMAC-SHA256 Credential/);
    }
    expect(reports[1]).toContain('[REDACTED]');
  });

  it('passes under the official Postman CLI, without login', async () => {
    const e = secretProcessEnv();
    const vars: Record<string, string> = {
      ...endpointVars(standins, gateway.url),
      'CognitoAuth.password': PASSWORD,
      'CognitoAuth.accessTokenClientSecret': M2M_CLIENT_SECRET,
      awsAccessKeyId: e.AWS_ACCESS_KEY_ID ?? '',
      awsSecretAccessKey: e.AWS_SECRET_ACCESS_KEY ?? '',
      apiKey: TEST_API_KEY,
    };
    const args = ['collection', 'run', suite.collectionFile, '-e', suite.environmentFile];
    for (const [key, value] of Object.entries(vars)) args.push('--env-var', `${key}=${value}`);
    // HOME in the temp dir: the CLI writes ~/.postman (rc file, logs).
    const { code, output } = await runCommand(
      POSTMAN_CLI,
      args,
      { PATH: process.env.PATH ?? '', HOME: dir },
      120_000,
    );
    expect(output).toContain('[GET] /pets - allow: valid ID token (CognitoAuth)');
    expect(output).not.toMatch(/^\s*Fail\s/m);
    expect(code, output.slice(-4000)).toBe(0);
  });

  it('exits 1 when a case fails (a wrong AWS secret key breaks the signed request)', async () => {
    const result = await runCollection({
      collection: suite.collectionFile,
      environment: suite.environmentFile,
      envVars: { ...endpointVars(standins, gateway.url), awsSecretAccessKey: 'not-the-secret-key' },
      processEnv: secretProcessEnv(),
      folders: ['sigv4'],
    });
    expect(exitCodeFor(result)).toBe(1);
    expect(result.failures.map((f) => f.caseName)).toContain(
      '[ANY] /admin/{proxy+} - allow: SigV4-signed request (sigv4)',
    );
  });

  it('exits 2 for a missing collection path', async () => {
    const error = await runCollection({ collection: join(dir, 'no-such.postman_collection.json') }).catch(
      (err: unknown) => err,
    );
    expect(describeFailure(error).exitCode).toBe(2);
  });

  it('exits 3 when the base URL refuses connections', async () => {
    const port = await closedPort();
    const result = await runCollection({
      collection: suite.collectionFile,
      environment: suite.environmentFile,
      envVars: endpointVars(standins, `http://127.0.0.1:${port}/prod`),
      processEnv: secretProcessEnv(),
    });
    expect(result.passed).toBe(false);
    expect(result.environmentFailure).toBe(true);
    expect(exitCodeFor(result)).toBe(3);
    expect(formatRunSummary(result)).toContain('ECONNREFUSED');
  });
});
