import { describe, expect, it } from 'vitest';
import { JsonPruner, pruneJsonText } from './json-prune.js';

const KEYS = new Set(['description', 'schemas', 'content']);

/** What pruning must equal: the parsed document with every matching key's value set to null. */
function nulled(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nulled);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, KEYS.has(key) ? null : nulled(child)]),
    );
  }
  return value;
}

const documents: [name: string, document: unknown][] = [
  ['flat strings', { description: 'long text', title: 'kept' }],
  [
    'nested objects and arrays',
    { components: { schemas: { Pet: { type: 'object', items: [1, { a: '}' }] } } } },
  ],
  [
    'strings with quotes, escapes and braces',
    { description: 'a "quoted" \\ { [ } ] value', x: 'description' },
  ],
  ['a key name used as a value', { note: 'description', list: ['schemas', { content: 'c' }] }],
  ['numbers, booleans and null values', { description: 12.5e3, content: true, schemas: null, n: -1 }],
  [
    'deep paths',
    { paths: { '/pets': { get: { description: 'd', responses: { 200: { content: { a: [] } } } } } } },
  ],
  ['nothing to drop', { openapi: '3.0.1', info: { title: 't' } }],
  ['unicode', { description: 'h\u00e9 \u2028 \ud83d\ude00', title: '\u00e9t\u00e9' }],
];

describe('pruneJsonText', () => {
  it.each(documents)('%s: compact JSON', (_name, document) => {
    const pruned = pruneJsonText(JSON.stringify(document), KEYS);
    expect(JSON.parse(pruned)).toEqual(nulled(document));
  });

  it.each(documents)('%s: indented JSON', (_name, document) => {
    const pruned = pruneJsonText(JSON.stringify(document, null, '\t'), KEYS);
    expect(JSON.parse(pruned)).toEqual(nulled(document));
  });

  it.each(documents)('%s: the same result whatever the chunk boundaries', (_name, document) => {
    const text = JSON.stringify(document, null, 2);
    const whole = pruneJsonText(text, KEYS);
    for (let cut = 0; cut <= text.length; cut += 1) {
      for (const step of [1, 7]) {
        const pruner = new JsonPruner(KEYS);
        pruner.push(text.slice(0, cut));
        for (let at = cut; at < text.length; at += step) pruner.push(text.slice(at, at + step));
        expect(pruner.end()).toBe(whole);
      }
    }
  });

  it('keeps line numbers: a dropped value leaves its newlines behind', () => {
    const text = JSON.stringify({ a: 1, schemas: { Pet: { type: 'object' } }, b: { c: 'x' } }, null, 2);
    const pruned = pruneJsonText(text, KEYS);
    expect(pruned.split('\n')).toHaveLength(text.split('\n').length);
    const line = (source: string) => source.split('\n').findIndex((l) => l.includes('"c"'));
    expect(line(pruned)).toBe(line(text));
  });

  it('shrinks the text by the size of the dropped values', () => {
    const text = JSON.stringify({ description: 'x'.repeat(10_000), title: 't' });
    expect(pruneJsonText(text, KEYS)).toBe('{"description":null,"title":"t"}');
  });

  it('returns the same text when nothing matches', () => {
    const text = JSON.stringify({ a: 1 });
    expect(pruneJsonText(text, KEYS)).toBe(text);
  });

  it('never throws on malformed input (the caller reparses the original for the error)', () => {
    for (const text of [
      '{"description": "unterminated',
      '{"description": {"a": [',
      '{"a"',
      '"',
      '{"description":',
    ]) {
      expect(() => pruneJsonText(text, KEYS)).not.toThrow();
    }
  });
});
