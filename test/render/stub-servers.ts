/**
 * Stub servers on 127.0.0.1 for running rendered collections with Newman:
 * - a gateway that answers like API Gateway would for the hand-built plan's routes (Cognito JWT checks with
 *   jose, the Lambda TOKEN/REQUEST sample rules, SigV4 verification, DEFAULT_4XX CORS), or, with
 *   `wrong: true`, answers 200 to everything;
 * - a Cognito JSON endpoint (InitiateAuth USER_PASSWORD_AUTH, checking SECRET_HASH) and a hosted-UI
 *   `/oauth2/token` (client_credentials with Basic auth), counting their calls.
 */

import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';

import { POOL_ID } from './plans.js';

export interface StubOptions {
  wrong?: boolean;
  clientId: string;
  /** Client secret of `clientId`; InitiateAuth then requires SECRET_HASH. */
  clientSecret?: string;
  username: string;
  password: string;
  ccClientId: string;
  ccClientSecret: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Stubs {
  baseUrl: string;
  idpEndpoint: string;
  tokenUrl: string;
  issuer: string;
  calls: { initiateAuth: number; token: number; gateway: number };
  /** Every gateway request's headers, in order. */
  received: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  /** A token of the pool that expired an hour ago. */
  expiredToken: string;
  close(): Promise<void>;
}

const CORS = { 'Access-Control-Allow-Origin': '*' };
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function deny(
  res: ServerResponse,
  status: number,
  message: string,
  errorType?: string,
  key = 'message',
): void {
  send(res, status, { [key]: message }, { ...CORS, ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}) });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** SigV4 check as API Gateway does it, for the simple paths of the test plan. */
function sigV4(req: IncomingMessage, body: Buffer, o: StubOptions): 'missing' | 'ok' | 'mismatch' {
  const authorization = req.headers.authorization;
  if (!authorization) return 'missing';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
      authorization,
    );
  if (!m) return 'mismatch';
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m as unknown as string[];
  if (accessKeyId !== o.accessKeyId) return 'mismatch';
  const url = new URL(req.url ?? '/', 'http://stub');
  const query = [...url.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const headers = signedHeaders!
    .split(';')
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const payloadHash = (req.headers['x-amz-content-sha256'] as string | undefined) ?? sha256(body);
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', String(req.headers['x-amz-date']), scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${o.secretAccessKey}`, date!), region!), service!), 'aws4_request');
  return hmac(key, toSign).toString('hex') === signature ? 'ok' : 'mismatch';
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startStubs(o: StubOptions): Promise<Stubs> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const calls = { initiateAuth: 0, token: 0, gateway: 0 };
  const received: Stubs['received'] = [];
  let issuer = '';

  const sign = (key: KeyObject, claims: Record<string, unknown>, expiresInSeconds: number, kid: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(key);

  async function cognitoCheck(req: IncomingMessage, res: ServerResponse, scopes: string[]): Promise<void> {
    const token = req.headers.authorization;
    if (!token) return deny(res, 401, 'Unauthorized', 'UnauthorizedException');
    // Strict compact form: Node's base64 decoder (and so jose) silently skips a space inside a segment.
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token))
      return deny(res, 401, 'Unauthorized', 'UnauthorizedException');
    let claims: Record<string, unknown>;
    try {
      claims = (await jwtVerify(token, publicKey, { issuer, algorithms: ['RS256'] })).payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        return deny(res, 401, 'The incoming token has expired', 'UnauthorizedException');
      }
      return deny(res, 401, 'Unauthorized', 'UnauthorizedException');
    }
    const granted = String(claims.scope ?? '').split(' ');
    const ok =
      scopes.length === 0
        ? claims.token_use === 'id'
        : claims.token_use === 'access' && scopes.some((s) => granted.includes(s));
    return ok ? send(res, 200, { ok: true }) : deny(res, 401, 'Unauthorized', 'UnauthorizedException');
  }

  async function gateway(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    calls.gateway += 1;
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (o.wrong) return send(res, 200, {});
    const url = new URL(req.url ?? '/', 'http://stub');
    const route = `${req.method} ${url.pathname.replace(/^\/prod/, '')}`;
    if (route === 'GET /health') return send(res, 200, { ok: true });
    if (route === 'GET /pets') return cognitoCheck(req, res, []);
    if (route === 'POST /pets') return cognitoCheck(req, res, ['pets/write']);
    if (/^GET \/pets\/[^/]+$/.test(route)) return cognitoCheck(req, res, ['pets/read']);
    if (route === 'GET /orders') {
      const token = req.headers['x-auth-token'];
      if (typeof token !== 'string') return deny(res, 401, 'Unauthorized', 'UnauthorizedException');
      if (!/^[a-z][a-z0-9-]{3,63}$/.test(token))
        return deny(res, 401, 'Unauthorized', 'UnauthorizedException');
      if (token === 'allow-alice') return send(res, 200, []);
      if (token === 'deny-mallory') {
        return deny(
          res,
          403,
          'User is not authorized to access this resource with an explicit deny',
          'AccessDeniedException',
          'Message',
        );
      }
      return deny(res, 401, 'Unauthorized', 'UnauthorizedException');
    }
    if (route === 'GET /reports') {
      const ok =
        req.headers['x-tenant-id'] === 'tenant-1' && url.searchParams.get('apiVersion') === '2024-01-01';
      return ok ? send(res, 200, []) : deny(res, 401, 'Unauthorized', 'UnauthorizedException');
    }
    if (route.includes(' /admin/')) {
      const result = sigV4(req, body, o);
      if (result === 'missing') {
        return deny(res, 403, 'Missing Authentication Token', 'MissingAuthenticationTokenException');
      }
      return result === 'ok'
        ? send(res, 200, { ok: true })
        : deny(res, 403, SIGNATURE_MISMATCH, 'InvalidSignatureException');
    }
    return deny(res, 403, 'Missing Authentication Token', 'MissingAuthenticationTokenException');
  }

  async function initiateAuth(res: ServerResponse, body: Buffer): Promise<void> {
    calls.initiateAuth += 1;
    const request = JSON.parse(body.toString('utf8')) as {
      AuthFlow: string;
      ClientId: string;
      AuthParameters: Record<string, string>;
    };
    const p = request.AuthParameters;
    if (request.AuthFlow !== 'USER_PASSWORD_AUTH' || request.ClientId !== o.clientId) {
      return send(res, 400, { __type: 'InvalidParameterException', message: 'bad flow or client' });
    }
    if (o.clientSecret !== undefined) {
      const expected = createHmac('sha256', o.clientSecret)
        .update(`${p.USERNAME}${o.clientId}`)
        .digest('base64');
      if (p.SECRET_HASH !== expected) {
        return send(res, 400, {
          __type: 'NotAuthorizedException',
          message: `Unable to verify secret hash for client ${o.clientId}`,
        });
      }
    }
    if (p.USERNAME !== o.username || p.PASSWORD !== o.password) {
      return send(res, 400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    }
    // Like cognito-local: no ExpiresIn, the token script must read `exp`.
    const IdToken = await sign(
      privateKey,
      { sub: 'u-alice', aud: o.clientId, token_use: 'id' },
      3600,
      'id-kid',
    );
    const AccessToken = await sign(
      privateKey,
      { sub: 'u-alice', client_id: o.clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin' },
      3600,
      'access-kid',
    );
    return send(res, 200, { AuthenticationResult: { IdToken, AccessToken, TokenType: 'Bearer' } });
  }

  async function oauthToken(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    calls.token += 1;
    const basic = `Basic ${Buffer.from(`${o.ccClientId}:${o.ccClientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return send(res, 400, { error: 'invalid_client' });
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials')
      return send(res, 400, { error: 'unsupported_grant_type' });
    const scope = form.get('scope') ?? '';
    const access_token = await sign(
      privateKey,
      { sub: o.ccClientId, client_id: o.ccClientId, token_use: 'access', scope },
      3600,
      'access-kid',
    );
    return send(res, 200, { access_token, token_type: 'Bearer', expires_in: 3600 });
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        if (
          req.url === '/cognito/' &&
          req.headers['x-amz-target'] === 'AWSCognitoIdentityProviderService.InitiateAuth'
        ) {
          return initiateAuth(res, body);
        }
        if (req.url === '/oauth2/token' && req.method === 'POST') return oauthToken(req, res, body);
        return gateway(req, res, body);
      })
      .catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  const origin = await listen(server);
  issuer = `${origin}/${POOL_ID}`;
  const expiredToken = await sign(
    privateKey,
    { sub: 'u-alice', aud: o.clientId, token_use: 'id' },
    -3600,
    'id-kid',
  );
  return {
    baseUrl: `${origin}/prod`,
    idpEndpoint: `${origin}/cognito/`,
    tokenUrl: `${origin}/oauth2/token`,
    issuer,
    calls,
    received,
    expiredToken,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
