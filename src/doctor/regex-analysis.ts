/**
 * Static checks of an `identityValidationExpression`. Pure.
 *
 * AWS does not say whether the expression must match the whole token (reference, open question 1), and it runs
 * on every request before the authorizer: a pattern that does not compile, contains a typo'd escape or
 * backtracks catastrophically turns into 401s or latency for every caller.
 */

import regjsparser from 'regjsparser';
import type { RootNode } from 'regjsparser';

export interface RegexAnalysis {
  /** The JavaScript RegExp error, when the pattern does not compile. */
  compileError?: string;
  /** `\ ` somewhere in the pattern: `\ w{5}` where `\w{5}` was meant (an example in the AWS 401 guide). */
  escapedSpace: boolean;
  /** Every top-level alternative starts with `^` and ends with `$`. */
  anchored: boolean;
  /** The source of a quantified sub-pattern that can backtrack exponentially, e.g. `(a+)+`. */
  backtracking?: string;
}

/**
 * Analyses a validation regex.
 *
 * @param pattern - the expression as API Gateway stores it
 */
export function analyzeRegex(pattern: string): RegexAnalysis {
  const escapedSpace = hasEscapedSpace(pattern);
  let ast: RootNode;
  try {
    new RegExp(pattern);
    ast = regjsparser.parse(pattern, '');
  } catch (error) {
    return {
      compileError: error instanceof Error ? error.message : String(error),
      escapedSpace,
      anchored: false,
    };
  }
  const backtracking = findBacktracking(ast);
  return { escapedSpace, anchored: isAnchored(ast), ...(backtracking ? { backtracking } : {}) };
}

function hasEscapedSpace(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] !== '\\') continue;
    if (pattern[i + 1] === ' ') return true;
    i += 1; // skip the escaped character, so `\\ ` (a backslash, then a space) does not count
  }
  return false;
}

function isAnchored(ast: RootNode): boolean {
  const branches = ast.type === 'disjunction' ? ast.body : [ast];
  return branches.every((branch) => {
    const terms = branch.type === 'alternative' ? branch.body : [branch];
    const first = terms[0];
    const last = terms[terms.length - 1];
    return (
      first?.type === 'anchor' && first.kind === 'start' && last?.type === 'anchor' && last.kind === 'end'
    );
  });
}

type Node = RootNode;

function children(node: Node): Node[] {
  switch (node.type) {
    case 'alternative':
    case 'disjunction':
    case 'group':
    case 'quantifier':
      return node.body;
    default:
      return [];
  }
}

/** The terms a node matches in sequence (groups unwrapped). */
function sequence(node: Node): Node[] {
  if (node.type === 'alternative') return node.body;
  if (node.type === 'group' && node.behavior !== 'lookahead' && node.behavior !== 'negativeLookahead') {
    return node.body.length === 1 && node.body[0] ? sequence(node.body[0]) : node.body;
  }
  return [node];
}

function nullable(node: Node): boolean {
  switch (node.type) {
    case 'anchor':
      return true;
    case 'quantifier':
      return node.min === 0 || node.body.every(nullable);
    case 'alternative':
      return node.body.every(nullable);
    case 'group':
      return node.behavior === 'normal' || node.behavior === 'ignore' ? node.body.every(nullable) : true;
    case 'disjunction':
      return node.body.some(nullable);
    case 'reference':
      return true;
    default:
      return false;
  }
}

const repeats = (node: Node): boolean =>
  node.type === 'quantifier' && (node.max === undefined || node.max > 1);
const unbounded = (node: Node): boolean => node.type === 'quantifier' && node.max === undefined;

/** The body can match one unbounded repetition with nothing else required around it: `a+`, `(\w*)`, `a+b?`. */
function bareUnbounded(terms: Node[]): boolean {
  return terms.some((term, index) => {
    const others = terms.filter((_, j) => j !== index);
    if (!others.every(nullable)) return false;
    if (unbounded(term)) return true;
    if (term.type === 'group') return bareUnbounded(sequence(term));
    if (term.type === 'disjunction') return term.body.some((branch) => bareUnbounded(sequence(branch)));
    return false;
  });
}

/** ASCII characters a node can start with (an approximation: enough to see overlapping alternatives). */
function firstChars(node: Node): Set<number> {
  switch (node.type) {
    case 'value':
    case 'characterClass':
    case 'characterClassEscape':
    case 'dot':
      return matchingAscii(node.raw);
    case 'reference':
      return matchingAscii('[^]');
    case 'quantifier':
    case 'alternative':
    case 'group': {
      if (node.type === 'group' && node.behavior !== 'normal' && node.behavior !== 'ignore') return new Set();
      const result = new Set<number>();
      for (const term of node.body) {
        for (const code of firstChars(term)) result.add(code);
        if (!nullable(term)) break;
      }
      return result;
    }
    case 'disjunction': {
      const result = new Set<number>();
      for (const branch of node.body) for (const code of firstChars(branch)) result.add(code);
      return result;
    }
    default:
      return new Set();
  }
}

function matchingAscii(raw: string): Set<number> {
  const result = new Set<number>();
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${raw})$`);
  } catch {
    return result;
  }
  for (let code = 0; code < 128; code += 1) if (re.test(String.fromCharCode(code))) result.add(code);
  return result;
}

function overlappingAlternatives(body: Node[]): boolean {
  const terms = body.length === 1 && body[0] ? sequence(body[0]) : body;
  const only = terms.length === 1 ? terms[0] : undefined;
  if (only?.type !== 'disjunction') return false;
  const sets = only.body.map(firstChars);
  for (let i = 0; i < sets.length; i += 1) {
    for (let j = i + 1; j < sets.length; j += 1) {
      for (const code of sets[i] ?? []) if (sets[j]?.has(code)) return true;
    }
  }
  return false;
}

/** Two unbounded repetitions that can trade characters, with only optional terms between: `x+x+`, `\w+\d*`. */
function adjacentOverlap(terms: Node[]): boolean {
  for (let i = 0; i < terms.length; i += 1) {
    const first = terms[i];
    if (!first || !unbounded(first)) continue;
    const chars = firstChars(first);
    for (let j = i + 1; j < terms.length; j += 1) {
      const next = terms[j];
      if (!next) break;
      if (unbounded(next) && [...firstChars(next)].some((code) => chars.has(code))) return true;
      if (!nullable(next)) break;
    }
  }
  return false;
}

function findBacktracking(node: Node): string | undefined {
  if (repeats(node) && node.type === 'quantifier') {
    const terms = node.body.length === 1 && node.body[0] ? sequence(node.body[0]) : node.body;
    if (bareUnbounded(terms) || overlappingAlternatives(node.body) || adjacentOverlap(terms)) return node.raw;
  }
  for (const child of children(node)) {
    const found = findBacktracking(child);
    if (found) return found;
  }
  return undefined;
}
