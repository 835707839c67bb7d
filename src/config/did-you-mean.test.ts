import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['dept', 'depth', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j vs %j -> %d', (a, b, want) => {
    expect(editDistance(a, b)).toBe(want);
  });
});

describe('closest', () => {
  const keys = ['baseUrl', 'publicRoutes', 'depth', 'pathParameters'];
  it.each<[string, string | undefined]>([
    ['dept', 'depth'],
    ['BASEURL', 'baseUrl'],
    ['publicRoute', 'publicRoutes'],
    ['pathParams', undefined],
    ['zzzzzz', undefined],
    ['x', undefined],
  ])('%j -> %j', (input, want) => {
    expect(closest(input, keys)).toBe(want);
  });
});
