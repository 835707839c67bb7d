/**
 * Mutation tests for HTTP APIs: serve the bundled HTTP example with one of serve's faults switched on (each a
 * gateway that skips one check, as local emulators and vulnerable libraries do; CONTRACT.md "serve faults") and run
 * the suite generated from the correct API. Each fault must fail the run, only cases that point at it may fail, and
 * the first failing case's hint names the cause. The control (no fault) passes.
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
  httpEndpointVars,
  httpSecretProcessEnv,
  loadHttpExample,
  serve,
  writeSuite,
} from '../support/suite.js';
import type { Example, HttpFault, Suite } from '../support/suite.js';

type Failure = RunResult['failures'][number];

interface FaultCase {
  fault: HttpFault;
  /** Every failing case must satisfy this: it points at the fault. */
  points: (failure: Failure) => boolean;
  /** At least one failing case must be named like this. */
  mustFail: RegExp;
  /** The first hint of the first failing case (chosen from the response) names the cause. */
  hint: RegExp;
}

/** The hint chosen from the response: the part of a failure's hint before the case's own `(Also check: ...)`. */
function firstHint(failure: Failure | undefined): string {
  return (failure?.hint ?? '').split(' (Also check: ')[0] ?? '';
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
    // The response-driven hint: the Lambda ran and refused (isAuthorized false) where API Gateway itself answers 401.
    hint: /identity/,
  },
  {
    fault: 'lambdaCacheByFirstSourceOnly',
    points: lambdaCase(CACHE_KEY),
    mustFail: CACHE_KEY,
    hint: /cach/i,
  },
];

describe('HTTP mutations: the correct suite catches each faulty gateway', () => {
  let standins: Standins;
  let dir: string;
  let example: Example;
  let suite: Suite;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    standins = await startStandins();
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-http-mutations-'));
    example = await loadHttpExample(standins);
    suite = await writeSuite(example, dir);
    secrets = await httpSecretProcessEnv(standins, example);
  });
  afterAll(async () => {
    await standins?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Serves the example with `faults`, runs the correct suite, stops serve. */
  async function runAgainst(faults: HttpFault[]): Promise<RunResult> {
    const gateway = await serve(example, faults);
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

  it.each(FAULTS)('$fault: fails, and only where the fault is', async ({ fault, points, mustFail, hint }) => {
    const result = await runAgainst([fault]);
    const summary = formatRunSummary(result);
    expect(result.passed, summary).toBe(false);
    expect(result.environmentFailure, summary).toBe(false);
    expect(result.failures.length, summary).toBeGreaterThan(0);
    expect(
      result.failures.filter((f) => !points(f)),
      summary,
    ).toEqual([]);
    expect(
      result.failures.some((f) => mustFail.test(f.caseName)),
      summary,
    ).toBe(true);
    expect(firstHint(result.failures[0]), summary).toMatch(hint);
  });

  it('control: the same gateway without a fault passes', async () => {
    const result = await runAgainst([]);
    expect(result.failures, formatRunSummary(result)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});
