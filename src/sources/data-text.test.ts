import { describe, expect, it } from 'vitest';
import { InputUnreadableError, InvalidJsonError, InvalidYamlError, type ApigwAuthzError } from '../errors.js';
import {
  decodeUtf8,
  findJsonSyntaxError,
  invalidUtf8Offset,
  offsetToLineColumn,
  parseDataText,
} from './data-text.js';

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

/** A "billion laughs" document: each level names the previous one nine times (9^9 nodes once expanded). */
function aliasBomb(levels = 9): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

describe('parseDataText: every parser failure is input', () => {
  it('refuses an alias bomb quickly, naming the first alias', () => {
    const started = Date.now();
    const err = thrown(() => parseDataText(aliasBomb(), 'bomb.yaml'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toBeInstanceOf(InvalidYamlError);
    expect(err.message).toMatch(/aliases expand past 100 nodes \(an alias bomb/);
    expect(err.location).toBe('line 2, column 10');
    expect(err.toLine()).not.toContain('\n');
  });

  it('still reads the few aliases a real file uses', () => {
    const text = 'base: &base { type: mock }\na: *base\nb: *base\n';
    expect(parseDataText(text, 'x.yaml').data).toEqual({
      base: { type: 'mock' },
      a: { type: 'mock' },
      b: { type: 'mock' },
    });
  });

  it('refuses absurdly deep nesting as input (YAML and JSON), never as a crash', () => {
    const depth = 200_000;
    const yamlErr = thrown(() => parseDataText(`a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`, 'deep.yaml'));
    expect(yamlErr).toBeInstanceOf(InvalidYamlError);
    const json = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    let jsonResult: unknown;
    try {
      jsonResult = parseDataText(json, 'deep.json').data;
    } catch (err) {
      jsonResult = err;
    }
    // V8 parses it or refuses it; either way no RangeError escapes as an internal error.
    expect(jsonResult instanceof InvalidJsonError || Array.isArray(jsonResult)).toBe(true);
  });
});

describe('decodeUtf8', () => {
  const bytes = (...parts: Array<string | number[]>): Uint8Array =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

  it('decodes UTF-8, multi-byte characters included, and drops a byte order mark', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'title: Café ✓ 𝄞'), 'x.yaml')).toBe('title: Café ✓ 𝄞');
  });

  it('refuses a Latin-1 byte with its offset, line and column, never replacing it', () => {
    const err = thrown(() =>
      decodeUtf8(bytes('openapi: 3.0.1\ninfo:\n  title: Caf', [0xe9], '\n'), 'latin1.yaml'),
    );
    expect(err).toBeInstanceOf(InputUnreadableError);
    expect(err.file).toBe('latin1.yaml');
    expect(err.location).toBe('byte offset 33 (line 3, column 13)');
    expect(err.message).toBe(
      'Not UTF-8 text: byte 0xE9 at byte offset 33 does not start a valid UTF-8 character.',
    );
    expect(err.fix).toMatch(/Save the file as UTF-8/);
  });

  it('names a UTF-16 file as such', () => {
    const err = thrown(() => decodeUtf8(Buffer.from('\uFEFFopenapi: 3.0.1', 'utf16le'), 'utf16.yaml'));
    expect(err.location).toBe('byte offset 0 (line 1, column 1)');
    expect(err.message).toMatch(/UTF-16 byte order mark/);
  });

  it.each<[string, number[], number]>([
    ['ASCII', [0x61, 0x62], 2],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong slash', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a truncated sequence at the end', [0x61, 0x62, 0xe2, 0x82], 2],
    ['a valid four-byte character', [0xf0, 0x9d, 0x84, 0x9e], 4],
  ])('invalidUtf8Offset: %s', (_, input, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(input))).toBe(offset);
    const valid = (() => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(input));
        return true;
      } catch {
        return false;
      }
    })();
    // The scanner agrees with the platform's strict decoder on where the text is valid.
    expect(valid).toBe(offset === input.length);
  });
});
