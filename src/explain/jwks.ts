/** Whether a JWKS has a key id: the one network edge of explain, with a short timeout and a clear "not checked". */

export type JwksKeyCheck =
  | { state: 'present'; detail: string }
  | { state: 'missing'; detail: string }
  | { state: 'unreachable'; detail: string };

/**
 * Fetch a JWKS and look for `kid`.
 *
 * @param url - the JWKS URL (the pool's, or `cognito.jwksUrl` from the config)
 * @param kid - the token's key id
 * @param timeoutMs - abort after this long (API Gateway's own limit is 1500 ms)
 */
export async function checkJwksKey(url: string, kid: string, timeoutMs: number): Promise<JwksKeyCheck> {
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { state: 'unreachable', detail: `HTTP ${response.status}` };
    body = await response.json();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = error instanceof Error ? error.name : 'error';
    return {
      state: 'unreachable',
      detail: cause ?? (name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : name),
    };
  }
  const keys = (body as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return { state: 'unreachable', detail: 'the answer is not a JWKS' };
  const kids = keys
    .map((k) => (k as { kid?: unknown }).kid)
    .filter((k): k is string => typeof k === 'string');
  return kids.includes(kid)
    ? { state: 'present', detail: `${kids.length} key(s)` }
    : { state: 'missing', detail: `${kids.length} key(s) there` };
}
