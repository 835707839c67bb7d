import { randomBytes } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { MISSING_TOKEN, call, outcome, type Reply } from './helpers.js';
import { config, iamAuthorizer, model, route } from '../support/models.js';

const ACCESS_KEY = 'AKIDLOCALTEST0000001';
// Generated per run: no secret, real or fake, is committed.
const SECRET = randomBytes(20).toString('base64');
const SESSION_TOKEN = randomBytes(16).toString('hex');

const iam = iamAuthorizer();
const MISMATCH = {
  status: 403,
  body: JSON.stringify({
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  }),
  errorType: 'InvalidSignatureException',
};
const INVALID_TOKEN = {
  status: 403,
  body: '{"message":"The security token included in the request is invalid."}',
  errorType: 'AccessDeniedException',
};

interface SignOptions {
  method?: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  accessKeyId?: string;
  secret?: string;
  sessionToken?: string;
  region?: string;
  date?: Date;
}

/** Sign with the same library the AWS SDKs use, then return the headers to send. */
async function signedHeaders(gw: RunningGateway, o: SignOptions): Promise<Record<string, string>> {
  const request = new HttpRequest({
    method: o.method ?? 'GET',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: gw.port,
    path: new URL(`${gw.url}${o.path}`).pathname,
    query: o.query ?? {},
    headers: { host: `127.0.0.1:${gw.port}`, ...(o.body ? { 'content-type': 'application/json' } : {}) },
    body: o.body,
  });
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: o.accessKeyId ?? ACCESS_KEY,
      secretAccessKey: o.secret ?? SECRET,
      ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}),
    },
    region: o.region ?? 'eu-west-1',
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(request, { signingDate: o.date ?? new Date() });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return headers;
}

async function send(
  gw: RunningGateway,
  o: SignOptions,
  sendPath = o.path,
  sendBody = o.body,
): Promise<Reply> {
  const headers = await signedHeaders(gw, o);
  const query = o.query ? `?${new URLSearchParams(o.query)}` : '';
  return call(`${gw.url}${sendPath}${query}`, { method: o.method ?? 'GET', headers, body: sendBody });
}

const routes = [route('ANY', '/admin/{proxy+}', 'sigv4'), route('GET', '/health')];

describe('AWS_IAM (SigV4) methods', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({ api: { id: 'a1', name: 'lab', region: 'eu-west-1' }, authorizers: [iam], routes }),
      config: config(),
      env: { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET },
    });
  });
  afterAll(() => gw.stop());

  it('allows a correctly signed GET', async () => {
    const reply = await send(gw, { path: '/admin/users' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ route: 'ANY /admin/{proxy+}', principalId: ACCESS_KEY });
  });

  it('allows a correctly signed POST with a query string and a body', async () => {
    const reply = await send(gw, {
      method: 'POST',
      path: '/admin/users/a%20b',
      query: { b: '2', a: 'x y' },
      body: '{"name":"x"}',
    });
    expect(reply.status).toBe(200);
    expect(reply.body?.pathParameters).toEqual({ proxy: 'users/a b' });
  });

  it('answers Missing Authentication Token when unsigned', async () => {
    expect(outcome(await call(`${gw.url}/admin/users`))).toEqual(MISSING_TOKEN);
  });

  it('answers IncompleteSignatureException for a non-SigV4 Authorization header', async () => {
    const reply = await call(`${gw.url}/admin/users`, { headers: { Authorization: 'Bearer abc.def.ghi' } });
    expect(reply.status).toBe(403);
    expect(reply.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(reply.body?.message).toBe(
      "'<token>' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer <token>'.",
    );
    // key=value pairs that are not SigV4 name the missing SigV4 parameters instead, and nothing is echoed
    const pairs = await call(`${gw.url}/admin/users`, { headers: { Authorization: 'Custom a=secret-1' } });
    expect(pairs.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(String(pairs.body?.message)).toMatch(/^Authorization header requires 'Credential' parameter\./);
    expect(pairs.text).not.toContain('secret-1');
    expect(reply.text).not.toContain('abc.def.ghi');
  });

  it('answers "security token invalid" for an unknown access key', async () => {
    expect(outcome(await send(gw, { path: '/admin/users', accessKeyId: 'AKIDUNKNOWN000000000' }))).toEqual(
      INVALID_TOKEN,
    );
  });

  it.each<[string, SignOptions, string | undefined, string | undefined]>([
    ['a wrong secret key', { path: '/admin/users', secret: 'wrong-secret' }, undefined, undefined],
    ['another region', { path: '/admin/users', region: 'us-east-1' }, undefined, undefined],
    ['a path changed after signing', { path: '/admin/users' }, '/admin/other', undefined],
    [
      'a body changed after signing',
      { method: 'POST', path: '/admin/x', body: '{"a":1}' },
      undefined,
      '{"a":2}',
    ],
  ])('answers the signature mismatch for %s', async (_name, options, sendPath, sendBody) => {
    expect(outcome(await send(gw, options, sendPath, sendBody))).toEqual(MISMATCH);
  });

  it('answers "Signature expired" for a signature older than 5 minutes', async () => {
    const reply = await send(gw, { path: '/admin/users', date: new Date(Date.now() - 10 * 60 * 1000) });
    expect(reply.status).toBe(403);
    expect(reply.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(String(reply.body?.message)).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('counts SigV4 checks', () => {
    expect(gw.stats().authorizers.sigv4?.invocations).toBeGreaterThan(5);
  });
});

describe('AWS_IAM with a session token, and without credentials', () => {
  it('requires the session token of the identity when one is set', async () => {
    const gw = await startGateway({
      model: model({ api: { id: 'a1', name: 'lab', region: 'eu-west-1' }, authorizers: [iam], routes }),
      config: config(),
      env: { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: SESSION_TOKEN },
    });
    try {
      expect((await send(gw, { path: '/admin/a', sessionToken: SESSION_TOKEN })).status).toBe(200);
      expect(outcome(await send(gw, { path: '/admin/a' }))).toEqual(INVALID_TOKEN);
      expect(outcome(await send(gw, { path: '/admin/a', sessionToken: 'other' }))).toEqual(INVALID_TOKEN);
    } finally {
      await gw.stop();
    }
  });

  it('rejects every signed request when serve has no AWS identity, and keeps public routes open', async () => {
    const gw = await startGateway({
      model: model({ api: { id: 'a1', name: 'lab', region: 'eu-west-1' }, authorizers: [iam], routes }),
      config: config(),
      env: {},
    });
    try {
      expect(outcome(await send(gw, { path: '/admin/a' }))).toEqual(INVALID_TOKEN);
      expect((await call(`${gw.url}/health`)).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});
