/**
 * The compact JWT format, read strictly: three segments of the base64url alphabet (RFC 7515 section 2: no padding,
 * no whitespace, no other characters) whose header and payload are JSON objects. A token that fails this is not a
 * JWT, and API Gateway answers 401 for it (issue 7, point 7).
 *
 * Lenient decoders (Node's `Buffer.from(s, 'base64url')`, `atob`) skip characters outside the alphabet, which is how
 * a token with a space inside its signature used to verify. Everything that inspects a token in `serve` goes
 * through here first.
 */

/** The base64url alphabet without padding; a length of 1 modulo 4 cannot come from any byte string. */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Whether `segment` is a canonical-length, unpadded base64url string. */
export function isBase64Url(segment: string): boolean {
  return BASE64URL.test(segment) && segment.length % 4 !== 1;
}

export interface CompactJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The raw third segment (empty for unsigned or stripped tokens). */
  signature: string;
}

const SEGMENT_NAMES = ['header', 'payload', 'signature'] as const;

function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parse a compact JWT strictly.
 *
 * @returns the decoded header and payload, or a sentence saying why the value is not a JWT (for logs and tests;
 *   never sent to the client, which only sees AWS's 401)
 */
export function parseCompactJwt(token: string): CompactJwt | string {
  const parts = token.split('.');
  if (parts.length !== 3) return `a JWT has 3 dot-separated segments, this value has ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    if (!isBase64Url(part)) {
      return `the ${SEGMENT_NAMES[i] ?? 'signature'} segment is not base64url (characters outside A-Z a-z 0-9 - _, padding or an impossible length)`;
    }
  }
  const [headerPart, payloadPart, signature] = parts as [string, string, string];
  const header = jsonObject(Buffer.from(headerPart, 'base64url'));
  if (header === undefined) return 'the header segment is not a JSON object';
  const payload = jsonObject(Buffer.from(payloadPart, 'base64url'));
  if (payload === undefined) return 'the payload segment is not a JSON object';
  return { header, payload, signature };
}
