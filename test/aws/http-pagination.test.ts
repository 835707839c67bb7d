import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApiGatewayV2Client } from '../../src/sources/aws-http/client.js';
import { loadHttpApi } from '../../src/sources/aws-http/reader.js';
import { readHttpApiDocument } from '../../src/sources/openapi/http-api.js';
import { FakeApiGatewayV2, httpExportDocumentOf, type FakeHttpApi } from './fake-apigatewayv2.js';
import { startFakeForSuite, useFakeCredentials } from './helpers.js';
import { httpExampleApi, syntheticHttpApi } from './http-fixture.js';

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

describe('NextToken pagination', () => {
  let fake: FakeApiGatewayV2;
  // Three APIs in the listing, so that GetApis pages too; the one read is the last listed.
  const apis: FakeHttpApi[] = [
    syntheticHttpApi(3, 'other00001', 'other'),
    httpExampleApi(),
    syntheticHttpApi(7),
  ];

  startFakeForSuite(async () => (fake = await FakeApiGatewayV2.start({ apis, quotas: false })));

  it('page sizes 1..8: every item is read once, and the calls grow with the pages, not with the items', async () => {
    const client = createApiGatewayV2Client({ region: 'us-east-1', endpoint: fake.url, pacing: false });
    let reference: unknown;
    for (let size = 1; size <= 8; size += 1) {
      const before = fake.calls.length;
      const live = await loadHttpApi({ api: 'big-http-api', stage: 'prod', client, pageSize: size });
      const calls = fake.calls.slice(before);
      // GetApis stops at the page that holds the name only after all pages (a name needs the whole listing).
      const expected = pages(3, size) + pages(1, size) + pages(2, size) + pages(7, size) + 1;
      expect(live.calls, `page size ${size}`).toBe(expected);
      expect(calls).toHaveLength(expected);
      expect(calls.filter((c) => c.operation === 'GetRoutes')).toHaveLength(pages(7, size));
      expect(calls.filter((c) => c.operation === 'GetApis')).toHaveLength(pages(3, size));
      // MaxResults goes on the wire as the string the model types it as; each later page carries the token.
      const routes = calls.filter((c) => c.operation === 'GetRoutes');
      expect(routes.every((c) => c.query.maxResults === String(size))).toBe(true);
      expect(routes[0]?.query.nextToken).toBeUndefined();
      expect(routes.slice(1).every((c) => c.query.nextToken !== undefined)).toBe(true);
      expect(live.model.routes).toHaveLength(7);
      expect(live.drift).toEqual([]);
      reference ??= live.model;
      expect(live.model).toEqual(reference);
    }
  });

  it('an id ends the GetApis search at the page that holds it', async () => {
    const client = createApiGatewayV2Client({ region: 'us-east-1', endpoint: fake.url, pacing: false });
    const before = fake.calls.length;
    await loadHttpApi({ api: 'other00001', stage: 'prod', client, pageSize: 1 });
    expect(fake.calls.slice(before).filter((c) => c.operation === 'GetApis')).toHaveLength(1);
  });
});

describe('a large HTTP API under the real quota and the real pacing', () => {
  let fake: FakeApiGatewayV2 | undefined;
  const restoreEnv = useFakeCredentials();
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });
  afterAll(() => restoreEnv());

  it('reads 2,000 routes in pages of 500 without a 429; fewer, larger pages than page size 100', async () => {
    fake = await FakeApiGatewayV2.start({ apis: [syntheticHttpApi(2000)] });
    const client = createApiGatewayV2Client({ region: 'us-east-1', endpoint: fake.url });
    const live = await loadHttpApi({ api: 'httpbig001', client });
    expect(live.model.routes).toHaveLength(2000);
    expect(live.model.stage).toMatchObject({
      name: 'prod',
      variables: { tier: 'prod' },
      deploymentId: 'depbig',
    });
    expect(live.calls).toBe(1 + 1 + 1 + 4 + 1); // GetApis, GetStages, GetAuthorizers, 4 x GetRoutes, ExportApi
    expect(fake.calls.filter((call) => call.status === 429)).toEqual([]);

    const before = fake.calls.length;
    const small = await loadHttpApi({ api: 'httpbig001', client, pageSize: 100 });
    expect(small.calls).toBe(1 + 1 + 1 + 20 + 1);
    expect(fake.calls.slice(before).filter((call) => call.status === 429)).toEqual([]);
    expect(small.model).toEqual(live.model);
  });
});

describe('the fake\u2019s export generator', () => {
  it('exports what the live reader reads (so drift tests can snapshot a configuration as deployed)', async () => {
    const restore = useFakeCredentials();
    const api = httpExampleApi();
    const fake = await FakeApiGatewayV2.start({ apis: [api], quotas: false });
    try {
      const client = createApiGatewayV2Client({ region: 'us-east-1', endpoint: fake.url, pacing: false });
      const live = await loadHttpApi({ api: api.api.apiId, client });
      const generated = readHttpApiDocument(httpExportDocumentOf(api, '$default'), {
        file: 'generated',
      }).model;
      expect(live.model).toEqual({ ...generated, stage: { ...generated.stage, deploymentId: 'dep1a2' } });
    } finally {
      await fake.stop();
      restore();
    }
  });
});
