/**
 * Mutation tests for HTTP APIs: serve the bundled HTTP example with one of serve's faults switched on (each a
 * gateway that skips one check, as local emulators and vulnerable libraries do; CONTRACT.md "serve faults") and run
 * the suite generated from the correct API. Each fault must fail the run, only cases that point at it may fail, and
 * the first failing case's hint names the cause. The control (no fault) passes.
 */

import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/run/index.js';
import type { RunResult } from '../../src/run/index.js';
import { HTTP_EXAMPLE_LAB, expectCaughtWhereItIs, runAgainstServe, suiteLab } from '../support/suite.js';
import type { CaughtWhereItIs, HttpFault } from '../support/suite.js';

type Failure = RunResult['failures'][number];

interface FaultCase extends CaughtWhereItIs {
  fault: HttpFault;
}

const JWT_FOLDERS = new Set(['CognitoJwt', 'PartnerJwt']);
/** A failing case of a JWT authorizer whose name matches `pattern`. */
const jwtCase =
  (pattern: RegExp) =>
  (f: Failure): boolean =>
    JWT_FOLDERS.has(f.folder) && pattern.test(f.caseName);
const lambdaCase =
  (pattern: RegExp) =>
  (f: Failure): boolean =>
    f.folder === 'LambdaAuth' && pattern.test(f.caseName);

const AUDIENCE = / - deny: token for another audience/;
const SCOPE =
  / - deny: (access token without scope|ID token where an access token with scope .+ is expected)/;
const ISSUER = / - deny: (token of another issuer|iss with the trailing slash added or removed)/;
const ALGORITHM = / - deny: alg (none|HS256)/;
const MISSING_SOURCE = / - deny: missing (header X-Api-Token|query string tenant|identity sources)/;
const CACHE_KEY = / - cache: valid identity cached, then .+ unknown: not served from the cache/;

const FAULTS: FaultCase[] = [
  { fault: 'jwtSkipAudience', points: jwtCase(AUDIENCE), mustFail: AUDIENCE, hint: /audience/ },
  { fault: 'jwtSkipScopes', points: jwtCase(SCOPE), mustFail: SCOPE, hint: /scope/ },
  { fault: 'jwtSkipIssuer', points: jwtCase(ISSUER), mustFail: ISSUER, hint: /`iss`|issuer/ },
  {
    fault: 'jwtSkipAlgorithmAllowList',
    points: jwtCase(ALGORITHM),
    mustFail: /\[GET\] \/partner\/orders - deny: alg HS256 keyed with the issuer's public key/,
    hint: /alg|signature/,
  },
  {
    fault: 'lambdaSkipIdentitySourceCheck',
    // A preflight carries no identity either: on a route whose authorizer sees preflights it must get 401 too.
    points: (f) =>
      lambdaCase(MISSING_SOURCE)(f) ||
      (f.folder === 'CORS preflight' &&
        / - cors: preflight OPTIONS runs the authorizer .+\(LambdaAuth\)$/.test(f.caseName)),
    mustFail: / - deny: missing header X-Api-Token/,
    // The response-driven hint: API Gateway invoked the Lambda although an identity source was missing.
    hint: /identity source/,
  },
  {
    fault: 'lambdaCacheByFirstSourceOnly',
    points: lambdaCase(CACHE_KEY),
    mustFail: CACHE_KEY,
    hint: /cach/i,
  },
];

describe('HTTP mutations: the correct suite catches each faulty gateway', () => {
  const lab = suiteLab('apigw-authz-http-mutations-', HTTP_EXAMPLE_LAB);

  it.each(FAULTS)('$fault: fails, and only where the fault is', async (faultCase) => {
    expectCaughtWhereItIs(await runAgainstServe(lab, lab.example, [faultCase.fault]), faultCase);
  });

  it('control: the same gateway without a fault passes', async () => {
    const result = await runAgainstServe(lab);
    expect(result.failures, formatRunSummary(result)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});
