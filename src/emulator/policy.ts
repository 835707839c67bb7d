/**
 * The output of a Lambda authorizer: validation (what makes API Gateway answer 500
 * AuthorizerConfigurationException) and IAM-style evaluation of its policy against the methodArn.
 */

import { isObject } from '../model/parse.js';

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
}

/** A Lambda authorizer result API Gateway accepts. */
export interface AuthorizerResult {
  principalId: string;
  statements: PolicyStatement[];
  /** Values stringified, as API Gateway hands them to the integration. */
  context: Record<string, string>;
  /** The API key for `apiKeySource: AUTHORIZER` (a non-string value counts as none). */
  usageIdentifierKey?: string;
}

export type ParsedResult = { ok: true; result: AuthorizerResult } | { ok: false; reason: string };

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

function parseStatement(raw: unknown): PolicyStatement | string {
  if (!isObject(raw)) return 'a Statement entry is not an object';
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') return 'Statement Effect must be "Allow" or "Deny"';
  const actions = stringList(raw.Action);
  if (!actions) return 'Statement Action must be a string or a list of strings';
  const resources = stringList(raw.Resource);
  if (!resources) return 'Statement Resource must be a string or a list of strings';
  return { effect, actions, resources };
}

/**
 * A handler's result as Lambda hands it to API Gateway: through JSON (dropping `undefined`, turning dates into
 * strings), and an object; else why not. Every Lambda authorizer kind starts its validation here.
 */
export function lambdaResultObject(
  value: unknown,
): { ok: true; json: Record<string, unknown> } | { ok: false; reason: string } {
  let json: unknown;
  try {
    const text = JSON.stringify(value);
    json = text === undefined ? null : JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the result is not JSON-serializable' };
  }
  return isObject(json) ? { ok: true, json } : { ok: false, reason: 'the result is not an object' };
}

/**
 * Validate a handler's result the way API Gateway does.
 *
 * The value first goes through JSON, as Lambda serializes it (dropping `undefined`, turning dates into strings).
 * Missing `principalId` or `policyDocument`, a malformed statement, or a `context` value that is an object, an
 * array or null all make API Gateway answer 500 (missing principalId and null values are not documented either
 * way; the strict reading is taken).
 */
export function parseAuthorizerResult(value: unknown): ParsedResult {
  const serialized = lambdaResultObject(value);
  if (!serialized.ok) return serialized;
  const { principalId, policyDocument, context, usageIdentifierKey } = serialized.json;
  if ((typeof principalId !== 'string' && typeof principalId !== 'number') || principalId === '') {
    return { ok: false, reason: 'principalId is missing' };
  }
  if (!isObject(policyDocument)) return { ok: false, reason: 'policyDocument is missing or not an object' };
  const rawStatements = Array.isArray(policyDocument.Statement)
    ? policyDocument.Statement
    : policyDocument.Statement === undefined
      ? undefined
      : [policyDocument.Statement];
  if (!rawStatements) return { ok: false, reason: 'policyDocument.Statement is missing' };
  const statements: PolicyStatement[] = [];
  for (const raw of rawStatements) {
    const parsed = parseStatement(raw);
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    statements.push(parsed);
  }
  const stringContext: Record<string, string> = {};
  if (context !== undefined) {
    if (!isObject(context)) return { ok: false, reason: 'context is not an object' };
    for (const [key, v] of Object.entries(context)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        return { ok: false, reason: `context.${key} must be a string, number or boolean` };
      }
      stringContext[key] = String(v);
    }
  }
  return {
    ok: true,
    result: {
      principalId: String(principalId),
      statements,
      context: stringContext,
      ...(typeof usageIdentifierKey === 'string' ? { usageIdentifierKey } : {}),
    },
  };
}

/** Compiled wildcard patterns: a cached policy is matched on every request, and compiling dominated serve's profile. */
const WILDCARD_CACHE_LIMIT = 1_000;
const wildcards = new Map<string, RegExp>();

/** IAM wildcards over the whole string: `*` any run of characters (including `/`), `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = wildcards.get(key);
  if (regex === undefined) {
    const source = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    // Policies come from handlers and may vary per token: bound the cache rather than grow it forever.
    if (wildcards.size >= WILDCARD_CACHE_LIMIT) wildcards.clear();
    wildcards.set(key, regex);
  }
  return regex.test(value);
}

const INVOKE_ACTION = 'execute-api:Invoke';

function applies(statement: PolicyStatement, methodArn: string): boolean {
  // IAM action names are case-insensitive; ARNs are not.
  return (
    statement.actions.some((a) => wildcardMatch(a, INVOKE_ACTION, true)) &&
    statement.resources.some((r) => wildcardMatch(r, methodArn))
  );
}

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** Evaluate the statements for one methodArn: an explicit Deny wins, then any Allow, else an implicit deny. */
export function evaluatePolicy(statements: readonly PolicyStatement[], methodArn: string): PolicyDecision {
  const matching = statements.filter((s) => applies(s, methodArn));
  if (matching.some((s) => s.effect === 'Deny')) return 'explicit-deny';
  return matching.some((s) => s.effect === 'Allow') ? 'allow' : 'implicit-deny';
}
