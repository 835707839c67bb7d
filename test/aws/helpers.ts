import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { createApiGatewayClient, type ApiGatewayClientOptions } from '../../src/sources/aws-rest/client.js';
import type { FakeApiGateway } from './fake-apigateway.js';

export const FAKE_ACCESS_KEY = 'AKIAFAKEFAKEFAKEFAKE';

/**
 * Static credentials for the SDK's default chain, and nothing else it could find: no shared files, no IMDS.
 * Returns a function that restores the environment.
 */
export function useFakeCredentials(): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-tests-only',
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
