import { describe, expect, it } from 'vitest';
import { invokeHandler, isUnauthorizedError, type LambdaHandler } from './lambda-runtime.js';

const options = { timeoutMs: 200, functionName: 'fn', requestId: 'r1' };

describe('invokeHandler', () => {
  it.each<[string, LambdaHandler, unknown]>([
    ['async result', async () => 'ok', { kind: 'result', value: 'ok' }],
    [
      'async rejection',
      async () => Promise.reject(new Error('boom')),
      { kind: 'error', error: new Error('boom') },
    ],
    [
      'sync throw',
      () => {
        throw new Error('x');
      },
      { kind: 'error', error: new Error('x') },
    ],
    ['callback result', (_e, _c, cb) => setTimeout(() => cb(null, 'ok'), 5), { kind: 'result', value: 'ok' }],
    ['callback error string', (_e, _c, cb) => cb('Unauthorized'), { kind: 'error', error: 'Unauthorized' }],
    ['context.succeed', (_e, c) => setTimeout(() => c.succeed('ok'), 5), { kind: 'result', value: 'ok' }],
    [
      'context.fail',
      (_e, c) => setTimeout(() => c.fail('Unauthorized'), 5),
      { kind: 'error', error: 'Unauthorized' },
    ],
    [
      'sync return without callback is ignored',
      ((_e: unknown) => 'ignored') as LambdaHandler,
      { kind: 'result', value: undefined },
    ],
    ['never answers', (_e, _c, _cb) => undefined, { kind: 'timeout' }],
  ])('%s', async (_name, handler, expected) => {
    expect(await invokeHandler(handler, {}, options)).toEqual(expected);
  });
});

describe('isUnauthorizedError', () => {
  it.each([
    ['Unauthorized', true],
    [new Error('Unauthorized'), true],
    ['unauthorized', false],
    [new Error('Unauthorized!'), false],
    [null, false],
  ])('%o -> %s', (error, expected) => {
    expect(isUnauthorizedError(error)).toBe(expected);
  });
});
