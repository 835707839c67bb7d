import { describe, expect, it } from 'vitest';
import {
  fullyMatches,
  matchesUnderAnySemantics,
  matchingSample,
  nonMatchingSample,
} from './regex-samples.js';

/** Would an implementation with this semantics accept the value? */
const SEMANTICS = {
  unanchored: (pattern: string, value: string) => new RegExp(pattern, 'u').test(value),
  startAnchored: (pattern: string, value: string) => new RegExp(`^(?:${pattern})`, 'u').test(value),
  fullMatch: (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`, 'u').test(value),
};

describe('matchingSample / nonMatchingSample', () => {
  // [pattern, expected matching sample, expected non-matching sample]
  const table: [string, string | undefined, string | undefined][] = [
    ['^[a-z][a-z0-9-]{3,63}$', 'aaaa', '!'],
    ['\\w{5}', 'aaaaa', '!'],
    ['^Bearer [A-Za-z0-9._-]+$', 'Bearer A', '!'],
    ['^x-[a-z]+', 'x-a', '!'],
    ['a|b|c', 'a', '!'],
    ['^(allow|deny)-[0-9]{2}$', 'allow-00', '!'],
    ['[^a-z]+', 'A', 'a'],
    ['^\\d{4}-\\d{2}$', '0000-00', '!'],
    ['^[A-Z]{2,}$', 'AA', '!'],
    ['^eyJ[\\w-]*\\.[\\w-]*\\.[\\w-]*$', 'eyJ..', '!'],
    ['^\\p{L}+$', 'a', '!'],
    ['(?:ab)?c', 'c', '!'],
    ['^[!#]+$', '!', 'A'],
    ['.*', 'a', undefined],
    ['\\d*', '0', undefined],
    ['(', undefined, undefined],
  ];

  it.each(table)('%s -> %s / %s', (pattern, matching, nonMatching) => {
    expect(matchingSample(pattern)).toBe(matching);
    expect(nonMatchingSample(pattern)).toBe(nonMatching);
  });

  it.each(table.filter(([, matching]) => matching !== undefined))(
    'the matching sample of %s matches under every semantics',
    (pattern) => {
      const sample = matchingSample(pattern) ?? '';
      for (const [name, accepts] of Object.entries(SEMANTICS))
        expect(accepts(pattern, sample), name).toBe(true);
    },
  );

  it.each(table.filter(([, , nonMatching]) => nonMatching !== undefined))(
    'the non-matching sample of %s fails under every semantics',
    (pattern) => {
      const sample = nonMatchingSample(pattern) ?? '';
      for (const [name, accepts] of Object.entries(SEMANTICS))
        expect(accepts(pattern, sample), name).toBe(false);
    },
  );

  it('steps around excluded values and stays a full match', () => {
    const pattern = '^[a-z][a-z0-9-]{3,63}$';
    const first = matchingSample(pattern);
    const second = matchingSample(pattern, [first ?? '']);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(fullyMatches(pattern, second ?? '')).toBe(true);
    // each disjunction branch is tried
    expect(matchingSample('^(allow|deny)$', ['allow'])).toBe('deny');
    expect(matchingSample('^(allow|deny)$', ['allow', 'deny'])).toBeUndefined();
  });

  it('never returns values an HTTP header would mangle', () => {
    // only an empty or space-padded string matches: none is header-safe
    expect(matchingSample('^\\s*$')).toBeUndefined();
    expect(matchingSample('^ +x$')).toBeUndefined();
  });

  it('is deterministic', () => {
    const patterns = table.map(([pattern]) => pattern);
    const once = patterns.map((pattern) => [matchingSample(pattern), nonMatchingSample(pattern)]);
    const again = patterns.map((pattern) => [matchingSample(pattern), nonMatchingSample(pattern)]);
    expect(again).toEqual(once);
  });

  it('a pattern that needs a changed matching sample to fail still gets one', () => {
    // every fixed candidate (`!` included) matches; only a variant of the matching sample fails everywhere
    const pattern = '^[^!]*$|^!$';
    const sample = nonMatchingSample(pattern);
    expect(sample).toBeDefined();
    expect(matchesUnderAnySemantics(pattern, sample ?? '')).toBe(false);
  });
});

describe('fullyMatches / matchesUnderAnySemantics', () => {
  it.each([
    ['^[a-z]+$', 'abc', true, true],
    ['[a-z]+', 'abc!', false, true],
    ['^x-', 'x-abc', false, true],
    ['^x-$', 'y', false, false],
  ] as const)('%s vs %s', (pattern, value, full, any) => {
    expect(fullyMatches(pattern, value)).toBe(full);
    expect(matchesUnderAnySemantics(pattern, value)).toBe(any);
  });

  it('reports an invalid pattern as undefined', () => {
    expect(fullyMatches('(', 'x')).toBeUndefined();
  });
});
