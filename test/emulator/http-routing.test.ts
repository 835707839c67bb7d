import { randomBytes } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchHttpRoute } from '../../src/emulator/http-routing.js';
import { decideRequest, startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { DEFAULT_ROUTE_PATH, type AuthModel } from '../../src/model/types.js';
import { call } from './helpers.js';
import {
  API_ID,
  REGION,
  config,
  httpLambdaAuthorizer,
  iamAuthorizer,
  jwtAuthorizer,
  model,
  route,
  tokenAuthorizer,
} from '../support/models.js';

/** An HTTP API model of the stage `stage` (default `$default`). */
function httpModel(
  parts: Pick<AuthModel, 'authorizers' | 'routes'> & Partial<AuthModel>,
  stage = '$default',
) {
  return model({
    api: { kind: 'HTTP', id: API_ID, name: 'http-lab', region: REGION },
    stage: { name: stage, baseUrl: `https://${API_ID}.execute-api.${REGION}.amazonaws.com`, variables: {} },
    ...parts,
  });
}

const NOT_FOUND = { status: 404, text: '{"message":"Not Found"}', errorType: null };

describe('matchHttpRoute: the priority of the AWS guide', () => {
  // The guide's own example routes (http-api-develop-routes, "Routing API requests").
  const routes = [
    route('GET', '/pets/dog/1'),
    route('GET', '/pets/dog/{id}'),
    route('GET', '/pets/{proxy+}'),
    route('ANY', '/{proxy+}'),
    route('ANY', DEFAULT_ROUTE_PATH),
  ];

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', {}],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }],
    // `/` is not matched by a greedy variable (it needs one segment): $default takes it.
    ['GET', '/', `ANY ${DEFAULT_ROUTE_PATH}`, {}],
  ])('%s %s -> %s', (method, path, expected, params) => {
    const match = matchHttpRoute(routes, method, path);
    expect(match && `${match.route.method} ${match.route.path}`).toBe(expected);
    expect(match?.pathParameters).toEqual(params);
  });

  it('sends to $default what no route takes, and finds nothing without it', () => {
    const withoutGreedy = routes.filter((r) => r.path !== '/{proxy+}');
    expect(matchHttpRoute(withoutGreedy, 'POST', '/test/5')?.route.path).toBe(DEFAULT_ROUTE_PATH);
    const bare = withoutGreedy.filter((r) => r.path !== DEFAULT_ROUTE_PATH);
    expect(matchHttpRoute(bare, 'POST', '/test/5')).toBeUndefined();
    // `ANY` takes only the methods a path does not define: GET /pets/dog/1 exists, POST does not.
    expect(matchHttpRoute(bare, 'POST', '/pets/dog/1')).toBeUndefined();
  });

  it('prefers a full (non-greedy) match over a greedy one whatever the segment order', () => {
    const match = matchHttpRoute([route('GET', '/x/{proxy+}'), route('GET', '/{a}/b')], 'GET', '/x/b');
    expect(match?.route.path).toBe('/{a}/b');
    // REST ranks segment by segment and would pick /x/{proxy+}.
  });

  it('never matches the $default route by its path text', () => {
    expect(matchHttpRoute([route('GET', DEFAULT_ROUTE_PATH)], 'GET', '/$default')?.route.path).toBe(
      DEFAULT_ROUTE_PATH,
    );
    expect(matchHttpRoute([route('GET', '/pets')], 'GET', '/$default')).toBeUndefined();
  });
});

describe('HTTP API front door: stages, 404, CORS', () => {
  let gw: RunningGateway;
  let staged: RunningGateway;
  const cors = {
    allowOrigin: 'https://app.example.com',
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['authorization', 'content-type'],
  };

  beforeAll(async () => {
    gw = await startGateway({
      model: httpModel({
        authorizers: [jwtAuthorizer('Jwt', 'https://issuer.invalid/', ['aud'])],
        routes: [
          route('GET', '/health'),
          route('GET', '/orders', 'Jwt'),
          route('ANY', '/admin/{proxy+}', 'Jwt'),
          route('OPTIONS', '/open'),
          route('GET', '/open'),
        ],
        cors,
      }),
      config: config(),
    });
    staged = await startGateway({
      model: httpModel(
        {
          authorizers: [jwtAuthorizer('Jwt', 'https://issuer.invalid/', ['aud'])],
          routes: [route('GET', '/health'), route('ANY', DEFAULT_ROUTE_PATH, 'Jwt')],
          cors,
        },
        'prod',
      ),
      config: config(),
    });
  });
  afterAll(async () => {
    await gw.stop();
    await staged.stop();
  });

  it('serves the $default stage without a prefix, and a named stage under its prefix', async () => {
    expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call(`${gw.url}/health`)).body).toMatchObject({ route: 'GET /health' });
    expect(staged.url).toMatch(/\/prod$/);
    expect((await call(`${staged.url}/health`)).body).toMatchObject({ route: 'GET /health' });
    const outside = await call(`${staged.url.replace(/\/prod$/, '')}/health`);
    expect({
      status: outside.status,
      text: outside.text,
      errorType: outside.headers.get('x-amzn-errortype'),
    }).toEqual(NOT_FOUND);
  });

  it('answers 404 {"message":"Not Found"} (not REST 403) when no route and no $default take the request', async () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['POST', '/orders'],
      ['GET', '/admin'],
    ] as const) {
      const reply = await call(`${gw.url}${path}`, { method });
      expect({
        status: reply.status,
        text: reply.text,
        errorType: reply.headers.get('x-amzn-errortype'),
      }).toEqual(NOT_FOUND);
      expect(reply.headers.get('x-apigw-authz-cause')).toBeNull();
    }
  });

  it('sends what no route takes to $default, which runs its authorizer', async () => {
    const reply = await call(`${staged.url}/anything/else`, { method: 'DELETE' });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    expect(reply.headers.get('x-apigw-authz-cause')).toBe('token-missing');
  });

  const preflight = (origin = cors.allowOrigin) => ({
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
  });

  it('answers a preflight no route takes itself: 204 with the configured CORS headers', async () => {
    const reply = await call(`${gw.url}/orders`, preflight());
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(reply.headers.get('access-control-allow-origin')).toBe(cors.allowOrigin);
    expect(reply.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(reply.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    const other = await call(`${gw.url}/orders`, preflight('https://evil.example'));
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('runs the authorizer of a matching ANY or $default route on a preflight (the browser gets 401)', async () => {
    const any = await call(`${gw.url}/admin/users`, preflight());
    expect(any.status).toBe(401);
    expect(any.headers.get('x-apigw-authz-cause')).toBe('token-missing');
    const fallback = await call(`${staged.url}/orders`, preflight());
    expect(fallback.status).toBe(401);
    // An OPTIONS route without authorization answers through its integration.
    const open = await call(`${gw.url}/open`, preflight());
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ route: 'OPTIONS /open' });
    // Not a preflight (no Access-Control-Request-Method): no route, no automatic answer.
    expect(
      (await call(`${gw.url}/orders`, { method: 'OPTIONS', headers: { Origin: cors.allowOrigin } })).status,
    ).toBe(404);
  });

  it('adds Access-Control-Allow-Origin to integration answers only for an allowed Origin', async () => {
    const withOrigin = await call(`${gw.url}/health`, { headers: { Origin: cors.allowOrigin } });
    expect(withOrigin.headers.get('access-control-allow-origin')).toBe(cors.allowOrigin);
    expect((await call(`${gw.url}/health`)).headers.get('access-control-allow-origin')).toBeNull();
    const foreign = await call(`${gw.url}/health`, { headers: { Origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('HTTP API IAM routes', () => {
  const ACCESS_KEY = 'AKIDLOCALHTTPTEST001';
  const SECRET = randomBytes(20).toString('base64');
  let gw: RunningGateway;

  beforeAll(async () => {
    gw = await startGateway({
      model: httpModel({
        authorizers: [iamAuthorizer()],
        routes: [route('POST', '/admin/reindex', 'sigv4')],
      }),
      config: config(),
      env: { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET },
    });
  });
  afterAll(() => gw.stop());

  async function signed(secret: string): Promise<Record<string, string>> {
    const request = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: gw.port,
      path: '/admin/reindex',
      headers: { host: `127.0.0.1:${gw.port}` },
    });
    const signer = new SignatureV4({
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: secret },
      region: REGION,
      service: 'execute-api',
      sha256: Hash.bind(null, 'sha256'),
    });
    return (await signer.sign(request)).headers as Record<string, string>;
  }

  it('lets a SigV4-signed request through, with requestContext.authorizer.iam for the integration', async () => {
    const reply = await call(`${gw.url}/admin/reindex`, { method: 'POST', headers: await signed(SECRET) });
    expect(reply.status).toBe(200);
    expect(reply.body?.authorizer).toMatchObject({ iam: { accessKey: ACCESS_KEY, cognitoIdentity: null } });
  });

  it('answers unsigned and wrong-secret requests 403 {"message":"Forbidden"}, without x-amzn-ErrorType', async () => {
    for (const [headers, cause] of [
      [{}, 'sigv4-missing'],
      [await signed(`${SECRET}x`), 'sigv4-signature-mismatch'],
      [{ Authorization: 'Bearer abc.def.ghi' }, 'sigv4-not-sigv4'],
    ] as const) {
      const reply = await call(`${gw.url}/admin/reindex`, { method: 'POST', headers });
      expect([reply.status, reply.text, reply.headers.get('x-amzn-errortype')]).toEqual([
        403,
        '{"message":"Forbidden"}',
        null,
      ]);
      expect(reply.headers.get('x-apigw-authz-cause')).toBe(cause);
    }
  });
});

describe('authorizer kinds the API type does not have fail closed', () => {
  it('refuses a REST Lambda authorizer on an HTTP API with 500 and a start-up warning', async () => {
    const options = {
      model: httpModel({ authorizers: [tokenAuthorizer('Tok')], routes: [route('GET', '/x', 'Tok')] }),
      config: config(),
    };
    const decision = await decideRequest(options, {
      method: 'GET',
      path: '/x',
      headers: { 'X-Auth-Token': 'allow' },
    });
    expect([decision.status, decision.body, decision.cause, decision.allowed]).toEqual([
      500,
      '{"message":"Internal Server Error"}',
      'authorizer-unsupported',
      false,
    ]);
    const gw = await startGateway({ ...options, host: '127.0.0.1' });
    try {
      expect(gw.warnings.join('\n')).toMatch(/authorizer Tok: TOKEN authorizers exist on REST APIs only/);
    } finally {
      await gw.stop();
    }
  });

  it('refuses an HTTP Lambda authorizer on a REST API with 500 AuthorizerConfigurationException', async () => {
    const decision = await decideRequest(
      {
        model: model({ authorizers: [httpLambdaAuthorizer('HL')], routes: [route('GET', '/x', 'HL')] }),
        config: config(),
      },
      { method: 'GET', path: '/x?tenant=t', headers: { 'X-Api-Token': 't' } },
    );
    expect([decision.status, decision.errorType, decision.cause]).toEqual([
      500,
      'AuthorizerConfigurationException',
      'authorizer-unsupported',
    ]);
  });
});
