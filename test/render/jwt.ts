/** RS256 JWTs for tests, signed with node:crypto (a stand-in user pool key). */

import { createSign, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface PoolKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function makePoolKey(kid = 'pool-key-1'): PoolKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export function signJwt(key: PoolKey, claims: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ kid: key.kid, alg: 'RS256' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${payload}`)
    .sign(key.privateKey)
    .toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}
