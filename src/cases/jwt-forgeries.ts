/**
 * The forged-JWT set shared by Cognito and JWT-carrying Lambda TOKEN authorizers: a real token broken at run
 * time by the forge script (see `Forgery` in types.ts). Every one must be rejected.
 */

import type { Credential, Forgery, TokenSource } from './types.js';

interface ForgerySpec {
  forgery: Forgery;
  /** Key suffix: `forged-<forgery>`. */
  id: string;
  label: string;
}

/** In run order: the cheapest breakage first, the cryptographic ones last. */
export const FORGERY_SPECS: readonly ForgerySpec[] = [
  { forgery: 'space-inside', id: 'forged-space-inside', label: 'token with a space inside' },
  {
    forgery: 'tampered-payload',
    id: 'forged-tampered-payload',
    label: 'tampered payload (original signature)',
  },
  { forgery: 'stripped-signature', id: 'forged-stripped-signature', label: 'signature stripped' },
  { forgery: 'alg-none', id: 'forged-alg-none', label: 'alg none (unsigned)' },
  { forgery: 'foreign-key', id: 'forged-foreign-key', label: 'signed by a foreign key' },
  { forgery: 'other-issuer', id: 'forged-other-issuer', label: 'issuer of another user pool' },
];

export interface ForgedVariant {
  spec: ForgerySpec;
  credential: Credential;
}

/** One credential per forgery of the token from `source`, sent in `header`. */
export function forgedVariants(source: TokenSource, header: string): ForgedVariant[] {
  return FORGERY_SPECS.map((spec) => ({
    spec,
    credential: { kind: 'forged-token', source, forgery: spec.forgery, header },
  }));
}
