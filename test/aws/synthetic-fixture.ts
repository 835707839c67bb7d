import { exportDocumentOf, type FakeResource, type FakeRestApi } from './fake-apigateway.js';

/**
 * A large API: `methods` resources `/items/r0000`..., each with one GET behind a TOKEN authorizer, deployed to
 * stage `prod` as it is.
 */
export function syntheticApi(methods: number, id = 'big0000001', name = 'big-api'): FakeRestApi {
  const resources: FakeResource[] = [
    { id: 'root', path: '/' },
    { id: 'items', parentId: 'root', pathPart: 'items', path: '/items' },
  ];
  for (let i = 0; i < methods; i += 1) {
    const part = `r${String(i).padStart(4, '0')}`;
    resources.push({
      id: `res${i}`,
      parentId: 'items',
      pathPart: part,
      path: `/items/${part}`,
      resourceMethods: {
        GET: { httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: 'tok1', apiKeyRequired: false },
      },
    });
  }
  const api: FakeRestApi = {
    id,
    name,
    authorizers: [
      {
        id: 'tok1',
        name: 'TokenAuth',
        type: 'TOKEN',
        authorizerUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 0,
      },
    ],
    resources,
    gatewayResponses: [],
    stages: {},
  };
  api.stages.prod = { deploymentId: 'dep0001', variables: {}, exportDocument: exportDocumentOf(api, 'prod') };
  return api;
}
