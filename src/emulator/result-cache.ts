/** The authorizer result cache: per authorizer, keyed by the identity-source values, honouring the TTL. */
export class ResultCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  get(key: string, nowMs: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, nowMs: number, ttlSeconds: number): void {
    if (ttlSeconds > 0) this.entries.set(key, { value, expiresAt: nowMs + ttlSeconds * 1000 });
  }
}
