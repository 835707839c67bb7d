/**
 * Which part of a token fails a validation regex, told without echoing the token: the position, the kind of
 * character found there, and the piece of the pattern it fails (`character 1 (an upper-case letter) does not match
 * [a-z]`). Pure. Handles the shapes token patterns take (anchored sequences of single-character terms with
 * quantifiers); for anything else it says only that the whole token does not match.
 */

import regjsparser from 'regjsparser';
import type { RootNode } from 'regjsparser';

/** `a space`, `an upper-case letter`, `a digit`, `"."`: a category, never a letter or digit of the token. */
export function characterKind(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (/[A-Z]/.test(ch)) return 'an upper-case letter';
  if (/[a-z]/.test(ch)) return 'a lower-case letter';
  if (/[0-9]/.test(ch)) return 'a digit';
  if (/[\x21-\x7e]/.test(ch)) return `"${ch}"`;
  return 'a non-ASCII character';
}

const SINGLE = new Set(['value', 'characterClass', 'characterClassEscape', 'dot']);

/**
 * Why `token` does not match `pattern`, as one sentence; undefined when it matches or the pattern does not compile.
 *
 * @param pattern - the identityValidationExpression
 * @param token - the header value API Gateway tests (never quoted in the answer)
 */
export function regexMismatch(pattern: string, token: string): string | undefined {
  let regex: RegExp;
  let ast: RootNode;
  try {
    regex = new RegExp(pattern);
    ast = regjsparser.parse(pattern, '');
  } catch {
    return undefined;
  }
  if (regex.test(token)) return undefined;
  const whole = `the token (${token.length} characters) does not match ${pattern}`;
  const terms: RootNode[] = ast.type === 'alternative' ? ast.body : [ast];
  const first = terms[0];
  if (first?.type !== 'anchor' || first.kind !== 'start') return whole;
  let pos = 0;
  let open: string | undefined;
  for (const term of terms.slice(1)) {
    if (term.type === 'anchor') {
      if (term.kind === 'end' && pos < token.length && open !== undefined) {
        return `character ${pos + 1} (${characterKind(token[pos] as string)}) does not match ${open} in ${pattern}`;
      }
      if (term.kind === 'end' && pos < token.length) {
        const extra = token.length - pos;
        return `${extra} character${extra === 1 ? '' : 's'} too many: the pattern ${pattern} ends after character ${pos}, the token has ${token.length}`;
      }
      continue;
    }
    const atom = term.type === 'quantifier' ? term.body[0] : term;
    if (atom === undefined || !SINGLE.has(atom.type)) return whole;
    const min = term.type === 'quantifier' ? term.min : 1;
    const max = term.type === 'quantifier' ? (term.max ?? Infinity) : 1;
    let one: RegExp;
    try {
      one = new RegExp(`^(?:${atom.raw})$`);
    } catch {
      return whole;
    }
    let count = 0;
    while (count < max && pos < token.length && one.test(token[pos] as string)) {
      pos++;
      count++;
    }
    if (count < min) {
      if (pos >= token.length) {
        return `the token ends after ${token.length} characters, but ${term.raw} needs ${min - count} more`;
      }
      return `character ${pos + 1} (${characterKind(token[pos] as string)}) does not match ${term.raw} in ${pattern}`;
    }
    // A term that stopped before its maximum stopped at a character it does not take.
    open = count < max ? term.raw : undefined;
  }
  return whole;
}
