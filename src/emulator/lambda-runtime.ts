/**
 * A tiny in-process Lambda runtime for authorizer handlers: lazy module loading (ESM or CommonJS), async and
 * callback styles (plus the legacy `context.succeed/fail/done`), and a timeout.
 */

import { pathToFileURL } from 'node:url';

export type LambdaCallback = (error?: unknown, result?: unknown) => void;

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

export type LambdaHandler = (event: unknown, context: LambdaContext, callback: LambdaCallback) => unknown;

export type Invocation =
  { kind: 'result'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Import a handler module and return its `handler` export (or `module.exports.handler` of a CommonJS module).
 * Rejects when the module throws while loading or exports no `handler` function.
 */
export async function loadHandler(file: string): Promise<LambdaHandler> {
  const mod: unknown = await import(pathToFileURL(file).href);
  const candidates = isRecord(mod)
    ? [mod.handler, isRecord(mod.default) ? mod.default.handler : undefined]
    : [];
  const handler = candidates.find((c) => typeof c === 'function');
  if (!handler) throw new Error(`${file} exports no handler function`);
  return handler as LambdaHandler;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isRecord(value) && typeof value.then === 'function';
}

/**
 * Invoke a handler once. A handler that takes neither context nor callback and returns a non-promise value gives `undefined` (Lambda
 * ignores the return value of non-async handlers), which the caller treats as malformed output.
 */
export function invokeHandler(
  handler: LambdaHandler,
  event: unknown,
  options: { timeoutMs: number; functionName: string; requestId: string },
): Promise<Invocation> {
  return new Promise<Invocation>((resolve) => {
    const deadline = Date.now() + options.timeoutMs;
    let settled = false;
    const settle = (outcome: Invocation): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout' }), options.timeoutMs);
    const callback: LambdaCallback = (error, result) => {
      if (error !== undefined && error !== null) settle({ kind: 'error', error });
      else settle({ kind: 'result', value: result });
    };
    const context: LambdaContext = {
      functionName: options.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${options.functionName}`,
      memoryLimitInMB: '128',
      awsRequestId: options.requestId,
      logGroupName: `/aws/lambda/${options.functionName}`,
      logStreamName: 'apigw-authz-serve',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      succeed: (result) => callback(null, result),
      fail: (error) => callback(error ?? 'Error'),
      done: callback,
    };
    try {
      const returned = handler(event, context, callback);
      if (isThenable(returned)) {
        returned.then(
          (value) => settle({ kind: 'result', value }),
          (error: unknown) => settle({ kind: 'error', error }),
        );
      } else if (handler.length < 2) {
        settle({ kind: 'result', value: undefined });
      }
    } catch (error) {
      settle({ kind: 'error', error });
    }
  });
}

/** API Gateway answers 401 only when the Lambda fails with exactly `Unauthorized`. */
export function isUnauthorizedError(error: unknown): boolean {
  if (error === 'Unauthorized') return true;
  return isRecord(error) && error.message === 'Unauthorized';
}
