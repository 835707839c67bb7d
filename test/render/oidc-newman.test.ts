/**
 * A rendered JWT suite whose tokens come from a generic OIDC issuer (oauth2-mock-server on 127.0.0.1), run by
 * `apigw-authz run` (Newman 6's real sandbox) against a stub HTTP API gateway that verifies tokens with jose:
 * the token script fetches once per run, the forgeries are built in the sandbox, no token or secret reaches a
 * report, and a gateway without an algorithm allow-list fails the algorithm-confusion case.
 */

import { createHmac, createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EnvironmentError, InputError } from '../../src/errors.js';
import { renderCollection, renderEnvironment } from '../../src/render/index.js';
import { exitCodeFor, runCollection } from '../../src/run/index.js';
import { PARTNER_CLIENT_ID, jwtPlan } from './jwt-plans.js';
import type { JwtPlanOptions } from './jwt-plans.js';

const SECRET = 'partner-newman-secret-3c1e';

interface Gateway {
  url: string;
  server: Server;
  /** Accept HS256 tokens HMAC-keyed with the issuer's PEM (no algorithm allow-list), as vulnerable verifiers do. */
  noAlgorithmAllowList: boolean;
}

let issuer: OAuth2Server;
let gateway: Gateway;
let work: string;
let tokenRequests = 0;
const issued: string[] = [];

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function startGateway(): Promise<Gateway> {
  const jwksUrl = `${issuer.issuer.url}/jwks`;
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  const state: Gateway = { url: '', server: createServer(), noAlgorithmAllowList: false };
  state.server.on('request', (req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== '/partner/orders') return send(res, 404, { message: 'Not Found' });
      const scope = req.method === 'POST' ? 'orders:write' : 'orders:read';
      const raw = req.headers.authorization;
      if (!raw) return send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      const token = raw.replace(/^Bearer /, '');
      const invalid = `Bearer scope="${scope}" error="invalid_token" error_description="the token is invalid"`;
      try {
        const header = decodeProtectedHeader(token);
        if (state.noAlgorithmAllowList && header.alg === 'HS256') {
          const keys = (await (await fetch(jwksUrl)).json()) as { keys: JsonWebKey[] };
          const jwk = keys.keys.find((k) => k.kid === header.kid);
          const pem = createPublicKey({ key: jwk!, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
          const [h, p, s] = token.split('.');
          if (createHmac('sha256', pem).update(`${h}.${p}`).digest('base64url') !== s) throw new Error('bad');
        } else {
          await jwtVerify(token, jwks, { issuer: issuer.issuer.url!, algorithms: ['RS256'] });
        }
      } catch {
        return send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': invalid });
      }
      const granted = String(decodeJwt(token).scope ?? '').split(' ');
      if (!granted.includes(scope)) {
        return send(
          res,
          403,
          { message: 'Forbidden' },
          {
            'www-authenticate': `Bearer scope="${scope}" error="insufficient_scope" error_description="expected scopes: [${scope}]"`,
          },
        );
      }
      return send(res, 200, { route: `${req.method} /partner/orders` });
    })();
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'apigw-authz-oidc-newman-'));
  issuer = new OAuth2Server();
  await issuer.issuer.keys.generate('RS256');
  issuer.service.on('beforeTokenSigning', () => {
    tokenRequests += 1;
  });
  issuer.service.on('beforeResponse', (response: { body: { access_token?: string } }) => {
    if (response.body.access_token) issued.push(response.body.access_token);
  });
  await issuer.start(0, '127.0.0.1');
  gateway = await startGateway();
});

afterAll(async () => {
  await new Promise((resolve) => gateway?.server.close(resolve));
  await issuer?.stop();
  await rm(work, { recursive: true, force: true });
});

async function run(options: JwtPlanOptions, envVars: Record<string, string>, name: string) {
  const plan = jwtPlan({ partnerOnly: true, ...options });
  const jsonReportFile = join(work, `${name}.json`);
  const junitFile = join(work, `${name}.xml`);
  const result = await runCollection({
    collection: renderCollection(plan),
    environment: renderEnvironment(plan),
    envVars: { baseUrl: gateway.url, ...envVars },
    reporters: ['json', 'junit'],
    jsonReportFile,
    junitFile,
  });
  const reports = `${await readFile(jsonReportFile, 'utf8')}\n${await readFile(junitFile, 'utf8')}`;
  return { result, reports };
}

const clientCredentials = {
  'PartnerJwt.tokenUrl': '',
  'PartnerJwt.clientId': PARTNER_CLIENT_ID,
  'PartnerJwt.clientSecret': SECRET,
};

describe('OIDC tokens under Newman (oauth2-mock-server)', () => {
  it('client_credentials: every case passes, one token request per token for the whole run, nothing secret in the reports', async () => {
    tokenRequests = 0;
    issued.length = 0;
    const { result, reports } = await run(
      {},
      { ...clientCredentials, 'PartnerJwt.tokenUrl': `${issuer.issuer.url}/token` },
      'cc',
    );
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(exitCodeFor(result)).toBe(0);
    // the scoped token and the unscoped one, fetched once in the pre-flight and handed to the run
    expect(tokenRequests).toBe(2);
    expect(issued).toHaveLength(2);
    for (const token of issued) expect(reports).not.toContain(token.split('.')[1]);
    expect(reports).not.toContain(SECRET);
  });

  it('static tokens: no token request, the supplied tokens are used and redacted', async () => {
    const mint = async (scope?: string): Promise<string> => {
      const res = await fetch(`${issuer.issuer.url}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          ...(scope ? { scope } : {}),
        }).toString(),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const scoped = await mint('orders:read orders:write');
    const unscoped = await mint();
    tokenRequests = 0;
    const { result, reports } = await run(
      { oidc: { tokenFlow: 'static' } },
      { 'PartnerJwt.accessToken': scoped, 'PartnerJwt.unscopedAccessToken': unscoped },
      'static',
    );
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(tokenRequests).toBe(0);
    expect(reports).not.toContain(scoped.split('.')[1]);
    expect(reports).not.toContain(unscoped.split('.')[1]);
  });

  it('a gateway without an algorithm allow-list fails exactly the algorithm-confusion case', async () => {
    gateway.noAlgorithmAllowList = true;
    try {
      const { result } = await run(
        {},
        { ...clientCredentials, 'PartnerJwt.tokenUrl': `${issuer.issuer.url}/token` },
        'wrong',
      );
      expect(result.passed).toBe(false);
      expect(exitCodeFor(result)).toBe(1);
      expect([...new Set(result.failures.map((f) => f.caseName))]).toEqual([
        '[GET] /partner/orders - deny: HS256 signed with the issuer public key',
      ]);
    } finally {
      gateway.noAlgorithmAllowList = false;
    }
  });

  it('a refused client is one line before any case (exit 3); a missing secret is a usage error (exit 2)', async () => {
    issuer.service.once('beforeResponse', (response: { statusCode: number; body: unknown }) => {
      response.statusCode = 401;
      response.body = { error: 'invalid_client', error_description: 'client authentication failed' };
    });
    const refused = await runCollection({
      collection: renderCollection(jwtPlan({ partnerOnly: true })),
      environment: renderEnvironment(jwtPlan({ partnerOnly: true })),
      envVars: {
        baseUrl: gateway.url,
        ...clientCredentials,
        'PartnerJwt.tokenUrl': `${issuer.issuer.url}/token`,
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(EnvironmentError); // exit 3
    const error = refused as Error & { exitCode?: number; toLine?: () => string };
    expect(error.toLine?.()).toMatch(
      /token fetch failed before any case ran \(1 request\(s\) made\): PartnerJwt token fetch: client_credentials grant at .* returned 401 invalid_client: client authentication failed/,
    );
    expect(error.toLine?.()).not.toContain(SECRET);
    expect(error.toLine?.()).not.toContain('\n');

    const missing = await runCollection({
      collection: renderCollection(jwtPlan({ partnerOnly: true })),
      environment: renderEnvironment(jwtPlan({ partnerOnly: true })),
      envVars: { baseUrl: gateway.url, 'PartnerJwt.tokenUrl': `${issuer.issuer.url}/token` },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(missing).toBeInstanceOf(InputError); // exit 2
    expect((missing as Error).message).toMatch(
      /missing required variable PartnerJwt\.clientSecret; nothing was sent/,
    );
  });
});
