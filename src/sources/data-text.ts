/**
 * Parses JSON or YAML text with source locations: syntax errors say `line N, column M`, and a `locate` function
 * turns a JSON pointer into the line and column of that node, so errors about the content can name both.
 *
 * Shared by the export reader and the config loader. Pure.
 */

import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InputUnreadableError, InvalidJsonError, InvalidYamlError } from '../errors.js';
import { fromPointer } from '../model/json-pointer.js';

export interface ParsedText {
  /** The parsed value; undefined for an empty or whitespace-only text. */
  data: unknown;
  /** `line N, column M` of the node at a JSON pointer, or of its deepest existing ancestor. */
  locate: (pointer: string) => string | undefined;
  format: 'json' | 'yaml';
}

/**
 * Decodes a file's bytes as UTF-8, refusing what is not UTF-8 rather than replacing it with U+FFFD (a replaced
 * byte in a header name or a regex would silently change what the suite tests).
 *
 * @param bytes - the file content
 * @param file - the file name, for errors
 * @returns the text (a UTF-8 byte order mark is dropped)
 * @throws InputUnreadableError naming the byte offset, its line and column, and the byte
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    const offset = invalidUtf8Offset(bytes);
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    const utf16 =
      offset === 0 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    throw new InputUnreadableError(
      `Not UTF-8 text: byte 0x${byte} at byte offset ${offset} does not start a valid UTF-8 character` +
        `${utf16 ? ' (the file starts with a UTF-16 byte order mark)' : ''}.`,
      {
        file,
        location: `byte offset ${offset} (${lineColumn(line, column)})`,
        fix: 'Save the file as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`, or your editor\'s "save with encoding").',
        cause: err,
      },
    );
  }
}

/**
 * The offset of the first byte sequence that is not well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or the length when every sequence is well-formed.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (overlong, surrogate and too-large forms).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** Formats 1-based coordinates the way every error of the project writes them. */
export function lineColumn(line: number, column: number): string {
  return `line ${line}, column ${column}`;
}

/**
 * Parses JSON (when the first non-space character is `{` or `[`) or YAML.
 *
 * @param text - the file content
 * @param file - the file name, for errors
 * @throws InvalidJsonError or InvalidYamlError with `line N, column M`
 */
export function parseDataText(text: string, file: string): ParsedText {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const first = /\S/.exec(source)?.[0];
  if (first === '{' || first === '[') return parseJsonText(source, file);
  return parseYamlText(source, file);
}

function parseJsonText(text: string, file: string): ParsedText {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Node's messages do not always carry a position (and some embed the whole text), so find it ourselves.
    const problem = findJsonSyntaxError(text) ?? { offset: text.length, message: 'Invalid JSON' };
    const { line, column } = offsetToLineColumn(text, problem.offset);
    throw new InvalidJsonError(`Invalid JSON: ${problem.message}.`, {
      file,
      location: lineColumn(line, column),
      fix: 'Correct the JSON syntax at that position, or export the file again (it may be truncated).',
      cause: err,
    });
  }
  // JSON is YAML 1.2 flow syntax: reparse with `yaml` for node positions, lazily, only when an error needs one.
  let locator: ((pointer: string) => string | undefined) | undefined;
  return {
    data,
    format: 'json',
    locate: (pointer) => {
      locator ??= yamlLocator(text);
      return locator(pointer);
    },
  };
}

function parseYamlText(text: string, file: string): ParsedText {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    // The parser recurses per nesting level: absurd nesting overflows the stack. Input, not a bug of ours.
    throw new InvalidYamlError(
      `Invalid YAML: ${err instanceof RangeError ? 'nesting too deep' : String(err)}.`,
      {
        file,
        location: lineColumn(1, 1),
        fix: 'Check that this is the right file; a YAML document this deeply nested is not an API definition.',
        cause: err,
      },
    );
  }
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new InvalidYamlError(`Invalid YAML: ${firstLine(error.message)}.`, {
      file,
      location: lineColumn(pos.line, pos.col),
      fix: 'Correct the YAML syntax at that position (indentation, quotes, a missing colon).',
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new InvalidYamlError(
      isAliasBomb(err)
        ? `Invalid YAML: its aliases expand past ${MAX_ALIAS_COUNT} nodes (an alias bomb, "billion laughs").`
        : `Invalid YAML: ${err instanceof Error ? firstLine(err.message) : String(err)}.`,
      {
        file,
        location: firstAliasLocation(doc, lineCounter) ?? lineColumn(1, 1),
        fix: 'Write the values out instead of nesting aliases (*name) of aliases; an API definition needs few.',
        cause: err,
      },
    );
  }
  return { data, format: 'yaml', locate: (p) => locateNode(doc, lineCounter, p) };
}

/**
 * How many nodes aliases may expand to (the `yaml` package's guard against exponential expansion). API
 * definitions use a handful of anchors; a billion-laughs document needs millions.
 */
const MAX_ALIAS_COUNT = 100;

function isAliasBomb(err: unknown): boolean {
  return err instanceof ReferenceError && /alias count/i.test(err.message);
}

/** `line N, column M` of the first alias (`*name`), where an alias bomb starts expanding. */
function firstAliasLocation(doc: Document, lineCounter: LineCounter): string | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return lineColumn(pos.line, pos.col);
}

function yamlLocator(text: string): (pointer: string) => string | undefined {
  const lineCounter = new LineCounter();
  // uniqueKeys off: JSON.parse accepted duplicate keys (last one wins), so the locator must not fail on them.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) return () => undefined;
  return (pointer) => locateNode(doc, lineCounter, pointer);
}

function locateNode(doc: Document, lineCounter: LineCounter, pointer: string): string | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = isNode(node) ? node : undefined;
  for (const segment of fromPointer(pointer)) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === segment);
      // A key with a null value (`security:`) has no value node: point at the key.
      next = pair ? (pair.value ?? pair.key) : undefined;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
    }
    if (!isNode(next)) break;
    node = next;
    found = next;
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return lineColumn(pos.line, pos.col);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/[.:]\s*$/, '');
}

/** 1-based line and column of a character offset (a column counts UTF-16 code units, as editors mostly do). */
export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Finds the first JSON syntax error: its offset and a short message. Only used after `JSON.parse` failed.
 *
 * @returns undefined when the scanner finds nothing (it then disagrees with JSON.parse; the caller falls back)
 */
export function findJsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  class Stop {
    constructor(
      readonly offset: number,
      readonly message: string,
    ) {}
  }
  const fail = (message: string, at = i): never => {
    throw new Stop(at, at >= text.length ? 'unexpected end of input (the file may be truncated)' : message);
  };
  const describe = (): string => `unexpected character ${JSON.stringify(text[i])}`;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail(describe());
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const ch = text.charCodeAt(i);
      if (ch === 34) {
        i++;
        return;
      }
      if (ch < 32) fail('control character in string');
      if (ch === 92) {
        const esc = text[i + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape', i + 1);
          i += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) {
          i += 2;
        } else {
          fail('invalid escape', i + 1);
        }
      } else {
        i++;
      }
    }
  };
  const number = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(describe());
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') object();
    else if (ch === '[') array();
    else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else fail(ch === undefined ? '' : `expected a value, found ${JSON.stringify(ch)}`);
  };
  const object = (): void => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail(`expected a double-quoted property name, found ${JSON.stringify(text[i])}`);
      string();
      ws();
      if (text[i] !== ':') fail(`expected ':' after a property name, found ${JSON.stringify(text[i])}`);
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`expected ',' or '}' in an object, found ${JSON.stringify(text[i])}`);
    }
  };
  const array = (): void => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`expected ',' or ']' in an array, found ${JSON.stringify(text[i])}`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the end of the JSON value`);
    return undefined;
  } catch (stop) {
    if (stop instanceof Stop) return { offset: stop.offset, message: stop.message };
    // Absurdly deep nesting overflows the recursion: give up and let the caller fall back.
    if (stop instanceof RangeError) return undefined;
    throw stop;
  }
}
