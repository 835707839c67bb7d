/**
 * The REST JWT authorizer's `jwtConfiguration` as the service sends it. `@aws-sdk/client-api-gateway` 3.1142.0
 * (the newest on npm when this was written) has no such member in its model, and its deserializer keeps only the
 * members it knows, so `GetAuthorizers` items arrive without it. This middleware keeps the raw page body of each
 * GetAuthorizers call, so the reader can take the configuration from the wire when the service sends it.
 */

import { createRequire } from 'node:module';
import type {
  APIGatewayClient,
  GetAuthorizersCommand,
  ServiceInputTypes,
  ServiceOutputTypes,
} from '@aws-sdk/client-api-gateway';
import type { DeserializeMiddleware } from '@smithy/types';
import { isObject } from '../../model/parse.js';

/** authorizer id -> the raw `jwtConfiguration` of that item, per GetAuthorizers input object. */
const rawByInput = new WeakMap<object, Map<string, unknown>>();
const installed = new WeakSet<object>();

/** The installed `@aws-sdk/client-api-gateway` version, for the message that says it drops the field. */
export function apiGatewayClientVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require('@aws-sdk/client-api-gateway/package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Keeps the `jwtConfiguration` of every item of every GetAuthorizers page `client` receives. Installing twice is
 * a no-op. The middleware sits inside the deserializer: it reads the body once, hands the same bytes on, and
 * never fails a call (an unreadable body is simply not kept).
 */
export function captureRawJwtConfigurations(client: APIGatewayClient): void {
  if (installed.has(client)) return;
  installed.add(client);
  const capture: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== 'GetAuthorizersCommand') return result;
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode !== 200 || !isAsyncIterable(response.body)) return result;
      const chunks: Uint8Array[] = [];
      for await (const chunk of response.body) {
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
      }
      const bytes = Buffer.concat(chunks);
      // The deserializer reads a Uint8Array body as is.
      response.body = new Uint8Array(bytes);
      const found = new Map<string, unknown>();
      try {
        const page: unknown = JSON.parse(bytes.toString('utf8'));
        const items = isObject(page) && Array.isArray(page.item) ? page.item : [];
        for (const item of items) {
          if (isObject(item) && typeof item.id === 'string' && item.jwtConfiguration !== undefined) {
            found.set(item.id, item.jwtConfiguration);
          }
        }
      } catch {
        // Not JSON: the deserializer reports it.
      }
      rawByInput.set(args.input, found);
      return result;
    };
  client.middlewareStack.add(capture, {
    step: 'deserialize',
    priority: 'low',
    name: 'apigwAuthzRawJwtConfiguration',
    override: true,
  });
}

/** The raw `jwtConfiguration` of each item of the page `command` received (by authorizer id). */
export function rawJwtConfigurations(command: GetAuthorizersCommand): ReadonlyMap<string, unknown> {
  return rawByInput.get(command.input) ?? new Map();
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}
