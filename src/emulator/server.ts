/**
 * The local API Gateway front door's HTTP layer: reads the wire into an `IncomingCall`, asks the decision core
 * (decide.ts) what API Gateway would answer, sends it with the `x-apigw-authz-*` headers, logs one line per
 * request, and serves the counters and the explain endpoint outside any stage prefix.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthModel } from '../model/types.js';
import type { ProjectConfig } from '../config/types.js';
import { NetworkError } from '../errors.js';
import {
  API_KEYS_ENV,
  MAX_BODY_BYTES,
  callFromRequest,
  createGatewayCore,
  gatewayAccountId,
  parseApiKeys,
  STAND_IN_ACCOUNT_ID,
  type DescribedRequest,
} from './decide.js';
import type { RenderedResponse } from './gateway-responses.js';
import { inStage, stagePrefix } from './http-routing.js';
import { explainHeaders, formatRequestLog, type LogFormat } from './request-log.js';
import type { Decision, GatewayFaults, IncomingCall, RunningGateway } from './types.js';

export { API_KEYS_ENV, gatewayAccountId, parseApiKeys, STAND_IN_ACCOUNT_ID };

/** What the explain endpoint hands to the explainer: the request, and the decision when `serve` answered it. */
export interface ExplainInput {
  model: AuthModel;
  config: ProjectConfig;
  request: DescribedRequest;
  /** The decision `serve` gave (for a request it saw): the explanation keeps it as the verdict. */
  decision?: Decision;
  env: Record<string, string | undefined>;
  now: () => number;
}

export interface StartGatewayOptions {
  model: AuthModel;
  config: ProjectConfig;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /**
   * Default `process.env`. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN for AWS_IAM routes;
   * `APIGW_AUTHZ_API_KEYS` (comma-separated) the API keys valid for `apiKeyRequired` methods.
   */
  env?: Record<string, string | undefined>;
  /** Clock for cache TTLs, JWT expiry and SigV4 skew; default `Date.now`. */
  now?: () => number;
  /** Lambda authorizer timeout; default 10000 ms (the API Gateway limit). */
  handlerTimeoutMs?: number;
  /** Account id in methodArns; default `gatewayAccountId(model)`. */
  accountId?: string;
  /** Receives one line per request (the CLI writes them to stderr); default: no log. */
  log?: (line: string) => void;
  /** `text` (default) or `json` lines. */
  logFormat?: LogFormat;
  /**
   * Answers `GET /__apigw-authz/explain` (the CLI passes `explainRequest` from src/explain); without it the endpoint
   * answers with the decision alone.
   */
  explain?: (input: ExplainInput) => Promise<unknown>;
  /** Checks to break on purpose, for mutation tests (library only, never a CLI flag). */
  faults?: GatewayFaults;
  /** Cognito and JWT key (discovery, JWKS) fetch timeout; default 3000 ms. */
  jwksTimeoutMs?: number;
}

/** Path of the counters endpoint; outside any stage prefix, so it never collides with a route. */
export const STATS_PATH = '/__apigw-authz/stats';
/**
 * The explain endpoint: `?last=1` (the latest request), `?id=<x-apigw-authz-request-id>`, or a described request
 * `?method=GET&path=/pets&header=Authorization:%20...&query=k=v` (repeat `header` and `query`).
 */
export const EXPLAIN_PATH = '/__apigw-authz/explain';
/** How many recent requests the explain endpoint remembers. */
const REMEMBERED = 100;

function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge: size > MAX_BODY_BYTES }));
    req.on('error', reject);
  });
}

function headerMaps(req: IncomingMessage): {
  headers: Record<string, string>;
  rawHeaders: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const rawHeaders: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    rawHeaders[req.rawHeaders[i] as string] = req.rawHeaders[i + 1] as string;
  }
  return { headers, rawHeaders };
}

function queryMap(rawQuery: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) query[key] = value;
  return query;
}

/** A UUID-shaped request id from a counter: unique per gateway, never random. */
function requestIdFor(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

function send(res: ServerResponse, response: RenderedResponse): void {
  res.writeHead(response.status, { ...response.headers, 'Content-Length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

function json(status: number, value: unknown): RenderedResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json' },
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

/** The request a seen call was, as explain takes it. */
function describedFrom(call: IncomingCall): DescribedRequest {
  return {
    method: call.method,
    path: call.rawQuery === '' ? call.path : `${call.path}?${call.rawQuery}`,
    headers: { ...call.rawHeaders },
    body: call.body.toString('utf8'),
    requestId: call.requestId,
  };
}

/** `?method=GET&path=/pets&header=Name: value&query=k=v` -> a described request, or a sentence saying what is wrong. */
export function describedFromQuery(params: URLSearchParams): DescribedRequest | string {
  const method = params.get('method');
  const path = params.get('path');
  if (method === null || path === null) {
    return 'expected ?last=1, ?id=<x-apigw-authz-request-id>, or ?method=GET&path=/pets[&header=Name: value][&query=k=v]';
  }
  const headers: Record<string, string> = {};
  for (const header of params.getAll('header')) {
    const colon = header.indexOf(':');
    if (colon <= 0) return `header "${header.slice(0, 40)}" is not "Name: value"`;
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  const query: Record<string, string> = {};
  for (const pair of params.getAll('query')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `query "${pair.slice(0, 40)}" is not "key=value"`;
    query[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { method, path, headers, query };
}

/**
 * Start the local gateway built from the model and config, listening on `host:port`.
 *
 * @throws NetworkError when the address cannot be bound.
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { model, config } = options;
  const host = options.host ?? '127.0.0.1';
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const core = createGatewayCore({ ...options, env, now });
  const stage = model.stage.name;
  const recent = new Map<string, { call: IncomingCall; decision: Decision }>();
  let lastId: string | undefined;
  let requestCount = 0;

  async function explainEndpoint(rawQuery: string): Promise<RenderedResponse> {
    const params = new URLSearchParams(rawQuery);
    const id = params.get('last') !== null ? lastId : (params.get('id') ?? undefined);
    if (params.get('last') !== null || params.get('id') !== null) {
      const seen = id === undefined ? undefined : recent.get(id);
      if (!seen) {
        return json(404, {
          message:
            id === undefined
              ? 'no request seen yet'
              : `request ${id} is not among the last ${REMEMBERED} requests`,
        });
      }
      const request = describedFrom(seen.call);
      if (!options.explain) return json(200, { decision: withoutBody(seen.decision) });
      return json(200, await options.explain({ model, config, request, decision: seen.decision, env, now }));
    }
    const request = describedFromQuery(params);
    if (typeof request === 'string') return json(400, { message: request });
    if (options.explain) return json(200, await options.explain({ model, config, request, env, now }));
    const fresh = createGatewayCore({ ...options, env, now });
    const { call, fullPath } = callFromRequest(request, stage);
    return json(200, { decision: withoutBody(await fresh.decide(call, fullPath)) });
  }

  async function handle(req: IncomingMessage): Promise<RenderedResponse> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const fullPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
    if (fullPath === STATS_PATH && req.method === 'GET') {
      req.resume();
      return json(200, core.stats());
    }
    if (fullPath === EXPLAIN_PATH && req.method === 'GET') {
      req.resume();
      return explainEndpoint(rawQuery);
    }
    const requestId = requestIdFor(++requestCount);
    const { body, tooLarge } = await readBody(req);
    const { headers, rawHeaders } = headerMaps(req);
    const prefix = stagePrefix(stage);
    const call: IncomingCall = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: inStage(fullPath, stage) ? fullPath.slice(prefix.length) || '/' : fullPath,
      rawQuery,
      query: queryMap(rawQuery),
      headers,
      rawHeaders,
      body,
      ...(tooLarge ? { bodyTooLarge: true } : {}),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      requestId,
    };
    const decision = await core.decide(call, fullPath);
    recent.set(requestId, { call, decision });
    lastId = requestId;
    if (recent.size > REMEMBERED) recent.delete(recent.keys().next().value as string);
    options.log?.(formatRequestLog(decision, options.logFormat ?? 'text', now()));
    return {
      status: decision.status,
      headers: { ...decision.headers, 'x-amzn-RequestId': requestId, ...explainHeaders(decision) },
      body: decision.body,
    };
  }

  const server = createServer((req, res) => {
    handle(req)
      .then((response) => send(res, response))
      .catch(() => {
        // A bug or a broken socket must not take the gateway down.
        if (!res.headersSent) send(res, json(500, { message: 'Internal server error' }));
        else res.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new NetworkError(`cannot listen on ${host}:${options.port ?? 0}: ${error.message}`, {
          cause: error,
          fix: 'choose another --port or --host',
        }),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}${stagePrefix(stage)}`,
    port,
    warnings: core.warnings,
    notes: core.notes,
    stats: core.stats,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A decision without the integration body (which may carry authorizer context) for the endpoint's answer. */
function withoutBody(decision: Decision): Omit<Decision, 'body' | 'headers'> & { body?: string } {
  const { headers: _headers, ...rest } = decision;
  return decision.allowed ? { ...rest, body: undefined } : rest;
}
