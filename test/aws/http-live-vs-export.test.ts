import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { AuthModel } from '../../src/model/types.js';
import { createApiGatewayV2Client } from '../../src/sources/aws-http/client.js';
import { loadHttpApi } from '../../src/sources/aws-http/reader.js';
import { loadExport } from '../../src/sources/openapi/export-file.js';
import { HTTP_API_ID, httpExampleModel } from '../support/models.js';
import { FakeApiGatewayV2 } from './fake-apigatewayv2.js';
import { generatedText, startFakeForSuite } from './helpers.js';
import {
  HTTP_EXAMPLE_DEPLOYMENT,
  HTTP_EXAMPLE_FILE,
  HTTP_EXAMPLE_NAME,
  httpExampleApiWithExampleExport,
} from './http-fixture.js';

const CONFIG_FILE = fileURLToPath(new URL('../../examples/orders-http.config.yaml', import.meta.url));

describe('live HTTP API reader against the fake v2 control plane serving the bundled HTTP example', () => {
  let fake: FakeApiGatewayV2;
  const client = () => createApiGatewayV2Client({ region: 'us-east-1', endpoint: fake.url });
  // The stage exports examples/orders-http.openapi.json verbatim: the deployed view is the bundled export.
  startFakeForSuite(
    async () =>
      (fake = await FakeApiGatewayV2.start({ apis: [httpExampleApiWithExampleExport()], quotas: false })),
  );

  it('reads the model httpExampleModel() describes, equal to the export reader\u2019s model of the bundled export', async () => {
    const live = await loadHttpApi({ api: HTTP_API_ID, client: client() });
    const fromExport = (await loadExport(HTTP_EXAMPLE_FILE)).model;
    const withDeployment = (model: AuthModel): AuthModel => ({
      ...model,
      stage: { ...model.stage, deploymentId: HTTP_EXAMPLE_DEPLOYMENT },
    });
    expect(live.model).toEqual(withDeployment(fromExport));
    expect(live.model).toEqual(withDeployment(httpExampleModel()));
    // ExportApi of the stage is the same configuration: nothing undeployed.
    expect(live.deployedModel).toEqual(live.model);
    expect(live.drift).toEqual([]);
  });

  it('generates a byte-identical collection and environment from the live API and from the export', async () => {
    const config = await loadConfig(CONFIG_FILE, process.cwd());
    const live = await loadHttpApi({ api: HTTP_EXAMPLE_NAME, client: client() });
    const fromExport = (await loadExport(HTTP_EXAMPLE_FILE)).model;
    const fromLive = generatedText(live.model, config);
    expect(fromLive).toEqual(generatedText(fromExport, config));
    expect((JSON.parse(fromLive.collection) as { item: unknown[] }).item.length).toBeGreaterThan(0);
  });

  it('resolves a name through GetApis and makes only read calls, in order, with MaxResults as a string', async () => {
    const before = fake.calls.length;
    const progress: { call: string; done: number }[] = [];
    const live = await loadHttpApi({
      api: HTTP_EXAMPLE_NAME,
      client: client(),
      onProgress: (p) => progress.push(p),
    });
    expect(live.model.api).toEqual({
      kind: 'HTTP',
      name: HTTP_EXAMPLE_NAME,
      id: HTTP_API_ID,
      region: 'us-east-1',
    });
    const calls = fake.calls.slice(before);
    expect(calls.map((call) => call.operation)).toEqual([
      'GetApis',
      'GetStages',
      'GetAuthorizers',
      'GetRoutes',
      'ExportApi',
    ]);
    expect(calls.every((call) => call.method === 'GET')).toBe(true);
    expect(live.calls).toBe(5);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5]);
    expect(calls.find((call) => call.operation === 'GetRoutes')).toMatchObject({
      path: `/v2/apis/${HTTP_API_ID}/routes`,
      query: { maxResults: '500' },
    });
    const exported = calls.find((call) => call.operation === 'ExportApi');
    expect(exported?.path).toBe(`/v2/apis/${HTTP_API_ID}/exports/OAS30`);
    expect(exported?.query).toEqual({ includeExtensions: 'true', outputType: 'JSON', stageName: '$default' });
  });

  it('takes the $default stage without --stage, and the base URL has no stage segment', async () => {
    const live = await loadHttpApi({ api: HTTP_API_ID, client: client() });
    expect(live.model.stage.name).toBe('$default');
    expect(live.model.stage.baseUrl).toBe(`https://${HTTP_API_ID}.execute-api.us-east-1.amazonaws.com`);
  });

  it('honours AWS_ENDPOINT_URL_APIGATEWAYV2 and the default credential chain', async () => {
    process.env.AWS_ENDPOINT_URL_APIGATEWAYV2 = fake.url;
    try {
      const before = fake.calls.length;
      const live = await loadHttpApi({ api: HTTP_API_ID, region: 'us-east-1' });
      expect(live.model.api.id).toBe(HTTP_API_ID);
      const calls = fake.calls.slice(before);
      expect(calls).toHaveLength(5);
      expect(calls.every((call) => call.accessKeyId === 'AKIAFAKEFAKEFAKEFAKE')).toBe(true);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_APIGATEWAYV2;
    }
  });
});
