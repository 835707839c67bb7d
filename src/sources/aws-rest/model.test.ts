import { describe, expect, it } from 'vitest';
import { UnsupportedAuthorizerError } from '../../errors.js';
import { buildModelFromAws, type RawRestApi } from './model.js';

const raw = (patch: Partial<RawRestApi> = {}): RawRestApi => ({
  id: 'abc123defg',
  name: 'api',
  region: 'eu-west-1',
  stage: { stageName: 'dev', deploymentId: 'd1', variables: { v: '1' } },
  authorizers: [
    {
      id: 'a1',
      name: 'Tok',
      type: 'TOKEN',
      identitySource: 'method.request.header.X-Token',
      identityValidationExpression: '^t$',
    },
    {
      id: 'a2',
      name: 'Req',
      type: 'REQUEST',
      identitySource: 'method.request.header.H, context.sourceIp',
      identityValidationExpression: 'ignored',
      authorizerResultTtlInSeconds: 0,
    },
  ],
  resources: [
    {
      id: 'r1',
      path: '/x',
      resourceMethods: {
        GET: {
          httpMethod: 'GET',
          authorizationType: 'CUSTOM',
          authorizerId: 'a1',
          authorizationScopes: ['ignored'],
        },
        POST: { httpMethod: 'POST', authorizationType: 'CUSTOM', authorizerId: 'a2', apiKeyRequired: true },
      },
    },
  ],
  gatewayResponses: [
    {
      responseType: 'UNAUTHORIZED',
      statusCode: '401',
      responseParameters: {},
      responseTemplates: {},
      defaultResponse: true,
    },
    {
      responseType: 'ACCESS_DENIED',
      statusCode: '403',
      responseParameters: { 'gatewayresponse.header.X': "'y'" },
      responseTemplates: { 'b/b': '2', 'a/a': '1' },
      defaultResponse: false,
    },
  ],
  ...patch,
});

describe('buildModelFromAws', () => {
  it('builds the model: default TTL, stage URL and variables, scopes only for Cognito, customized responses only', () => {
    const model = buildModelFromAws(raw());
    expect(model.api).toEqual({ name: 'api', id: 'abc123defg', region: 'eu-west-1' });
    expect(model.stage).toEqual({
      name: 'dev',
      baseUrl: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev',
      variables: { v: '1' },
      deploymentId: 'd1',
    });
    expect(
      model.authorizers.map((a) => [
        a.name,
        a.ttlSeconds,
        a.validationExpression,
        a.identitySources.map((s) => s.location),
      ]),
    ).toEqual([
      ['Req', 0, undefined, ['header', 'context']],
      ['Tok', 300, '^t$', ['header']],
    ]);
    expect(model.routes).toEqual([
      {
        method: 'GET',
        path: '/x',
        authorization: { type: 'AUTHORIZER', authorizer: 'Tok', scopes: [] },
        apiKeyRequired: false,
      },
      {
        method: 'POST',
        path: '/x',
        authorization: { type: 'AUTHORIZER', authorizer: 'Req', scopes: [] },
        apiKeyRequired: true,
      },
    ]);
    expect(model.gatewayResponses).toEqual([
      {
        type: 'ACCESS_DENIED',
        statusCode: 403,
        headers: [{ name: 'X', value: 'y' }],
        templates: { 'a/a': '1', 'b/b': '2' },
      },
    ]);
    expect(model.cors).toBeUndefined();
  });

  it.each([
    [
      'an unknown authorizer type',
      { authorizers: [{ id: 'a1', name: 'Oidc', type: 'OIDC' as never }] },
      /Unknown authorizer type: OIDC/,
    ],
    [
      'an identity source that is not one',
      {
        authorizers: [
          { id: 'a1', name: 'Req', type: 'REQUEST' as const, identitySource: 'method.request.path.id' },
        ],
      },
      /identity source we cannot read: method\.request\.path\.id/,
    ],
    [
      'a method pointing at a missing authorizer',
      { authorizers: [] },
      /uses authorizer a1, which GetAuthorizers did not return/,
    ],
    [
      'an unknown authorizationType',
      {
        resources: [
          { id: 'r', path: '/', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'MAGIC' } } },
        ],
      },
      /unknown authorizationType: MAGIC/,
    ],
  ])('never reads %s as "no auth"', (_name, patch, message) => {
    expect(() => buildModelFromAws(raw(patch))).toThrow(UnsupportedAuthorizerError);
    expect(() => buildModelFromAws(raw(patch))).toThrow(message);
  });
});

describe('buildModelFromAws: apiKeySource', () => {
  it.each<[string | undefined, 'AUTHORIZER' | undefined]>([
    ['AUTHORIZER', 'AUTHORIZER'],
    // HEADER is the default: left out, as the export reader leaves it out, so both models are equal.
    ['HEADER', undefined],
    [undefined, undefined],
  ])('RestApi.apiKeySource %j -> %j', (apiKeySource, want) => {
    const model = buildModelFromAws(raw(apiKeySource === undefined ? {} : { apiKeySource }));
    expect(model.api.apiKeySource).toBe(want);
    expect(Object.keys(model.api)).toEqual(['name', 'id', 'region', ...(want ? ['apiKeySource'] : [])]);
  });
});
