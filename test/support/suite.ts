/**
 * The bundled examples as the end-to-end tests use them: load one (the REST petstore or the HTTP orders API), point
 * its Cognito authorizers and JWT issuers at the local stand-ins, generate the suite into a directory, serve a
 * (possibly mutated, possibly faulty) model, and the run-time variables.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePlan } from '../../src/cases/index.js';
import type { TestPlan } from '../../src/cases/types.js';
import { applyModelDefaults, loadConfig } from '../../src/config/load-config.js';
import type { ProjectConfig } from '../../src/config/types.js';
import { startGateway } from '../../src/emulator/index.js';
import type { RunningGateway } from '../../src/emulator/index.js';
import type { AuthModel } from '../../src/model/types.js';
import { renderCollection, renderEnvironment, serializeJson } from '../../src/render/index.js';
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
