import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/doctor/index.js';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import { FakeApiGateway, exportDocumentOf, type FakeRestApi } from './fake-apigateway.js';
import { fakeClient, startFakeForSuite } from './helpers.js';
import { PETSTORE_ID, PETSTORE_STAGE, petstoreApi } from './petstore-fixture.js';

/** The example API, changed after its last deployment. */
function driftedApi(): FakeRestApi {
  const api = petstoreApi();
  const stage = api.stages[PETSTORE_STAGE];
  if (!stage) throw new Error('fixture has no stage');
  stage.exportDocument = exportDocumentOf(petstoreApi(), PETSTORE_STAGE); // deployed: the example as it was
  const resource = (path: string) => api.resources.find((candidate) => candidate.path === path);
  const orders = resource('/orders')?.resourceMethods?.GET;
  if (orders) Object.assign(orders, { authorizationType: 'NONE', authorizerId: undefined });
  const post = resource('/pets')?.resourceMethods?.POST;
  if (post) post.authorizationScopes = ['pets/write', 'pets/admin'];
  const token = api.authorizers.find((authorizer) => authorizer.name === 'TokenAuth');
  if (token) token.identityValidationExpression = '^Bearer [A-Za-z0-9._-]+$';
  return api;
}

describe('drift: current configuration vs the deployed stage', () => {
  let fake: FakeApiGateway;
  startFakeForSuite(async () => (fake = await FakeApiGateway.start({ apis: [driftedApi()], quotas: false })));

  it('reports each route whose authorization differs, with the redeploy fix', async () => {
    const live = await loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, client: fakeClient(fake) });
    expect(live.drift.map((finding) => [finding.route, finding.changes])).toEqual([
      [
        'ANY /files/{proxy+}',
        ['authorizer TokenAuth validation expression ^[a-z][a-z0-9-]{3,63}$ -> ^Bearer [A-Za-z0-9._-]+$'],
      ],
      ['GET /orders', ['authorization TokenAuth -> NONE']],
      [
        'DELETE /orders/{orderId}',
        ['authorizer TokenAuth validation expression ^[a-z][a-z0-9-]{3,63}$ -> ^Bearer [A-Za-z0-9._-]+$'],
      ],
      ['POST /pets', ['scopes pets/write -> pets/write, pets/admin']],
    ]);
    for (const finding of live.drift) {
      expect(finding.message).toMatch(/changed but not redeployed .*: redeploy the API to stage prod\.$/);
    }
    // The model is the current configuration; the deployed model is what the stage serves.
    expect(live.model.routes.find((r) => r.path === '/orders')?.authorization).toEqual({ type: 'NONE' });
    expect(live.deployedModel.routes.find((r) => r.path === '/orders')?.authorization.type).toBe(
      'AUTHORIZER',
    );
  });

  it('doctor reports the drift as undeployed changes (live only)', async () => {
    const live = await loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, client: fakeClient(fake) });
    const config = {
      baseDir: '/',
      publicRoutes: ['GET /health', 'GET /orders'],
      depth: 'standard' as const,
      pathParameters: {},
      stageVariables: {},
      authorizers: {},
    };
    const undeployed = diagnose(live.model, config, { drift: live.drift }).filter(
      (f) => f.rule === 'undeployed-changes',
    );
    expect(undeployed.map((finding) => finding.subject).sort()).toEqual(
      ['ANY /files/{proxy+}', 'DELETE /orders/{orderId}', 'GET /orders', 'POST /pets'].sort(),
    );
    expect(undeployed[0]?.fix).toMatch(/^Redeploy the API to stage prod/);
    expect(diagnose(live.model, config).some((f) => f.rule === 'undeployed-changes')).toBe(false);
  });
});
