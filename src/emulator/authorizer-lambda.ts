/**
 * What REST (TOKEN, REQUEST) and HTTP API Lambda authorizers share around the handler: loading it once, the result
 * cache and its counters, the invocation under a timeout, the validation of its answer, and the verdict of an IAM
 * policy. The kinds differ in what a failure answers (REST 500 AuthorizerConfigurationException or, for a thrown
 * "Unauthorized", 401; HTTP a plain 500) and in what a valid answer is, so each passes its own.
 */

import type { Authorizer } from '../model/types.js';
import type { AuthorizerSettings } from '../config/types.js';
import { safeText } from './describe.js';
import type { GatewayIdentity } from './lambda-event.js';
import { invokeHandler, loadHandler, type LambdaHandler } from './lambda-runtime.js';
import type { Why } from './outcome.js';
import { evaluatePolicy, type AuthorizerResult } from './policy.js';
import { ResultCache } from './result-cache.js';
import type { AuthOutcome, AuthorizerStats, GatewayError, GatewayFaults } from './types.js';

/** What every Lambda authorizer of `serve` is built from. */
export interface LambdaAuthorizerBasics {
  authorizer: Authorizer;
  settings: AuthorizerSettings;
  stats: AuthorizerStats;
  gateway: GatewayIdentity;
  now: () => number;
  handlerTimeoutMs: number;
  /**
   * Mutation tests: `lambdaSkipIdentitySourceCheck` invokes the Lambda with a source missing;
   * `lambdaCacheByFirstSourceOnly` keys the cache by the first identity value only.
   */
  faults?: GatewayFaults;
}

/** `Error: "boom"` for a thrown value; bounded, one line. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${JSON.stringify(safeText(error.message, 100))}`;
  return JSON.stringify(safeText(String(error), 100));
}

export type ParsedAnswer<T> = { ok: true; result: T } | { ok: false; reason: string };

export interface AuthorizerLambdaOptions<T> {
  /** The handler when the config names no module. */
  sampleHandler: () => LambdaHandler;
  /** Validates the handler's answer as API Gateway does for this kind. */
  parse: (value: unknown) => ParsedAnswer<T>;
  /** The rejection for a handler that does not load, times out or answers in a bad format. */
  failure: (why: Why) => AuthOutcome;
  /** The rejection for a handler that throws. */
  thrown: (error: unknown) => AuthOutcome;
}

/** A valid result, fresh or from the cache; or the rejection the invocation ended in. */
export type LambdaAnswer<T> = { result: T; cached: boolean } | { outcome: AuthOutcome };

/** One authorizer's handler behind its result cache. */
export class AuthorizerLambda<T> {
  private readonly cache = new ResultCache<T>();
  private handler?: Promise<LambdaHandler>;

  constructor(
    private readonly basics: LambdaAuthorizerBasics,
    private readonly options: AuthorizerLambdaOptions<T>,
  ) {}

  /** The handler, loaded on first use; a module that fails to load keeps failing (as Node caches it). */
  private loadHandler(): Promise<LambdaHandler> {
    const { handler } = this.basics.settings;
    this.handler ??= handler ? loadHandler(handler) : Promise.resolve(this.options.sampleHandler());
    return this.handler;
  }

  /**
   * The result for one identity: the cached one while its TTL lasts, else the handler's answer to `event()`,
   * cached for `ttlSeconds` (0: never cached, never looked up).
   */
  async resultFor(request: {
    cacheKey: string;
    ttlSeconds: number;
    nowMs: number;
    requestId: string;
    event: () => unknown;
  }): Promise<LambdaAnswer<T>> {
    const { cacheKey, ttlSeconds, nowMs } = request;
    const { stats } = this.basics;
    if (ttlSeconds > 0) {
      const cached = this.cache.get(cacheKey, nowMs);
      if (cached) {
        stats.cacheHits++;
        return { result: cached, cached: true };
      }
    }
    stats.invocations++;
    const answer = await this.invoke(request.event(), request.requestId);
    if ('outcome' in answer) return answer;
    // Cached as AWS caches it: the whole result, reused for every route with the same identity.
    this.cache.set(cacheKey, answer.result, nowMs, ttlSeconds);
    return { result: answer.result, cached: false };
  }

  private async invoke(event: unknown, requestId: string): Promise<{ result: T } | { outcome: AuthOutcome }> {
    const { failure } = this.options;
    const timeoutMs = this.basics.handlerTimeoutMs;
    let handler: LambdaHandler;
    try {
      handler = await this.loadHandler();
    } catch (error) {
      return {
        outcome: failure({
          cause: 'lambda-load-failed',
          reason: `the handler does not load: ${describeThrown(error)}`,
          invoked: true,
        }),
      };
    }
    const invocation = await invokeHandler(handler, event, {
      timeoutMs,
      functionName: this.basics.authorizer.name,
      requestId,
    });
    if (invocation.kind === 'timeout') {
      return {
        outcome: failure({
          cause: 'lambda-timeout',
          reason: `the Lambda did not answer within ${timeoutMs} ms`,
          invoked: true,
        }),
      };
    }
    if (invocation.kind === 'error') return { outcome: this.options.thrown(invocation.error) };
    const parsed = this.options.parse(invocation.value);
    return parsed.ok
      ? { result: parsed.result }
      : {
          outcome: failure({
            cause: 'lambda-invalid-result',
            reason: `the Lambda's result is invalid: ${parsed.reason}`,
            invoked: true,
          }),
        };
  }
}

/** How a kind answers an IAM policy's verdict. */
export interface PolicyAnswers {
  /** What the integration sees of an allowed call (and REST's `usageIdentifierKey`). */
  allowed: { authorizer: Record<string, unknown>; usageIdentifierKey?: string };
  explicitDeny: () => GatewayError;
  implicitDeny: () => GatewayError;
}

/** The outcome of a Lambda's IAM policy for one ARN (REST methodArn, HTTP routeArn), fresh or cached. */
export function policyOutcome(
  policy: AuthorizerResult,
  arn: string,
  cached: boolean,
  answers: PolicyAnswers,
): AuthOutcome {
  const whose = `${cached ? 'the cached policy' : 'the policy'} of principal ${safeText(policy.principalId, 60)}`;
  const base = { invoked: !cached, cached, policy };
  switch (evaluatePolicy(policy.statements, arn)) {
    case 'allow':
      return {
        kind: 'allow',
        principalId: policy.principalId,
        ...answers.allowed,
        ...base,
        cause: 'allowed',
        reason: `${whose} allows ${arn}`,
      };
    case 'explicit-deny':
      return {
        kind: 'reject',
        error: answers.explicitDeny(),
        ...base,
        cause: cached ? 'cached-policy-explicit-deny' : 'policy-explicit-deny',
        reason: `${whose} explicitly denies ${arn}`,
      };
    case 'implicit-deny':
      return {
        kind: 'reject',
        error: answers.implicitDeny(),
        ...base,
        cause: cached ? 'cached-policy-implicit-deny' : 'policy-implicit-deny',
        reason: `${whose} does not allow ${arn}${cached ? ' (it was cached from another call with the same identity)' : ''}`,
      };
  }
}
