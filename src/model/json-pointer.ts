/**
 * JSON pointers in URI-fragment form (`#/paths/~1pets/get/security`), the way errors name a place in an export.
 * Only `~` and `/` are escaped (RFC 6901); other characters stay readable (`{petId}` rather than `%7BpetId%7D`).
 */

/**
 * Builds a pointer from path segments.
 *
 * @param segments - object keys and array indexes from the document root
 * @returns e.g. `#/paths/~1pets~1{petId}/get`; `#` for the root
 */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.length === 0
    ? '#'
    : `#/${segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/**
 * Splits a pointer into its unescaped segments (array indexes stay strings: the caller knows the node types).
 *
 * @param pointer - `#/a/b`, `/a/b`, `#` or ``
 */
export function fromPointer(pointer: string): string[] {
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (body === '' || body === '/') return [];
  return body
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
