/**
 * An issuer's signing keys as API Gateway finds them: OIDC discovery (`<issuer>/.well-known/openid-configuration`
 * -> `jwks_uri`), or a configured key-set URL; fetched once, cached, and fetched again for an unknown `kid` at most
 * once per cool-down (API Gateway refetches for a key it has not seen, reference section A.3).
 */

import type { JWK } from 'jose';

export type KeyLookup =
  | { state: 'found'; jwk: JWK; jwksUrl: string }
  | { state: 'missing'; jwksUrl: string; keyCount: number }
  | { state: 'unreachable'; detail: string };

export interface KeySourceOptions {
  /** The issuer whose discovery document names the key set (the local one when a stand-in is mapped). */
  issuer: string;
  /** A key-set URL that skips discovery. */
  jwksUrl?: string;
  /** Each fetch's timeout (API Gateway's own limit is 1500 ms). */
  timeoutMs: number;
  now: () => number;
  /** Minimum time between two fetches caused by an unknown `kid`; default 30 s. */
  cooldownMs?: number;
}

/** `<issuer>/.well-known/openid-configuration`, with one trailing slash of the issuer dropped (OIDC Discovery 4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  return response.json();
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (cause !== undefined) return cause;
  return error instanceof Error ? error.message : String(error);
}

export class KeySource {
  private keys?: { jwks: JWK[]; jwksUrl: string };
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inflight?: Promise<void>;

  constructor(private readonly options: KeySourceOptions) {}

  /** Where the keys come from, for reasons: the configured URL, or the discovery URL. */
  get origin(): string {
    return this.options.jwksUrl ?? discoveryUrl(this.options.issuer);
  }

  private async load(): Promise<void> {
    const { timeoutMs } = this.options;
    let jwksUrl = this.options.jwksUrl;
    if (jwksUrl === undefined) {
      const document = await fetchJson(discoveryUrl(this.options.issuer), timeoutMs);
      const uri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
      if (typeof uri !== 'string' || uri === '') {
        throw new Error(`the discovery document ${discoveryUrl(this.options.issuer)} has no jwks_uri`);
      }
      jwksUrl = uri;
    }
    const set = await fetchJson(jwksUrl, timeoutMs);
    const keys = (set as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw new Error(`${jwksUrl} is not a JWKS (no keys array)`);
    this.keys = {
      jwks: keys.filter((k): k is JWK => typeof k === 'object' && k !== null),
      jwksUrl,
    };
    this.fetchedAt = this.options.now();
  }

  /** One fetch at a time; concurrent callers share it. */
  private refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * The key with `kid`: from the cache, or after one refetch when the cache lacks it and the last fetch is older
   * than the cool-down.
   */
  async find(kid: string | undefined): Promise<KeyLookup> {
    const cooldown = this.options.cooldownMs ?? 30_000;
    try {
      if (this.keys === undefined) await this.refresh();
      else if (!this.has(kid) && this.options.now() - this.fetchedAt >= cooldown) await this.refresh();
    } catch (error) {
      if (this.keys === undefined) {
        return { state: 'unreachable', detail: describeFailure(error, this.options.timeoutMs) };
      }
      // A failed refetch keeps the keys already known, as a cache does.
    }
    const keys = this.keys as { jwks: JWK[]; jwksUrl: string };
    const jwk = kid === undefined ? undefined : keys.jwks.find((k) => k.kid === kid);
    return jwk
      ? { state: 'found', jwk, jwksUrl: keys.jwksUrl }
      : { state: 'missing', jwksUrl: keys.jwksUrl, keyCount: keys.jwks.length };
  }

  private has(kid: string | undefined): boolean {
    return kid !== undefined && (this.keys?.jwks.some((k) => k.kid === kid) ?? false);
  }
}
