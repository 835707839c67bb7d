/**
 * The bundled example as the end-to-end tests use it: load it, point its Cognito authorizers at the local
 * stand-ins, generate the suite into a directory, serve a (possibly mutated) model, and the run-time variables.
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
import { loadExportFile } from '../../src/sources/openapi/export-file.js';
import type { Standins } from './standins.js';
import { M2M_CLIENT_SECRET, PASSWORD, USERNAME } from './standins.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXAMPLE_EXPORT = join(ROOT, 'examples', 'petstore-authz.openapi.yaml');
export const EXAMPLE_CONFIG = join(ROOT, 'examples', 'apigw-authz.config.yaml');

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

/** `serve` for a model and config, with the test AWS identity and API key; stop it in a finally/afterAll. */
export function serve(example: Example): Promise<RunningGateway> {
  return startGateway({
    model: example.model,
    config: example.config,
    host: '127.0.0.1',
    port: 0,
    env: {
      AWS_ACCESS_KEY_ID: AWS_TEST_IDENTITY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_TEST_IDENTITY.secretAccessKey,
      APIGW_AUTHZ_API_KEYS: TEST_API_KEY,
    },
  });
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
