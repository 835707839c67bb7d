/**
 * Credential redaction for every report `run` writes. Newman's JSON report copies environment values and
 * request headers verbatim, and JUnit failure text can quote them: both go through here before reaching disk.
 */

export const REDACTED = '[REDACTED]';

/** Headers whose value is always a credential. Compared case-insensitively. */
export const DEFAULT_SENSITIVE_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-amz-security-token',
  'x-auth-token',
  'cookie',
  'set-cookie',
] as const;

/** `{key, value}` pairs (auth parameters, variables) whose value is a credential, whatever the header list says. */
const SENSITIVE_PAIR_KEY =
  /^(secretkey|sessiontoken|accesstoken|accesskey|password|clientsecret|client_secret|token|idtoken|refreshtoken|refresh_token)$/i;

export interface Redactor {
  /** Secret values, longest first. */
  secretValues: readonly string[];
  /** Lower-case header names. */
  sensitiveHeaders: ReadonlySet<string>;
  /** Variable keys whose values are secret (`CognitoAuth.password`). */
  secretKeys: ReadonlySet<string>;
}

/** Builds a redactor from secret values, extra header names and secret variable keys. */
export function createRedactor(
  secretValues: readonly string[],
  extraHeaders: readonly string[] = [],
  secretKeys: readonly string[] = [],
): Redactor {
  return {
    secretValues: [...new Set(secretValues.filter((v) => v !== ''))].sort((a, b) => b.length - a.length),
    sensitiveHeaders: new Set([...DEFAULT_SENSITIVE_HEADERS, ...extraHeaders.map((h) => h.toLowerCase())]),
    secretKeys: new Set(secretKeys),
  };
}

// A JWT (or a forged one: empty signature, `alg: none`), base64url segments starting with `{"` encoded.
const JWT = /eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){1,2}/g;
// The "space inside the token" forgery splits one in two; redact both halves when together they make a JWT.
const SPLIT_JWT = /eyJ[A-Za-z0-9_.-]* [A-Za-z0-9_.-]+/g;

function dotCount(s: string): number {
  return s.split('.').length - 1;
}

function escapeForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const xml = value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  return [...new Set([value, json, xml, encodeURIComponent(value)])];
}

/** Replaces secret values (raw, JSON-, XML- and URL-escaped) and JWT-looking strings in any text. */
export function redactText(text: string, redactor: Redactor): string {
  let out = text;
  for (const secret of redactor.secretValues) {
    for (const form of escapeForms(secret)) out = out.split(form).join(REDACTED);
  }
  out = out.replace(SPLIT_JWT, (match) => {
    const [head = '', tail = ''] = match.split(' ');
    return dotCount(head) < 2 && dotCount(head) + dotCount(tail) >= 1 && dotCount(head) + dotCount(tail) <= 2
      ? REDACTED
      : match;
  });
  return out.replace(JWT, REDACTED);
}

function isSensitiveName(name: string, redactor: Redactor): boolean {
  return (
    redactor.sensitiveHeaders.has(name.toLowerCase()) ||
    redactor.secretKeys.has(name) ||
    SENSITIVE_PAIR_KEY.test(name)
  );
}

// Newman's JSON report stores response bodies as serialised Buffers (`{type: 'Buffer', data: [bytes]}`).
function redactBuffer(record: Record<string, unknown>, redactor: Redactor): Record<string, unknown> {
  const bytes = (record.data as unknown[]).filter((b): b is number => typeof b === 'number');
  const text = Buffer.from(bytes).toString('utf8');
  const redacted = redactText(text, redactor);
  return redacted === text ? record : { ...record, data: [...Buffer.from(redacted, 'utf8')] };
}

/**
 * Redacts a parsed JSON document: values of sensitive headers and secret variables, whether written as
 * `{key, value}` pairs (Newman's headers, variables, auth parameters) or as object properties, then every string
 * with `redactText`. Returns a new value; the input is not modified.
 */
export function redactJson(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactText(value, redactor);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, redactor));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record.type === 'Buffer' && Array.isArray(record.data)) return redactBuffer(record, redactor);
  const pairKey = typeof record.key === 'string' ? record.key : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (
      k === 'value' &&
      pairKey !== undefined &&
      isSensitiveName(pairKey, redactor) &&
      v !== '' &&
      v !== null
    ) {
      out[k] = REDACTED;
    } else if (typeof v === 'string' && v !== '' && isSensitiveName(k, redactor)) {
      out[k] = REDACTED;
    } else {
      out[k] = redactJson(v, redactor);
    }
  }
  return out;
}

/**
 * Header names in a collection that carry credentials beyond the defaults: request headers whose value is a
 * JWT or a `{{variable}}` naming a token or secret (a Lambda authorizer's token source, e.g. `X-Auth-Token`), and
 * `apikey` auth header names.
 */
export function findCredentialHeaders(collection: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.header)) {
      for (const h of record.header) {
        if (h === null || typeof h !== 'object') continue;
        const { key, value } = h as { key?: unknown; value?: unknown };
        if (typeof key !== 'string' || typeof value !== 'string') continue;
        const refs = [...value.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1] ?? '');
        if (/^eyJ/.test(value) || refs.some((ref) => /token|secret|password|credential/i.test(ref))) {
          found.add(key.toLowerCase());
        }
      }
    }
    if (record.type === 'apikey' && Array.isArray(record.apikey)) {
      for (const p of record.apikey as { key?: unknown; value?: unknown }[]) {
        if (p.key === 'key' && typeof p.value === 'string') found.add(p.value.toLowerCase());
      }
    }
    Object.values(record).forEach(walk);
  };
  walk(collection);
  return [...found].sort();
}
