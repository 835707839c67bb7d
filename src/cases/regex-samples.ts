/**
 * Deterministic sample strings for a token-validation regex (`identityValidationExpression`).
 *
 * AWS does not document whether the expression must match the whole token, its start, or anywhere in it
 * (reference, open question 1). So a matching sample must match in full (it then matches under every
 * semantics), and a non-matching sample must fail even an unanchored `test`.
 */

import regjsparser from 'regjsparser';
import type { AstNode as GenericAstNode, CharacterClassBody, RootNode } from 'regjsparser';

/** What `new RegExp` accepts today, so the parser does not reject valid patterns. */
const FEATURES = { unicodePropertyEscape: true, namedGroups: true, lookbehind: true } as const;
type AstNode = GenericAstNode<typeof FEATURES>;

/** Candidate options kept per AST node; enough variety to step around excluded values. */
const OPTIONS_PER_NODE = 6;
/** Upper bound on candidates tried per pattern, so pathological patterns stay cheap. */
const MAX_CANDIDATES = 200;
/** A repetition count beyond this is not worth building (`a{1000}` gives up). */
const MAX_REPEAT = 512;

/** Characters tried for classes, escapes and dots, in order of preference. */
const CHAR_POOL = [
  ...'abcxyz',
  ...'ABCXYZ',
  ...'0123789',
  ...'-_.~!#$%&*+/=?@^|',
  ' ',
  ...'"\'(),:;<>[\\]{}`',
  ...'deghijklmnopqrstuvw',
];

/** Fixed non-matching candidates, tried before variants of a matching sample. */
const NON_MATCHING_CANDIDATES = ['!', '#####', 'A', '0', '~', '-', 'apigw-authz', 'APIGW-AUTHZ', '0000'];

interface Parsed {
  ast: RootNode<typeof FEATURES>;
  flags: string;
}

function parsePattern(pattern: string): Parsed | undefined {
  // Unicode mode first: it reads `\p{L}` as a letter class like Java (API Gateway's side) does; patterns that are
  // only valid without it (`[\w-_]`, identity escapes) fall back to plain `new RegExp(pattern)`.
  for (const flags of ['u', '']) {
    try {
      new RegExp(pattern, flags);
      return { ast: regjsparser.parse(pattern, flags, FEATURES), flags };
    } catch {
      // try the next flag set
    }
  }
  return undefined;
}

/** A header-safe value: printable ASCII, not empty, no leading or trailing space (HTTP stacks trim them). */
function headerSafe(value: string): boolean {
  return value.length > 0 && /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value);
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

function charsMatching(raw: string, flags: string, preferred: string[]): string[] {
  const re = new RegExp(`^(?:${raw})$`, flags);
  return uniq([...preferred, ...CHAR_POOL])
    .filter((ch) => re.test(ch))
    .slice(0, OPTIONS_PER_NODE);
}

function classBodyChars(body: CharacterClassBody[]): string[] {
  const chars: string[] = [];
  for (const item of body) {
    if (item.type === 'value') chars.push(String.fromCodePoint(item.codePoint));
    else if (item.type === 'characterClassRange') {
      const { min, max } = item;
      chars.push(String.fromCodePoint(min.codePoint));
      if (min.codePoint + 1 <= max.codePoint) chars.push(String.fromCodePoint(min.codePoint + 1));
      chars.push(String.fromCodePoint(max.codePoint));
    }
  }
  return chars;
}

/** Interleaves option lists so that every list contributes early (each disjunction branch is tried). */
function interleave(lists: string[][]): string[] {
  const out: string[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let i = 0; i < longest; i += 1) {
    for (const list of lists) {
      const item = list[i];
      if (item !== undefined) out.push(item);
    }
  }
  return uniq(out).slice(0, MAX_CANDIDATES);
}

/** Options for a sequence: variant i takes option i of every part, then single-part variations of variant 0. */
function sequence(parts: string[][]): string[] {
  if (parts.some((options) => options.length === 0)) return [];
  const longest = Math.max(1, ...parts.map((options) => options.length));
  const out: string[] = [];
  for (let i = 0; i < longest; i += 1) {
    out.push(parts.map((options) => options[Math.min(i, options.length - 1)] ?? '').join(''));
  }
  parts.forEach((options, index) => {
    for (const option of options.slice(1)) {
      out.push(parts.map((other, j) => (j === index ? option : (other[0] ?? ''))).join(''));
    }
  });
  return uniq(out).slice(0, MAX_CANDIDATES);
}

function repeat(options: string[], count: number): string[] {
  if (count === 0) return [''];
  const out = options.map((option) => option.repeat(count));
  // a mixed repetition (`abz`) for variety
  out.push(Array.from({ length: count }, (_, i) => options[i % options.length] ?? '').join(''));
  return uniq(out);
}

function optionsOf(node: AstNode, flags: string): string[] {
  switch (node.type) {
    case 'value':
      return [String.fromCodePoint(node.codePoint)];
    case 'dot':
      return charsMatching('.', flags, []);
    case 'characterClass':
      return charsMatching(node.raw, flags, node.negative ? [] : classBodyChars(node.body));
    case 'characterClassEscape':
    case 'unicodePropertyEscape':
      return charsMatching(node.raw, flags, []);
    case 'characterClassRange':
      return classBodyChars([node]);
    case 'anchor':
    case 'reference':
      // zero-width here; the final RegExp check rejects candidates that break them
      return [''];
    case 'group':
      if (node.behavior !== 'normal' && node.behavior !== 'ignore') return [''];
      return sequence(node.body.map((child) => optionsOf(child, flags)));
    case 'alternative':
      return sequence(node.body.map((child) => optionsOf(child, flags)));
    case 'disjunction':
      return interleave(node.body.map((child) => optionsOf(child, flags)));
    case 'quantifier': {
      const body = optionsOf(node.body[0], flags).slice(0, OPTIONS_PER_NODE);
      if (body.length === 0) return node.min === 0 ? [''] : [];
      const max = node.max ?? Number.POSITIVE_INFINITY;
      // the minimum count first, then min+1 (and 2 for `*`) for variety
      const counts: number[] = [];
      for (const count of [node.min, node.min + 1, ...(node.min === 0 ? [2] : [])]) {
        if (count <= max && count <= MAX_REPEAT && !counts.includes(count)) counts.push(count);
      }
      return interleave(counts.map((count) => repeat(body, count)));
    }
  }
}

function candidatesFor(parsed: Parsed): string[] {
  return optionsOf(parsed.ast, parsed.flags).slice(0, MAX_CANDIDATES);
}

/**
 * A deterministic, header-safe string that fully matches `pattern` (and so matches it whatever anchoring API
 * Gateway applies), built by walking the regex AST.
 *
 * @param exclude values the sample must differ from (e.g. the configured valid and deny tokens)
 * @returns undefined when the pattern does not parse or no candidate matches
 */
export function matchingSample(pattern: string, exclude: string[] = []): string | undefined {
  const parsed = parsePattern(pattern);
  if (!parsed) return undefined;
  const plain = new RegExp(pattern, parsed.flags);
  const full = new RegExp(`^(?:${pattern})$`, parsed.flags);
  return candidatesFor(parsed).find(
    (candidate) =>
      headerSafe(candidate) && !exclude.includes(candidate) && full.test(candidate) && plain.test(candidate),
  );
}

/**
 * Whether `value` matches `pattern` under each semantics an implementation may use: unanchored `test`,
 * anchored at the start (`re.match`), and a full match.
 */
export function matchesUnderAnySemantics(pattern: string, value: string, flags = ''): boolean {
  return (
    new RegExp(pattern, flags).test(value) ||
    new RegExp(`^(?:${pattern})`, flags).test(value) ||
    new RegExp(`^(?:${pattern})$`, flags).test(value)
  );
}

/**
 * Whether `value` fully matches `pattern` (and so passes validation under every semantics).
 * @returns undefined when the pattern is not a valid JavaScript regex
 */
export function fullyMatches(pattern: string, value: string): boolean | undefined {
  const parsed = parsePattern(pattern);
  if (!parsed) return undefined;
  return new RegExp(`^(?:${pattern})$`, parsed.flags).test(value);
}

/**
 * A deterministic, header-safe string that fails `pattern` under every semantics (unanchored, start-anchored,
 * full match), so API Gateway must reject it before calling the authorizer whatever anchoring it applies.
 *
 * @returns undefined when the pattern does not parse or matches everything tried (e.g. `.*`)
 */
export function nonMatchingSample(pattern: string): string | undefined {
  const parsed = parsePattern(pattern);
  if (!parsed) return undefined;
  const sample = matchingSample(pattern);
  const variants: string[] = [];
  if (sample !== undefined) {
    // the matching sample with one character changed, so the value still looks like a token
    for (const replacement of ['!', '#', '~']) {
      variants.push(replacement + sample.slice(1), sample.slice(0, -1) + replacement);
      variants.push(sample + replacement, replacement + sample);
    }
    variants.push(sample.toUpperCase(), sample.toLowerCase());
  }
  return uniq([...NON_MATCHING_CANDIDATES, ...variants]).find(
    (candidate) => headerSafe(candidate) && !matchesUnderAnySemantics(pattern, candidate, parsed.flags),
  );
}
