import { describe, expect, it } from 'vitest';
import { fromPointer, toPointer } from './json-pointer.js';

describe('json pointers', () => {
  it.each<[Array<string | number>, string]>([
    [[], '#'],
    [['paths', '/pets/{id}', 'get', 'security', 0, 'Auth'], '#/paths/~1pets~1{id}/get/security/0/Auth'],
    [['a~b', 'c/d'], '#/a~0b/c~1d'],
    [[''], '#/'],
  ])('%j <-> %s', (segments, pointer) => {
    expect(toPointer(segments)).toBe(pointer);
    if (segments.length !== 1 || segments[0] !== '') {
      expect(fromPointer(pointer)).toEqual(segments.map(String));
    }
  });

  it('accepts pointers without the fragment mark', () => {
    expect(fromPointer('/a/b')).toEqual(['a', 'b']);
    expect(fromPointer('')).toEqual([]);
  });
});
