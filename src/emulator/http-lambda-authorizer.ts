/**
 * An HTTP API's Lambda (REQUEST) authorizer: API Gateway's identity-source check before the Lambda, the result
 * cache (keyed by every identity value, shared by all routes of the authorizer), the payload 1.0 / 2.0 event, and
 * the simple (`isAuthorized`) or IAM-policy answer evaluated against the routeArn.
 *
 * Answers (reference section B.4; CONTRACT): a missing or empty identity source 401 `{"message":"Unauthorized"}`
 * without invoking; a deny (`isAuthorized: false`, Deny, or no matching Allow) 403 `{"message":"Forbidden"}`; a
 * Lambda that throws (also `Unauthorized`), times out, does not load or answers in a bad format 500
 * `{"message":"Internal Server Error"}`. Context values keep their JSON types (`requestContext.authorizer.lambda`).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */

import type { Authorizer } from '../model/types.js';
import type { AuthorizerSettings } from '../config/types.js';
import { isObject } from '../model/parse.js';
import { safeText } from './describe.js';
import { httpErrors } from './http-responses.js';
import { buildHttpAuthorizerEvent, httpIdentityValue, type HttpEventInput } from './http-lambda-event.js';
import type { GatewayIdentity } from './lambda-event.js';
import { invokeHandler, loadHandler, type LambdaHandler } from './lambda-runtime.js';
import { rejectWith, type Why } from './outcome.js';
import { evaluatePolicy, parseAuthorizerResult, type AuthorizerResult } from './policy.js';
import { ResultCache } from './result-cache.js';
import { sampleHttpLambdaHandler } from './sample-handlers.js';
import type { AuthOutcome, AuthorizerStats, GatewayFaults } from './types.js';

/** A valid answer of the Lambda: simple (`isAuthorized`) or an IAM policy; the context JSON-typed. */
export type HttpLambdaResult =
  | { form: 'simple'; isAuthorized: boolean; context: Record<string, unknown> }
  | { form: 'policy'; policy: AuthorizerResult; context: Record<string, unknown> };

export type ParsedHttpLambdaResult = { ok: true; result: HttpLambdaResult } | { ok: false; reason: string };

/**
 * Validate a handler's answer as API Gateway does for the authorizer's format: `{isAuthorized: boolean,
 * context?}` with simple responses (payload 2.0), an IAM policy (`principalId`, `policyDocument`, `context?`)
 * otherwise. Anything else is the "invalid format" that makes the API answer 500.
 */
export function parseHttpLambdaResult(value: unknown, simpleResponses: boolean): ParsedHttpLambdaResult {
  let json: unknown;
  try {
    const text = JSON.stringify(value);
    json = text === undefined ? null : JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the result is not JSON-serializable' };
  }
  if (!isObject(json)) return { ok: false, reason: 'the result is not an object' };
  const context = json.context ?? {};
  if (!isObject(context)) return { ok: false, reason: 'context is not an object' };
  if (simpleResponses) {
    if (typeof json.isAuthorized !== 'boolean') {
      return {
        ok: false,
        reason:
          'isAuthorized must be true or false (simple responses are enabled; a policy answer is an invalid format)',
      };
    }
    return { ok: true, result: { form: 'simple', isAuthorized: json.isAuthorized, context } };
  }
  const parsed = parseAuthorizerResult({ ...json, context: undefined });
  if (!parsed.ok) {
    return {
      ok: false,
      reason: `${parsed.reason}${'isAuthorized' in json ? ' (simple responses are off: an isAuthorized answer is an invalid format)' : ''}`,
    };
  }
  return { ok: true, result: { form: 'policy', policy: parsed.result, context } };
}

export interface HttpLambdaAuthorizerOptions {
  authorizer: Authorizer;
  settings: AuthorizerSettings;
  stats: AuthorizerStats;
  gateway: GatewayIdentity;
  now: () => number;
  handlerTimeoutMs: number;
  faults?: GatewayFaults;
}

const internalError = (why: Why): AuthOutcome => rejectWith(httpErrors.internal(), why);

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${JSON.stringify(safeText(error.message, 100))}`;
  return JSON.stringify(safeText(String(error), 100));
}

export class HttpLambdaAuthorizer {
  private readonly cache = new ResultCache<HttpLambdaResult>();
  private handler?: Promise<LambdaHandler>;

  constructor(private readonly options: HttpLambdaAuthorizerOptions) {}

  private get simpleResponses(): boolean {
    const settings = this.options.authorizer.httpLambda;
    return settings?.payloadFormat === '2.0' && settings.simpleResponses;
  }

  private loadHandler(): Promise<LambdaHandler> {
    const { authorizer, settings } = this.options;
    this.handler ??= settings.handler
      ? loadHandler(settings.handler)
      : Promise.resolve(sampleHttpLambdaHandler(authorizer, settings));
    return this.handler;
  }

  async authorize(input: HttpEventInput): Promise<AuthOutcome> {
    const { authorizer, stats } = this.options;
    const faults = this.options.faults ?? {};
    const sources = authorizer.identitySources;
    const values = sources.map((source) => httpIdentityValue(input, source));
    const missing = sources.filter((_, i) => values[i] === undefined || values[i] === '');
    if (missing.length > 0 && faults.lambdaSkipIdentitySourceCheck !== true) {
      stats.rejectedBeforeInvoke++;
      const named = missing.map(
        (s) => `${s.expression}${values[sources.indexOf(s)] === '' ? ' (empty)' : ''}`,
      );
      return rejectWith(httpErrors.unauthorized(), {
        cause: 'identity-source-missing',
        reason: `identity source${missing.length === 1 ? '' : 's'} missing: ${named.join(', ')}`,
        invoked: false,
      });
    }
    // Caching needs at least one identity source; the key is every value (one result serves all routes).
    const caching = authorizer.ttlSeconds > 0 && sources.length > 0;
    const cacheKey = JSON.stringify(
      faults.lambdaCacheByFirstSourceOnly === true ? values.slice(0, 1) : values,
    );
    const nowMs = this.options.now();
    if (caching) {
      const cached = this.cache.get(cacheKey, nowMs);
      if (cached) {
        stats.cacheHits++;
        return decide(cached, input.routeArn, true);
      }
    }
    stats.invocations++;
    const format = authorizer.httpLambda?.payloadFormat ?? '2.0';
    const event = buildHttpAuthorizerEvent(format, { ...input, nowMs }, values);
    const result = await this.invoke(event, input.call.requestId);
    if ('kind' in result) return result;
    if (caching) this.cache.set(cacheKey, result, nowMs, authorizer.ttlSeconds);
    return decide(result, input.routeArn, false);
  }

  private async invoke(event: unknown, requestId: string): Promise<HttpLambdaResult | AuthOutcome> {
    let handler: LambdaHandler;
    try {
      handler = await this.loadHandler();
    } catch (error) {
      return internalError({
        cause: 'lambda-load-failed',
        reason: `the handler does not load: ${describeThrown(error)}`,
        invoked: true,
      });
    }
    const timeoutMs = this.options.handlerTimeoutMs;
    const invocation = await invokeHandler(handler, event, {
      timeoutMs,
      functionName: this.options.authorizer.name,
      requestId,
    });
    if (invocation.kind === 'timeout') {
      return internalError({
        cause: 'lambda-timeout',
        reason: `the Lambda did not answer within ${timeoutMs} ms`,
        invoked: true,
      });
    }
    if (invocation.kind === 'error') {
      // Whether a thrown "Unauthorized" is a 401 on HTTP APIs (as on REST) is open (reference open question 6):
      // every failure is the documented 500.
      return internalError({
        cause: 'lambda-error',
        reason: `the Lambda threw ${describeThrown(invocation.error)} (HTTP APIs answer 500 for any failure)`,
        invoked: true,
      });
    }
    const parsed = parseHttpLambdaResult(invocation.value, this.simpleResponses);
    return parsed.ok
      ? parsed.result
      : internalError({
          cause: 'lambda-invalid-result',
          reason: `the Lambda's result is invalid: ${parsed.reason}`,
          invoked: true,
        });
  }
}

function decide(result: HttpLambdaResult, routeArn: string, cached: boolean): AuthOutcome {
  const base = { invoked: !cached, cached };
  const integration = { lambda: result.context };
  if (result.form === 'simple') {
    const what = cached ? 'the cached simple response' : 'the simple response';
    if (result.isAuthorized) {
      return {
        kind: 'allow',
        principalId: null,
        authorizer: integration,
        ...base,
        cause: 'allowed',
        reason: `${what} is isAuthorized: true`,
      };
    }
    return {
      kind: 'reject',
      error: httpErrors.forbidden(),
      ...base,
      cause: cached ? 'cached-simple-response-denied' : 'simple-response-denied',
      reason: `${what} is isAuthorized: false`,
    };
  }
  const { policy } = result;
  const whose = `${cached ? 'the cached policy' : 'the policy'} of principal ${safeText(policy.principalId, 60)}`;
  const withPolicy = { ...base, policy };
  switch (evaluatePolicy(policy.statements, routeArn)) {
    case 'allow':
      return {
        kind: 'allow',
        principalId: policy.principalId,
        authorizer: integration,
        ...withPolicy,
        cause: 'allowed',
        reason: `${whose} allows ${routeArn}`,
      };
    case 'explicit-deny':
      return {
        kind: 'reject',
        error: httpErrors.forbidden(),
        ...withPolicy,
        cause: cached ? 'cached-policy-explicit-deny' : 'policy-explicit-deny',
        reason: `${whose} explicitly denies ${routeArn}`,
      };
    case 'implicit-deny':
      return {
        kind: 'reject',
        error: httpErrors.forbidden(),
        ...withPolicy,
        cause: cached ? 'cached-policy-implicit-deny' : 'policy-implicit-deny',
        reason: `${whose} does not allow ${routeArn}${cached ? ' (it was cached from another call with the same identity)' : ''}`,
      };
  }
}
