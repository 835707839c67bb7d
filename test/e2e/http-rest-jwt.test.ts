/**
 * The REST JWT authorizer end to end (beside the HTTP API suites, on the same stand-ins): a REST export whose JWT
 * authorizer trusts the partner OIDC issuer with a required claim rule (test/fixtures/rest-jwt). Its suite passes
 * 100% against `serve` under Newman, every optional case run with the token lab's tokens (REST claim variants
 * included); a gateway without the claim rule, and one without the algorithm allow-list, fail it where they are.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/run/index.js';
import {
  HTTP_EXAMPLE_LAB,
  ROOT,
  loadWithIssuerStandIns,
  runAgainstServe,
  suiteLab,
} from '../support/suite.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'rest-jwt');

describe('a REST JWT authorizer on a generic OIDC issuer, against serve', () => {
  // The HTTP example's variables and secrets: the fixture's authorizer is named as the example's PartnerJwt.
  const lab = suiteLab('apigw-authz-rest-jwt-', {
    ...HTTP_EXAMPLE_LAB,
    load: (standins) =>
      loadWithIssuerStandIns(
        standins,
        join(FIXTURE, 'partner-orders.openapi.yaml'),
        join(FIXTURE, 'config.yaml'),
      ),
  });

  it('reads a REST API with a JWT authorizer and a required claim, and the lab mints its claim variants', () => {
    const { example, secrets } = lab;
    expect(example.model.api.kind ?? 'REST').toBe('REST');
    const jwt = example.model.authorizers.find((a) => a.name === 'PartnerJwt')?.jwt;
    expect(jwt?.issuers[0]?.claims).toEqual([{ name: 'tenant', values: ['tenant-1'], required: true }]);
    expect(secrets.APIGW_AUTHZ_PARTNERJWT_MISSINGCLAIMTOKEN).toMatch(/^eyJ/);
    expect(secrets.APIGW_AUTHZ_PARTNERJWT_WRONGCLAIMTOKEN).toMatch(/^eyJ/);
  });

  it('passes 100% under Newman, every optional case run', async () => {
    const result = await runAgainstServe(lab);
    const summary = formatRunSummary(result);
    expect(result.failures, summary).toEqual([]);
    expect(result.passed, summary).toBe(true);
    expect(result.stats.cases, summary).toBe(lab.suite.plan.cases.length);
  });

  it('fails only the claim cases against a gateway that lost the claim rule', async () => {
    const mutated = structuredClone(lab.example);
    for (const issuer of mutated.model.authorizers.find((a) => a.name === 'PartnerJwt')?.jwt?.issuers ?? []) {
      issuer.claims = [];
    }
    const result = await runAgainstServe(lab, mutated);
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
    const result = await runAgainstServe(lab, lab.example, ['jwtSkipAlgorithmAllowList']);
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
