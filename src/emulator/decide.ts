/**
 * The decision core of the local gateway: one function from (model, config, request) to a decision, the answer
 * (status, headers, body) and why (route, authorizer, whether it ran, the cause and a reason). `serve`'s HTTP layer
 * and `explain` both call it, so they cannot disagree. It keeps the state API Gateway keeps (authorizer caches,
 * counters); `decideRequest` uses a fresh core for one request.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { isPlaceholder } from '../model/parse.js';
import type { AuthModel, Route } from '../model/types.js';
import { defaultAuthorizerSettings, type ProjectConfig } from '../config/types.js';
import { CognitoAuthorizer } from './cognito-authorizer.js';
import { redactSecrets } from './describe.js';
import { gatewayErrors, renderGatewayResponse, type RenderedResponse } from './gateway-responses.js';
import { parseSigV4Header, verifySigV4 } from './iam-authorizer.js';
import { LambdaAuthorizer } from './lambda-authorizer.js';
import type { GatewayIdentity } from './lambda-event.js';
import { buildMethodArn, matchRoute, methodsOnResource, type RouteMatch } from './routing.js';
import type { AuthOutcome, Decision, GatewayError, GatewayStats, IncomingCall, OutcomeWhy } from './types.js';

export interface GatewayCoreOptions {
  model: AuthModel;
  config: ProjectConfig;
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
  /** Cognito JWKS that cannot be fetched: `reject` (serve, default) or `assume-valid` (explain offline). */
  unverifiableSignature?: 'reject' | 'assume-valid';
  /** Cognito JWKS fetch timeout; default 3000 ms. */
  jwksTimeoutMs?: number;
}

export interface GatewayCore {
  /** Decide one request; `fullPath` is the path as sent, including the stage prefix. */
  decide(call: IncomingCall, fullPath: string): Promise<Decision>;
  /** A copy of the counters. */
  stats(): GatewayStats;
  warnings: readonly string[];
  identity: GatewayIdentity;
  /** The config's stage variables over the deployed stage's. */
  stageVariables: Record<string, string>;
}

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

function json(status: number, value: unknown, headers: Record<string, string> = {}): RenderedResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** Header and query values that may be credentials: never in a reason. */
function credentialValues(call: IncomingCall): string[] {
  return [...Object.values(call.headers), ...Object.values(call.query)]
    .flatMap((value) => [value, ...value.split(/[\s,=]+/)])
    .filter((value) => value.length >= 8);
}

/**
 * Build the decision core for a model and config.
 *
 * @param options - the model, config, environment (IAM identity, API keys) and clock
 */
export function createGatewayCore(options: GatewayCoreOptions): GatewayCore {
  const { model, config } = options;
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
      authorizers.set(
        authorizer.name,
        new CognitoAuthorizer({
          authorizer,
          settings,
          stats: counters,
          now,
          unverifiableSignature: options.unverifiableSignature ?? 'reject',
          jwksTimeoutMs: options.jwksTimeoutMs,
        }),
      );
    } else {
      authorizers.set(authorizer.name, 'AWS_IAM');
    }
  }

  async function authorize(
    call: IncomingCall,
    match: RouteMatch,
    fullPath: string,
    methodArn: string,
  ): Promise<AuthOutcome> {
    const auth = match.route.authorization;
    if (auth.type === 'NONE') {
      return {
        kind: 'allow',
        principalId: null,
        authorizer: {},
        cause: 'public-route',
        reason: `${match.route.method} ${match.route.path} has no authorization`,
        invoked: false,
      };
    }
    const authorizer = authorizers.get(auth.authorizer);
    if (authorizer === undefined) {
      return {
        kind: 'reject',
        error: gatewayErrors.authorizerConfiguration(),
        cause: 'authorizer-unknown',
        reason: `the route names authorizer ${auth.authorizer}, which the API does not define`,
        invoked: false,
      };
    }
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
    return authorizer.authorize({ call, match, methodArn, stageVariables });
  }

  /**
   * `apiKeyRequired`, checked after the authorizer: the AUTHORIZER key source needs the Lambda's result, and no
   * stored source orders the HEADER check differently, so one order keeps outcomes predictable (a request with
   * neither token nor key is 401). With HEADER the `x-api-key` header, with AUTHORIZER the Lambda's
   * `usageIdentifierKey`, must be one of the keys.
   */
  function apiKeyProblem(
    call: IncomingCall,
    outcome: AuthOutcome & { kind: 'allow' },
  ): Pick<OutcomeWhy, 'cause' | 'reason'> | undefined {
    const candidate = apiKeySource === 'AUTHORIZER' ? outcome.usageIdentifierKey : call.headers['x-api-key'];
    if (isKnownKey(candidate, apiKeyDigests)) return undefined;
    const where =
      apiKeySource === 'AUTHORIZER'
        ? "the Lambda's usageIdentifierKey (apiKeySource AUTHORIZER)"
        : 'x-api-key';
    if (candidate === undefined || candidate === '') {
      return { cause: 'api-key-missing', reason: `the method requires an API key and ${where} is missing` };
    }
    return {
      cause: 'api-key-unknown',
      reason: `the API key in ${where} is not one of ${API_KEYS_ENV} (${apiKeys.length} configured)`,
    };
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

  async function decideRaw(call: IncomingCall, fullPath: string): Promise<Decision> {
    const base = {
      requestId: call.requestId,
      method: call.method,
      path: call.path,
      route: null,
      pathParameters: {},
      authorizer: null,
      authorizerKind: null,
      authorizerInvoked: false,
      cached: false,
      apiKeyRequired: false,
      allowed: false,
    } satisfies Partial<Decision>;
    const refuse = (
      response: RenderedResponse,
      error: GatewayError,
      rest: Partial<Decision> & Pick<Decision, 'cause' | 'reason'>,
    ): Decision => ({ ...base, ...response, errorType: error.errorType, ...rest });

    if (call.bodyTooLarge === true || call.body.length > MAX_BODY_BYTES) {
      const error = gatewayErrors.requestTooLarge();
      return refuse(errorResponse(error, call, {}), error, {
        cause: 'request-too-large',
        reason: `the body is larger than ${MAX_BODY_BYTES} bytes`,
      });
    }
    const prefix = `/${stage}`;
    const inStage = fullPath === prefix || fullPath.startsWith(`${prefix}/`);
    const match = inStage ? matchRoute(model.routes, call.method, call.path) : undefined;
    if (!match) {
      const error = unmatchedError(call);
      return refuse(errorResponse(error, call, {}), error, {
        cause: 'route-not-found',
        reason: inStage
          ? `no route takes ${call.method} ${call.path}`
          : `${fullPath} is outside the stage ${prefix}`,
      });
    }
    const { route, pathParameters } = match;
    const authName = route.authorization.type === 'AUTHORIZER' ? route.authorization.authorizer : null;
    const authorizerModel = model.authorizers.find((a) => a.name === authName);
    const methodArn = buildMethodArn({ ...identity, method: call.method, path: call.path });
    const matched = {
      route: `${route.method} ${route.path}`,
      pathParameters,
      authorizer: authName,
      authorizerKind: authorizerModel?.kind ?? null,
      apiKeyRequired: route.apiKeyRequired,
      ...(authorizerModel?.kind === 'TOKEN' || authorizerModel?.kind === 'REQUEST' ? { methodArn } : {}),
    };
    const outcome = await authorize(call, match, fullPath, methodArn);
    const why = {
      ...matched,
      authorizerInvoked: outcome.invoked,
      cached: outcome.cached === true,
      cause: outcome.cause,
      reason: outcome.reason,
      ...(outcome.policy === undefined ? {} : { policy: outcome.policy }),
    };
    if (outcome.kind === 'reject') {
      return refuse(errorResponse(outcome.error, call, pathParameters), outcome.error, why);
    }
    if (route.apiKeyRequired) {
      const problem = apiKeyProblem(call, outcome);
      if (problem) {
        const error = gatewayErrors.invalidApiKey();
        return refuse(errorResponse(error, call, pathParameters), error, { ...why, ...problem });
      }
    }
    const response =
      route.method === 'OPTIONS' && route.authorization.type === 'NONE'
        ? preflight(call, route)
        : json(
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
    return { ...base, ...response, ...why, allowed: true };
  }

  return {
    identity,
    stageVariables,
    warnings,
    stats: () => structuredClone(stats),
    async decide(call, fullPath) {
      stats.requests++;
      const decision = await decideRaw(call, fullPath);
      // A handler's error message may quote what it was given: no credential ever leaves in a reason.
      return { ...decision, reason: redactSecrets(decision.reason, credentialValues(call)) };
    },
  };
}

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A request described by its parts (explain, the explain endpoint), as the wire would give it. */
export interface DescribedRequest {
  method: string;
  /** Path after the stage prefix (`/pets/1`), optionally with `?query`. */
  path: string;
  /** Header names as written; values as sent. */
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  requestId?: string;
}

/** The `IncomingCall` the wire would give for a described request, and the full path with the stage prefix. */
export function callFromRequest(
  request: DescribedRequest,
  stage: string,
): { call: IncomingCall; fullPath: string } {
  const q = request.path.indexOf('?');
  const path = q === -1 ? request.path : request.path.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : request.path.slice(q + 1));
  for (const [key, value] of Object.entries(request.query ?? {})) params.append(key, value);
  const rawQuery = params.toString();
  const query: Record<string, string> = {};
  for (const [key, value] of params) query[key] = value;
  const rawHeaders = { ...(request.headers ?? {}) };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) {
    const lower = name.toLowerCase();
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
  }
  const normalized = path.startsWith('/') ? path : `/${path}`;
  return {
    call: {
      method: request.method.toUpperCase(),
      path: normalized,
      rawQuery,
      query,
      headers,
      rawHeaders,
      body: Buffer.from(request.body ?? ''),
      sourceIp: '127.0.0.1',
      requestId: request.requestId ?? '00000000-0000-4000-8000-000000000000',
    },
    fullPath: `/${stage}${normalized}`,
  };
}

/**
 * Decide one described request with a fresh core (empty authorizer caches): what `serve` answers to it as the
 * first request it sees.
 */
export async function decideRequest(
  options: GatewayCoreOptions,
  request: DescribedRequest,
): Promise<Decision> {
  const core = createGatewayCore(options);
  const { call, fullPath } = callFromRequest(request, options.model.stage.name);
  return core.decide(call, fullPath);
}
