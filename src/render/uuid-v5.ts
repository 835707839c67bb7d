import { hash } from 'node:crypto';

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

/** The hash input (namespace bytes, then the name in UTF-8), reused: one buffer for every id, not two per id. */
let input = Buffer.allocUnsafe(1024);

/** The version nibble's and the variant bits' hex digits: `5`, and `8`-`b` from the digest's own top bits. */
const VARIANT = ['8', '9', 'a', 'b'];

/** RFC 4122 version 5 UUID (SHA-1, name-based) of `name` in `namespace`: the same input gives the same id. */
export function uuidV5(name: string, namespace: string = APIGW_AUTHZ_NAMESPACE): string {
  const ns = parseNamespace(namespace);
  const length = 16 + Buffer.byteLength(name, 'utf8');
  if (length > input.length) input = Buffer.allocUnsafe(length * 2);
  ns.copy(input, 0);
  input.write(name, 16, 'utf8');
  // One-shot hash: no Hash object per id (a 5,000-route collection has 30,000 ids).
  const hex = hash('sha1', input.subarray(0, length), 'hex');
  const variant = VARIANT[Number.parseInt(hex[16] ?? '0', 16) & 0x3] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
