import { describe, expect, it } from 'vitest';
import type { NewmanItem, NewmanSummary } from 'newman';
import { exitCodeFor, formatRunSummary, parseHint, summarizeRun, topFolderOf } from './result.js';

function node(name: string, parent?: NewmanItem): NewmanItem {
  return { id: `id:${name}`, name, parent: () => parent };
}
const collection = node('collection');
const cognito = node('CognitoAuth', collection);
const scoped = node('scopes: pets/write', cognito);

function stat(total: number, failed = 0) {
  return { total, pending: 0, failed };
}

function summary(partial: Partial<NewmanSummary['run']>): NewmanSummary {
  const zero = stat(0);
  return {
    run: {
      stats: {
        iterations: zero,
        items: zero,
        scripts: zero,
        prerequests: zero,
        requests: stat(2),
        tests: zero,
        assertions: stat(2, 1),
        testScripts: zero,
        prerequestScripts: zero,
      },
      executions: [],
      failures: [],
      ...partial,
    },
  };
}

describe('parseHint', () => {
  it.each([
    [
      'case: expected 401, got 200 Hint: check the user pool',
      { message: 'case: expected 401, got 200', hint: 'check the user pool' },
    ],
    ['case: expected 401, got 200', { message: 'case: expected 401, got 200' }],
    ['case: got 200 Hint:   ', { message: 'case: got 200' }],
  ])('%s', (input, output) => {
    expect(parseHint(input)).toEqual(output);
  });
});

describe('topFolderOf', () => {
  it.each([
    [node('a', scoped), 'CognitoAuth'],
    [node('b', cognito), 'CognitoAuth'],
    [node('c', collection), '(collection)'],
    [undefined, '(collection)'],
  ])('%#', (item, folder) => {
    expect(topFolderOf(item)).toBe(folder);
  });
});

describe('summarizeRun and exitCodeFor', () => {
  const a = node('[GET] /pets - allow', scoped);
  const b = node('[GET] /pets - deny', cognito);
  const c = node('[GET] /pets - deny: expired token', cognito);
  const script: NewmanItem = { id: 'fresh-id', parent: () => undefined }; // a pm.sendRequest item

  it('counts a failed assertion against its case and folder, and skipped items apart', () => {
    const r = summarizeRun(
      summary({
        failures: [
          {
            error: { message: 'deny: expected 401, got 200 Hint: redeploy' },
            at: 'assertion:0 in test-script',
            source: b,
            cursor: { ref: '2' },
          },
        ],
      }),
      {
        cases: [
          { ref: '1', item: a, requested: true },
          { ref: '2', item: b, requested: true },
          { ref: '3', item: c, requested: false },
        ],
        scriptRequests: 1,
      },
    );
    expect(r.passed).toBe(false);
    expect(r.perAuthorizer).toEqual({ CognitoAuth: { passed: 1, failed: 1 } });
    expect(r.stats).toMatchObject({ cases: 2, failedCases: 1, skippedCases: 1, scriptRequests: 1 });
    expect(r.failures).toEqual([
      {
        caseName: '[GET] /pets - deny',
        folder: 'CognitoAuth',
        message: 'deny: expected 401, got 200',
        hint: 'redeploy',
      },
    ]);
    expect(exitCodeFor(r)).toBe(1);
    expect(formatRunSummary(r)).toContain('    Hint: redeploy');
  });

  it('flags an environment failure when every case request failed in transport, token fetches aside', () => {
    const err = { message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' };
    const r = summarizeRun(
      summary({
        failures: [
          { error: err, at: 'request', source: a, cursor: { ref: '1' } },
          { error: err, at: 'request', source: script, cursor: { ref: '2' } },
          { error: err, at: 'request', source: b, cursor: { ref: '2' } },
        ],
      }),
      {
        cases: [
          { ref: '1', item: a, requested: true, requestError: err },
          { ref: '2', item: b, requested: true, requestError: err },
        ],
        scriptRequests: 2,
      },
    );
    expect(r.environmentFailure).toBe(true);
    expect(r.passed).toBe(false);
    expect(exitCodeFor(r)).toBe(3);
    // the token script's failure is named after the case that ran it
    expect(r.errors.map((e) => [e.caseName, e.message.startsWith('pm.sendRequest')])).toEqual([
      ['[GET] /pets - allow', false],
      ['[GET] /pets - deny', true],
      ['[GET] /pets - deny', false],
    ]);
    expect(formatRunSummary(r)).toContain('ECONNREFUSED: 3 request(s)');
  });

  it('is no environment failure when only some requests failed in transport', () => {
    const err = { message: 'socket hang up', code: 'ECONNRESET' };
    const r = summarizeRun(
      summary({ failures: [{ error: err, at: 'request', source: a, cursor: { ref: '1' } }] }),
      {
        cases: [
          { ref: '1', item: a, requested: true, requestError: err },
          { ref: '2', item: b, requested: true },
        ],
        scriptRequests: 0,
      },
    );
    expect(r.environmentFailure).toBe(false);
    expect(exitCodeFor(r)).toBe(1);
  });

  it('never passes a run in which nothing ran', () => {
    const r = summarizeRun(summary({}), {
      cases: [{ ref: '1', item: c, requested: false }],
      scriptRequests: 0,
    });
    expect(r.passed).toBe(false);
    expect(exitCodeFor(r)).toBe(1);
  });

  it('passes when every case passed', () => {
    const r = summarizeRun(summary({}), {
      cases: [{ ref: '1', item: a, requested: true }],
      scriptRequests: 0,
    });
    expect(r.passed).toBe(true);
    expect(exitCodeFor(r)).toBe(0);
    expect(formatRunSummary(r)).toMatch(/^PASSED: 1 of 1 cases passed/);
  });
});
