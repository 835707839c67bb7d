/**
 * A local OIDC issuer for the JWT authorizer tests: keys generated per run (nothing committed), a discovery document
 * and a JWKS on 127.0.0.1 that can publish more keys later, request counters, and the token forgeries of
 * CONTRACT.md (alg none, HS256 keyed with the PEM of the issuer's public key, foreign key, tampered payload).
 */

import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'RS384' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(kid: string, alg: SigningKey['alg'] = 'RS256'): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey: pair.privateKey, jwk };
}

export interface LocalIssuer {
  /** `http://127.0.0.1:<port>/<name>`: what tokens carry as `iss`. */
  issuer: string;
  jwksUrl: string;
  /** Requests per path (`/<name>/.well-known/openid-configuration`, `/<name>/jwks`). */
  hits: Record<string, number>;
  /** Publish another key (appears on the next JWKS fetch). */
  publish(key: SigningKey): void;
  stop(): Promise<void>;
}

/** One server, one issuer per name, each with its own published keys. */
export async function startIssuers(
  published: Record<string, SigningKey[]>,
): Promise<Record<string, LocalIssuer> & { stopAll(): Promise<void> }> {
  const keys: Record<string, JWK[]> = Object.fromEntries(
    Object.entries(published).map(([name, list]) => [name, list.map((k) => k.jwk)]),
  );
  const hits: Record<string, number> = {};
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    const [, name = '', ...rest] = path.split('/');
    const tail = rest.join('/');
    if (keys[name] && tail === '.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ issuer: `${base}/${name}`, jwks_uri: `${base}/${name}/jwks` }));
    } else if (keys[name] && tail === 'jwks') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: keys[name] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stopAll = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const issuers: Record<string, LocalIssuer> = {};
  for (const name of Object.keys(published)) {
    issuers[name] = {
      issuer: `${base}/${name}`,
      jwksUrl: `${base}/${name}/jwks`,
      hits,
      publish: (key) => (keys[name] as JWK[]).push(key.jwk),
      stop: stopAll,
    };
  }
  return Object.assign(issuers, { stopAll });
}

/** A signed JWT; `kid` defaults to the key's own. */
export function sign(key: SigningKey, claims: JWTPayload, header: { kid?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: header.kid ?? key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `{"alg":"none"}` with the claims and an empty signature. */
export function algNone(claims: JWTPayload, kid?: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(claims)}.`;
}

/** Algorithm confusion: HS256 keyed with the PEM text of the issuer's public key (CONTRACT.md). */
export function hs256WithPublicKey(key: SigningKey, claims: JWTPayload): string {
  const pem = createPublicKey({ key: key.jwk as JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(claims)}`;
  return `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
}

/** The same signature over a changed payload. */
export function tampered(token: string, change: JWTPayload): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), ...change };
  return `${h}.${b64(payload)}.${s}`;
}
