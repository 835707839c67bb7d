import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway, type StartGatewayOptions } from '../../src/emulator/index.js';
import { explainRequest } from '../../src/explain/index.js';
import type { JWTPayload } from 'jose';
import { API_ID, REGION, config, jwtAuthorizer, model, route } from '../support/models.js';
import { call, type Reply } from './helpers.js';
import {
  algNone,
  hs256WithPublicKey,
  sign,
  signingKey,
  startIssuers,
  tampered,
  type LocalIssuer,
  type SigningKey,
} from './jwt-issuer.js';

const NOW_S = 1_800_000_000;
const SCOPES = ['orders/read', 'orders/write'];
const AUDIENCES = ['aud-1', 'client-1'];

/** The exact `www-authenticate` forms of CONTRACT.md for a route with `scopes`. */
const invalid = (description: string, scopes = SCOPES) =>
  `Bearer scope="${scopes.join(' ')}" error="invalid_token" error_description="${description}"`;
const INSUFFICIENT =
  'Bearer scope="orders/read orders/write" error="insufficient_scope" error_description="expected scopes: [orders/read orders/write]"';

function answer(reply: Reply) {
  return {
    status: reply.status,
    body: reply.text,
    wwwAuthenticate: reply.headers.get('www-authenticate'),
    errorType: reply.headers.get('x-amzn-errortype'),
    cause: reply.headers.get('x-apigw-authz-cause'),
  };
}

const unauthorized = (wwwAuthenticate: string, cause: string) => ({
  status: 401,
  body: '{"message":"Unauthorized"}',
  wwwAuthenticate,
  errorType: null,
  cause,
});

let issuers: Awaited<ReturnType<typeof startIssuers>>;
let main: LocalIssuer;
let k1: SigningKey;
let rotated: SigningKey;
let ecKey: SigningKey;
let foreign: SigningKey;
let clockMs = NOW_S * 1000;

/** Claims of a valid token of the main issuer; `extra` overrides (undefined removes). */
function claims(extra: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = {
    iss: main.issuer,
    sub: 'user-1',
    aud: 'aud-1',
    iat: NOW_S - 60,
    exp: NOW_S + 3600,
    scope: 'openid orders/read',
    ...extra,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as JWTPayload;
}

beforeAll(async () => {
  [k1, rotated, ecKey, foreign] = await Promise.all([
    signingKey('k1'),
    signingKey('k2-rotated'),
    signingKey('e1', 'ES256'),
    signingKey('k1'), // same kid, another key: a forgery with a plausible header
  ]);
  issuers = await startIssuers({ main: [k1, ecKey] });
  main = issuers.main as LocalIssuer;
});
afterAll(() => issuers.stopAll());

describe('HTTP API JWT authorizer: exact answers', () => {
  let gw: RunningGateway;
  const get = (path: string, authorization?: string) =>
    call(
      `${gw.url}${path}`,
      authorization === undefined ? {} : { headers: { Authorization: authorization } },
    );

  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        api: { kind: 'HTTP', id: API_ID, name: 'jwt-lab', region: REGION },
        stage: { name: '$default', baseUrl: 'https://example.invalid', variables: {} },
        authorizers: [jwtAuthorizer('Jwt', main.issuer, AUDIENCES)],
        routes: [route('GET', '/scoped', 'Jwt', SCOPES), route('GET', '/plain', 'Jwt')],
      }),
      config: config(),
      now: () => clockMs,
    });
  });
  afterAll(() => gw.stop());

  it('lets a valid token through, raw and with "Bearer "', async () => {
    const token = await sign(k1, claims());
    for (const value of [token, `Bearer ${token}`]) {
      const reply = await get('/scoped', value);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-apigw-authz-cause')).toBe('allowed');
    }
    // Only that exact prefix: another scheme is not stripped, so the value is no JWT.
    expect((await get('/scoped', `bearer ${token}`)).status).toBe(401);
  });

  it('hands the integration payload 2.0 claims as strings ("[a b]" lists) and the token scopes', async () => {
    const token = await sign(
      k1,
      claims({ groups: ['admins', 'ops'], 'custom:level': 3, email_verified: true }),
    );
    const scoped = await get('/scoped', token);
    expect(scoped.body?.authorizer).toEqual({
      jwt: {
        claims: {
          iss: main.issuer,
          sub: 'user-1',
          aud: 'aud-1',
          iat: String(NOW_S - 60),
          exp: String(NOW_S + 3600),
          scope: 'openid orders/read',
          groups: '[admins ops]',
          'custom:level': '3',
          email_verified: 'true',
        },
        scopes: ['openid', 'orders/read'],
      },
    });
    expect(scoped.body?.principalId).toBe('user-1');
    const plain = await get('/plain', token);
    expect((plain.body?.authorizer as { jwt: { scopes: unknown } }).jwt.scopes).toBeNull();
  });

  it('answers a missing or empty token 401 with www-authenticate: Bearer, without verifying', async () => {
    const before = gw.stats().authorizers.Jwt?.invocations;
    expect(answer(await get('/scoped'))).toEqual(unauthorized('Bearer', 'token-missing'));
    expect(answer(await get('/scoped', ''))).toEqual(unauthorized('Bearer', 'token-empty'));
    expect(gw.stats().authorizers.Jwt?.invocations).toBe(before);
  });

  it('answers a value that is not a JWT with the invalid-segments description and the route scopes', async () => {
    expect(answer(await get('/scoped', 'not-a-jwt'))).toEqual(
      unauthorized(invalid('token contains an invalid number of segments'), 'jwt-malformed'),
    );
    expect(answer(await get('/plain', 'Bearer a.b'))).toEqual(
      unauthorized(invalid('token contains an invalid number of segments', []), 'jwt-malformed'),
    );
  });

  it('decides the audience by aud, and by client_id only when the token has no aud', async () => {
    const wrongAud = await sign(k1, claims({ aud: 'someone-else' }));
    expect(answer(await get('/scoped', wrongAud))).toEqual(
      unauthorized(invalid('the token does not have a valid audience'), 'aud-mismatch'),
    );
    const accessToken = await sign(k1, claims({ aud: undefined, client_id: 'client-1' }));
    expect((await get('/scoped', accessToken)).status).toBe(200);
    const audList = await sign(k1, claims({ aud: ['x', 'client-1'] }));
    expect((await get('/scoped', audList)).status).toBe(200);
    // aud present and wrong: a matching client_id does not rescue it (serverless-offline's trap).
    const both = await sign(k1, claims({ aud: 'someone-else', client_id: 'client-1' }));
    const reply = await get('/scoped', both);
    expect(answer(reply).cause).toBe('aud-mismatch');
    expect(reply.headers.get('x-apigw-authz-reason')).toMatch(
      /client_id counts only when the token has no aud/,
    );
    const neither = await sign(k1, claims({ aud: undefined }));
    expect(answer(await get('/scoped', neither)).cause).toBe('aud-mismatch');
  });

  it('answers an expired token with "the token has expired", and refuses nbf/iat in the future and no exp', async () => {
    const expired = await sign(k1, claims({ iat: NOW_S - 7200, exp: NOW_S - 1 }));
    expect(answer(await get('/scoped', expired))).toEqual(
      unauthorized(invalid('the token has expired'), 'jwt-expired'),
    );
    for (const [extra, cause] of [
      [{ nbf: NOW_S + 600 }, 'jwt-not-yet-valid'],
      [{ iat: NOW_S + 600 }, 'jwt-not-yet-valid'],
      [{ exp: undefined }, 'jwt-claims-invalid'],
    ] as const) {
      const reply = await get('/scoped', await sign(k1, claims(extra)));
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(
        /^Bearer scope="orders\/read orders\/write" error="invalid_token" error_description="[^"]+"$/,
      );
      expect(answer(reply).cause).toBe(cause);
    }
  });

  it('wants the issuer exactly, trailing slash included', async () => {
    for (const iss of [`${main.issuer}/`, 'https://other.example', undefined]) {
      const reply = await get('/scoped', await sign(k1, claims({ iss })));
      expect(reply.status).toBe(401);
      expect(answer(reply).cause).toBe('jwt-issuer-mismatch');
      expect(reply.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    }
  });

  it('answers a valid token without the route scopes 403 insufficient_scope; scope or scp grant them', async () => {
    const unscoped = await sign(k1, claims({ scope: 'openid profile' }));
    expect(answer(await get('/scoped', unscoped))).toEqual({
      status: 403,
      body: '{"message":"Forbidden"}',
      wwwAuthenticate: INSUFFICIENT,
      errorType: null,
      cause: 'scope-missing',
    });
    // The same token passes where the route wants no scope (ID tokens pass there too).
    expect((await get('/plain', unscoped)).status).toBe(200);
    for (const scopeClaims of [
      { scope: undefined, scp: ['orders/write'] },
      { scope: undefined, scp: 'x orders/read' },
    ]) {
      expect((await get('/scoped', await sign(k1, claims(scopeClaims)))).status).toBe(200);
    }
  });

  it('accepts RSA only: ES256 is refused even when its key is published', async () => {
    const es = await sign(ecKey, claims());
    const reply = await get('/scoped', es);
    expect(answer(reply)).toEqual(
      unauthorized(invalid('signing method ES256 is invalid'), 'jwt-alg-not-allowed'),
    );
  });

  it('refuses the forgeries: alg none, HS256 keyed with the public key, unknown kid, foreign key, tampered', async () => {
    const valid = await sign(k1, claims());
    const forgeries: [string, string][] = [
      [algNone(claims(), 'k1'), 'jwt-alg-not-allowed'],
      [hs256WithPublicKey(k1, claims()), 'jwt-alg-not-allowed'],
      [await sign(foreign, claims(), { kid: 'apigw-authz-unknown-kid' }), 'jwt-kid-unknown'],
      [await sign(foreign, claims()), 'jwt-signature-invalid'],
      [tampered(valid, { scope: 'orders/write' }), 'jwt-signature-invalid'],
      [`${valid.slice(0, 40)} ${valid.slice(40)}`, 'jwt-malformed'],
    ];
    for (const [token, cause] of forgeries) {
      const reply = await get('/scoped', token);
      expect([reply.status, reply.text, answer(reply).cause]).toEqual([
        401,
        '{"message":"Unauthorized"}',
        cause,
      ]);
      expect(reply.headers.get('www-authenticate')).toMatch(
        /^Bearer scope="orders\/read orders\/write" error="invalid_token"/,
      );
    }
  });

  it('fetches the keys once, and again for an unknown kid at most once per cool-down', async () => {
    const discovery = '/main/.well-known/openid-configuration';
    const jwks = '/main/jwks';
    const fetches = () => [main.hits[discovery] ?? 0, main.hits[jwks] ?? 0];
    const start = fetches();
    expect(start).toEqual([1, 1]); // the earlier tests shared one fetch
    main.publish(rotated);
    const rotatedToken = await sign(rotated, claims());
    // Within the cool-down the new kid is unknown, without another fetch.
    expect(answer(await get('/scoped', rotatedToken)).cause).toBe('jwt-kid-unknown');
    expect(fetches()).toEqual(start);
    clockMs += 31_000;
    expect((await get('/scoped', rotatedToken)).status).toBe(200);
    expect(fetches()).toEqual([2, 2]);
    // A kid that is still unknown right after a fetch causes none.
    expect(answer(await get('/scoped', await sign(foreign, claims(), { kid: 'k9' }))).cause).toBe(
      'jwt-kid-unknown',
    );
    expect(fetches()).toEqual([2, 2]);
    clockMs = NOW_S * 1000;
  });
});

describe('serve.issuers: a cloud issuer verified against a local stand-in', () => {
  const CLOUD = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Cloud';
  const cloudModel = () =>
    model({
      api: { kind: 'HTTP', id: API_ID, name: 'jwt-lab', region: REGION },
      stage: { name: '$default', baseUrl: 'https://example.invalid', variables: {} },
      authorizers: [jwtAuthorizer('CognitoJwt', CLOUD, AUDIENCES)],
      routes: [route('GET', '/orders', 'CognitoJwt', ['orders/read'])],
    });

  /** A gateway whose `serve.issuers` maps the cloud issuer to `standIn`. */
  const startWithStandIn = (standIn: string, extra: Partial<StartGatewayOptions> = {}) =>
    startGateway({
      model: cloudModel(),
      config: config(
        {},
        { serve: { requestWithoutCacheMissingSource: 'reject', issuers: { [CLOUD]: { issuer: standIn } } } },
      ),
      now: () => NOW_S * 1000,
      ...extra,
    });

  it('verifies tokens of the mapped local issuer, refuses the cloud iss, and prints the mapping', async () => {
    const gw = await startWithStandIn(main.issuer);
    try {
      expect(gw.notes).toEqual([
        `JWT authorizer CognitoJwt: issuer ${CLOUD} (served by ${main.issuer} via serve.issuers); keys from ${main.issuer}/.well-known/openid-configuration`,
      ]);
      expect(
        (await call(`${gw.url}/orders`, { headers: { Authorization: await sign(k1, claims()) } })).status,
      ).toBe(200);
      const cloudToken = await call(`${gw.url}/orders`, {
        headers: { Authorization: await sign(k1, claims({ iss: CLOUD })) },
      });
      expect(answer(cloudToken).cause).toBe('jwt-issuer-mismatch');
      expect(cloudToken.headers.get('x-apigw-authz-reason')).toContain(
        `served by ${main.issuer} via serve.issuers`,
      );
    } finally {
      await gw.stop();
    }
  });

  it('takes cognito.issuer / cognito.jwksUrl of the authorizer for a Cognito issuer', async () => {
    const gw = await startGateway({
      model: cloudModel(),
      config: config({
        CognitoJwt: {
          cognito: {
            callbackUrl: 'https://oauth.pstmn.io/v1/callback',
            tokenFlow: 'static',
            idpEndpoint: 'http://127.0.0.1:1/',
            issuer: main.issuer,
            jwksUrl: main.jwksUrl,
          },
        },
      }),
      now: () => NOW_S * 1000,
    });
    try {
      expect(gw.notes[0]).toContain('via cognito.issuer');
      expect(
        (await call(`${gw.url}/orders`, { headers: { Authorization: await sign(k1, claims()) } })).status,
      ).toBe(200);
    } finally {
      await gw.stop();
    }
  });

  it('fails closed when the keys cannot be fetched (401, jwks-unreachable)', async () => {
    const gw = await startWithStandIn('http://127.0.0.1:1/nowhere', { jwksTimeoutMs: 500 });
    try {
      const reply = await call(`${gw.url}/orders`, {
        headers: { Authorization: await sign(k1, claims({ iss: 'http://127.0.0.1:1/nowhere' })) },
      });
      expect([reply.status, answer(reply).cause]).toEqual([401, 'jwks-unreachable']);
    } finally {
      await gw.stop();
    }
  });
});

describe('explain on an HTTP JWT route', () => {
  it('names the cause behind the 401 and the 403', async () => {
    const options = {
      model: model({
        api: { kind: 'HTTP' as const, id: API_ID, name: 'jwt-lab', region: REGION },
        stage: { name: '$default', baseUrl: 'https://example.invalid', variables: {} },
        authorizers: [jwtAuthorizer('Jwt', main.issuer, AUDIENCES)],
        routes: [route('GET', '/scoped', 'Jwt', SCOPES)],
      }),
      config: config(),
      now: NOW_S * 1000,
      log: () => undefined,
    };
    const expired = await explainRequest({
      ...options,
      request: { method: 'GET', path: '/scoped' },
      token: await sign(k1, claims({ exp: NOW_S - 10 })),
    });
    expect([expired.verdict.status, expired.rootCause.cause, expired.authorizerKind]).toEqual([
      401,
      'jwt-expired',
      'JWT',
    ]);
    expect(expired.token?.jwt?.claims.iss).toBe(main.issuer);
    const unscoped = await explainRequest({
      ...options,
      request: {
        method: 'GET',
        path: '/scoped',
        headers: { Authorization: await sign(k1, claims({ scope: 'openid' })) },
      },
    });
    expect([unscoped.verdict.status, unscoped.verdict.message, unscoped.rootCause.cause]).toEqual([
      403,
      'Forbidden',
      'scope-missing',
    ]);
    expect(unscoped.verdict.errorType).toBeUndefined();
  });
});
