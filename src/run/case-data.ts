/**
 * What `run` needs to know about one request of a generated collection, read from the collection JSON (never from
 * Newman's objects, so the parent and the workers agree): its case descriptor, route and category.
 *
 * Two renderings are read: the case descriptor in the request description (a fenced ```apigw-authz-case block,
 * see src/run/case-descriptor.ts) and, for collections generated before it (one script per request), the `_case`
 * JSON an item-level pre-request script sets.
 */

import { isObject } from '../model/parse.js';
import { caseDescriptorOf } from './case-descriptor.js';
import { CASE_CATEGORIES } from './types.js';
import type { CaseCategory, CaseRecord } from './types.js';

export interface CaseData {
  key: string;
  name: string;
  authorizer?: string;
  route: string;
  category: CaseCategory;
  expected: CaseRecord['expected'];
  /** The variable whose absence skips the request (an optional input such as `CognitoAuth.expiredToken`). */
  skipUnlessVariable?: string;
}

const LEGACY_CASE_LINE = /^pm\.variables\.set\('_case', '((?:[^'\\]|\\.)*)'\);/;
const LEGACY_SKIP = /pm\.variables\.get\('((?:[^'\\]|\\.)*)'\)\) \{ pm\.execution\.skipRequest\(\)/;

/** The inverse of the renderer's `jsString` (single-quoted literal). */
function unquote(body: string): string {
  return body.replace(/\\(u2028|u2029|n|r|'|\\)/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'u2028' ? '\u2028' : c === 'u2029' ? '\u2029' : c,
  );
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function scriptLines(item: Record<string, unknown>): string[] {
  const events = Array.isArray(item.event) ? item.event : [];
  return events.flatMap((e) => {
    if (!isObject(e) || e.listen !== 'prerequest' || !isObject(e.script)) return [];
    const exec = e.script.exec;
    return Array.isArray(exec) ? exec.filter((l): l is string => typeof l === 'string') : [];
  });
}

/** `[GET] /pets - deny: ...` -> `GET /pets`. */
function routeFromName(name: string): string {
  const match = /^\[([A-Z]+)\] (\S+)/.exec(name);
  return match ? `${match[1]} ${match[2]}` : '';
}

/** A category from the request name, for collections whose descriptor has none. */
export function categoryFromName(name: string): CaseCategory {
  const what = name.replace(/^\[[A-Z]+\] \S+ - /, '');
  if (/^allow:/.test(what)) return 'positive';
  if (/^cache:/.test(what)) return 'cache-bleed';
  if (/^cors:/.test(what)) return 'cors';
  if (/^apikey:/.test(what)) return 'api-key';
  if (/^deny:/.test(what)) {
    if (/expired/.test(what)) return 'expired';
    if (/without scope|where an (ID|access) token is expected/.test(what)) return 'wrong-scope';
    if (/tampered|signature stripped|alg none|foreign key|issuer of another|forged/.test(what))
      return 'forged';
    if (/^deny: missing|unsigned/.test(what)) return 'missing';
    return 'malformed';
  }
  return 'other';
}

function expectedOf(raw: unknown): CaseRecord['expected'] {
  const e = isObject(raw) ? raw : {};
  const statuses = Array.isArray(e.statuses)
    ? e.statuses.filter((s): s is number => typeof s === 'number')
    : [];
  const messages = Array.isArray(e.messages)
    ? e.messages.filter((m): m is string | null => typeof m === 'string' || m === null)
    : [];
  return {
    outcome: e.outcome === 'authorized' ? 'authorized' : 'rejected',
    statuses,
    messages,
    ...(typeof e.errorType === 'string' ? { errorType: e.errorType } : {}),
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The case data of a collection item (request), or undefined for an item apigw-authz did not generate.
 * @param item the item's JSON as in the collection file
 */
export function caseDataOf(item: Record<string, unknown>): CaseData | undefined {
  const name = typeof item.name === 'string' ? item.name : '';
  let raw = caseDescriptorOf(item) as Record<string, unknown> | undefined;
  let skip: string | undefined;
  if (raw === undefined) {
    const lines = scriptLines(item);
    for (const line of lines) {
      const match = LEGACY_CASE_LINE.exec(line);
      if (match) raw = parseJson(unquote(match[1] ?? ''));
      const skipMatch = LEGACY_SKIP.exec(line);
      if (skipMatch) skip = unquote(skipMatch[1] ?? '');
    }
  }
  if (raw === undefined) return undefined;
  skip ??= str(raw.skipUnless);
  const category = (CASE_CATEGORIES as readonly string[]).includes(String(raw.category))
    ? (raw.category as CaseCategory)
    : categoryFromName(str(raw.name) ?? name);
  const authorizer = str(raw.authorizer);
  return {
    key: str(raw.key) ?? name,
    name: str(raw.name) ?? name,
    ...(authorizer === undefined ? {} : { authorizer }),
    route: str(raw.route) ?? routeFromName(str(raw.name) ?? name),
    category,
    expected: expectedOf(raw.expect),
    ...(skip === undefined ? {} : { skipUnlessVariable: skip }),
  };
}
