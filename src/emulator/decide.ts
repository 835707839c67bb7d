/**
 * The decision core of the local gateway: one function from (model, config, request) to a decision, the answer
 * (status, headers, body) and why (route, authorizer, whether it ran, the cause and a reason). `serve`'s HTTP layer
 * and `explain` both call it, so they cannot disagree. It keeps the state API Gateway keeps (authorizer caches,
 * counters); `decideRequest` uses a fresh core for one request.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { isPlaceholder, routeKeyOf } from '../model/parse.js';
import {
  apiKindOf,
  type ApiKind,
  type AuthModel,
  type Authorizer,
  type AuthorizerKind,
  type Route,
} from '../model/types.js';
import { defaultAuthorizerSettings, type AuthorizerSettings, type ProjectConfig } from '../config/types.js';
import type { LambdaAuthorizerBasics } from './authorizer-lambda.js';
import { CognitoAuthorizer } from './cognito-authorizer.js';
import { redactSecrets } from './describe.js';
import { gatewayErrors, renderGatewayResponse, type RenderedResponse } from './gateway-responses.js';
import { HttpLambdaAuthorizer } from './http-lambda-authorizer.js';
import { httpErrors, renderHttpError } from './http-responses.js';
import {
  httpCorsHeaders,
  httpPreflightHeaders,
  inStage,
  isPreflight,
  matchHttpRoute,
  stagePrefix,
} from './http-routing.js';
import { parseSigV4Header, verifySigV4 } from './iam-authorizer.js';
import { describeIssuer, JwtAuthorizer, resolveIssuers, type ResolvedIssuer } from './jwt-authorizer.js';
import { discoveryUrl } from './jwt-keys.js';
import { LambdaAuthorizer } from './lambda-authorizer.js';
import type { GatewayIdentity } from './lambda-event.js';
import { buildMethodArn, matchRoute, methodsOnResource, type RouteMatch } from './routing.js';
import type {
  AuthOutcome,
  AuthorizerStats,
  Decision,
  GatewayError,
  GatewayFaults,
  GatewayStats,
  IncomingCall,
  OutcomeWhy,
} from './types.js';

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
  /** Cognito and JWT key (discovery, JWKS) fetch timeout; default 3000 ms. */
  jwksTimeoutMs?: number;
  /** Checks to break on purpose, for mutation tests (never a CLI flag). */
  faults?: GatewayFaults;
}

export interface GatewayCore {
  /** Decide one request; `fullPath` is the path as sent, including the stage prefix. */
  decide(call: IncomingCall, fullPath: string): Promise<Decision>;
  /** A copy of the counters. */
  stats(): GatewayStats;
  warnings: readonly string[];
  /** Facts to print at start-up: each JWT issuer, and the local issuer standing in for it. */
  notes: readonly string[];
  identity: GatewayIdentity;
  /** The config's stage variables over the deployed stage's. */
  stageVariables: Record<string, string>;
}

const DEFAULT_CORS_HEADERS = 'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token';
/** Kinds whose Lambda receives a methodArn (REST, HTTP payload 1.0) or routeArn (HTTP payload 2.0). */
const LAMBDA_KINDS: ReadonlySet<AuthorizerKind> = new Set<AuthorizerKind>([
  'TOKEN',
  'REQUEST',
  'HTTP_LAMBDA',
]);
/** The environment variable with the API keys `serve` accepts: a secret, so never a config key. */
export const API_KEYS_ENV = 'APIGW_AUTHZ_API_KEYS';

/** What an authorizer gets for one request. */
export interface AuthorizeInput {
  call: IncomingCall;
  match: RouteMatch;
  /** The request path as sent, with the stage prefix. */
  fullPath: string;
  /** REST methodArn; HTTP routeArn (the same shape). */
  methodArn: string;
  /** The route's OAuth scopes. */
  scopes: readonly string[];
}

/** One authorizer of the API, ready for requests; or why `serve` cannot emulate it (it then fails closed). */
type Authorize = ((input: AuthorizeInput) => Promise<AuthOutcome>) | { unsupported: string };

/** What building an authorizer may use. */
interface FactoryContext {
  authorizer: Authorizer;
  settings: AuthorizerSettings;
  counters: AuthorizerStats;
  apiKind: ApiKind;
  options: GatewayCoreOptions;
  env: Record<string, string | undefined>;
  now: () => number;
  identity: GatewayIdentity;
  stageVariables: Record<string, string>;
  faults: GatewayFaults;
}

const restOnly =
  (build: (ctx: FactoryContext) => Authorize) =>
  (ctx: FactoryContext): Authorize =>
    ctx.apiKind === 'REST'
      ? build(ctx)
      : {
          unsupported: `${ctx.authorizer.kind} authorizers exist on REST APIs only, and this is an HTTP API`,
        };

/** What both Lambda authorizer kinds are built from. */
function lambdaBasics(ctx: FactoryContext): LambdaAuthorizerBasics {
  return {
    authorizer: ctx.authorizer,
    settings: ctx.settings,
    stats: ctx.counters,
    gateway: ctx.identity,
    now: ctx.now,
    handlerTimeoutMs: ctx.options.handlerTimeoutMs ?? 10_000,
    faults: ctx.faults,
  };
}

function lambdaFactory(ctx: FactoryContext): Authorize {
  const lambda = new LambdaAuthorizer({
    ...lambdaBasics(ctx),
    missingSourceWithoutCache: ctx.options.config.serve?.requestWithoutCacheMissingSource ?? 'reject',
  });
  return ({ call, match, methodArn }) =>
    lambda.authorize({ call, match, methodArn, stageVariables: ctx.stageVariables });
}

/** An HTTP API's IAM answer: any SigV4 failure is 403 `{"message":"Forbidden"}`; the integration sees `iam`. */
function httpIam(outcome: AuthOutcome, ctx: FactoryContext, accessKeyId: string | undefined): AuthOutcome {
  if (outcome.kind === 'reject') return { ...outcome, error: httpErrors.forbidden() };
  return {
    ...outcome,
    authorizer: {
      iam: {
        accessKey: accessKeyId ?? null,
        accountId: ctx.identity.accountId,
        callerId: accessKeyId ?? null,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: `arn:aws:iam::${ctx.identity.accountId}:user/apigw-authz-serve`,
        userId: accessKeyId ?? null,
      },
    },
  };
}

/**
 * How `serve` builds each authorizer kind: a kind added to the model fails to compile here until it has an entry.
 * An entry may refuse (a REST-only kind on an HTTP API); such routes then fail closed, never open.
 */
const AUTHORIZER_FACTORIES: Record<AuthorizerKind, (ctx: FactoryContext) => Authorize> = {
  TOKEN: restOnly(lambdaFactory),
  REQUEST: restOnly(lambdaFactory),
  COGNITO_USER_POOLS: restOnly((ctx) => {
    const cognito = new CognitoAuthorizer({
      authorizer: ctx.authorizer,
      settings: ctx.settings,
      stats: ctx.counters,
      now: ctx.now,
      unverifiableSignature: ctx.options.unverifiableSignature ?? 'reject',
      jwksTimeoutMs: ctx.options.jwksTimeoutMs,
    });
    return ({ call, scopes }) => cognito.authorize(call, scopes);
  }),
  AWS_IAM:
    (ctx) =>
    async ({ call, fullPath }) => {
      ctx.counters.invocations++;
      const accessKeyId = ctx.env.AWS_ACCESS_KEY_ID;
      const outcome = await verifySigV4({
        call,
        fullPath,
        region: ctx.identity.region,
        nowMs: ctx.now(),
        credentials: {
          accessKeyId,
          secretAccessKey: ctx.env.AWS_SECRET_ACCESS_KEY,
          sessionToken: ctx.env.AWS_SESSION_TOKEN,
        },
      });
      return ctx.apiKind === 'HTTP' ? httpIam(outcome, ctx, accessKeyId) : outcome;
    },
  JWT: (ctx) => {
    if (!ctx.authorizer.jwt || ctx.authorizer.jwt.issuers.length === 0) {
      return { unsupported: `the JWT authorizer ${ctx.authorizer.name} names no issuer` };
    }
    const jwt = new JwtAuthorizer({
      authorizer: ctx.authorizer,
      apiKind: ctx.apiKind,
      settings: ctx.settings,
      standIns: ctx.options.config.serve?.issuers ?? {},
      stats: ctx.counters,
      now: ctx.now,
      faults: ctx.faults,
      unverifiableSignature: ctx.options.unverifiableSignature ?? 'reject',
      ...(ctx.options.jwksTimeoutMs === undefined ? {} : { jwksTimeoutMs: ctx.options.jwksTimeoutMs }),
    });
    return ({ call, scopes }) => jwt.authorize(call, scopes);
  },
  HTTP_LAMBDA: (ctx) => {
    if (ctx.apiKind !== 'HTTP') {
      return { unsupported: 'HTTP Lambda authorizers exist on HTTP APIs only, and this is a REST API' };
    }
    const lambda = new HttpLambdaAuthorizer(lambdaBasics(ctx));
    return ({ call, match, fullPath, methodArn }) =>
      lambda.authorize({
        call,
        route: match.route,
        pathParameters: match.pathParameters,
        stageVariables: ctx.stageVariables,
        fullPath,
        routeArn: methodArn,
        gateway: ctx.identity,
        nowMs: ctx.now(),
      });
  },
};

/** The `serve` notes about a JWT authorizer's issuers: which `iss` it wants, and where its keys come from. */
function issuerNotes(name: string, issuers: readonly ResolvedIssuer[]): string[] {
  return issuers.map(
    (issuer) =>
      `JWT authorizer ${name}: issuer ${describeIssuer(issuer)}; keys from ${issuer.jwksUrl ?? discoveryUrl(issuer.expected)}`,
  );
}

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
  const apiKind = apiKindOf(model);
  const faults = options.faults ?? {};
  const notes: string[] = [];
  const authorizers = new Map<string, Authorize>();
  for (const authorizer of model.authorizers) {
    const counters = { invocations: 0, cacheHits: 0, rejectedBeforeInvoke: 0 };
    stats.authorizers[authorizer.name] = counters;
    const settings = config.authorizers[authorizer.name] ?? defaultAuthorizerSettings();
    // A kind the table lacks can only come from an unchecked model (JSON): it fails closed like any other.
    const factory = AUTHORIZER_FACTORIES[authorizer.kind] as ((ctx: FactoryContext) => Authorize) | undefined;
    const built: Authorize = factory
      ? factory({
          authorizer,
          settings,
          counters,
          apiKind,
          options: { ...options, handlerTimeoutMs },
          env,
          now,
          identity,
          stageVariables,
          faults,
        })
      : { unsupported: `serve does not know authorizer kind ${String(authorizer.kind)}` };
    authorizers.set(authorizer.name, built);
    if (typeof built !== 'function') {
      warnings.push(
        `authorizer ${authorizer.name}: ${built.unsupported}; serve answers its routes ${apiKind === 'HTTP' ? '500' : '500 AuthorizerConfigurationException'} (fail closed)`,
      );
    } else if (authorizer.kind === 'JWT') {
      notes.push(
        ...issuerNotes(authorizer.name, resolveIssuers(authorizer, settings, config.serve?.issuers ?? {})),
      );
    }
  }
  const configurationError = (): GatewayError =>
    apiKind === 'HTTP' ? httpErrors.internal() : gatewayErrors.authorizerConfiguration();

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
        reason: `${routeKeyOf(match.route)} has no authorization`,
        invoked: false,
      };
    }
    const authorizer = authorizers.get(auth.authorizer);
    if (authorizer === undefined) {
      return {
        kind: 'reject',
        error: configurationError(),
        cause: 'authorizer-unknown',
        reason: `the route names authorizer ${auth.authorizer}, which the API does not define`,
        invoked: false,
      };
    }
    if (typeof authorizer !== 'function') {
      return {
        kind: 'reject',
        error: configurationError(),
        cause: 'authorizer-unsupported',
        reason: `${authorizer.unsupported} (serve fails closed)`,
        invoked: false,
      };
    }
    return authorizer({ call, match, fullPath, methodArn, scopes: auth.scopes });
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
    // HTTP APIs have no gateway responses: fixed answers, no x-amzn-ErrorType.
    if (apiKind === 'HTTP') return renderHttpError(error);
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
    ): Decision => ({
      ...base,
      ...response,
      ...(apiKind === 'HTTP' ? {} : { errorType: error.errorType }),
      ...rest,
    });

    if (call.bodyTooLarge === true || call.body.length > MAX_BODY_BYTES) {
      const error = apiKind === 'HTTP' ? httpErrors.requestTooLarge() : gatewayErrors.requestTooLarge();
      return refuse(errorResponse(error, call, {}), error, {
        cause: 'request-too-large',
        reason: `the body is larger than ${MAX_BODY_BYTES} bytes`,
      });
    }
    const prefix = stagePrefix(stage);
    const within = inStage(fullPath, stage);
    const match = !within
      ? undefined
      : apiKind === 'HTTP'
        ? matchHttpRoute(model.routes, call.method, call.path)
        : matchRoute(model.routes, call.method, call.path);
    if (!match && apiKind === 'HTTP' && within && model.cors && isPreflight(call)) {
      // No route takes the preflight: API Gateway answers it itself (a matching route would run its authorizer).
      return {
        ...base,
        status: 204,
        headers: httpPreflightHeaders(model, call),
        body: '',
        allowed: true,
        cause: 'cors-preflight',
        reason: `no route takes OPTIONS ${call.path}, so the API's CORS configuration answers the preflight`,
      };
    }
    if (!match) {
      const error = apiKind === 'HTTP' ? httpErrors.notFound() : unmatchedError(call);
      return refuse(errorResponse(error, call, {}), error, {
        cause: 'route-not-found',
        reason: within
          ? `no route takes ${call.method} ${call.path}${apiKind === 'HTTP' ? ' and the API has no $default route' : ''}`
          : `${fullPath} is outside the stage ${prefix}`,
      });
    }
    const { route, pathParameters } = match;
    const authName = route.authorization.type === 'AUTHORIZER' ? route.authorization.authorizer : null;
    const authorizerModel = model.authorizers.find((a) => a.name === authName);
    const methodArn = buildMethodArn({ ...identity, method: call.method, path: call.path });
    const matched = {
      route: routeKeyOf(route),
      pathParameters,
      authorizer: authName,
      authorizerKind: authorizerModel?.kind ?? null,
      apiKeyRequired: route.apiKeyRequired,
      ...(authorizerModel && LAMBDA_KINDS.has(authorizerModel.kind) ? { methodArn } : {}),
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
      apiKind === 'REST' && route.method === 'OPTIONS' && route.authorization.type === 'NONE'
        ? preflight(call, route)
        : json(
            200,
            {
              route: routeKeyOf(route),
              path: call.path,
              method: call.method,
              pathParameters,
              principalId: outcome.principalId,
              authorizer: outcome.authorizer,
            },
            apiKind === 'HTTP' ? httpCorsHeaders(model, call) : corsHeaders(),
          );
    return { ...base, ...response, ...why, allowed: true };
  }

  return {
    identity,
    stageVariables,
    warnings,
    notes,
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
    fullPath: `${stagePrefix(stage)}${normalized}`,
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
