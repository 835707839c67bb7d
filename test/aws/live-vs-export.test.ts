import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import { parseExportText } from '../../src/sources/openapi/export-file.js';
import { FakeApiGateway, exportDocumentOf, type FakeRestApi } from './fake-apigateway.js';
import {
  REST_READ_CALLS,
  fakeClient,
  generatedText,
  startFakeForSuite,
  useFakeCredentials,
} from './helpers.js';
import {
  EXAMPLE_FILE,
  PETSTORE_DEPLOYMENT,
  PETSTORE_ID,
  PETSTORE_NAME,
  PETSTORE_STAGE,
  exampleText,
  petstoreApi,
} from './petstore-fixture.js';

describe('live reader against the fake control plane serving the example API', () => {
  let fake: FakeApiGateway;
  // Quotas are the subject of pacing.test.ts; here they would only make separate clients wait for each other.
  startFakeForSuite(
    async () => (fake = await FakeApiGateway.start({ apis: [petstoreApi()], quotas: false })),
  );

  it('yields the same model as the export reader (the live model also knows the deployment id)', async () => {
    const live = await loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, client: fakeClient(fake) });
    const fromExport = parseExportText(exampleText(), EXAMPLE_FILE);
    expect(live.model).toEqual({
      ...fromExport,
      stage: { ...fromExport.stage, deploymentId: PETSTORE_DEPLOYMENT },
    });
    expect(live.model.stage.deploymentId).toBe(PETSTORE_DEPLOYMENT);
    // The deployed view (GetExport) is the same deployment, so there is no drift.
    expect(live.deployedModel).toEqual(live.model);
    expect(live.drift).toEqual([]);
  });

  it('generates the same collection and environment as the export of the same API', async () => {
    const configFile = fileURLToPath(new URL('../../examples/apigw-authz.config.yaml', import.meta.url));
    const config = await loadConfig(configFile, process.cwd());
    const live = await loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, client: fakeClient(fake) });
    const fromExport = parseExportText(exampleText(), EXAMPLE_FILE);
    const fromLive = generatedText(live.model, config);
    expect(fromLive).toEqual(generatedText(fromExport, config));
    expect(JSON.parse(fromLive.collection)).toHaveProperty('item');
  });

  it('names the IAM pseudo-authorizer sigv4, as the export does', async () => {
    const live = await loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, client: fakeClient(fake) });
    const admin = live.model.routes.find((route) => route.path === '/admin/{proxy+}');
    expect(admin?.authorization).toEqual({ type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] });
    expect(live.model.authorizers.find((a) => a.name === 'sigv4')?.kind).toBe('AWS_IAM');
  });

  it('resolves a name to the id through GetRestApis and uses only read calls', async () => {
    const before = fake.calls.length;
    const progress: { call: string; done: number }[] = [];
    const live = await loadRestApi({
      restApi: PETSTORE_NAME,
      stage: PETSTORE_STAGE,
      client: fakeClient(fake),
      onProgress: (p) => progress.push(p),
    });
    expect(live.model.api).toEqual({ name: PETSTORE_NAME, id: PETSTORE_ID, region: 'us-east-1' });
    const calls = fake.calls.slice(before);
    expect(calls.map((call) => call.operation)).toEqual(REST_READ_CALLS);
    expect(calls.every((call) => call.method === 'GET')).toBe(true);
    expect(live.calls).toBe(6);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    const resources = calls.find((call) => call.operation === 'GetResources');
    expect(resources?.query).toMatchObject({ embed: 'methods', limit: '500' });
    const exported = calls.find((call) => call.operation === 'GetExport');
    expect(exported?.path).toBe(`/restapis/${PETSTORE_ID}/stages/${PETSTORE_STAGE}/exports/oas30`);
    expect(exported?.query).toEqual({ extensions: 'authorizers' });
    expect(exported?.accept).toBe('application/json');
  });

  it('honours AWS_ENDPOINT_URL_API_GATEWAY and the default credential chain', async () => {
    process.env.AWS_ENDPOINT_URL_API_GATEWAY = fake.url;
    try {
      const before = fake.calls.length;
      const live = await loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, region: 'us-east-1' });
      expect(live.model.api.id).toBe(PETSTORE_ID);
      expect(fake.calls.slice(before).every((call) => call.accessKeyId === 'AKIAFAKEFAKEFAKEFAKE')).toBe(
        true,
      );
    } finally {
      delete process.env.AWS_ENDPOINT_URL_API_GATEWAY;
    }
  });
});

describe('an API without any authorizer', () => {
  it('reads, although its export has no x-amazon-apigateway extension', async () => {
    const restoreEnv = useFakeCredentials();
    const api: FakeRestApi = {
      id: 'open000001',
      name: 'open-api',
      authorizers: [],
      resources: [
        { id: 'root', path: '/', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE' } } },
      ],
      gatewayResponses: [],
      stages: {},
    };
    api.stages.prod = { deploymentId: 'd1', exportDocument: exportDocumentOf(api, 'prod') };
    const fake = await FakeApiGateway.start({ apis: [api], quotas: false });
    try {
      const live = await loadRestApi({ restApi: 'open-api', stage: 'prod', client: fakeClient(fake) });
      expect(live.model.routes).toEqual([
        { method: 'GET', path: '/', authorization: { type: 'NONE' }, apiKeyRequired: false },
      ]);
      expect(live.drift).toEqual([]);
    } finally {
      await fake.stop();
      restoreEnv();
    }
  });
});
