import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, expect } from 'vitest';
import { derivePlan } from '../../src/cases/index.js';
import { applyModelDefaults } from '../../src/config/load-config.js';
import type { ProjectConfig } from '../../src/config/types.js';
import type { ApigwAuthzError } from '../../src/errors.js';
import type { AuthModel } from '../../src/model/types.js';
import { renderCollection, renderEnvironment, serializeJson } from '../../src/render/index.js';
import { createApiGatewayClient, type ApiGatewayClientOptions } from '../../src/sources/aws-rest/client.js';
import type { FakeApiGateway } from './fake-apigateway.js';

export const FAKE_ACCESS_KEY = 'AKIAFAKEFAKEFAKEFAKE';
export const FAKE_SECRET_ACCESS_KEY = 'fake-secret-key-for-tests-only';

/** The calls a live REST API read makes, in order (one page of each list). */
export const REST_READ_CALLS = [
  'GetRestApis',
  'GetStage',
  'GetAuthorizers',
  'GetResources',
  'GetGatewayResponses',
  'GetExport',
];

/**
 * Static credentials for the SDK's default chain, and nothing else it could find: no shared files, no IMDS.
 * Returns a function that restores the environment.
 */
export function useFakeCredentials(): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/apigw-authz/credentials',
    AWS_CONFIG_FILE: '/nonexistent/apigw-authz/config',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_API_GATEWAY;
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

/** A client pointed at the fake, with fast pacing windows unless told otherwise. */
export function fakeClient(fake: FakeApiGateway, options: ApiGatewayClientOptions = {}): APIGatewayClient {
  return createApiGatewayClient({ region: 'us-east-1', endpoint: fake.url, ...options });
}

/**
 * For a describe block: fake credentials and a fake control plane before its tests, both undone after them. `start`
 * starts the fake and keeps it where the tests find it: `startFakeForSuite(async () => (fake = await ....start(...)))`.
 */
export function startFakeForSuite(start: () => Promise<{ stop(): Promise<void> }>): void {
  let fake: { stop(): Promise<void> } | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    restoreEnv = useFakeCredentials();
    fake = await start();
  });
  afterAll(async () => {
    await fake?.stop();
    restoreEnv?.();
  });
}

/**
 * The error `promise` rejects with, checked to be an `expected` whose line is one line with a fix and no stack
 * trace, as every failure of a live read must be.
 */
export async function oneLineFailure(
  promise: Promise<unknown>,
  expected: abstract new (...args: never[]) => Error = Error,
): Promise<ApigwAuthzError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(expected);
  const line = (error as ApigwAuthzError).toLine();
  expect(line).not.toContain('\n');
  expect(line).not.toMatch(/\s+at\s+\S+\s+\(/);
  expect(line).toContain(' Fix: ');
  return error as ApigwAuthzError;
}

/** The collection and environment `generate` writes for `model` with `config` (defaults from the model), as text. */
export function generatedText(
  model: AuthModel,
  config: ProjectConfig,
): { collection: string; environment: string } {
  const plan = derivePlan(model, applyModelDefaults(config, model));
  return {
    collection: serializeJson(renderCollection(plan)),
    environment: serializeJson(renderEnvironment(plan)),
  };
}
