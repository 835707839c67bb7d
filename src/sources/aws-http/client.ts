import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { installPacing, markConfigured, type ApiGatewayClientOptions } from '../aws-rest/client.js';
import { AWS_QUOTAS, Pacer } from '../aws-rest/pacing.js';

/** The same options as the v1 client; the endpoint default is AWS_ENDPOINT_URL_APIGATEWAYV2, then AWS_ENDPOINT_URL. */
export type ApiGatewayV2ClientOptions = ApiGatewayClientOptions;

/**
 * An API Gateway v2 (HTTP API) control-plane client, configured as the v1 client is: the SDK's default credential
 * chain, adaptive retries (which back off on TooManyRequestsException and honour Retry-After), and client-side
 * pacing to the account quota both control planes share (10 requests per second).
 */
export function createApiGatewayV2Client(options: ApiGatewayV2ClientOptions = {}): ApiGatewayV2Client {
  const client = new ApiGatewayV2Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
      connectionTimeout: 10_000,
    },
  });
  markConfigured(client);
  if (options.pacing !== false) installPacing(client, new Pacer(options.pacing ?? AWS_QUOTAS, options.clock));
  return client;
}
