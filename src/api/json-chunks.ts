/**
 * The generated files' JSON layout (`serializeJson`: `JSON.stringify(value, null, 2)` and a final newline) in
 * pieces, so that a large collection is written without ever holding its whole text (and the UTF-8 copy of it
 * that a single write makes) in memory.
 */

/** Containers this deep or deeper are serialized whole: in a collection, a request item and below. */
const SPLIT_DEPTH = 4;

/** Pieces are gathered up to about this many characters before they are handed out. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Yields `JSON.stringify(value, null, 2) + "\n"` in pieces of about 256 KB. The value must be plain JSON data
 * (objects, arrays, strings, finite numbers, booleans, null; object properties that are undefined are left out, as
 * JSON.stringify leaves them out): what the renderer returns.
 */
export function* jsonChunks(value: unknown): Generator<string, void, undefined> {
  let pending = '';
  for (const piece of pieces(value, '', 0)) {
    pending += piece;
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  yield `${pending}\n`;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return (
    typeof value === 'object' && value !== null && !('toJSON' in value && typeof value.toJSON === 'function')
  );
}

/** The text of `value` at `indent`, as pieces; `undefined` values never reach here. */
function* pieces(value: unknown, indent: string, depth: number): Generator<string, void, undefined> {
  if (!isContainer(value) || depth >= SPLIT_DEPTH) {
    const text = JSON.stringify(value, null, 2);
    // A string never holds a raw newline (JSON escapes it), so every newline starts a line to indent.
    yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    if (depth + 1 >= SPLIT_DEPTH) {
      yield* wholeElements(value, indent);
      return;
    }
    yield '[';
    for (let index = 0; index < value.length; index += 1) {
      yield index === 0 ? `\n${inner}` : `,\n${inner}`;
      const element = value[index];
      // JSON.stringify writes null for an array element it cannot represent.
      if (element === undefined || typeof element === 'function' || typeof element === 'symbol') yield 'null';
      else yield* pieces(element, inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const property = value[key];
    if (property === undefined || typeof property === 'function' || typeof property === 'symbol') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* pieces(property, inner, depth + 1);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** Elements of an array whose elements are serialized whole, stringified this many at a time. */
const BATCH = 64;

/**
 * An array (at `indent`) whose elements are serialized whole, a batch of elements per JSON.stringify call:
 * the batch is nested in as many arrays as `indent` has levels, so JSON.stringify indents its elements exactly
 * as they stand in the file, and the text between the batch's brackets is cut out. No per-element call, no
 * re-indenting pass over the text.
 */
function* wholeElements(value: unknown[], indent: string): Generator<string, void, undefined> {
  const levels = indent.length / 2;
  // The wrappers' opening lines (`[` at 0, 2, ... 2(levels-1) spaces) and the batch's own `[` line; the closing
  // side mirrors them: `\n${indent}]`, then one `\n<spaces>]` per wrapper.
  const cut = levels * (levels + 1) + indent.length + 2;
  yield '[';
  for (let start = 0; start < value.length; start += BATCH) {
    let wrapped: unknown = value.slice(start, start + BATCH);
    for (let level = 0; level < levels; level += 1) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, 2);
    yield `${start === 0 ? '\n' : ',\n'}${text.slice(cut, text.length - cut)}`;
  }
  yield `\n${indent}]`;
}
