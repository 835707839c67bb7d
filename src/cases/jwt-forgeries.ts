/**
 * The forged-JWT sets of Cognito, JWT and JWT-carrying Lambda TOKEN authorizers: a real token broken at run time
 * by the forge script (see `Forgery` in types.ts). Every one must be rejected.
 */

import type { Credential, Forgery, TokenSource } from './types.js';

export interface ForgerySpec {
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

/**
 * The forged set of JWT authorizers (REST and HTTP): the issuer's tokens broken in the ways a gateway that skips a
 * check lets through. No `other-issuer` forgery (its foreign-key signature would fail first): the supplied
 * `otherIssuerToken` proves the issuer check with a valid signature.
 */
export const JWT_FORGERY_SPECS: readonly ForgerySpec[] = [
  ...FORGERY_SPECS.filter((spec) => spec.forgery !== 'other-issuer' && spec.forgery !== 'foreign-key'),
  {
    forgery: 'hs256-public-key',
    id: 'forged-hs256-public-key',
    label: "alg HS256 keyed with the issuer's public key (algorithm confusion)",
  },
  { forgery: 'unknown-kid', id: 'forged-unknown-kid', label: 'kid not in the key set' },
  { forgery: 'foreign-key', id: 'forged-foreign-key', label: 'signed by a foreign key' },
];

export interface ForgedVariant {
  spec: ForgerySpec;
  credential: Credential;
}

/** One credential per forgery (default: the Cognito set) of the token from `source`, sent in `header`. */
export function forgedVariants(
  source: TokenSource,
  header: string,
  specs: readonly ForgerySpec[] = FORGERY_SPECS,
): ForgedVariant[] {
  return specs.map((spec) => ({
    spec,
    credential: { kind: 'forged-token', source, forgery: spec.forgery, header },
  }));
}
