import { describe, expect, it } from 'vitest';
import type { ItemRun } from './collect.js';
import { balanceUnits, indexCollection, shardUnits } from './collection-index.js';
import { buildRunResult, firstHint } from './records.js';
import { createRedactor } from './redact.js';
import { exitCodeFor, formatRunSummary, parseHint } from './result.js';
import { mergeRunResults, parseRunResult, serializeRunResult } from './result-file.js';

function descriptor(data: Record<string, unknown>): string {
  return `The case.\n\n\`\`\`apigw-authz-case\n${JSON.stringify(data)}\n\`\`\`\n`;
}

function item(id: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    request: {
      method: 'GET',
      url: '{{baseUrl}}/pets',
      description: descriptor({
        name,
        key: `key:${id}`,
        authorizer: 'CognitoAuth',
        route: 'GET /pets',
        category: name.includes('allow') ? 'positive' : 'missing',
        expect: {
          outcome: name.includes('allow') ? 'authorized' : 'rejected',
          statuses: [401],
          messages: ['Unauthorized'],
        },
        ...extra,
      }),
    },
  };
}

// A legacy item: the case data in an item-level pre-request script.
const legacy = {
  id: 'l1',
  name: '[GET] /orders - deny: expired token (TokenAuth)',
  event: [
    {
      listen: 'prerequest',
      script: {
        exec: [
          `pm.variables.set('_case', '${JSON.stringify({ name: '[GET] /orders - deny: expired token (TokenAuth)', key: 'GET /orders#expired', authorizer: 'TokenAuth', expect: { outcome: 'rejected', statuses: [401], messages: ['The incoming token has expired'] } }).replace(/'/g, "\\'")}');`,
          "if (!pm.variables.get('TokenAuth.expiredToken')) { pm.execution.skipRequest(); return; } // optional input not given",
        ],
      },
    },
  ],
  request: { method: 'GET', url: '{{baseUrl}}/orders' },
};

const collection = {
  info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      id: 'cognito',
      name: 'CognitoAuth',
      item: [
        {
          id: 'scope-a',
          name: 'ID token',
          item: [item('a1', '[GET] /pets - allow: valid'), item('a2', '[GET] /pets - deny: missing')],
        },
        { id: 'scope-b', name: 'Access token', item: [item('b1', '[GET] /pets - allow: valid b')] },
      ],
    },
    {
      id: 'token',
      name: 'TokenAuth',
      item: [legacy, item('t2', '[GET] /orders - allow: x'), item('t3', '[GET] /orders - deny: y')],
    },
  ],
};

function run(id: string, partial: Partial<ItemRun> = {}): ItemRun {
  return {
    id,
    name: id,
    requested: true,
    status: 200,
    failures: [],
    assertions: 1,
    failedAssertions: 0,
    scriptErrors: 0,
    ...partial,
  };
}

describe('indexCollection', () => {
  it('numbers requests in run order, reads both descriptor renderings, and makes scope sets their own units', () => {
    const index = indexCollection(collection);
    expect(index.items.map((i) => [i.id, i.order, i.folder, i.unit])).toEqual([
      ['a1', 0, 'CognitoAuth', 'scope-a'],
      ['a2', 1, 'CognitoAuth', 'scope-a'],
      ['b1', 2, 'CognitoAuth', 'scope-b'],
      ['l1', 3, 'TokenAuth', 'token'],
      ['t2', 4, 'TokenAuth', 'token'],
      ['t3', 5, 'TokenAuth', 'token'],
    ]);
    expect(index.units.map((u) => [u.id, u.cases])).toEqual([
      ['scope-a', 2],
      ['scope-b', 1],
      ['token', 3],
    ]);
    expect(index.byId.get('l1')?.data).toMatchObject({
      key: 'GET /orders#expired',
      route: 'GET /orders',
      category: 'expired',
      skipUnlessVariable: 'TokenAuth.expiredToken',
    });
    expect(index.byId.get('a2')?.data).toMatchObject({ key: 'key:a2', category: 'missing' });
    expect(index.folderNames).toEqual(['CognitoAuth', 'ID token', 'Access token', 'TokenAuth']);
  });

  it('balances units by case count and shards deterministically, each unit exactly once', () => {
    const { units } = indexCollection(collection);
    expect(balanceUnits(units, 2).map((g) => g.map((u) => u.id))).toEqual([
      ['token'],
      ['scope-a', 'scope-b'],
    ]);
    expect(balanceUnits(units, 8)).toHaveLength(3);
    const shards = [1, 2, 3].map((i) => shardUnits(units, i, 3).map((u) => u.id));
    expect(shards.flat().sort()).toEqual(['scope-a', 'scope-b', 'token']);
    expect(shards).toEqual([1, 2, 3].map((i) => shardUnits([...units].reverse(), i, 3).map((u) => u.id)));
  });
});

describe('buildRunResult', () => {
  const index = indexCollection(collection);
  const secret = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';

  it('turns item runs into case records in collection order with outcome, actual and first hint', () => {
    const r = buildRunResult(
      index,
      [
        run('t3', {
          status: 200,
          failures: [`[y] expected status 401; got 200 ${secret}. Hint: the regex (Also check: x Hint: z)`],
          failedAssertions: 1,
        }),
        run('a1', { status: 200, message: 'ok' }),
        run('l1', { requested: false, status: undefined, assertions: 0 }),
        run('a2', { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' }),
        run('b1', {
          status: undefined,
          failures: ['[b] blocked by CognitoAuth token fetch: 400 NotAuthorizedException'],
          failedAssertions: 1,
        }),
        run('t2', {
          status: undefined,
          requestError: { code: 'ECONNRESET', message: 'socket hang up' },
          failures: ['request failed: socket hang up'],
        }),
      ],
      { scriptRequests: 2 },
      createRedactor([]),
    );
    expect(r.cases.map((c) => [c.name, c.outcome, c.order])).toEqual([
      ['[GET] /pets - allow: valid', 'passed', 0],
      ['[GET] /pets - deny: missing', 'passed', 1],
      ['[GET] /pets - allow: valid b', 'blocked', 2],
      ['[GET] /orders - deny: expired token (TokenAuth)', 'skipped', 3],
      ['[GET] /orders - allow: x', 'failed', 4],
      ['[GET] /orders - deny: y', 'failed', 5],
    ]);
    expect(r.cases[1]?.actual).toEqual({
      status: 401,
      message: 'Unauthorized',
      errorType: 'UnauthorizedException',
    });
    expect(r.cases[2]?.blockedBy).toBe('CognitoAuth token fetch');
    expect(r.cases[3]?.skippedReason).toBe('needs TokenAuth.expiredToken');
    expect(r.cases[5]?.hint).toBe('the regex (Also check: x Hint: z)');
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(r.stats).toMatchObject({
      requests: 5,
      cases: 5,
      failedCases: 2,
      blockedCases: 1,
      skippedCases: 1,
      failedRequests: 1,
      scriptRequests: 2,
    });
    expect(r.perAuthorizer).toEqual({
      CognitoAuth: { passed: 2, failed: 1 },
      TokenAuth: { passed: 0, failed: 2 },
    });
    expect(r.passed).toBe(false);
    expect(exitCodeFor(r)).toBe(1);
    const text = formatRunSummary(r);
    expect(text).toMatch(/^FAILED: 2 of 5 cases passed \(1 blocked, 1 skipped\)/);
    expect(text).toContain(
      '[TokenAuth] [GET] /orders - deny: expired token (TokenAuth): needs TokenAuth.expiredToken',
    );
    expect(text).toContain('[CognitoAuth] [GET] /pets - allow: valid b (blocked)');
  });

  it('passes only when something ran and nothing failed; every request refused is an environment failure', () => {
    const ok = buildRunResult(index, [run('a1')], { scriptRequests: 0 });
    expect([ok.passed, exitCodeFor(ok)]).toEqual([true, 0]);
    expect(formatRunSummary(ok)).toMatch(/^PASSED: 1 of 1 cases passed/);
    const none = buildRunResult(index, [run('l1', { requested: false })], { scriptRequests: 0 });
    expect([none.passed, exitCodeFor(none)]).toEqual([false, 1]);
    const refused = buildRunResult(
      index,
      ['a1', 'a2'].map((id) =>
        run(id, {
          status: undefined,
          requestError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
          failures: ['request failed: connect ECONNREFUSED'],
        }),
      ),
      { scriptRequests: 0 },
    );
    expect([refused.environmentFailure, exitCodeFor(refused)]).toEqual([true, 3]);
  });

  it('merges shard files into the unsharded result, and refuses a shard given twice', () => {
    const runs = ['a1', 'a2', 'b1', 'l1', 't2', 't3'].map((id) =>
      run(id, id === 't3' ? { failures: ['[x] bad. Hint: h'], failedAssertions: 1 } : {}),
    );
    const whole = buildRunResult(index, runs, { scriptRequests: 0 });
    const part = (ids: string[]) =>
      parseRunResult(
        serializeRunResult(
          buildRunResult(
            index,
            runs.filter((r) => ids.includes(r.id)),
            { scriptRequests: 0 },
          ),
        ),
        'x.json',
      );
    const merged = mergeRunResults([
      { file: 'b.json', result: part(['l1', 't2', 't3']) },
      { file: 'a.json', result: part(['a1', 'a2', 'b1']) },
    ]);
    expect(serializeRunResult(merged)).toBe(serializeRunResult(whole));
    expect(() =>
      mergeRunResults([
        { file: 'a.json', result: part(['a1']) },
        { file: 'b.json', result: part(['a1']) },
      ]),
    ).toThrow(/also in a\.json/);
    const error = (() => {
      try {
        parseRunResult('{"format":"newman"}', 'n.json');
      } catch (err) {
        return err as { toLine(): string };
      }
      return undefined;
    })();
    expect(error?.toLine()).toMatch(/^n\.json: #\/format: not an apigw-authz run result/);
  });
});

describe('hints', () => {
  it('parseHint splits the hint off; firstHint takes the text after the first Hint:', () => {
    expect(parseHint('case: expected 401, got 200 Hint: check the user pool')).toEqual({
      message: 'case: expected 401, got 200',
      hint: 'check the user pool',
    });
    expect(parseHint('case: got 200 Hint:   ')).toEqual({ message: 'case: got 200' });
    expect(firstHint('a Hint: b Hint: c')).toBe('b Hint: c');
    expect(firstHint('no hint')).toBeUndefined();
  });
});
