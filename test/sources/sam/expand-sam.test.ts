/**
 * expandSam beyond the headline behaviours: explicit DefinitionBody (trap 6), API keys and the preflight, gateway
 * responses and Globals, MergeDefinitions with conditions and OpenAPI 3, and the templates the translator refuses.
 */

import { describe, expect, it } from 'vitest';

import { InvalidTemplateError } from '../../../src/errors.js';
import type { Route } from '../../../src/model/types.js';

import { FIXTURES, bodyOf, expand, loadFixture, resourcesOfType, samModel } from './helpers.js';

type Json = Record<string, unknown>;

function routeTable(routes: Route[]): string[] {
  return routes.map((r) => {
    const auth = r.authorization.type === 'NONE' ? 'NONE' : r.authorization.authorizer;
    return `${r.method} ${r.path} ${auth}${r.apiKeyRequired ? ' +key' : ''}`;
  });
}

function operation(body: Json, path: string, method: string): Json {
  return ((body.paths as Json)[path] as Json)[method] as Json;
}

describe('an API with its own DefinitionBody', () => {
  const { model, body, warnings } = samModel('definition-body.yaml', 'InventoryApi');

  it('applies the DefaultAuthorizer only to methods with an integration', () => {
    expect(routeTable(model.routes)).toEqual([
      'GET /docs NONE',
      'GET /items InventoryToken',
      'POST /items AdminToken',
    ]);
    expect(operation(body, '/docs', 'get').security).toBeUndefined();
  });

  it("ignores an event's Auth without OverrideApiAuth, and says so", () => {
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /#\/Resources\/ItemsFunction\/Properties\/Events\/ListItems\/Properties\/Auth: ignored: API "InventoryApi" has its own DefinitionBody/,
      ),
    );
    expect(warnings.filter((w) => w.includes('has its own DefinitionBody'))).toHaveLength(1);
  });

  it('adds no paths from events (only the body has routes)', () => {
    expect(Object.keys(body.paths as Json)).toEqual(['/items', '/docs']);
  });
});

describe('API keys, the preflight, gateway responses and Globals', () => {
  const { model, body } = samModel('api-keys.yaml', 'PartnerApi');

  it('requires the API key on every integrated method except an event that opts out', () => {
    expect(routeTable(model.routes)).toEqual([
      'GET /quotes PartnerToken +key',
      'OPTIONS /quotes PartnerToken',
      'GET /status NONE',
      'OPTIONS /status PartnerToken',
    ]);
    // The NONE marker goes with the default-authorizer pass because api_key_false was left; that one goes next.
    expect(operation(body, '/status', 'get').security).toEqual([]);
  });

  it('leaves the key off OPTIONS when Globals set AddApiKeyRequiredToCorsPreflight: false', () => {
    expect(operation(body, '/quotes', 'options').security).toEqual([{ PartnerToken: [] }]);
    expect((body.securityDefinitions as Json).api_key).toEqual({
      type: 'apiKey',
      name: 'x-api-key',
      in: 'header',
    });
  });

  it('expands ResponseParameters and merges Globals gateway responses with the API', () => {
    expect(body['x-amazon-apigateway-gateway-responses']).toEqual({
      DEFAULT_4XX: {
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
        responseTemplates: {},
      },
      UNAUTHORIZED: {
        responseParameters: {
          'gatewayresponse.header.WWW-Authenticate': "'Bearer'",
          'gatewayresponse.querystring.hint': 'method.request.querystring.hint',
        },
        responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
        statusCode: '401',
      },
    });
    expect(model.gatewayResponses.map((r) => [r.type, r.statusCode])).toEqual([
      ['DEFAULT_4XX', undefined],
      ['UNAUTHORIZED', 401],
    ]);
  });

  it('puts ApiKeySourceType on the RestApi and the stage variables on the stage', () => {
    const { template } = expand(loadFixture('api-keys.yaml'));
    expect((template.Resources as Record<string, Json>).PartnerApi?.Properties).toMatchObject({
      ApiKeySourceType: 'AUTHORIZER',
    });
    expect(resourcesOfType(template, 'AWS::ApiGateway::Stage')).toEqual({
      PartnerApipartnersStage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: expect.objectContaining({
          StageName: 'partners',
          Variables: { tier: 'gold' },
        }) as unknown,
      },
    });
  });
});

describe('MergeDefinitions', () => {
  it("merges the event's method into the user's, the generated keys winning, with the event's Auth", () => {
    const { model, body } = samModel('merge-definitions.yaml', 'CatalogApi', { BetaEnabled: false });
    const get = operation(body, '/products', 'get');
    expect(get.summary).toBe('List products');
    expect(get.responses).toEqual({});
    expect(get.security).toEqual([{ CatalogToken: [] }]);
    expect(routeTable(model.routes)).toEqual(['GET /products CatalogToken']);
  });

  it("wraps a conditional function's methods in Fn::If: the route exists only when the condition holds", () => {
    const body = bodyOf(expand(loadFixture('merge-definitions.yaml')).template, 'CatalogApi');
    expect(operation(body, '/beta', 'post')).toMatchObject({
      'Fn::If': [
        'BetaEnabled',
        expect.objectContaining({ security: [{ CatalogToken: [] }] }),
        { Ref: 'AWS::NoValue' },
      ],
    });
    const enabled = samModel('merge-definitions.yaml', 'CatalogApi', { BetaEnabled: true });
    expect(routeTable(enabled.model.routes)).toEqual([
      'POST /beta CatalogToken',
      'GET /products CatalogToken',
    ]);
  });

  it('keeps an OpenAPI 3 body OpenAPI 3: schemes under components.securitySchemes, no stray stage', () => {
    const { template } = expand(loadFixture('merge-definitions.yaml'));
    const body = bodyOf(template, 'CatalogApi');
    expect(body.securityDefinitions).toBeUndefined();
    expect(Object.keys((body.components as Json).securitySchemes as Json)).toEqual(['CatalogToken']);
    const deployment = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Deployment'))[0];
    expect(deployment?.Properties).not.toHaveProperty('StageName');
  });

  it("warns that Method any is merged under a literal 'any' key, as the translator writes it", () => {
    const template = loadFixture('merge-definitions.yaml');
    const events = ((template.Resources as Json).ProductsFunction as Json).Properties as Json;
    const listProducts = (events.Events as Json).ListProducts as Json;
    (listProducts.Properties as Json).Method = 'ANY';
    const { template: out, warnings } = expand(template);
    expect(Object.keys(((bodyOf(out, 'CatalogApi').paths as Json)['/products'] as Json) ?? {})).toEqual([
      'get',
      'any',
    ]);
    expect(warnings).toContainEqual(expect.stringContaining("literal 'any' key"));
  });
});

describe('templates the translator refuses', () => {
  function base(): Json {
    return structuredClone(loadFixture('none-override.yaml'));
  }
  function api(template: Json): Json {
    return ((template.Resources as Json).ShopApi as Json).Properties as Json;
  }
  function event(template: Json, id: string): Json {
    const fn = ((template.Resources as Json).ShopFunction as Json).Properties as Json;
    return ((fn.Events as Json)[id] as Json).Properties as Json;
  }
  function failure(template: Json): InvalidTemplateError {
    try {
      expand(template, 'shop.yaml');
    } catch (err) {
      if (err instanceof InvalidTemplateError) return err;
      throw err;
    }
    throw new Error('expandSam accepted the template');
  }

  const cases: Array<[string, (t: Json) => void, string, RegExp]> = [
    [
      'a DefaultAuthorizer that names no authorizer',
      (t) => ((api(t).Auth as Json).DefaultAuthorizer = 'Missing'),
      '#/Resources/ShopApi/Properties/Auth/DefaultAuthorizer',
      /'Missing' was not defined in 'Authorizers' \(ShopCognito\)/,
    ],
    [
      'Authorizer: NONE without a DefaultAuthorizer',
      (t) => delete (api(t).Auth as Json).DefaultAuthorizer,
      '#/Resources/ShopFunction/Properties/Events/Health/Properties/Auth/Authorizer',
      /'NONE' is only a valid value when a DefaultAuthorizer/,
    ],
    [
      'an event authorizer the API does not define',
      (t) => (event(t, 'Cart').Auth = { Authorizer: 'Partners' }),
      '#/Resources/ShopFunction/Properties/Events/Cart/Properties/Auth/Authorizer',
      /\[Partners\] on API method \[get\] for path \[\/cart\] because it wasn't defined/,
    ],
    [
      'a REQUEST authorizer without identity sources and with caching on',
      (t) => {
        const authorizers = (api(t).Auth as Json).Authorizers as Json;
        authorizers.ShopCognito = { FunctionPayloadType: 'REQUEST', FunctionArn: 'arn:aws:lambda:x' };
      },
      '#/Resources/ShopApi/Properties/Auth/Authorizers/ShopCognito/Identity',
      /at least one of Headers, QueryStrings, StageVariables or Context/,
    ],
    [
      'scopes without an authorizer',
      (t) => (event(t, 'Cart').Auth = { AuthorizationScopes: ['cart/read'] }),
      '#/Resources/ShopFunction/Properties/Events/Cart/Properties/Auth/AuthorizationScopes',
      /AuthorizationScopes works only when Authorizer is set/,
    ],
    [
      'Auth on an API whose OpenAPI is a file (DefinitionUri)',
      (t) => (api(t).DefinitionUri = 's3://shop-artifacts/openapi.yaml'),
      '#/Resources/ShopApi/Properties/Auth',
      /Auth works only with inline Swagger/,
    ],
    [
      'two events on the same path and method',
      (t) => (event(t, 'Cart').Path = '/health'),
      '#/Resources/ShopFunction/Properties/Events/Cart/Properties',
      /API method "get" defined multiple times for path "\/health"/,
    ],
    [
      'a RestApiId that is not an AWS::Serverless::Api of the template',
      (t) => (event(t, 'Cart').RestApiId = { 'Fn::ImportValue': 'shared-api' }),
      '#/Resources/ShopFunction/Properties/Events/Cart/Properties/RestApiId',
      /must be a valid reference to an 'AWS::Serverless::Api'/,
    ],
    [
      'an unknown Auth key',
      (t) => ((api(t).Auth as Json).DefaultAuthoriser = 'ShopCognito'),
      '#/Resources/ShopApi/Properties/Auth/DefaultAuthoriser',
      /does not know the key 'DefaultAuthoriser'/,
    ],
  ];

  it.each(cases)('refuses %s, naming the place and a fix', (_, mutate, location, message) => {
    const template = base();
    mutate(template);
    const err = failure(template);
    expect(err.file).toBe('shop.yaml');
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
    expect(err.fix).toBeTruthy();
    expect(err.toLine()).not.toContain('\n');
  });

  it('does not modify its input', () => {
    const template = base();
    const before = JSON.stringify(template);
    expand(template);
    expect(JSON.stringify(template)).toBe(before);
  });
});

describe('a DefinitionBody included from a local file', () => {
  it('gets the Auth of the SAM API once the reader has expanded the include', async () => {
    const { readSource } = await import('../../../src/sources/detect.js');
    const { model } = await readSource(`${FIXTURES}include/template.yaml`);
    expect(model.api.name).toBe('ledger');
    expect(routeTable(model.routes)).toEqual([
      'GET /entries LedgerToken',
      'GET /schema NONE',
      'GET /status LedgerToken',
    ]);
    expect(model.authorizers.map((a) => [a.name, a.identitySources.map((s) => s.expression)])).toEqual([
      ['LedgerToken', ['method.request.header.X-Ledger-Token']],
    ]);
  });

  it('is left alone, with a warning, when it reaches SAM unexpanded', () => {
    const template = loadFixture('include/template.yaml');
    const { template: out, warnings } = expand(template);
    expect(bodyOf(out, 'LedgerApi')).toHaveProperty('Fn::Transform');
    expect(warnings).toContainEqual(
      expect.stringContaining(
        '#/Resources/LedgerApi/Properties/Auth: not applied: DefinitionBody is ["Fn::Transform"]',
      ),
    );
  });
});
