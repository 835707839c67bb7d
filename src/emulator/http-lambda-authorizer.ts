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

import { isObject } from '../model/parse.js';
import {
  AuthorizerLambda,
  describeThrown,
  policyOutcome,
  type LambdaAuthorizerBasics,
  type ParsedAnswer,
} from './authorizer-lambda.js';
import { httpErrors } from './http-responses.js';
import { buildHttpAuthorizerEvent, httpIdentityValue, type HttpEventInput } from './http-lambda-event.js';
import { rejectWith, type Why } from './outcome.js';
import { lambdaResultObject, parseAuthorizerResult, type AuthorizerResult } from './policy.js';
import { sampleHttpLambdaHandler } from './sample-handlers.js';
import type { AuthOutcome } from './types.js';

/** A valid answer of the Lambda: simple (`isAuthorized`) or an IAM policy; the context JSON-typed. */
export type HttpLambdaResult =
  | { form: 'simple'; isAuthorized: boolean; context: Record<string, unknown> }
  | { form: 'policy'; policy: AuthorizerResult; context: Record<string, unknown> };

export type ParsedHttpLambdaResult = ParsedAnswer<HttpLambdaResult>;

/**
 * Validate a handler's answer as API Gateway does for the authorizer's format: `{isAuthorized: boolean,
 * context?}` with simple responses (payload 2.0), an IAM policy (`principalId`, `policyDocument`, `context?`)
 * otherwise. Anything else is the "invalid format" that makes the API answer 500.
 */
export function parseHttpLambdaResult(value: unknown, simpleResponses: boolean): ParsedHttpLambdaResult {
  const serialized = lambdaResultObject(value);
  if (!serialized.ok) return serialized;
  const { json } = serialized;
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

export type HttpLambdaAuthorizerOptions = LambdaAuthorizerBasics;

const internalError = (why: Why): AuthOutcome => rejectWith(httpErrors.internal(), why);

export class HttpLambdaAuthorizer {
  private readonly lambda: AuthorizerLambda<HttpLambdaResult>;

  constructor(private readonly options: HttpLambdaAuthorizerOptions) {
    this.lambda = new AuthorizerLambda(options, {
      sampleHandler: () => sampleHttpLambdaHandler(options.authorizer, options.settings),
      parse: (value) => parseHttpLambdaResult(value, this.simpleResponses),
      failure: internalError,
      // Whether a thrown "Unauthorized" is a 401 on HTTP APIs (as on REST) is open (reference open question 6):
      // every failure is the documented 500.
      thrown: (error) =>
        internalError({
          cause: 'lambda-error',
          reason: `the Lambda threw ${describeThrown(error)} (HTTP APIs answer 500 for any failure)`,
          invoked: true,
        }),
    });
  }

  private get simpleResponses(): boolean {
    const settings = this.options.authorizer.httpLambda;
    return settings?.payloadFormat === '2.0' && settings.simpleResponses;
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
    const nowMs = this.options.now();
    const answer = await this.lambda.resultFor({
      cacheKey: JSON.stringify(faults.lambdaCacheByFirstSourceOnly === true ? values.slice(0, 1) : values),
      ttlSeconds: caching ? authorizer.ttlSeconds : 0,
      nowMs,
      requestId: input.call.requestId,
      event: () =>
        buildHttpAuthorizerEvent(authorizer.httpLambda?.payloadFormat ?? '2.0', { ...input, nowMs }, values),
    });
    return 'outcome' in answer ? answer.outcome : decide(answer.result, input.routeArn, answer.cached);
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
  return policyOutcome(result.policy, routeArn, cached, {
    allowed: { authorizer: integration },
    explicitDeny: httpErrors.forbidden,
    implicitDeny: httpErrors.forbidden,
  });
}
