import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import { AWS_QUOTAS, Pacer, type Clock, type PacingOptions } from './pacing.js';

export interface ApiGatewayClientOptions {
  /** Default: the SDK's chain (AWS_REGION, the profile's region). */
  region?: string;
  /** Shared config profile; default: the SDK's chain (AWS_PROFILE, default). */
  profile?: string;
  /** Endpoint override; default: the SDK's (AWS_ENDPOINT_URL_API_GATEWAY, AWS_ENDPOINT_URL, then AWS). */
  endpoint?: string;
  /** Client-side quota pacing; `false` turns it off (tests only). Default: the real AWS quotas. */
  pacing?: PacingOptions | false;
  /** Total attempts per call, retries included. Default 5. */
  maxAttempts?: number;
  /** Per-attempt socket timeout. Default 30 s. */
  requestTimeoutMs?: number;
  /** Tests only. */
  clock?: Clock;
}

/**
 * An API Gateway control-plane client: the SDK's default credential chain, adaptive retries (which back off on
 * TooManyRequestsException and honour Retry-After), and client-side pacing to the documented quotas.
 */
export function createApiGatewayClient(options: ApiGatewayClientOptions = {}): APIGatewayClient {
  const client = new APIGatewayClient(sdkClientConfig(options));
  configurePacing(client, options);
  return client;
}

/**
 * The SDK configuration both control-plane clients (v1 and v2) share: region, profile and endpoint when given,
 * adaptive retries, and the request timeouts.
 */
export function sdkClientConfig(options: ApiGatewayClientOptions) {
  return {
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
  };
}

/** Paces a client a factory just made as `options.pacing` says (`false`: not at all); `ensurePacing` then leaves it. */
export function configurePacing<I extends object, O extends object>(
  client: SdkClient<I, O>,
  options: ApiGatewayClientOptions,
): void {
  markConfigured(client);
  if (options.pacing !== false) installPacing(client, new Pacer(options.pacing ?? AWS_QUOTAS, options.clock));
}

/** Any AWS SDK v3 client: the v1 (`apigateway`) and v2 (`apigatewayv2`) control planes share one quota. */
export interface SdkClient<I extends object, O extends object> {
  middlewareStack: MiddlewareStack<I, O>;
}

/** Clients whose pacing was decided by their factory (including `pacing: false`). */
const configured = new WeakSet<object>();
const paced = new WeakSet<object>();

/** Records that a factory decided the pacing of `client` (`ensurePacing` then leaves it alone). */
export function markConfigured(client: object): void {
  configured.add(client);
}

/** Paces a caller-supplied client with the real quotas, unless its factory already decided. */
export function ensurePacing<I extends object, O extends object>(client: SdkClient<I, O>): void {
  if (!configured.has(client)) installPacing(client);
}

/**
 * Paces every attempt (retries included: the middleware sits inside the retry loop) of every call made with
 * `client`. Installing twice is a no-op, so a caller-supplied client can be paced safely.
 */
export function installPacing<I extends object, O extends object>(
  client: SdkClient<I, O>,
  pacer: Pacer = new Pacer(),
): void {
  if (paced.has(client)) return;
  paced.add(client);
  const pace: FinalizeRequestMiddleware<I, O> = (next, context) => async (args) => {
    await pacer.acquire(String(context.commandName ?? '').replace(/Command$/, ''));
    return next(args);
  };
  client.middlewareStack.addRelativeTo(pace, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'apigwAuthzPacing',
    override: true,
  });
}

/** True when `client` already paces its calls. */
export function isPaced(client: object): boolean {
  return paced.has(client);
}
