/**
 * The end-to-end proof: the suite generated from the bundled example passes 100% against `serve` (built from the
 * same model) with the Cognito stand-ins, under Newman (through `run`) and under the official Postman CLI; the
 * reports `run` writes carry no credential; and `run`'s exit codes hold on the real suite.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/exit-codes.js';
import type { RunningGateway } from '../../src/emulator/index.js';
import { exitCodeFor, formatRunSummary, runCollection } from '../../src/run/index.js';
import { closedPort } from '../support/http.js';
import { M2M_CLIENT_SECRET, PASSWORD } from '../support/standins.js';
import {
  AWS_TEST_IDENTITY,
  REST_EXAMPLE_LAB,
  TEST_API_KEY,
  runPostmanCli,
  serve,
  suiteLab,
} from '../support/suite.js';
import { goldenOutcomes, outcomeRecorder } from './equivalence.js';
import type { Outcomes } from './equivalence.js';

describe('the example suite against serve and the Cognito stand-ins', () => {
  const lab = suiteLab('apigw-authz-e2e-', REST_EXAMPLE_LAB);
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await serve(lab.example);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('passes 100% under Newman, secrets from the process environment, reports free of credentials', async () => {
    const junitFile = join(lab.dir, 'reports', 'junit.xml');
    const jsonReportFile = join(lab.dir, 'reports', 'run.json');
    const recorder = outcomeRecorder(lab.suite.plan);
    const result = await runCollection({
      collection: lab.suite.collectionFile,
      environment: lab.suite.environmentFile,
      envVars: lab.envVars(gateway.url),
      processEnv: lab.secrets,
      reporters: ['junit', 'json'],
      junitFile,
      jsonReportFile,
      onEvent: recorder.onEvent,
    });
    expect(result.failures, formatRunSummary(result)).toEqual([]);
    const outcomes = recorder.outcomes(result);
    expect(outcomes).toEqual(await goldenOutcomes('example', outcomes));
    expect(result.passed).toBe(true);
    expect(exitCodeFor(result)).toBe(0);
    // Every case ran except the optional ones whose variable (the expired token) is not supplied.
    const optional = lab.suite.plan.cases.filter((c) => c.skipUnlessVariable !== undefined).length;
    expect(result.stats.cases).toBe(lab.suite.plan.cases.length - optional);
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
    expect(JSON.parse(reports[1]!).format).toBe('apigw-authz-run/1');
  });

  it('passes under the official Postman CLI, without login', async () => {
    const e = lab.secrets;
    const vars: Record<string, string> = {
      ...lab.envVars(gateway.url),
      'CognitoAuth.password': PASSWORD,
      'CognitoAuth.accessTokenClientSecret': M2M_CLIENT_SECRET,
      awsAccessKeyId: e.AWS_ACCESS_KEY_ID ?? '',
      awsSecretAccessKey: e.AWS_SECRET_ACCESS_KEY ?? '',
      apiKey: TEST_API_KEY,
    };
    const { code, output } = await runPostmanCli(lab.suite, vars, lab.dir, 120_000);
    expect(output).toContain('[GET] /pets - allow: valid ID token (CognitoAuth)');
    expect(output).not.toMatch(/^\s*Fail\s/m);
    expect(code, output.slice(-4000)).toBe(0);
  });

  it('exits 1 when a case fails (a wrong AWS secret key breaks the signed request)', async () => {
    const recorder = outcomeRecorder(lab.suite.plan);
    const result = await runCollection({
      collection: lab.suite.collectionFile,
      environment: lab.suite.environmentFile,
      envVars: { ...lab.envVars(gateway.url), awsSecretAccessKey: 'not-the-secret-key' },
      processEnv: lab.secrets,
      folders: ['sigv4'],
      onEvent: recorder.onEvent,
    });
    const outcomes = recorder.outcomes(result);
    const sigv4Keys = lab.suite.plan.cases.filter((c) => c.group.title === 'sigv4').map((c) => c.key);
    const sigv4Outcomes: Outcomes = Object.fromEntries(sigv4Keys.map((k) => [k, outcomes[k]!]));
    expect(sigv4Outcomes).toEqual(await goldenOutcomes('example-wrong-aws-secret', sigv4Outcomes));
    expect(exitCodeFor(result)).toBe(1);
    expect(result.failures.map((f) => f.caseName)).toContain(
      '[ANY] /admin/{proxy+} - allow: SigV4-signed request (sigv4)',
    );
  });

  it('reports the cases that need a token the fetch could not get as blocked, fetching once', async () => {
    const port = await closedPort();
    const recorder = outcomeRecorder(lab.suite.plan);
    const result = await runCollection({
      collection: lab.suite.collectionFile,
      environment: lab.suite.environmentFile,
      envVars: {
        ...lab.envVars(gateway.url),
        'CognitoAuth.idpEndpoint': `http://127.0.0.1:${port}/`,
      },
      processEnv: lab.secrets,
      folders: ['CognitoAuth'],
      onEvent: recorder.onEvent,
      // run's pre-flight would stop at the failed fetch (exit 3); plain Newman has none, and this is its path
      skipPreflight: true,
    });
    const summary = formatRunSummary(result);
    // The password flow (ID tokens, plain access tokens) fails; scoped access tokens come from client_credentials.
    const needsPasswordToken = lab.suite.plan.cases.filter(
      (c) =>
        c.group.title === 'CognitoAuth' &&
        c.skipUnlessVariable === undefined &&
        ((c.credential.kind === 'cognito-token' && c.credential.tokenUse !== 'access') ||
          (c.credential.kind === 'forged-token' &&
            c.credential.source.kind === 'cognito' &&
            c.credential.source.tokenUse !== 'access')),
    );
    expect(needsPasswordToken.length).toBeGreaterThan(5);
    const blocked = new Set(
      result.failures.filter((f) => / blocked by /.test(f.message)).map((f) => f.caseName),
    );
    expect([...blocked].sort(), summary).toEqual(needsPasswordToken.map((c) => c.name).sort());
    // Newman reports the token script's refused connections itself: one attempt and its one immediate retry,
    // then never again (not once per request); every other failure is one "blocked" assertion per case.
    const transport = result.failures.filter((f) => f.message.startsWith('request failed: pm.sendRequest'));
    expect(transport, summary).toHaveLength(2);
    const assertions = result.failures.filter((f) => !transport.includes(f));
    expect(assertions).toHaveLength(blocked.size);
    for (const failure of assertions) {
      expect(failure.message, summary).toMatch(
        /^\[.+\] blocked by the CognitoAuth (id|unscoped-access) token: CognitoAuth token fetch: InitiateAuth USER_PASSWORD_AUTH at http:\/\/127\.0\.0\.1:\d+\/ failed: .*ECONNREFUSED/,
      );
      expect(failure.message).not.toContain('[object Object]');
    }
    // The cases that need no password-flow token still pass.
    const outcomes = recorder.outcomes(result);
    expect(outcomes['GET /pets#missing-credentials']?.outcome).toBe('passed');
    expect(outcomes['GET /pets/{petId}#allow']?.outcome).toBe('passed');
  });

  it('exits 2 for a missing collection path', async () => {
    const error = await runCollection({ collection: join(lab.dir, 'no-such.postman_collection.json') }).catch(
      (err: unknown) => err,
    );
    expect(describeFailure(error).exitCode).toBe(2);
  });

  it('exits 3 when the base URL refuses connections', async () => {
    const port = await closedPort();
    const result = await runCollection({
      collection: lab.suite.collectionFile,
      environment: lab.suite.environmentFile,
      envVars: lab.envVars(`http://127.0.0.1:${port}/prod`),
      processEnv: lab.secrets,
    });
    expect(result.passed).toBe(false);
    expect(result.environmentFailure).toBe(true);
    expect(exitCodeFor(result)).toBe(3);
    expect(formatRunSummary(result)).toContain('ECONNREFUSED');
  });
});
