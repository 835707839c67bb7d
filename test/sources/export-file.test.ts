import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { applyModelDefaults, loadConfig } from '../../src/config/load-config.js';
import { InvalidExportError, type ApigwAuthzError } from '../../src/errors.js';
import type { AuthModel, Route } from '../../src/model/types.js';
import { loadExportFile, parseExportText } from '../../src/sources/openapi/export-file.js';

const OAS3 = 'examples/petstore-authz.openapi.yaml';
const SWAGGER = 'test/fixtures/exports/petstore-authz.swagger.json';

const route = (model: AuthModel, method: string, path: string): Route | undefined =>
  model.routes.find((r) => r.method === method && r.path === path);

describe('the bundled example export', async () => {
  const model = await loadExportFile(OAS3);

  it('reads the API, stage and base URL from the servers entry', () => {
    expect(model.api).toEqual({ id: 'a1b2c3d4e5', name: 'petstore-authz', region: 'us-east-1' });
    expect(model.stage).toEqual({
      name: 'prod',
      baseUrl: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod',
      variables: {},
    });
  });

  it('has one authorizer of each kind, sorted by name', () => {
    expect(model.authorizers.map((a) => [a.name, a.kind])).toEqual([
      ['CognitoAuth', 'COGNITO_USER_POOLS'],
      ['RequestAuth', 'REQUEST'],
      ['TokenAuth', 'TOKEN'],
      ['sigv4', 'AWS_IAM'],
    ]);
  });

  it('reads each authorizer in full', () => {
    const [cognito, request, token, iam] = model.authorizers;
    expect(cognito).toEqual({
      name: 'CognitoAuth',
      kind: 'COGNITO_USER_POOLS',
      identitySources: [
        { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
      ],
      ttlSeconds: 0,
      userPools: [
        {
          arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PetStore1',
          region: 'us-east-1',
          accountId: '123456789012',
          userPoolId: 'us-east-1_PetStore1',
        },
      ],
    });
    expect(request?.identitySources).toEqual([
      { location: 'header', name: 'X-Tenant-Id', expression: 'method.request.header.X-Tenant-Id' },
      { location: 'querystring', name: 'apiVersion', expression: 'method.request.querystring.apiVersion' },
      { location: 'stageVariable', name: 'authStage', expression: 'stageVariables.authStage' },
    ]);
    expect(request?.ttlSeconds).toBe(300);
    expect(request?.lambdaUri).toContain('function:petstore-request-authorizer/invocations');
    expect(request?.validationExpression).toBeUndefined();
    expect(token).toMatchObject({
      identitySources: [
        { location: 'header', name: 'X-Auth-Token', expression: 'method.request.header.X-Auth-Token' },
      ],
      validationExpression: '^[a-z][a-z0-9-]{3,63}$',
      ttlSeconds: 300,
    });
    expect(token?.lambdaUri).toContain('function:petstore-token-authorizer/invocations');
    expect(iam).toEqual({
      name: 'sigv4',
      kind: 'AWS_IAM',
      identitySources: [],
      ttlSeconds: 0,
      userPools: [],
    });
  });

  it('reads every route with its authorization and scopes, sorted by path then method', () => {
    expect(model.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'ANY /admin/{proxy+}',
      'ANY /files/{proxy+}',
      'GET /health',
      'GET /orders',
      'DELETE /orders/{orderId}',
      'GET /pets',
      'OPTIONS /pets',
      'POST /pets',
      'GET /pets/{petId}',
      'GET /reports',
      'GET /reports/{reportId}',
    ]);
    const auth = (method: string, path: string) => route(model, method, path)?.authorization;
    expect(auth('GET', '/health')).toEqual({ type: 'NONE' });
    expect(auth('OPTIONS', '/pets')).toEqual({ type: 'NONE' });
    expect(auth('GET', '/pets')).toEqual({ type: 'AUTHORIZER', authorizer: 'CognitoAuth', scopes: [] });
    expect(auth('POST', '/pets')).toEqual({
      type: 'AUTHORIZER',
      authorizer: 'CognitoAuth',
      scopes: ['pets/write'],
    });
    expect(auth('GET', '/pets/{petId}')).toEqual({
      type: 'AUTHORIZER',
      authorizer: 'CognitoAuth',
      scopes: ['pets/read'],
    });
    expect(auth('ANY', '/files/{proxy+}')).toEqual({
      type: 'AUTHORIZER',
      authorizer: 'TokenAuth',
      scopes: [],
    });
    expect(auth('ANY', '/admin/{proxy+}')).toEqual({ type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] });
    expect(auth('GET', '/reports/{reportId}')).toEqual({
      type: 'AUTHORIZER',
      authorizer: 'RequestAuth',
      scopes: [],
    });
    // Only DELETE /orders/{orderId} also names the `api_key` scheme.
    expect(model.routes.filter((r) => r.apiKeyRequired).map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /orders/{orderId}',
    ]);
  });

  it('reads the gateway responses with their CORS headers, and the API CORS origin', () => {
    expect(model.gatewayResponses).toEqual([
      {
        type: 'DEFAULT_4XX',
        headers: [
          {
            name: 'Access-Control-Allow-Headers',
            value: 'Content-Type,Authorization,X-Auth-Token,X-Tenant-Id',
          },
          { name: 'Access-Control-Allow-Origin', value: '*' },
        ],
        templates: { 'application/json': '{"message":$context.error.messageString}' },
      },
      {
        type: 'DEFAULT_5XX',
        headers: [],
        templates: { 'application/json': '{"message":$context.error.messageString}' },
      },
    ]);
    expect(model.cors).toEqual({ allowOrigin: '*' });
  });

  it('gives the same model, byte for byte, from the Swagger 2.0 JSON export of the same API', async () => {
    const swagger = await loadExportFile(SWAGGER);
    expect(swagger).toEqual(model);
    expect(JSON.stringify(swagger)).toBe(JSON.stringify(model));
  });
});

describe('the bundled example config', () => {
  it('fits the example model and gets the Cognito endpoints from it', async () => {
    const model = await loadExportFile(OAS3);
    const config = applyModelDefaults(
      await loadConfig('examples/apigw-authz.config.yaml', process.cwd()),
      model,
    );
    expect(config.authorizers.CognitoAuth?.cognito).toMatchObject({
      idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
      tokenUrl: 'https://petstore-authz.auth.us-east-1.amazoncognito.com/oauth2/token',
    });
    expect(Object.keys(config.authorizers).sort()).toEqual(['CognitoAuth', 'RequestAuth', 'TokenAuth']);
  });
});

describe('parseExportText', () => {
  it('locates errors in JSON text by line and column', async () => {
    const text = (await readFile(SWAGGER, 'utf8')).replace('"type": "token"', '"type": "jwtx"');
    const err = (() => {
      try {
        parseExportText(text, 'api.json');
      } catch (e) {
        return e as ApigwAuthzError;
      }
    })();
    const line = text.split('\n').findIndex((l) => l.includes('"jwtx"')) + 1;
    expect(err?.location).toBe(
      `#/securityDefinitions/TokenAuth/x-amazon-apigateway-authorizer/type (line ${line}, column 17)`,
    );
  });

  it('treats a whitespace-only file as empty', () => {
    expect(() => parseExportText('  \n\n', 'blank.yaml')).toThrow(InvalidExportError);
    expect(() => parseExportText('  \n\n', 'blank.yaml')).toThrow('The export file is empty.');
  });
});
