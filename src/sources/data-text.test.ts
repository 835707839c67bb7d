import { describe, expect, it } from 'vitest';
import { InvalidJsonError, InvalidYamlError, type ApigwAuthzError } from '../errors.js';
import { findJsonSyntaxError, offsetToLineColumn, parseDataText } from './data-text.js';

const thrown = (fn: () => unknown): ApigwAuthzError => {
  try {
    fn();
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
};

describe('findJsonSyntaxError', () => {
  it.each<[string, number, RegExp]>([
    ['{"a":', 5, /unexpected end of input/],
    ['{"a" 1}', 5, /expected ':'/],
    ['{"a":1,}', 7, /double-quoted property name/],
    ['{\n  "a": tru\n}', 12, /unexpected character "\\n"/],
    ['{"a":1}x', 7, /after the end/],
    ['{"a":"b', 7, /unexpected end of input/],
    ['[1 2]', 3, /expected ',' or ']'/],
    ['{"a":"\\x"}', 7, /invalid escape/],
    ["{'a':1}", 1, /double-quoted property name/],
  ])('%j -> offset %d', (text, offset, message) => {
    expect(() => JSON.parse(text)).toThrow();
    const found = findJsonSyntaxError(text);
    expect(found?.offset).toBe(offset);
    expect(found?.message).toMatch(message);
  });

  it.each(['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', ' 1 '])(
    'accepts valid JSON %j',
    (text) => {
      expect(findJsonSyntaxError(text)).toBeUndefined();
    },
  );
});

describe('offsetToLineColumn', () => {
  it.each<[string, number, number, number]>([
    ['abc', 0, 1, 1],
    ['abc', 3, 1, 4],
    ['a\nbc', 2, 2, 1],
    ['a\nbc', 3, 2, 2],
    ['a\n\n', 3, 3, 1],
  ])('%j at %d -> line %d, column %d', (text, offset, line, column) => {
    expect(offsetToLineColumn(text, offset)).toEqual({ line, column });
  });
});

describe('parseDataText', () => {
  it('reports JSON errors with line and column, on one line, without echoing the text', () => {
    const err = thrown(() => parseDataText('{\n  "a": 1,\n  "b": tru\n}', 'x.json'));
    expect(err).toBeInstanceOf(InvalidJsonError);
    expect(err.location).toBe('line 3, column 11');
    expect(err.toLine()).not.toContain('\n');
  });

  it('reports YAML errors with line and column', () => {
    const err = thrown(() => parseDataText('a: 1\nb: [1, 2\n', 'x.yaml'));
    expect(err).toBeInstanceOf(InvalidYamlError);
    expect(err.file).toBe('x.yaml');
    expect(err.location).toMatch(/^line \d+, column \d+$/);
    expect(err.toLine()).not.toContain('\n');
  });

  it('rejects duplicate keys in YAML', () => {
    expect(() => parseDataText('a: 1\na: 2\n', 'x.yaml')).toThrow(InvalidYamlError);
  });

  it('strips a byte-order mark and detects JSON by its first character', () => {
    expect(parseDataText('\uFEFF  {"a": 1}', 'x.json')).toMatchObject({ data: { a: 1 }, format: 'json' });
    expect(parseDataText('a: 1', 'x.yaml')).toMatchObject({ data: { a: 1 }, format: 'yaml' });
  });

  const yamlText = [
    'paths:', //                   line 1
    '  /pets/{id}:', //            line 2
    '    get:', //                 line 3
    '      security:', //          line 4
    '        - Auth: []', //       line 5
    '      responses:', //         line 6
    '        200:', //             line 7
    '          description: ok', //line 8
    'empty:', //                   line 9
  ].join('\n');

  it.each<[string, string | undefined]>([
    ['#/paths/~1pets~1{id}/get', 'line 4, column 7'],
    ['#/paths/~1pets~1{id}/get/security/0/Auth', 'line 5, column 17'],
    ['#/paths/~1pets~1{id}/get/responses/200/description', 'line 8, column 24'],
    // a key without a value: its (null) value sits just after the colon
    ['#/empty', 'line 9, column 7'],
    // a missing node points at its deepest existing ancestor
    ['#/paths/~1pets~1{id}/get/security/3', 'line 5, column 9'],
    ['#', 'line 1, column 1'],
  ])('locates %s in YAML', (pointer, want) => {
    expect(parseDataText(yamlText, 'x.yaml').locate(pointer)).toBe(want);
  });

  it('locates pointers in JSON, also with duplicate keys JSON.parse accepts', () => {
    const parsed = parseDataText('{\n  "a": {"b": [10, 20]},\n  "a": {"b": [30, 40]}\n}', 'x.json');
    expect(parsed.data).toEqual({ a: { b: [30, 40] } });
    expect(parsed.locate('#/a/b/1')).toBe('line 2, column 19');
  });
});
