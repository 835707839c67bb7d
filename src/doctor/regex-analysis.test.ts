import { describe, expect, it } from 'vitest';
import { analyzeRegex } from './regex-analysis.js';

describe('analyzeRegex', () => {
  it.each([
    // pattern, compiles, escapedSpace, anchored, backtracking fragment
    ['^[a-z][a-z0-9-]{3,63}$', true, false, true, undefined],
    ['[', false, false, false, undefined],
    ['\\ w{5}', true, true, false, undefined],
    ['^\\\\ $', true, false, true, undefined],
    ['^x-[a-z]+', true, false, false, undefined],
    ['^a$|^b$', true, false, true, undefined],
    ['^a|b$', true, false, false, undefined],
    ['(a+)+', true, false, false, '(a+)+'],
    ['^(\\w*)*$', true, false, true, '(\\w*)*'],
    ['^(a+b?)+$', true, false, true, '(a+b?)+'],
    ['^(\\w|\\d)+$', true, false, true, '(\\w|\\d)+'],
    ['^(x+x+)+y$', true, false, true, '(x+x+)+'],
    ['^(a|b)+$', true, false, true, undefined],
    ['^[a-z]+(?:\\.[a-z]+)*$', true, false, true, undefined],
    ['^Bearer [-0-9a-zA-Z._]*$', true, false, true, undefined],
  ])('%s', (pattern, compiles, escapedSpace, anchored, backtracking) => {
    const analysis = analyzeRegex(pattern);
    expect(analysis.compileError === undefined).toBe(compiles);
    expect(analysis.escapedSpace).toBe(escapedSpace);
    expect(analysis.anchored).toBe(anchored);
    expect(analysis.backtracking).toBe(backtracking);
  });
});
