/**
 * The cache pitfall, proven instead of guessed: a configured Lambda authorizer handler is invoked locally (as
 * `serve` invokes it) with the configured valid credentials, once per method and path the authorizer guards, and
 * every returned policy is evaluated against every other guarded call that shares its cache key. API Gateway
 * reuses the cached policy for all of them (reference section 3, "Authorization caching"), so a call whose answer
 * depends on which call came first is a finding. This is the I/O edge of doctor; the rules stay pure.
 */

import { defaultAuthorizerSettings, type AuthorizerSettings, type ProjectConfig } from '../config/types.js';
import { buildRequestEvent, identityValue, type GatewayIdentity } from '../emulator/lambda-event.js';
import { withConsoleTo } from '../emulator/handler-console.js';
import {
  buildHttpAuthorizerEvent,
  httpIdentityValue,
  type HttpEventInput,
} from '../emulator/http-lambda-event.js';
import { invokeHandler, isUnauthorizedError, loadHandler } from '../emulator/lambda-runtime.js';
import type { LambdaHandler } from '../emulator/lambda-runtime.js';
import {
  evaluatePolicy,
  lambdaResultObject,
  parseAuthorizerResult,
  type PolicyStatement,
} from '../emulator/policy.js';
import { buildMethodArn } from '../emulator/routing.js';
import type { IncomingCall } from '../emulator/types.js';
import { compare, isObject } from '../model/parse.js';
import {
  DEFAULT_ROUTE_PATH,
  HTTP_METHODS,
  type AuthModel,
  type Authorizer,
  type Route,
} from '../model/types.js';
import type { CallDecision, HandlerCheck, HandlerMismatch, HandlerResponseShape } from './types.js';

export interface HandlerCheckOptions {
  /** Per invocation; default 10000 ms (the API Gateway limit). */
  timeoutMs?: number;
  /** At most this many invocations per authorizer (one per guarded call); default 64. */
  maxCalls?: number;
  /**
   * Where the handler's console output goes while it runs, so that it never mixes with doctor's stdout
   * (`--json`); default standard error.
   */
  log?: (text: string) => void;
}

/** One call the authorizer guards: a verb and a concrete path of one of its routes. */
interface Probe {
  route: Route;
  method: string;
  path: string;
  /** `GET /orders/1001` */
  name: string;
}

interface Answer {
  probe: Probe;
  methodArn: string;
  cacheKey: string;
  decision: CallDecision;
  /** The result's statements, when the handler returned a valid policy (what API Gateway would cache). */
  statements?: PolicyStatement[];
  reason?: string;
  timedOut?: boolean;
}

const VERBS: readonly string[] = HTTP_METHODS;
const POLICY_ANSWERS = {
  allow: 'allows',
  'explicit-deny': 'explicitly denies (403)',
  'implicit-deny': 'does not cover (403)',
} as const;

/**
 * Invokes the configured handler of every cached (TTL > 0) TOKEN and REQUEST authorizer and compares the decisions
 * a cached policy gives with the decisions fresh invocations give; and the handler of every HTTP API Lambda
 * authorizer once, with the valid identity, to see whether it answers in the format the authorizer expects
 * (`answered`: a simple response or an IAM policy).
 *
 * Authorizers without a configured `handler` are not checked (the rule then keeps its note). Each check is
 * independent: a handler that fails to load or rejects the valid credentials gives its own outcome, never a throw.
 *
 * @param model - the API's model
 * @param config - the config with `authorizers.NAME.handler` and the valid credentials
 * @returns one check per checked authorizer, sorted by name
 */
export async function checkHandlerPolicies(
  model: AuthModel,
  config: ProjectConfig,
  options: HandlerCheckOptions = {},
): Promise<HandlerCheck[]> {
  const checks: HandlerCheck[] = [];
  const gateway = gatewayIdentity(model);
  for (const authorizer of [...model.authorizers].sort((a, b) => compare(a.name, b.name))) {
    const settings = config.authorizers[authorizer.name] ?? defaultAuthorizerSettings();
    if (settings.handler === undefined) continue;
    if (authorizer.kind === 'HTTP_LAMBDA') {
      checks.push(
        await checkResponseFormat(model, config, authorizer, settings, settings.handler, gateway, options),
      );
      continue;
    }
    if ((authorizer.kind !== 'TOKEN' && authorizer.kind !== 'REQUEST') || authorizer.ttlSeconds === 0)
      continue;
    checks.push(await checkOne(model, config, authorizer, settings, settings.handler, gateway, options));
  }
  return checks;
}

async function checkOne(
  model: AuthModel,
  config: ProjectConfig,
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  file: string,
  gateway: GatewayIdentity,
  options: HandlerCheckOptions,
): Promise<HandlerCheck> {
  const start = startCheck(model, config, authorizer, settings, file, options.maxCalls ?? 64);
  if ('outcome' in start) return start;
  const { base, stageVariables, probes } = start;

  const timeoutMs = options.timeoutMs ?? 10_000;
  const invoked = await withHandler(file, options, async (handler) => {
    const answers: Answer[] = [];
    for (const [index, probe] of probes.entries()) {
      const answer = await ask(handler, authorizer, settings, probe, stageVariables, gateway, {
        timeoutMs,
        requestId: `doctor-${index + 1}`,
      });
      // One hung call would make every other call wait as long: stop at the first.
      if (answer.timedOut) return `it did not answer ${probe.name} within ${timeoutMs} ms`;
      answers.push(answer);
    }
    return answers;
  });
  if (typeof invoked === 'string') return { ...base, outcome: 'failed', reason: invoked };
  const answers = invoked;

  if (!answers.some((answer) => answer.decision === 'allow')) {
    const first = answers[0] as Answer;
    return {
      ...base,
      outcome: 'rejected',
      firstCall: first.probe.name,
      reason: first.reason ?? first.decision,
    };
  }
  // Every valid result, as the cached policy for every other call with the same cache key. Only a change between
  // allowed and refused counts (a 401 versus a 403 is not the pitfall).
  const found: Array<{ first: Answer; mismatches: HandlerMismatch[] }> = [];
  for (const first of answers) {
    if (first.statements === undefined) continue;
    const mismatches: HandlerMismatch[] = [];
    for (const then of answers) {
      if (then === first || then.cacheKey !== first.cacheKey) continue;
      const cached = evaluatePolicy(first.statements, then.methodArn);
      if ((cached === 'allow') !== (then.decision === 'allow')) {
        mismatches.push({ call: then.probe.name, cached, fresh: then.decision });
      }
    }
    if (mismatches.length > 0) found.push({ first, mismatches });
  }
  // A cached policy that lets refused calls through is the worse case: report it when there is one.
  const worst = found.find((f) => f.mismatches.some((m) => m.cached === 'allow')) ?? found[0];
  if (worst !== undefined) {
    return {
      ...base,
      outcome: 'uncovered',
      firstCall: worst.first.probe.name,
      mismatches: worst.mismatches,
      calls: answers.length,
    };
  }
  return { ...base, outcome: 'covered', calls: answers.length };
}

interface CheckStart {
  base: { authorizer: string; handler: string };
  stageVariables: Record<string, string>;
  /** At least one, at most `maxCalls`. */
  probes: Probe[];
}

/** What both handler checks start from (the credentials and the calls to send), or why the check is skipped. */
function startCheck(
  model: AuthModel,
  config: ProjectConfig,
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  file: string,
  maxCalls: number,
): CheckStart | HandlerCheck {
  const base = { authorizer: authorizer.name, handler: file };
  const stageVariables = { ...model.stage.variables, ...config.stageVariables };
  const missing = missingCredentials(authorizer, settings, stageVariables);
  if (missing !== undefined) return { ...base, outcome: 'skipped', reason: missing };
  const probes = probesOf(model, authorizer, config.pathParameters).slice(0, maxCalls);
  if (probes.length === 0) return { ...base, outcome: 'skipped', reason: 'the authorizer guards no route' };
  return { base, stageVariables, probes };
}

/**
 * Runs `use` with the loaded handler, its console output sent to `options.log` (stderr by default);
 * a handler that does not load gives the reason instead.
 */
async function withHandler<T>(
  file: string,
  options: HandlerCheckOptions,
  use: (handler: LambdaHandler) => Promise<T>,
): Promise<T | string> {
  return withConsoleTo(options.log ?? ((text) => process.stderr.write(text)), async () => {
    let handler: LambdaHandler;
    try {
      handler = await loadHandler(file);
    } catch (error) {
      return `it does not load (${describeError(error)})`;
    }
    return use(handler);
  });
}

/** Why the configured credentials cannot be sent, or undefined when they can. */
function missingCredentials(
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  stageVariables: Record<string, string>,
): string | undefined {
  const runTime = (value: string): boolean => value.includes('{{');
  if (authorizer.kind === 'TOKEN') {
    if (settings.validToken === undefined)
      return `no authorizers.${authorizer.name}.validToken in the config`;
    if (runTime(settings.validToken)) return `validToken is a run-time variable (${settings.validToken})`;
    return undefined;
  }
  for (const source of authorizer.identitySources) {
    if (source.location === 'context') continue; // read from the request context, which doctor builds
    const value =
      settings.validIdentity[source.expression] ??
      (source.location === 'stageVariable' ? stageVariables[source.name] : undefined);
    if (value === undefined) return `no validIdentity value for ${source.expression} in the config`;
    if (runTime(value)) return `validIdentity ${source.expression} is a run-time variable (${value})`;
  }
  return undefined;
}

/**
 * The calls an authorizer guards: each route's verb (every verb the resource does not define itself, for `ANY`),
 * on a concrete path and, for templated paths, on a second one, since a policy naming one concrete path does not
 * cover the other.
 */
function probesOf(model: AuthModel, authorizer: Authorizer, samples: Record<string, string>): Probe[] {
  const probes: Probe[] = [];
  const routes = model.routes
    .filter((r) => r.authorization.type === 'AUTHORIZER' && r.authorization.authorizer === authorizer.name)
    .sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  for (const route of routes) {
    const own = new Set(model.routes.filter((r) => r.path === route.path).map((r) => r.method));
    const methods =
      route.method === 'ANY' ? VERBS.filter((verb) => !own.has(verb as Route['method'])) : [route.method];
    // `$default` catches what no route matches: any path will do for the event.
    const paths = route.path === DEFAULT_ROUTE_PATH ? ['/'] : concretePaths(route.path, samples);
    for (const path of paths) {
      for (const method of methods) {
        const name = route.path === DEFAULT_ROUTE_PATH ? `${method} ${path} ($default)` : `${method} ${path}`;
        probes.push({ route, method, path, name });
      }
    }
  }
  return probes;
}

/** The template with sample values (`pathParameters`, else `1`), and with other values when it has any. */
function concretePaths(template: string, samples: Record<string, string>): string[] {
  const fill = (other: boolean): string =>
    template.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
      const value = samples[name] ?? (greedy ? 'doc/sample' : '1');
      if (!other) return encodeSegments(value, greedy === '+');
      return encodeSegments(greedy ? `${value}/other` : `${value}0`, greedy === '+');
    });
  const first = fill(false);
  const second = fill(true);
  return first === second ? [first] : [first, second];
}

function encodeSegments(value: string, greedy: boolean): string {
  return greedy ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
}

async function ask(
  handler: LambdaHandler,
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  probe: Probe,
  stageVariables: Record<string, string>,
  gateway: GatewayIdentity,
  invoke: { timeoutMs: number; requestId: string },
): Promise<Answer> {
  const { requestId } = invoke;
  const methodArn = buildMethodArn({ ...gateway, method: probe.method, path: probe.path });
  let event: unknown;
  let cacheKey: string;
  if (authorizer.kind === 'TOKEN') {
    const token = settings.validToken ?? '';
    event = { type: 'TOKEN', authorizationToken: token, methodArn };
    cacheKey = token;
  } else {
    const call = requestCall(authorizer, settings, probe, requestId);
    const request = buildRequestEvent(
      call,
      probe.route,
      pathParametersOf(probe.route.path, probe.path),
      { ...stageVariablesFrom(authorizer, settings), ...stageVariables },
      methodArn,
      gateway,
    );
    event = request;
    cacheKey = JSON.stringify(authorizer.identitySources.map((source) => identityValue(request, source)));
  }
  const invocation = await invokeHandler(handler, event, {
    timeoutMs: invoke.timeoutMs,
    functionName: authorizer.name,
    requestId,
  });
  const answer = { probe, methodArn, cacheKey };
  if (invocation.kind === 'timeout') return { ...answer, decision: 'error', timedOut: true };
  if (invocation.kind === 'error') {
    return isUnauthorizedError(invocation.error)
      ? { ...answer, decision: 'unauthorized', reason: 'it failed with "Unauthorized" (401)' }
      : { ...answer, decision: 'error', reason: `it threw ${describeError(invocation.error)} (500)` };
  }
  const parsed = parseAuthorizerResult(invocation.value);
  if (!parsed.ok)
    return { ...answer, decision: 'error', reason: `its result is invalid: ${parsed.reason} (500)` };
  const statements = parsed.result.statements;
  const decision = evaluatePolicy(statements, methodArn);
  return { ...answer, decision, statements, reason: `its policy ${POLICY_ANSWERS[decision]} the call` };
}

/** A request carrying the configured identity values in its headers and query string. */
function requestCall(
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  probe: Probe,
  requestId: string,
): IncomingCall {
  const rawHeaders: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const source of authorizer.identitySources) {
    const value = settings.validIdentity[source.expression];
    if (value === undefined) continue;
    if (source.location === 'header') rawHeaders[source.name] = value;
    if (source.location === 'querystring') query[source.name] = value;
  }
  const headers = Object.fromEntries(Object.entries(rawHeaders).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: probe.method,
    path: probe.path,
    rawQuery: new URLSearchParams(query).toString(),
    query,
    headers,
    rawHeaders,
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    requestId,
  };
}

function stageVariablesFrom(authorizer: Authorizer, settings: AuthorizerSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of authorizer.identitySources) {
    const value = settings.validIdentity[source.expression];
    if (source.location === 'stageVariable' && value !== undefined) out[source.name] = value;
  }
  return out;
}

function pathParametersOf(template: string, path: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  const parts = template.split('/');
  const segments = path.split('/');
  parts.forEach((part, i) => {
    const match = /^\{([^}+]+)(\+?)\}$/.exec(part);
    if (!match?.[1]) return;
    const value = match[2] ? segments.slice(i).join('/') : (segments[i] ?? '');
    parameters[match[1]] = decodeURIComponent(value);
  });
  return parameters;
}

/**
 * HTTP API Lambda authorizer: invokes the handler once, for the first call it guards, with the valid identity in a
 * payload 1.0 or 2.0 event, and reports the shape of what it returned (reference B.4 "Responses").
 */
async function checkResponseFormat(
  model: AuthModel,
  config: ProjectConfig,
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  file: string,
  gateway: GatewayIdentity,
  options: HandlerCheckOptions,
): Promise<HandlerCheck> {
  const start = startCheck(model, config, authorizer, settings, file, 1);
  if ('outcome' in start) return start;
  const { base, stageVariables } = start;
  const probe = start.probes[0] as Probe;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const routeArn = buildMethodArn({ ...gateway, method: probe.method, path: probe.path });
  const host = `${gateway.apiId}.execute-api.${gateway.region}.amazonaws.com`;
  const call = requestCall(authorizer, settings, probe, 'doctor-1');
  const input: HttpEventInput = {
    call: { ...call, headers: { host, ...call.headers }, rawHeaders: { Host: host, ...call.rawHeaders } },
    route: probe.route,
    pathParameters: pathParametersOf(probe.route.path, probe.path),
    stageVariables: { ...stageVariablesFrom(authorizer, settings), ...stageVariables },
    // A `$default` stage has no path prefix.
    fullPath: gateway.stage === '$default' ? probe.path : `/${gateway.stage}${probe.path}`,
    routeArn,
    gateway,
    nowMs: Date.now(),
  };
  const event = buildHttpAuthorizerEvent(
    authorizer.httpLambda?.payloadFormat ?? '2.0',
    input,
    authorizer.identitySources.map((source) => httpIdentityValue(input, source)),
  );
  const invocation = await withHandler(file, options, (handler) =>
    invokeHandler(handler, event, { timeoutMs, functionName: authorizer.name, requestId: 'doctor-1' }),
  );
  if (typeof invocation === 'string') return { ...base, outcome: 'failed', reason: invocation };
  if (invocation.kind === 'timeout')
    return { ...base, outcome: 'failed', reason: `it did not answer ${probe.name} within ${timeoutMs} ms` };
  if (invocation.kind === 'error')
    return {
      ...base,
      outcome: 'failed',
      reason: `it threw ${describeError(invocation.error)} for ${probe.name}`,
    };
  const { response, simpleAllows, policyAllows } = readHttpResult(invocation.value, routeArn);
  const expected = authorizer.httpLambda?.simpleResponses ? simpleAllows : policyAllows;
  return { ...base, outcome: 'answered', call: probe.name, response, allowed: expected };
}

/** What API Gateway finds in an HTTP Lambda authorizer's result, after Lambda's JSON serialization. */
function readHttpResult(
  value: unknown,
  routeArn: string,
): { response: HandlerResponseShape; simpleAllows: boolean; policyAllows: boolean } {
  const serialized = lambdaResultObject(value);
  const result = serialized.ok ? serialized.json : {};
  const simple = typeof result.isAuthorized === 'boolean';
  // The policy alone: HTTP context values may be maps and lists, which the REST validation refuses.
  const parsed = isObject(result.policyDocument)
    ? parseAuthorizerResult({ ...result, context: undefined })
    : undefined;
  const policy = parsed?.ok === true;
  const response: HandlerResponseShape = simple
    ? policy
      ? 'both'
      : 'simple'
    : policy
      ? 'policy'
      : 'neither';
  return {
    response,
    simpleAllows: result.isAuthorized === true,
    policyAllows: parsed?.ok === true && evaluatePolicy(parsed.result.statements, routeArn) === 'allow',
  };
}

/** What `serve` uses: the model's region and API id, the account of the first Lambda or user pool ARN. */
function gatewayIdentity(model: AuthModel): GatewayIdentity {
  let accountId = '123456789012';
  for (const authorizer of model.authorizers) {
    const found =
      /:lambda:[^:]+:(\d{12}):function:/.exec(authorizer.lambdaUri ?? '')?.[1] ??
      authorizer.userPools[0]?.accountId;
    if (found) {
      accountId = found;
      break;
    }
  }
  return {
    region: model.api.region ?? 'us-east-1',
    accountId,
    apiId: model.api.id ?? 'local',
    stage: model.stage.name,
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return JSON.stringify(error.message);
  return JSON.stringify(String(error));
}
