/**
 * The REST API JWT authorizer, live. `@aws-sdk/client-api-gateway` (3.1142.0) has no `jwtConfiguration` in its
 * model and drops it when it deserializes GetAuthorizers; the reader takes it from the raw response when the
 * service sends it, and otherwise from the deployed export, with one warning line.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIGatewayClient, GetAuthorizersCommand } from '@aws-sdk/client-api-gateway';
import type { AuthModel } from '../../src/model/types.js';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import { readExportDocument } from '../../src/sources/openapi/export-file.js';
import { PARTNER_ISSUER, model, restJwtAuthorizer, route } from '../support/models.js';
import { FakeApiGateway, exportDocumentOf, type FakeRestApi } from './fake-apigateway.js';
import { REST_READ_CALLS, fakeClient, useFakeCredentials } from './helpers.js';

const ISSUER = PARTNER_ISSUER;
const JWT_CONFIGURATION = {
  defaultAlgorithms: ['RS256', 'ES256'],
  issuers: [
    {
      issuer: ISSUER,
      audiences: ['orders-api'],
      jwksUri: 'https://login.partner.example/.well-known/jwks.json',
      additionalClaims: [
        { claimName: 'token_use', format: 'SINGLE_STRING', expectedValues: ['access'], required: true },
      ],
    },
    {
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1',
      audiences: ['4e2x8mple5cl1ent6id7abc890'],
    },
  ],
};

/** A REST API with a JWT authorizer on two methods (one with scopes) and a public one. */
function jwtApi(configuration: unknown = JWT_CONFIGURATION): FakeRestApi {
  const api: FakeRestApi = {
    id: 'restjwt001',
    name: 'orders-rest-jwt',
    authorizers: [
      {
        id: 'jwt123',
        name: 'PartnerJwt',
        type: 'JWT',
        identitySource: 'method.request.header.Authorization',
        jwtConfiguration: configuration,
      },
    ],
    resources: [
      { id: 'root00', path: '/', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE' } } },
      {
        id: 'ord001',
        parentId: 'root00',
        pathPart: 'orders',
        path: '/orders',
        resourceMethods: {
          GET: {
            httpMethod: 'GET',
            authorizationType: 'JWT',
            authorizerId: 'jwt123',
            authorizationScopes: ['orders:read', 'orders/read'],
          },
          POST: { httpMethod: 'POST', authorizationType: 'JWT', authorizerId: 'jwt123' },
        },
      },
    ],
    gatewayResponses: [],
    stages: {},
  };
  api.stages.prod = { deploymentId: 'depjwt', exportDocument: exportDocumentOf(api, 'prod') };
  return api;
}

function expectedModel(): AuthModel {
  return model({
    api: { id: 'restjwt001', name: 'orders-rest-jwt', region: 'us-east-1' },
    stage: {
      name: 'prod',
      baseUrl: 'https://restjwt001.execute-api.us-east-1.amazonaws.com/prod',
      variables: {},
      deploymentId: 'depjwt',
    },
    authorizers: [restJwtAuthorizer('PartnerJwt', 'orders-api')],
    routes: [
      route('GET', '/'),
      route('GET', '/orders', 'PartnerJwt', ['orders:read', 'orders/read']),
      route('POST', '/orders', 'PartnerJwt'),
    ],
  });
}

describe('REST JWT authorizer, live', () => {
  let restoreEnv: () => void;
  beforeAll(() => {
    restoreEnv = useFakeCredentials();
  });
  afterAll(() => restoreEnv());

  it('the installed client really drops jwtConfiguration from GetAuthorizers (the premise of the fallbacks)', async () => {
    const fake = await FakeApiGateway.start({ apis: [jwtApi()], quotas: false });
    try {
      const plain = new APIGatewayClient({ region: 'us-east-1', endpoint: fake.url });
      const out = await plain.send(new GetAuthorizersCommand({ restApiId: 'restjwt001' }));
      expect(out.items?.[0]).toMatchObject({ id: 'jwt123', type: 'JWT' });
      expect(out.items?.[0]).not.toHaveProperty('jwtConfiguration');
    } finally {
      await fake.stop();
    }
  });

  it('the service sends it: read from the raw GetAuthorizers response, no warning, equal to the export model', async () => {
    // Deployed: the configuration before a change; current: the configuration the raw response carries.
    const api = jwtApi();
    const fake = await FakeApiGateway.start({ apis: [api], quotas: false });
    try {
      const live = await loadRestApi({ restApi: 'orders-rest-jwt', stage: 'prod', client: fakeClient(fake) });
      expect(live.warnings).toEqual([]);
      expect(live.model).toEqual(expectedModel());
      const fromExport = readExportDocument(api.stages.prod?.exportDocument, { file: 'export' }).model;
      expect(live.model).toEqual({ ...fromExport, stage: { ...fromExport.stage, deploymentId: 'depjwt' } });
      expect(live.drift).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('the raw response is the current configuration: an undeployed audience change shows as drift', async () => {
    const api = jwtApi();
    const authorizer = api.authorizers[0];
    if (authorizer)
      authorizer.jwtConfiguration = {
        ...JWT_CONFIGURATION,
        issuers: [{ issuer: ISSUER, audiences: ['orders-api-v2'] }],
      };
    const fake = await FakeApiGateway.start({ apis: [api], quotas: false });
    try {
      const live = await loadRestApi({ restApi: 'restjwt001', stage: 'prod', client: fakeClient(fake) });
      expect(live.model.authorizers[0]?.jwt?.issuers).toEqual([
        { issuer: ISSUER, audiences: ['orders-api-v2'], claims: [] },
      ]);
      expect(live.drift.map((f) => f.route)).toEqual(['GET /orders', 'POST /orders']);
      expect(live.drift[0]?.changes).toContain(
        'authorizer PartnerJwt JWT audiences https://login.partner.example/ orders-api, ' +
          'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1 4e2x8mple5cl1ent6id7abc890 -> orders-api-v2',
      );
    } finally {
      await fake.stop();
    }
  });

  it('the response lacks it: one warning line naming the client version, and the deployed export\u2019s configuration', async () => {
    const fake = await FakeApiGateway.start({ apis: [jwtApi()], quotas: false, hideJwtConfiguration: true });
    try {
      const live = await loadRestApi({ restApi: 'restjwt001', stage: 'prod', client: fakeClient(fake) });
      expect(live.warnings).toEqual([
        '@aws-sdk/client-api-gateway 3.1142.0 does not return jwtConfiguration; read the deployed export instead ' +
          '(JWT authorizer PartnerJwt: a change since the last deployment is not seen).',
      ]);
      expect(live.model).toEqual(expectedModel());
      expect(fake.calls.map((c) => c.operation)).toEqual(REST_READ_CALLS);
    } finally {
      await fake.stop();
    }
  });

  it('neither gives it: the model refuses the authorizer in one line (never read as "no auth")', async () => {
    const api = jwtApi();
    const stage = api.stages.prod;
    if (stage) stage.exportDocument = exportDocumentOf({ ...api, authorizers: [], resources: [] }, 'prod');
    const fake = await FakeApiGateway.start({ apis: [api], quotas: false, hideJwtConfiguration: true });
    try {
      const error = await loadRestApi({
        restApi: 'restjwt001',
        stage: 'prod',
        client: fakeClient(fake),
      }).then(
        () => undefined,
        (err: unknown) => err as Error & { toLine(): string },
      );
      expect(error?.name).toBe('UnsupportedAuthorizerError');
      expect(error?.toLine()).toMatch(
        /^restapis\/restjwt001: authorizers\/jwt123\/jwtConfiguration: JWT authorizer PartnerJwt: a JWT authorizer needs jwtConfiguration with issuers\. Fix: /,
      );
    } finally {
      await fake.stop();
    }
  });
});
