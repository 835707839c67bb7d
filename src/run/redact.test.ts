import { describe, expect, it } from 'vitest';
import { createRedactor, findCredentialHeaders, REDACTED, redactJson, redactText } from './redact.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
const redactor = createRedactor(['p&ss<"word>'], ['X-Custom-Token'], ['CognitoAuth.password']);

describe('redactText', () => {
  it.each([
    ['a raw secret', 'pw=p&ss<"word> end', `pw=${REDACTED} end`],
    ['an XML-escaped secret', '<f>p&amp;ss&lt;&quot;word&gt;</f>', `<f>${REDACTED}</f>`],
    ['a JSON-escaped secret', '{"v":"p&ss<\\"word>"}', `{"v":"${REDACTED}"}`],
    ['a JWT', `token ${JWT} sent`, `token ${REDACTED} sent`],
    ['a JWT with an empty signature', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.', REDACTED],
    ['a JWT with a space inside', 'x eyJhbGciOiJSUzI1 NiJ9.eyJzdWIiOiJhIn0.c2ln y', `x ${REDACTED} y`],
    [
      'text without credentials',
      'expected 401, got 200 (eyJ is not a token)',
      'expected 401, got 200 (eyJ is not a token)',
    ],
  ])('redacts %s', (_name, input, output) => {
    expect(redactText(input, redactor)).toBe(output);
  });
});

describe('redactJson', () => {
  it('redacts sensitive headers, secret variables and auth parameters, and keeps the rest', () => {
    const input = {
      header: [
        { key: 'authorization', value: 'AWS4-HMAC-SHA256 Credential=AKID/20240101' },
        { key: 'X-Custom-Token', value: 'opaque' },
        { key: 'Accept', value: 'application/json' },
      ],
      values: [{ key: 'CognitoAuth.password', value: 'anything', type: 'any' }],
      awsv4: [{ key: 'secretKey', value: 'wJalr' }],
      headers: { 'X-Amz-Security-Token': 'IQoJ' },
      stream: { type: 'Buffer', data: [...Buffer.from(`{"t":"${JWT}"}`)] },
    };
    const out = redactJson(input, redactor) as typeof input;
    expect(out.header.map((h) => h.value)).toEqual([REDACTED, REDACTED, 'application/json']);
    expect(out.values[0]?.value).toBe(REDACTED);
    expect(out.awsv4[0]?.value).toBe(REDACTED);
    expect(out.headers['X-Amz-Security-Token']).toBe(REDACTED);
    expect(Buffer.from(out.stream.data).toString()).toBe(`{"t":"${REDACTED}"}`);
    expect(input.header[0]?.value).toContain('AWS4'); // input untouched
  });
});

describe('findCredentialHeaders', () => {
  it('finds token-source headers and apikey header names', () => {
    const collection = {
      item: [
        {
          request: {
            header: [
              { key: 'X-Auth-Token', value: '{{TokenAuth.validToken}}' },
              { key: 'Accept', value: '*/*' },
            ],
          },
        },
        { request: { header: [{ key: 'X-Jwt', value: JWT }] } },
        { request: { auth: { type: 'apikey', apikey: [{ key: 'key', value: 'x-api-key' }] } } },
      ],
    };
    expect(findCredentialHeaders(collection)).toEqual(['x-api-key', 'x-auth-token', 'x-jwt']);
  });
});
