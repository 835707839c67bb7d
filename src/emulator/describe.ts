/**
 * Describing credentials without echoing them: what a log line, a reason header or an explanation may say about a
 * token ("a JWT with kid abc (812 characters)", "17 characters"). Nothing here returns any part of the value.
 */

import { parseCompactJwt } from './jwt-format.js';

/** `a JWT with kid X, 812 characters` / `an opaque value, 17 characters`. */
export function describeToken(value: string): string {
  const length = `${value.length} character${value.length === 1 ? '' : 's'}`;
  const jwt = parseCompactJwt(value.startsWith('Bearer ') ? value.slice(7) : value);
  if (typeof jwt !== 'string') {
    const kid = typeof jwt.header.kid === 'string' ? ` with kid ${safeText(jwt.header.kid, 40)}` : '';
    const prefix = value.startsWith('Bearer ') ? '"Bearer " and a JWT' : 'a JWT';
    return `${prefix}${kid}, ${length}`;
  }
  return `a value of ${length}`;
}

/** A value that is not a credential but comes from the client (a kid, an issuer): one line, printable, bounded. */
export function safeText(value: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const printable = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}...` : printable;
}

/** Remove every occurrence of the given secrets (4 characters or longer) from a text. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join('<redacted>');
  }
  return out;
}
