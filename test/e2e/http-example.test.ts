/**
 * The end-to-end proof for HTTP APIs: the suite generated from the bundled HTTP example
 * (examples/orders-http.openapi.json with examples/orders-http.config.yaml) passes 100% against `serve` built from
 * the same API, with the stand-ins as issuers (cognito-local's pool for CognitoJwt, the partner OIDC server for
 * PartnerJwt, mapped by `serve.issuers`), under Newman (through `run`) and under the official Postman CLI. Every
 * optional case runs: the token lab supplies the tokens only an issuer can mint, through the process environment.
 */

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/emulator/index.js';
import { renderCollection, serializeJson } from '../../src/render/index.js';
import { derivePlan } from '../../src/cases/index.js';
import { exitCodeFor, formatRunSummary, runCollection } from '../../src/run/index.js';
import { M2M_CLIENT_SECRET, PARTNER_CLIENT_SECRET, PASSWORD } from '../support/standins.js';
import {
  AWS_TEST_IDENTITY,
  HTTP_EXAMPLE_LAB,
  HTTP_EXAMPLE_SAM,
  loadHttpExample,
  runPostmanCli,
  serve,
  suiteLab,
} from '../support/suite.js';

describe('the HTTP example suite against serve and the stand-in issuers', () => {
  const lab = suiteLab('apigw-authz-http-e2e-', HTTP_EXAMPLE_LAB);
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await serve(lab.example);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('has a case for every authorizer kind of the example, and every optional token is supplied by the lab', () => {
    const { suite, secrets } = lab;
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
    const { suite, dir } = lab;
    const junitFile = join(dir, 'reports', 'junit.xml');
    const jsonReportFile = join(dir, 'reports', 'run.json');
    const result = await runCollection({
      collection: suite.collectionFile,
      environment: suite.environmentFile,
      envVars: lab.envVars(gateway.url),
      processEnv: lab.secrets,
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
    const { suite, secrets } = lab;
    const vars: Record<string, string> = {
      ...lab.envVars(gateway.url),
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
    const { code, output } = await runPostmanCli(suite, vars, lab.dir, 180_000);
    expect(output).toMatch(/\(CognitoJwt\)/);
    expect(output).toMatch(/\(PartnerJwt\)/);
    expect(output).toMatch(/\(LambdaAuth\)/);
    expect(output).not.toMatch(/^\s*Fail\s/m);
    expect(code, output.slice(-4000)).toBe(0);
  });

  it.skipIf(!existsSync(HTTP_EXAMPLE_SAM))(
    'gives the same collection from the SAM template of the same API',
    async () => {
      const fromSam = await loadHttpExample(lab.standins, HTTP_EXAMPLE_SAM);
      expect(serializeJson(renderCollection(derivePlan(fromSam.model, fromSam.config)))).toBe(
        await readFile(lab.suite.collectionFile, 'utf8'),
      );
    },
  );
});
