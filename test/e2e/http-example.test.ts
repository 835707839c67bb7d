/**
 * The end-to-end proof for HTTP APIs: the suite generated from the bundled HTTP example
 * (examples/orders-http.openapi.json with examples/orders-http.config.yaml) passes 100% against `serve` built from
 * the same API, with the stand-ins as issuers (cognito-local's pool for CognitoJwt, the partner OIDC server for
 * PartnerJwt, mapped by `serve.issuers`), under Newman (through `run`) and under the official Postman CLI. Every
 * optional case runs: the token lab supplies the tokens only an issuer can mint, through the process environment.
 */

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/emulator/index.js';
import { renderCollection, serializeJson } from '../../src/render/index.js';
import { derivePlan } from '../../src/cases/index.js';
import { exitCodeFor, formatRunSummary, runCollection } from '../../src/run/index.js';
import { M2M_CLIENT_SECRET, PARTNER_CLIENT_SECRET, PASSWORD, startStandins } from '../support/standins.js';
import type { Standins } from '../support/standins.js';
import {
  AWS_TEST_IDENTITY,
  HTTP_EXAMPLE_SAM,
  ROOT,
  httpEndpointVars,
  httpSecretProcessEnv,
  loadHttpExample,
  serve,
  writeSuite,
} from '../support/suite.js';
import type { Example, Suite } from '../support/suite.js';

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

describe('the HTTP example suite against serve and the stand-in issuers', () => {
  let standins: Standins;
  let example: Example;
  let gateway: RunningGateway;
  let suite: Suite;
  let dir: string;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    standins = await startStandins();
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-http-e2e-'));
    example = await loadHttpExample(standins);
    suite = await writeSuite(example, dir);
    gateway = await serve(example);
    secrets = await httpSecretProcessEnv(standins, example);
  });
  afterAll(async () => {
    await gateway?.stop();
    await standins?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has a case for every authorizer kind of the example, and every optional token is supplied by the lab', () => {
    const kinds = new Set(suite.plan.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['AWS_IAM', 'HTTP_LAMBDA', 'JWT']));
    const declared = new Set(suite.plan.variables.map((v) => v.key));
    const optional = [...new Set(suite.plan.cases.flatMap((c) => c.skipUnlessVariable ?? []))].sort();
    expect(optional.length).toBeGreaterThan(0);
    for (const variable of optional) {
      expect(declared.has(variable), variable).toBe(true);
      const envName = `APIGW_AUTHZ_${variable.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
      expect(secrets[envName], `the lab mints ${variable}`).toMatch(/^eyJ/);
    }
  });

  it('passes 100% under Newman, every case run, secrets and lab tokens from the process environment', async () => {
    const junitFile = join(dir, 'reports', 'junit.xml');
    const jsonReportFile = join(dir, 'reports', 'run.json');
    const result = await runCollection({
      collection: suite.collectionFile,
      environment: suite.environmentFile,
      envVars: httpEndpointVars(standins, gateway.url),
      processEnv: secrets,
      reporters: ['junit', 'json'],
      junitFile,
      jsonReportFile,
    });
    const summary = formatRunSummary(result);
    expect(result.failures, summary).toEqual([]);
    expect(result.passed, summary).toBe(true);
    expect(exitCodeFor(result)).toBe(0);
    // Nothing skipped: the lab supplied every optional token.
    expect(result.stats.cases, summary).toBe(suite.plan.cases.length);
    expect(result.stats.failedAssertions).toBe(0);
    expect(result.stats.scriptRequests).toBeGreaterThan(0); // the token scripts really fetched tokens
    expect(Object.keys(result.perAuthorizer)).toEqual(
      expect.arrayContaining(['CognitoJwt', 'PartnerJwt', 'LambdaAuth', 'sigv4']),
    );
    // serve really verified: tokens were checked against both stand-in issuers, the Lambda ran.
    const stats = gateway.stats().authorizers;
    for (const name of ['CognitoJwt', 'PartnerJwt', 'LambdaAuth', 'sigv4']) {
      expect(stats[name]?.invocations, name).toBeGreaterThan(0);
    }

    const reports = [await readFile(junitFile, 'utf8'), await readFile(jsonReportFile, 'utf8')];
    for (const report of reports) {
      for (const secret of [
        PASSWORD,
        M2M_CLIENT_SECRET,
        PARTNER_CLIENT_SECRET,
        AWS_TEST_IDENTITY.secretAccessKey,
      ]) {
        expect(report).not.toContain(secret);
      }
      expect(report).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
      expect(report).not.toMatch(/AWS4-HMAC-SHA256 Credential/);
    }
  });

  it('passes under the official Postman CLI, without login', async () => {
    const vars: Record<string, string> = {
      ...httpEndpointVars(standins, gateway.url),
      // The Postman CLI reads no APIGW_AUTHZ_* environment: the same values as --env-var.
      'CognitoJwt.password': PASSWORD,
      'CognitoJwt.accessTokenClientSecret': M2M_CLIENT_SECRET,
      'PartnerJwt.clientSecret': PARTNER_CLIENT_SECRET,
      awsAccessKeyId: AWS_TEST_IDENTITY.accessKeyId,
      awsSecretAccessKey: AWS_TEST_IDENTITY.secretAccessKey,
    };
    for (const v of suite.plan.variables) {
      const envName = `APIGW_AUTHZ_${v.key.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
      if (secrets[envName] !== undefined && vars[v.key] === undefined) vars[v.key] = secrets[envName];
    }
    const args = ['collection', 'run', suite.collectionFile, '-e', suite.environmentFile];
    for (const [key, value] of Object.entries(vars)) args.push('--env-var', `${key}=${value}`);
    // HOME in the temp dir: the CLI writes ~/.postman (rc file, logs).
    const { code, output } = await runCommand(
      POSTMAN_CLI,
      args,
      { PATH: process.env.PATH ?? '', HOME: dir },
      180_000,
    );
    expect(output).toMatch(/\(CognitoJwt\)/);
    expect(output).toMatch(/\(PartnerJwt\)/);
    expect(output).toMatch(/\(LambdaAuth\)/);
    expect(output).not.toMatch(/^\s*Fail\s/m);
    expect(code, output.slice(-4000)).toBe(0);
  });

  it.skipIf(!existsSync(HTTP_EXAMPLE_SAM))(
    'gives the same collection from the SAM template of the same API',
    async () => {
      const fromSam = await loadHttpExample(standins, HTTP_EXAMPLE_SAM);
      expect(serializeJson(renderCollection(derivePlan(fromSam.model, fromSam.config)))).toBe(
        await readFile(suite.collectionFile, 'utf8'),
      );
    },
  );
});
