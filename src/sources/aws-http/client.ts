import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { configurePacing, sdkClientConfig, type ApiGatewayClientOptions } from '../aws-rest/client.js';

/** The same options as the v1 client; the endpoint default is AWS_ENDPOINT_URL_APIGATEWAYV2, then AWS_ENDPOINT_URL. */
export type ApiGatewayV2ClientOptions = ApiGatewayClientOptions;

/**
 * An API Gateway v2 (HTTP API) control-plane client, configured as the v1 client is: the SDK's default credential
 * chain, adaptive retries (which back off on TooManyRequestsException and honour Retry-After), and client-side
 * pacing to the account quota both control planes share (10 requests per second).
 */
export function createApiGatewayV2Client(options: ApiGatewayV2ClientOptions = {}): ApiGatewayV2Client {
  const client = new ApiGatewayV2Client(sdkClientConfig(options));
  configurePacing(client, options);
  return client;
}
