import { describe, expect, it } from 'vitest';
import { isBase64Url, parseCompactJwt } from './jwt-format.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = b64({ alg: 'RS256', kid: 'k1' });
const PAYLOAD = b64({ sub: 'alice', iss: 'https://issuer.example.com/pool' });
const SIGNATURE = Buffer.from('not really a signature, but bytes').toString('base64url');

describe('isBase64Url', () => {
  it.each(['', 'AA', 'AAA', 'AAAA', 'ab-_09XZ'])('accepts %j', (segment) => {
    expect(isBase64Url(segment)).toBe(true);
  });

  it.each([
    ['a space', 'ab cd'],
    ['padding', 'AA=='],
    ['standard base64 characters', 'a+b/'],
    ['a line break', 'abcd\nefgh'],
    ['a length of 1 modulo 4', 'AAAAA'],
    ['a non-ASCII letter', 'abcé'],
  ])('refuses %s', (_name, segment) => {
    expect(isBase64Url(segment)).toBe(false);
  });
});

describe('parseCompactJwt', () => {
  it('decodes header and payload and keeps the raw signature', () => {
    expect(parseCompactJwt(`${HEADER}.${PAYLOAD}.${SIGNATURE}`)).toEqual({
      header: { alg: 'RS256', kid: 'k1' },
      payload: { sub: 'alice', iss: 'https://issuer.example.com/pool' },
      signature: SIGNATURE,
    });
    expect(parseCompactJwt(`${HEADER}.${PAYLOAD}.`)).toMatchObject({ signature: '' });
  });

  it.each([0, 1, 2])('refuses a space inside segment %i, for every position in it', (i) => {
    const parts = [HEADER, PAYLOAD, SIGNATURE];
    const part = parts[i] as string;
    for (let at = 0; at <= part.length; at++) {
      const spaced = [...parts];
      spaced[i] = `${part.slice(0, at)} ${part.slice(at)}`;
      expect(parseCompactJwt(spaced.join('.')), `at ${at}`).toMatch(/not base64url/);
    }
  });

  it.each([
    ['two segments', `${HEADER}.${PAYLOAD}`, /3 dot-separated segments, this value has 2/],
    ['four segments', `${HEADER}.${PAYLOAD}.${SIGNATURE}.x`, /has 4/],
    [
      'a header that is not JSON',
      `${b64('x').slice(0, 2)}.${PAYLOAD}.`,
      /header segment is not a JSON object/,
    ],
    ['a payload that is a JSON array', `${HEADER}.${b64([1])}.`, /payload segment is not a JSON object/],
    [
      'a payload that is not UTF-8',
      `${HEADER}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.`,
      /payload/,
    ],
  ])('refuses %s', (_name, token, reason) => {
    expect(parseCompactJwt(token)).toMatch(reason);
  });
});
