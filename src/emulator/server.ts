/**
 * The local API Gateway front door: HTTP server, stage prefix, routing, authorizer dispatch, gateway responses and
 * a mock integration that echoes what the authorizer let through.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPlaceholder } from '../model/parse.js';
import type { AuthModel, Route } from '../model/types.js';
import { defaultAuthorizerSettings, type ProjectConfig } from '../config/types.js';
import { NetworkError } from '../errors.js';
import { CognitoAuthorizer } from './cognito-authorizer.js';
import { gatewayErrors, renderGatewayResponse, type RenderedResponse } from './gateway-responses.js';
import { parseSigV4Header, verifySigV4 } from './iam-authorizer.js';
import { LambdaAuthorizer } from './lambda-authorizer.js';
import type { GatewayIdentity } from './lambda-event.js';
import { buildMethodArn, matchRoute, methodsOnResource, type RouteMatch } from './routing.js';
import type { AuthOutcome, GatewayError, GatewayStats, IncomingCall, RunningGateway } from './types.js';

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
}

/** Path of the counters endpoint; outside any stage prefix, so it never collides with a route. */
export const STATS_PATH = '/__apigw-authz/stats';
/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_CORS_HEADERS = 'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token';
/** The environment variable with the API keys `serve` accepts: a secret, so never a config key. */
export const API_KEYS_ENV = 'APIGW_AUTHZ_API_KEYS';

type Authorizing = LambdaAuthorizer | CognitoAuthorizer | 'AWS_IAM';

/**
 * The account `serve` puts in methodArns when the model knows none: the example account of the AWS documentation.
 * A handler that checks the account in its methodArn must be given the real one (`accountId`, `--account`).
 */
export const STAND_IN_ACCOUNT_ID = '123456789012';

/**
 * The account id of `serve`'s methodArns: that of the first Lambda or user pool ARN that names a real one, else
 * `STAND_IN_ACCOUNT_ID`. A template's `${AWS::AccountId}` is unknown, never written into an ARN a handler parses.
 *
 * @param model - the API
 * @returns a 12-digit account id
 */
export function gatewayAccountId(model: AuthModel): string {
  for (const authorizer of model.authorizers) {
    const fromLambda = /:lambda:[^:]+:(\d{12}):function:/.exec(authorizer.lambdaUri ?? '')?.[1];
    if (fromLambda) return fromLambda;
    const fromPool = authorizer.userPools[0]?.accountId;
    if (fromPool && !isPlaceholder(fromPool)) return fromPool;
  }
  return STAND_IN_ACCOUNT_ID;
}

/** `a, b,,c` -> the keys `a`, `b`, `c` (blank entries are ignored). */
export function parseApiKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether `candidate` is one of the keys; compared by digest in constant time (keys are secrets). */
function isKnownKey(candidate: string | undefined, keyDigests: readonly Buffer[]): boolean {
  if (candidate === undefined || candidate === '') return false;
  const probe = digest(candidate);
  return keyDigests.some((known) => timingSafeEqual(known, probe));
}

/**
 * The error for a request no route takes. A non-SigV4 `Authorization` header turns API Gateway's "Missing
 * Authentication Token" into 403 IncompleteSignatureException, as it does on an IAM method (reference section 5).
 */
function unmatchedError(call: IncomingCall): GatewayError {
  const authorization = call.headers.authorization;
  if (authorization !== undefined && authorization !== '') {
    const parsed = parseSigV4Header(authorization);
    if (typeof parsed === 'string') return gatewayErrors.incompleteSignature(parsed);
  }
  return gatewayErrors.missingAuthenticationToken();
}

/** A UUID-shaped request id from a counter: unique per gateway, never random. */
function requestIdFor(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

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

function send(res: ServerResponse, response: RenderedResponse): void {
  res.writeHead(response.status, { ...response.headers, 'Content-Length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): RenderedResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) };
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
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 10_000;
  const stage = model.stage.name;
  const region = model.api.region ?? 'us-east-1';
  const identity: GatewayIdentity = {
    region,
    accountId: options.accountId ?? gatewayAccountId(model),
    apiId: model.api.id ?? 'local',
    stage,
  };
  // The config's stage variables (serve only) win over the deployed stage's.
  const stageVariables = { ...model.stage.variables, ...config.stageVariables };
  const apiKeys = parseApiKeys(env[API_KEYS_ENV]);
  const apiKeyDigests = apiKeys.map(digest);
  const apiKeySource = model.api.apiKeySource ?? 'HEADER';
  const warnings: string[] = [];
  const keyedRoutes = model.routes.filter((r) => r.apiKeyRequired).length;
  if (keyedRoutes > 0 && apiKeys.length === 0) {
    warnings.push(
      `${keyedRoutes} route(s) require an API key but ${API_KEYS_ENV} is empty: serve answers them 403 Forbidden. ` +
        `Set ${API_KEYS_ENV}=key1,key2 to accept keys.`,
    );
  }

  const stats: GatewayStats = { authorizers: {}, requests: 0 };
  const authorizers = new Map<string, Authorizing>();
  for (const authorizer of model.authorizers) {
    const counters = { invocations: 0, cacheHits: 0, rejectedBeforeInvoke: 0 };
    stats.authorizers[authorizer.name] = counters;
    const settings = config.authorizers[authorizer.name] ?? defaultAuthorizerSettings();
    if (authorizer.kind === 'TOKEN' || authorizer.kind === 'REQUEST') {
      authorizers.set(
        authorizer.name,
        new LambdaAuthorizer({
          authorizer,
          settings,
          stats: counters,
          gateway: identity,
          now,
          handlerTimeoutMs,
          missingSourceWithoutCache: config.serve?.requestWithoutCacheMissingSource ?? 'reject',
        }),
      );
    } else if (authorizer.kind === 'COGNITO_USER_POOLS') {
      authorizers.set(authorizer.name, new CognitoAuthorizer({ authorizer, settings, stats: counters, now }));
    } else {
      authorizers.set(authorizer.name, 'AWS_IAM');
    }
  }
  let requestCount = 0;

  const snapshot = (): GatewayStats => structuredClone(stats);

  async function authorize(call: IncomingCall, match: RouteMatch, fullPath: string): Promise<AuthOutcome> {
    const auth = match.route.authorization;
    if (auth.type === 'NONE') return { kind: 'allow', principalId: null, authorizer: {} };
    const authorizer = authorizers.get(auth.authorizer);
    if (authorizer === undefined) return { kind: 'reject', error: gatewayErrors.authorizerConfiguration() };
    if (authorizer === 'AWS_IAM') {
      const counters = stats.authorizers[auth.authorizer];
      if (counters) counters.invocations++;
      return verifySigV4({
        call,
        fullPath,
        region,
        nowMs: now(),
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          sessionToken: env.AWS_SESSION_TOKEN,
        },
      });
    }
    if (authorizer instanceof CognitoAuthorizer) return authorizer.authorize(call, auth.scopes);
    const methodArn = buildMethodArn({ ...identity, method: call.method, path: call.path });
    return authorizer.authorize({ call, match, methodArn, stageVariables });
  }

  /**
   * `apiKeyRequired`, checked after the authorizer: the AUTHORIZER key source needs the Lambda's result, and no
   * stored source orders the HEADER check differently, so one order keeps outcomes predictable (a request with
   * neither token nor key is 401). With HEADER the `x-api-key` header, with AUTHORIZER the Lambda's
   * `usageIdentifierKey`, must be one of the keys.
   */
  function hasValidApiKey(call: IncomingCall, outcome: AuthOutcome & { kind: 'allow' }): boolean {
    const candidate = apiKeySource === 'AUTHORIZER' ? outcome.usageIdentifierKey : call.headers['x-api-key'];
    return isKnownKey(candidate, apiKeyDigests);
  }

  function errorResponse(error: GatewayError, call: IncomingCall, pathParameters: Record<string, string>) {
    return renderGatewayResponse(error, model.gatewayResponses, {
      headers: call.headers,
      query: call.query,
      pathParameters,
      stageVariables,
      requestId: call.requestId,
    });
  }

  function corsHeaders(): Record<string, string> {
    return model.cors ? { 'Access-Control-Allow-Origin': model.cors.allowOrigin } : {};
  }

  function preflight(call: IncomingCall, route: Route): RenderedResponse {
    const methods = methodsOnResource(model.routes, route.path);
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/json',
        ...corsHeaders(),
        'Access-Control-Allow-Methods': methods.includes('ANY')
          ? 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'
          : methods.join(','),
        'Access-Control-Allow-Headers':
          call.headers['access-control-request-headers'] ?? DEFAULT_CORS_HEADERS,
      },
      body: '',
    };
  }

  async function handle(req: IncomingMessage): Promise<RenderedResponse> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const fullPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
    if (fullPath === STATS_PATH && req.method === 'GET') {
      req.resume();
      return json(200, snapshot());
    }
    stats.requests++;
    const requestId = requestIdFor(++requestCount);
    const response = await handleStage(req, fullPath, rawQuery, requestId);
    response.headers['x-amzn-RequestId'] = requestId;
    return response;
  }

  async function handleStage(
    req: IncomingMessage,
    fullPath: string,
    rawQuery: string,
    requestId: string,
  ): Promise<RenderedResponse> {
    const { body, tooLarge } = await readBody(req);
    const { headers, rawHeaders } = headerMaps(req);
    const prefix = `/${stage}`;
    const inStage = fullPath === prefix || fullPath.startsWith(`${prefix}/`);
    const call: IncomingCall = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: inStage ? fullPath.slice(prefix.length) || '/' : fullPath,
      rawQuery,
      query: queryMap(rawQuery),
      headers,
      rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      requestId,
    };
    if (tooLarge) return errorResponse(gatewayErrors.requestTooLarge(), call, {});
    const match = inStage ? matchRoute(model.routes, call.method, call.path) : undefined;
    if (!match) return errorResponse(unmatchedError(call), call, {});
    const { route, pathParameters } = match;
    const outcome = await authorize(call, match, fullPath);
    if (outcome.kind === 'reject') return errorResponse(outcome.error, call, pathParameters);
    if (route.apiKeyRequired && !hasValidApiKey(call, outcome)) {
      return errorResponse(gatewayErrors.invalidApiKey(), call, pathParameters);
    }
    if (route.method === 'OPTIONS' && route.authorization.type === 'NONE') return preflight(call, route);
    return json(
      200,
      {
        route: `${route.method} ${route.path}`,
        path: call.path,
        method: call.method,
        pathParameters,
        principalId: outcome.principalId,
        authorizer: outcome.authorizer,
      },
      corsHeaders(),
    );
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
    url: `http://${urlHost}:${port}/${stage}`,
    port,
    warnings,
    stats: snapshot,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
