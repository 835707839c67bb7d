/**
 * The REST JWT authorizer end to end (beside the HTTP API suites, on the same stand-ins): a REST export whose JWT
 * authorizer trusts the partner OIDC issuer with a required claim rule (test/fixtures/rest-jwt). Its suite passes
 * 100% against `serve` under Newman, every optional case run with the token lab's tokens (REST claim variants
 * included); a gateway without the claim rule, and one without the algorithm allow-list, fail it where they are.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary, runCollection } from '../../src/run/index.js';
import type { RunResult } from '../../src/run/index.js';
import { startStandins } from '../support/standins.js';
import type { Standins } from '../support/standins.js';
import {
  ROOT,
  httpEndpointVars,
  httpSecretProcessEnv,
  loadWithIssuerStandIns,
  serve,
  writeSuite,
} from '../support/suite.js';
import type { Example, HttpFault, Suite } from '../support/suite.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'rest-jwt');

describe('a REST JWT authorizer on a generic OIDC issuer, against serve', () => {
  let standins: Standins;
  let dir: string;
  let example: Example;
  let suite: Suite;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    standins = await startStandins();
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-rest-jwt-'));
    example = await loadWithIssuerStandIns(
      standins,
      join(FIXTURE, 'partner-orders.openapi.yaml'),
      join(FIXTURE, 'config.yaml'),
    );
    suite = await writeSuite(example, dir);
    secrets = await httpSecretProcessEnv(standins, example);
  });
  afterAll(async () => {
    await standins?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function runAgainst(mutated: Example, faults: HttpFault[] = []): Promise<RunResult> {
    const gateway = await serve(mutated, faults);
    try {
      return await runCollection({
        collection: suite.collectionFile,
        environment: suite.environmentFile,
        envVars: httpEndpointVars(standins, gateway.url),
        processEnv: secrets,
      });
    } finally {
      await gateway.stop();
    }
  }

  it('reads a REST API with a JWT authorizer and a required claim, and the lab mints its claim variants', () => {
    expect(example.model.api.kind ?? 'REST').toBe('REST');
    const jwt = example.model.authorizers.find((a) => a.name === 'PartnerJwt')?.jwt;
    expect(jwt?.issuers[0]?.claims).toEqual([{ name: 'tenant', values: ['tenant-1'], required: true }]);
    expect(secrets.APIGW_AUTHZ_PARTNERJWT_MISSINGCLAIMTOKEN).toMatch(/^eyJ/);
    expect(secrets.APIGW_AUTHZ_PARTNERJWT_WRONGCLAIMTOKEN).toMatch(/^eyJ/);
  });

  it('passes 100% under Newman, every optional case run', async () => {
    const result = await runAgainst(example);
    const summary = formatRunSummary(result);
    expect(result.failures, summary).toEqual([]);
    expect(result.passed, summary).toBe(true);
    expect(result.stats.cases, summary).toBe(suite.plan.cases.length);
  });

  it('fails only the claim cases against a gateway that lost the claim rule', async () => {
    const mutated = structuredClone(example);
    for (const issuer of mutated.model.authorizers.find((a) => a.name === 'PartnerJwt')?.jwt?.issuers ?? []) {
      issuer.claims = [];
    }
    const result = await runAgainst(mutated);
    const summary = formatRunSummary(result);
    const claimCase = / - deny: token (without the required claim tenant|whose tenant is none of tenant-1)/;
    expect(result.passed, summary).toBe(false);
    expect(
      result.failures.filter((f) => !claimCase.test(f.caseName)),
      summary,
    ).toEqual([]);
    expect(
      result.failures.some((f) => /without the required claim tenant/.test(f.caseName)),
      summary,
    ).toBe(true);
  });

  it('fails only the algorithm cases against a gateway without the algorithm allow-list', async () => {
    const result = await runAgainst(example, ['jwtSkipAlgorithmAllowList']);
    const summary = formatRunSummary(result);
    expect(result.passed, summary).toBe(false);
    expect(
      result.failures.filter((f) => !/ - deny: alg (none|HS256)/.test(f.caseName)),
      summary,
    ).toEqual([]);
    expect(
      result.failures.some((f) => /alg HS256 keyed with the issuer's public key/.test(f.caseName)),
      summary,
    ).toBe(true);
  });
});
