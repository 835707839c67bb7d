/**
 * Cuts the values of unwanted keys out of JSON text, chunk by chunk, replacing each with `null`.
 *
 * A 50 MB export is mostly schemas, descriptions and templates that authorization never reads. `JSON.parse` (even
 * with a reviver, which only runs after the whole tree is built) would hold the text and the full tree at once;
 * streaming the file through this pruner never holds more than a chunk plus what is kept.
 *
 * Skipped values are replaced by `null` followed by the newlines they contained, so line numbers in the pruned
 * text are those of the original. The pruner tracks only strings and nesting and never validates: malformed input
 * gives malformed output, which the caller detects (JSON.parse fails) before reporting the original's error.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
/** Longer strings cannot be one of the keys; they are not collected. */
const MAX_KEY_LENGTH = 64;

function isSpace(code: number): boolean {
  return code === 0x20 || code === NEWLINE || code === 0x0d || code === 0x09;
}

type State =
  | 'scan' // outside any string
  | 'string' // inside a string that may be a key
  | 'afterString' // after a string: a colon makes it a key
  | 'valueStart' // after the colon of a key to drop
  | 'skipString'
  | 'skipNested'
  | 'skipScalar';

export class JsonPruner {
  private state: State = 'scan';
  private readonly out: string[] = [];
  private key = '';
  private keyUsable = true;
  private escaped = false;
  private depth = 0;
  private inString = false;
  private skippedNewlines = 0;
  private dropping = false;

  constructor(private readonly keys: ReadonlySet<string>) {}

  /** Feeds the next chunk of text. */
  push(chunk: string): void {
    const kept: string[] = [];
    let emitFrom = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      const code = chunk.charCodeAt(index);
      switch (this.state) {
        case 'scan':
          if (code === QUOTE) {
            this.state = 'string';
            this.key = '';
            this.keyUsable = true;
            this.escaped = false;
          }
          break;
        case 'string':
          if (this.escaped) {
            this.escaped = false;
          } else if (code === BACKSLASH) {
            this.escaped = true;
            this.keyUsable = false; // escaped keys never match
          } else if (code === QUOTE) {
            this.state = 'afterString';
          } else if (this.keyUsable) {
            if (this.key.length >= MAX_KEY_LENGTH) this.keyUsable = false;
            else this.key += chunk[index];
          }
          break;
        case 'afterString':
          if (isSpace(code)) break;
          if (code === COLON && this.keyUsable && this.keys.has(this.key)) {
            this.state = 'valueStart';
          } else {
            this.state = 'scan';
            if (code === QUOTE) index -= 1; // a string right after a string: let scan see it
          }
          break;
        case 'valueStart':
          if (isSpace(code)) break;
          // Stop copying here: the value is replaced by null.
          kept.push(chunk.slice(emitFrom, index), 'null');
          this.dropping = true;
          this.skippedNewlines = 0;
          if (code === QUOTE) {
            this.state = 'skipString';
            this.escaped = false;
          } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
            this.state = 'skipNested';
            this.depth = 1;
            this.inString = false;
            this.escaped = false;
          } else {
            this.state = 'skipScalar';
          }
          break;
        case 'skipString':
          if (code === NEWLINE) this.skippedNewlines += 1;
          if (this.escaped) this.escaped = false;
          else if (code === BACKSLASH) this.escaped = true;
          else if (code === QUOTE) emitFrom = this.resume(index + 1, kept);
          break;
        case 'skipNested':
          if (code === NEWLINE) this.skippedNewlines += 1;
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (code === BACKSLASH) this.escaped = true;
            else if (code === QUOTE) this.inString = false;
          } else if (code === QUOTE) {
            this.inString = true;
          } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
            this.depth += 1;
          } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
            this.depth -= 1;
            if (this.depth === 0) emitFrom = this.resume(index + 1, kept);
          }
          break;
        case 'skipScalar':
          if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)) {
            emitFrom = this.resume(index, kept);
            index -= 1; // the delimiter is scanned (and copied) normally
          }
          break;
      }
    }
    if (!this.dropping) kept.push(chunk.slice(emitFrom));
    // One flat copy per chunk: slices would keep the whole chunk alive until the end.
    this.out.push(kept.join(''));
  }

  /** Everything kept, once the whole text has been pushed. */
  end(): string {
    if (this.dropping && this.skippedNewlines > 0) this.out.push('\n'.repeat(this.skippedNewlines));
    return this.out.join('');
  }

  /** Ends a skipped value: copying restarts at `from` after the newlines the value held. */
  private resume(from: number, kept: string[]): number {
    if (this.skippedNewlines > 0) kept.push('\n'.repeat(this.skippedNewlines));
    this.dropping = false;
    this.state = 'scan';
    return from;
  }
}

/** The whole text pruned at once (tests, small inputs). */
export function pruneJsonText(text: string, keys: ReadonlySet<string>): string {
  const pruner = new JsonPruner(keys);
  pruner.push(text);
  return pruner.end();
}
