import { createHash } from 'node:crypto';

/** Fixed namespace of apigw-authz ids; changing it changes every id in every generated collection. */
export const APIGW_AUTHZ_NAMESPACE = '6f1c2b9e-4d7a-4c3e-9a51-2f8e0b7d3c41';

// A collection needs two ids per request: parse the namespace once, not 10,000 times.
const namespaceBytes = new Map<string, Buffer>();

function parseNamespace(namespace: string): Buffer {
  let ns = namespaceBytes.get(namespace);
  if (ns === undefined) {
    ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    if (ns.length !== 16) throw new TypeError(`not a UUID: ${namespace}`);
    namespaceBytes.set(namespace, ns);
  }
  return ns;
}

/** RFC 4122 version 5 UUID (SHA-1, name-based) of `name` in `namespace`: the same input gives the same id. */
export function uuidV5(name: string, namespace: string = APIGW_AUTHZ_NAMESPACE): string {
  const ns = parseNamespace(namespace);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
