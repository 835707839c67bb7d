import { describe, expect, it } from 'vitest';
import {
  AwsAccessDeniedError,
  AwsCredentialsError,
  AwsNotFoundError,
  AwsRequestError,
  InputError,
  UnsupportedAuthorizerError,
  UsageError,
  type ApigwAuthzError,
} from '../../src/errors.js';
import { createApiGatewayV2Client } from '../../src/sources/aws-http/client.js';
import { loadHttpApi, type LoadHttpApiOptions } from '../../src/sources/aws-http/reader.js';
import { HTTP_API_ID } from '../support/models.js';
import { FakeApiGatewayV2, httpExportDocumentOf, type FakeHttpApi } from './fake-apigatewayv2.js';
import { FAKE_ACCESS_KEY, oneLineFailure, startFakeForSuite, useFakeCredentials } from './helpers.js';
import { httpExampleApi, syntheticHttpApi } from './http-fixture.js';

/** An input error (exit 2) or an AWS one (exit 3), in one line naming the call or the place and a fix. */
const failure = (promise: Promise<unknown>): Promise<ApigwAuthzError> => oneLineFailure(promise);

/** Two HTTP APIs named `twin`, a WebSocket API, an API with two stages and no `$default`, a broken one. */
function listing(): FakeHttpApi[] {
  const twinA = syntheticHttpApi(2, 'twin00000a', 'twin');
  const twinB = syntheticHttpApi(2, 'twin00000b', 'twin');
  const socket = syntheticHttpApi(1, 'sock000001', 'chat');
  socket.api.protocolType = 'WEBSOCKET';
  const staged = syntheticHttpApi(2, 'stag000001', 'staged');
  const prod = staged.stages.prod;
  if (prod) staged.stages.dev = { ...prod, deploymentId: 'depdev' };
  const broken = syntheticHttpApi(2, 'brok000001', 'broken');
  const jwt = broken.authorizers[0];
  if (jwt) jwt.jwtConfiguration = { issuer: 'https://issuer.example.com', audience: 'client-1' };
  return [httpExampleApi(), twinA, twinB, socket, staged, broken];
}

describe('live HTTP API errors: one line each, exit 2 (input) or 3 (AWS)', () => {
  let fake: FakeApiGatewayV2;
  startFakeForSuite(
    async () =>
      (fake = await FakeApiGatewayV2.start({
        apis: listing(),
        quotas: false,
        accessKeys: [FAKE_ACCESS_KEY],
      })),
  );

  const read = (options: Partial<LoadHttpApiOptions> = {}) =>
    loadHttpApi({
      api: HTTP_API_ID,
      client: createApiGatewayV2Client({
        region: 'us-east-1',
        endpoint: fake.url,
        maxAttempts: 2,
        pacing: false,
      }),
      ...options,
    });

  it('a name several HTTP APIs share -> UsageError listing their ids', async () => {
    const error = await failure(read({ api: 'twin' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.toLine()).toBe(
      '2 HTTP APIs in us-east-1 are named "twin". Fix: pass the id instead: twin00000a, twin00000b.',
    );
  });

  it('a WebSocket API id -> UsageError; its name is not an HTTP API name', async () => {
    const error = await failure(read({ api: 'sock000001' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/is a WEBSOCKET API, not an HTTP API/);
    expect(await failure(read({ api: 'chat' }))).toBeInstanceOf(AwsNotFoundError);
  });

  it('an unknown id or name -> AwsNotFoundError pointing at --region', async () => {
    const error = await failure(read({ api: 'zzzzzzzzzz' }));
    expect(error).toBeInstanceOf(AwsNotFoundError);
    expect(error.toLine()).toMatch(/^GetApis \(us-east-1\): no HTTP API with the id or name "zzzzzzzzzz"/);
    expect(error.fix).toMatch(/--region \(us-east-1\) .*\(5 HTTP APIs found there\)/);
  });

  it('several stages and no $default without --stage -> UsageError listing them; an unknown stage -> not found', async () => {
    const many = await failure(read({ api: 'staged' }));
    expect(many).toBeInstanceOf(UsageError);
    expect(many.toLine()).toBe(
      'HTTP API stag000001 has 2 stages and no $default stage. Fix: pass --stage with one of: prod, dev.',
    );
    const live = await read({ api: 'staged', stage: 'dev' });
    expect(live.model.stage).toMatchObject({ name: 'dev', deploymentId: 'depdev' });
    expect(live.model.stage.baseUrl).toBe('https://stag000001.execute-api.us-east-1.amazonaws.com/dev');
    const missing = await failure(read({ api: 'staged', stage: 'nope' }));
    expect(missing).toBeInstanceOf(AwsNotFoundError);
    expect(missing.toLine()).toMatch(
      /^GetStages \(HTTP API stag000001, us-east-1\): the API has no stage "nope"/,
    );
  });

  it('an authorizer AWS describes in a way the model cannot hold -> UnsupportedAuthorizerError at its place', async () => {
    const error = await failure(read({ api: 'broken', stage: 'prod' }));
    expect(error).toBeInstanceOf(UnsupportedAuthorizerError);
    expect(error).toBeInstanceOf(InputError);
    expect(error.toLine()).toBe(
      'apis/brok000001: authorizers/jwt001/jwtConfiguration/audience: Audience must be a list of strings, not "client-1". ' +
        'Fix: Write audience as a list, e.g. audience: [my-client-id].',
    );
  });

  it('expired credentials -> AwsCredentialsError naming the call', async () => {
    fake.inject({ kind: 'expired-token', operation: 'GetApis' });
    const error = await failure(read());
    expect(error).toBeInstanceOf(AwsCredentialsError);
    expect(error.toLine()).toMatch(
      /^GetApis \(HTTP API h1t2p3a4p5, us-east-1\) failed: the AWS credentials have expired/,
    );
  });

  it('an unknown access key -> AwsCredentialsError', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAUNKNOWNUNKNOWNXX';
    try {
      const error = await failure(
        read({ client: createApiGatewayV2Client({ endpoint: fake.url, pacing: false }) }),
      );
      expect(error).toBeInstanceOf(AwsCredentialsError);
      expect(error.toLine()).toMatch(/UnrecognizedClientException/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = FAKE_ACCESS_KEY;
    }
  });

  it('access denied on GetRoutes -> AwsAccessDeniedError naming the call, the stage and the v2 resource', async () => {
    fake.inject({ kind: 'access-denied', operation: 'GetRoutes' });
    const error = await failure(read());
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error.toLine()).toMatch(
      /^GetRoutes \(HTTP API h1t2p3a4p5, stage \$default, us-east-1\) was denied/,
    );
    expect(error.fix).toBe(
      'allow the read-only action apigateway:GET on arn:aws:apigateway:us-east-1::/apis/* for this identity.',
    );
  });

  it('a server error that persists -> AwsRequestError after the retries', async () => {
    fake.inject({ kind: 'server-error', operation: 'ExportApi', times: 2 });
    const error = await failure(read());
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.toLine()).toMatch(/^ExportApi \(.*\) failed \(InternalFailure 500: Internal server error\)/);
    expect(fake.statusesOf('ExportApi').slice(-2)).toEqual([500, 500]);
  });

  it('throttling: the adaptive retry honours 429 and the read succeeds; persistent throttling -> AwsRequestError', async () => {
    fake.options.retryAfterSeconds = 0;
    fake.inject({ kind: 'throttle', operation: 'GetAuthorizers', times: 2 });
    const before = fake.calls.length;
    const live = await read({
      client: createApiGatewayV2Client({
        region: 'us-east-1',
        endpoint: fake.url,
        maxAttempts: 3,
        pacing: false,
      }),
    });
    expect(live.model.authorizers.map((a) => a.name)).toContain('CognitoJwt');
    expect(fake.statusesOf('GetAuthorizers', before)).toEqual([429, 429, 200]);
    expect(live.calls).toBe(5); // retries are not calls

    fake.inject({ kind: 'throttle', operation: 'GetAuthorizers', times: 2 });
    const error = await failure(read());
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.toLine()).toMatch(
      /^GetAuthorizers \(HTTP API h1t2p3a4p5, stage \$default, us-east-1\) was throttled after 2 attempts/,
    );
    expect(error.fix).toMatch(/10 requests per second/);
  });
});

describe('without client-side pacing, the fake\u2019s quota answers 429 and the retries still complete the read', () => {
  it('reads 1,200 routes in pages of 25 (50 GetRoutes in a burst)', async () => {
    const restore = useFakeCredentials();
    const fake = await FakeApiGatewayV2.start({
      apis: [syntheticHttpApi(1200)],
      quotas: { overall: { limit: 10, windowMs: 200 } },
      retryAfterSeconds: 0,
    });
    try {
      const client = createApiGatewayV2Client({
        region: 'us-east-1',
        endpoint: fake.url,
        pacing: false,
        maxAttempts: 10,
      });
      const live = await loadHttpApi({ api: 'httpbig001', client, pageSize: 25 });
      expect(live.model.routes).toHaveLength(1200);
      expect(fake.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    } finally {
      await fake.stop();
      restore();
    }
  });
});

describe('drift: the current configuration against the stage\u2019s export', () => {
  it('reports routes changed but not redeployed', async () => {
    const restore = useFakeCredentials();
    const api = httpExampleApi();
    const stage = api.stages.$default;
    if (!stage) throw new Error('fixture has no stage');
    stage.exportDocument = httpExportDocumentOf(httpExampleApi(), '$default'); // deployed: as it was
    const orders = api.routes.find((r) => r.routeKey === 'GET /orders');
    if (orders) orders.authorizationScopes = ['orders/read', 'orders/admin'];
    const reports = api.routes.find((r) => r.routeKey === 'GET /reports');
    if (reports) Object.assign(reports, { authorizationType: 'NONE', authorizerId: undefined });
    const partner = api.authorizers.find((a) => a.name === 'PartnerJwt');
    if (partner) partner.jwtConfiguration = { audience: ['other'], issuer: 'https://login.partner.example/' };
    api.routes.push({ routeId: 'r10', routeKey: 'DELETE /orders/{orderId}', authorizationType: 'AWS_IAM' });
    const fake = await FakeApiGatewayV2.start({ apis: [api], quotas: false });
    try {
      const client = createApiGatewayV2Client({ region: 'us-east-1', endpoint: fake.url, pacing: false });
      const live = await loadHttpApi({ api: HTTP_API_ID, client });
      expect(live.drift.map((finding) => [finding.route, finding.changes])).toEqual([
        ['GET /orders', ['scopes orders/read -> orders/read, orders/admin']],
        ['DELETE /orders/{orderId}', ['the route is not deployed']],
        [
          'GET /partner/orders',
          ['authorizer PartnerJwt JWT audiences https://orders.example.com/api -> other'],
        ],
        ['GET /reports', ['authorization LambdaAuth -> NONE']],
      ]);
      expect(live.drift.every((f) => f.message.endsWith('redeploy the API to stage $default.'))).toBe(true);
    } finally {
      await fake.stop();
      restore();
    }
  });
});
