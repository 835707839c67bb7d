import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidV5 } from './uuid-v5.js';

describe('uuidV5', () => {
  it.each([
    // Published vectors: RFC 4122 DNS namespace and Python's uuid.uuid5(NAMESPACE_DNS, 'python.org').
    ['python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
    ['www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '2ed6657d-e927-568b-95e1-2665a8aea6a2'],
  ])('matches the reference value for %s', (name, ns, want) => {
    expect(uuidV5(name, ns)).toBe(want);
  });

  it('is stable and distinguishes names', () => {
    expect(uuidV5('a')).toBe(uuidV5('a'));
    expect(uuidV5('a')).not.toBe(uuidV5('b'));
    expect(uuidV5('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('equals the textbook construction for non-ASCII and long names', () => {
    const ns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const reference = (name: string): string => {
      const bytes = createHash('sha1')
        .update(Buffer.from(ns.replace(/-/g, ''), 'hex'))
        .update(name, 'utf8')
        .digest()
        .subarray(0, 16);
      bytes[6] = (bytes[6]! & 0x0f) | 0x50;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      const hex = bytes.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    // Short after long: the reused input buffer must not leak a longer name's tail into a shorter one's hash.
    for (const name of [
      '',
      'GET /pets/{id}#allow',
      'ü€😀 /päth',
      'x'.repeat(5000),
      'short',
      `${'é'.repeat(700)}`,
    ]) {
      expect(uuidV5(name, ns)).toBe(reference(name));
    }
  });

  it('rejects a malformed namespace', () => {
    expect(() => uuidV5('a', 'nope')).toThrow(TypeError);
  });
});
