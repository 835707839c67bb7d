/**
 * The bundled examples as the end-to-end tests use them: load one (the REST petstore or the HTTP orders API), point
 * its Cognito authorizers and JWT issuers at the local stand-ins, generate the suite into a directory, serve a
 * (possibly mutated, possibly faulty) model, the run-time variables, and the lab that holds them for a describe
 * block; the suite run by `run` against serve, or by the official Postman CLI; the checks of a mutation test.
 */

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { derivePlan } from '../../src/cases/index.js';
import type { TestPlan } from '../../src/cases/types.js';
import { applyModelDefaults, loadConfig } from '../../src/config/load-config.js';
import type { ProjectConfig } from '../../src/config/types.js';
import { startGateway } from '../../src/emulator/index.js';
import type { RunningGateway } from '../../src/emulator/index.js';
import type { AuthModel } from '../../src/model/types.js';
import { renderCollection, renderEnvironment, serializeJson } from '../../src/render/index.js';
import { formatRunSummary, runCollection } from '../../src/run/index.js';
import type { RunOptions, RunResult } from '../../src/run/index.js';
import { readSource } from '../../src/sources/detect.js';
import { loadExportFile } from '../../src/sources/openapi/export-file.js';
import type { Standins } from './standins.js';
import {
  M2M_CLIENT_SECRET,
  PARTNER_CLIENT_SECRET,
  PASSWORD,
  USERNAME,
  issuerStandIns,
  labProcessEnv,
  labSubjects,
  mintLabTokens,
  startStandins,
} from './standins.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXAMPLE_EXPORT = join(ROOT, 'examples', 'petstore-authz.openapi.yaml');
export const EXAMPLE_CONFIG = join(ROOT, 'examples', 'apigw-authz.config.yaml');
export const HTTP_EXAMPLE_EXPORT = join(ROOT, 'examples', 'orders-http.openapi.json');
export const HTTP_EXAMPLE_SAM = join(ROOT, 'examples', 'orders-http.sam.yaml');
export const HTTP_EXAMPLE_CONFIG = join(ROOT, 'examples', 'orders-http.config.yaml');

/** Test-only AWS identity: `serve` gets it in its env option, the suite as `awsAccessKeyId`/`awsSecretAccessKey`. */
export const AWS_TEST_IDENTITY = {
  accessKeyId: 'AKIDLOCALTESTEXAMPLE',
  secretAccessKey: 'local-test-secret-access-key-not-real/0001',
} as const;

/** Test-only API key: `serve` accepts it (`APIGW_AUTHZ_API_KEYS`), the suite sends it as `apiKey`. */
export const TEST_API_KEY = 'local-test-api-key-not-real-0001';

export interface Example {
  model: AuthModel;
  config: ProjectConfig;
}

/** The example's model and config, with every Cognito authorizer verifying against the stand-ins. */
export async function loadExample(standins: Pick<Standins, 'jwksUrl' | 'issuer'>): Promise<Example> {
  const model = await loadExportFile(EXAMPLE_EXPORT);
  const config = applyModelDefaults(await loadConfig(EXAMPLE_CONFIG, ROOT), model);
  for (const settings of Object.values(config.authorizers)) {
    if (settings.cognito) {
      settings.cognito = { ...settings.cognito, jwksUrl: standins.jwksUrl, issuer: standins.issuer };
    }
  }
  return { model, config };
}

/**
 * An API with JWT authorizers and its config, with `serve.issuers` mapping each JWT authorizer's cloud issuer to the
 * stand-in that signs its tokens (cognito-local's pool for a Cognito issuer, else the partner OIDC issuer).
 */
export async function loadWithIssuerStandIns(
  standins: Standins,
  source: string,
  configFile: string,
): Promise<Example> {
  // A template names its region only as ${AWS::Region}: read it as `--region us-east-1` would (an export ignores it).
  const { model } = await readSource(source, { region: 'us-east-1' });
  const config = applyModelDefaults(await loadConfig(configFile, ROOT), model);
  config.serve = {
    requestWithoutCacheMissingSource: 'reject',
    ...config.serve,
    issuers: issuerStandIns(model, standins),
  };
  return { model, config };
}

/** The HTTP example (examples/orders-http.openapi.json, or `source` of the same API, with its config). */
export function loadHttpExample(standins: Standins, source = HTTP_EXAMPLE_EXPORT): Promise<Example> {
  return loadWithIssuerStandIns(standins, source, HTTP_EXAMPLE_CONFIG);
}

export interface Suite {
  plan: TestPlan;
  collectionFile: string;
  environmentFile: string;
}

/** Derives and renders the suite into `dir`, as `apigw-authz generate` would. */
export async function writeSuite(example: Example, dir: string): Promise<Suite> {
  const plan = derivePlan(example.model, example.config);
  const collectionFile = join(dir, 'suite.postman_collection.json');
  const environmentFile = join(dir, 'suite.postman_environment.json');
  await writeFile(collectionFile, serializeJson(renderCollection(plan)));
  await writeFile(environmentFile, serializeJson(renderEnvironment(plan)));
  return { plan, collectionFile, environmentFile };
}

/** The broken gateways of CONTRACT.md (`GatewayCoreOptions.faults`): each must make the HTTP suite fail. */
export const HTTP_FAULTS = [
  'jwtSkipAudience',
  'jwtSkipScopes',
  'jwtSkipIssuer',
  'jwtSkipAlgorithmAllowList',
  'lambdaSkipIdentitySourceCheck',
  'lambdaCacheByFirstSourceOnly',
] as const;
export type HttpFault = (typeof HTTP_FAULTS)[number];

/**
 * `serve` for a model and config, with the test AWS identity and API key, and `faults` switched on (mutation tests
 * only); stop it in a finally/afterAll.
 */
export function serve(example: Example, faults: readonly HttpFault[] = []): Promise<RunningGateway> {
  const options: Parameters<typeof startGateway>[0] & { faults?: Partial<Record<HttpFault, boolean>> } = {
    model: example.model,
    config: example.config,
    host: '127.0.0.1',
    port: 0,
    env: {
      AWS_ACCESS_KEY_ID: AWS_TEST_IDENTITY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_TEST_IDENTITY.secretAccessKey,
      APIGW_AUTHZ_API_KEYS: TEST_API_KEY,
    },
  };
  if (faults.length > 0) options.faults = Object.fromEntries(faults.map((f) => [f, true]));
  return startGateway(options);
}

/** Non-secret run-time variables: the target and the stand-ins' endpoints (as `--env-var`). */
export function endpointVars(standins: Standins, baseUrl: string): Record<string, string> {
  return {
    baseUrl,
    'CognitoAuth.idpEndpoint': standins.idpEndpoint,
    'CognitoAuth.tokenUrl': standins.tokenUrl,
    'CognitoAuth.username': USERNAME,
  };
}

/** Secrets as a pipeline supplies them: the process environment (`APIGW_AUTHZ_*` and the AWS variables). */
export function secretProcessEnv(): Record<string, string> {
  return {
    APIGW_AUTHZ_COGNITOAUTH_PASSWORD: PASSWORD,
    APIGW_AUTHZ_COGNITOAUTH_ACCESSTOKENCLIENTSECRET: M2M_CLIENT_SECRET,
    AWS_ACCESS_KEY_ID: AWS_TEST_IDENTITY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_TEST_IDENTITY.secretAccessKey,
    APIGW_AUTHZ_APIKEY: TEST_API_KEY,
  };
}

/**
 * The non-secret run-time variables of an API with the HTTP example's authorizer names (CognitoJwt, PartnerJwt):
 * the target and the stand-ins' endpoints (token endpoints, and the key sets the forge script reads).
 */
export function httpEndpointVars(standins: Standins, baseUrl: string): Record<string, string> {
  return {
    baseUrl,
    'CognitoJwt.idpEndpoint': standins.idpEndpoint,
    'CognitoJwt.tokenUrl': standins.tokenUrl,
    'CognitoJwt.jwksUrl': standins.jwksUrl,
    'CognitoJwt.username': USERNAME,
    'PartnerJwt.tokenUrl': standins.partner.tokenUrl,
    'PartnerJwt.jwksUrl': standins.partner.jwksUrl,
  };
}

/**
 * The secrets of an API with the HTTP example's authorizer names, as a pipeline supplies them (the process environment): the stand-ins' client secrets
 * and password, the AWS identity, and the lab tokens of every JWT authorizer (minted now, with the stand-ins' keys).
 */
export async function httpSecretProcessEnv(
  standins: Standins,
  example: Example,
): Promise<Record<string, string>> {
  const tokens = await mintLabTokens(standins, labSubjects(example.model, example.config));
  return {
    APIGW_AUTHZ_COGNITOJWT_PASSWORD: PASSWORD,
    APIGW_AUTHZ_COGNITOJWT_ACCESSTOKENCLIENTSECRET: M2M_CLIENT_SECRET,
    APIGW_AUTHZ_PARTNERJWT_CLIENTSECRET: PARTNER_CLIENT_SECRET,
    AWS_ACCESS_KEY_ID: AWS_TEST_IDENTITY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_TEST_IDENTITY.secretAccessKey,
    ...labProcessEnv(tokens),
  };
}

/** What a lab is built from: how to load its example, and the run-time variables and secrets its suite needs. */
export interface LabKind {
  load: (standins: Standins) => Promise<Example>;
  endpointVars: (standins: Standins, baseUrl: string) => Record<string, string>;
  secrets: (standins: Standins, example: Example) => Record<string, string> | Promise<Record<string, string>>;
}

/** The bundled REST example (Cognito stand-in, secrets from the process environment). */
export const REST_EXAMPLE_LAB: LabKind = {
  load: loadExample,
  endpointVars,
  secrets: () => secretProcessEnv(),
};

/** The bundled HTTP example (stand-in issuers, lab tokens among the secrets). */
export const HTTP_EXAMPLE_LAB: LabKind = {
  load: (standins) => loadHttpExample(standins),
  endpointVars: httpEndpointVars,
  secrets: httpSecretProcessEnv,
};

/** The stand-ins, an example, its suite (in `dir`) and its secrets; set once the describe block's beforeAll ran. */
export interface Lab {
  standins: Standins;
  dir: string;
  example: Example;
  suite: Suite;
  secrets: Record<string, string>;
  /** The non-secret run-time variables for a gateway at `baseUrl`. */
  envVars: (baseUrl: string) => Record<string, string>;
}

/**
 * For a describe block: before its tests, starts the stand-ins, loads `kind`'s example, writes its suite into a new
 * temp directory named `tmpPrefix...` and gathers its secrets; after them, stops the stand-ins and removes the
 * directory.
 */
export function suiteLab(tmpPrefix: string, kind: LabKind): Lab {
  const lab: Partial<Lab> = {};
  beforeAll(async () => {
    const standins = await startStandins();
    lab.standins = standins;
    lab.dir = await mkdtemp(join(tmpdir(), tmpPrefix));
    lab.example = await kind.load(standins);
    lab.suite = await writeSuite(lab.example, lab.dir);
    lab.secrets = await kind.secrets(standins, lab.example);
    lab.envVars = (baseUrl) => kind.endpointVars(standins, baseUrl);
  });
  afterAll(async () => {
    await lab.standins?.stop();
    if (lab.dir) await rm(lab.dir, { recursive: true, force: true });
  });
  return lab as Lab;
}

/**
 * Serves `served` (the lab's example unless given; a mutated copy in mutation tests) with `faults` switched on,
 * runs the lab's suite against it with the lab's variables and secrets (`options` adds to or overrides them), and
 * stops serve.
 */
export async function runAgainstServe(
  lab: Lab,
  served: Example = lab.example,
  faults: readonly HttpFault[] = [],
  options: Partial<RunOptions> = {},
): Promise<RunResult> {
  const gateway = await serve(served, faults);
  try {
    return await runCollection({
      collection: lab.suite.collectionFile,
      environment: lab.suite.environmentFile,
      envVars: lab.envVars(gateway.url),
      processEnv: lab.secrets,
      ...options,
    });
  } finally {
    await gateway.stop();
  }
}

export const POSTMAN_CLI = join(ROOT, 'node_modules', '.bin', 'postman');

/**
 * Runs `suite` under the official Postman CLI with `vars` as `--env-var`, without blocking the event loop (serve
 * runs in this process). HOME is `home`: the CLI writes ~/.postman (rc file, logs). Killed by PID after `timeoutMs`.
 */
export function runPostmanCli(
  suite: Suite,
  vars: Record<string, string>,
  home: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  const args = ['collection', 'run', suite.collectionFile, '-e', suite.environmentFile];
  for (const [key, value] of Object.entries(vars)) args.push('--env-var', `${key}=${value}`);
  return new Promise((resolve, reject) => {
    const child = spawn(POSTMAN_CLI, args, {
      env: { PATH: process.env.PATH ?? '', HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

type Failure = RunResult['failures'][number];

/** What a mutation test expects of the run of the correct suite against a gateway that gets one thing wrong. */
export interface CaughtWhereItIs {
  /** Every failing case must satisfy this: it points at the mutation or fault. */
  points: (failure: Failure) => boolean;
  /** At least one failing case must be named like this. */
  mustFail: RegExp;
  /** The first hint of the first failing case (chosen from the response) names the cause. */
  hint: RegExp;
}

/** The hint chosen from the response: the part of a failure's hint before the case's own `(Also check: ...)`. */
export function firstHint(failure: Failure | undefined): string {
  return (failure?.hint ?? '').split(' (Also check: ')[0] ?? '';
}

/** Checks that `result` failed (not for the environment), only where the mutation is, with a hint naming it. */
export function expectCaughtWhereItIs(result: RunResult, { points, mustFail, hint }: CaughtWhereItIs): void {
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
}
