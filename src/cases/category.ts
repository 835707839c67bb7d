/**
 * The column of the run reports' route x case matrix a case falls in (`CASE_CATEGORIES`): what the case is about,
 * read from its id (the part of the key after `#`) and polarity. Render puts it into each request's descriptor.
 */

import type { CaseCategory } from '../run/types.js';
import type { AuthCase } from './types.js';

/** Case ids (or id prefixes, ending in `-`) per category; the first match wins. */
const BY_ID: readonly [CaseCategory, readonly string[]][] = [
  ['cors', ['cors-']],
  ['cache-bleed', ['cache-bleed']],
  ['api-key', ['api-key']],
  // time claims: exp passed, nbf in the future
  ['expired', ['expired', 'not-yet-valid']],
  ['missing', ['missing-credentials', 'missing-header-', 'missing-query-']],
  ['malformed', ['not-a-jwt', 'regex-mismatch']],
  // credentials of the right shape that prove nothing: forged JWTs, a wrong SigV4 key, unknown values
  ['forged', ['forged-', 'wrong-secret', 'unknown-token', 'unknown-identity']],
  // a real identity without the right to this method: scopes, token use, an explicit deny; JWTs validly signed
  // for another issuer or audience, or breaking a required-claim rule
  [
    'wrong-scope',
    [
      'missing-scope',
      'wrong-token-use',
      'deny-token',
      'other-issuer',
      'issuer-slash',
      'other-audience',
      'missing-claim',
      'wrong-claim',
    ],
  ],
];

function matches(id: string, pattern: string): boolean {
  return pattern.endsWith('-') ? id.startsWith(pattern) : id === pattern || id.startsWith(`${pattern}-`);
}

/** The matrix column of a case: `positive` for the remaining allow cases, `other` for what fits no column. */
export function caseCategory(c: Pick<AuthCase, 'key' | 'polarity'>): CaseCategory {
  const id = c.key.slice(c.key.lastIndexOf('#') + 1);
  for (const [category, patterns] of BY_ID) {
    if (patterns.some((p) => matches(id, p))) return category;
  }
  return c.polarity === 'positive' ? 'positive' : 'other';
}
