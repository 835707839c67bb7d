/**
 * CloudFormation templates -> model: nested stacks with parameters and outputs, AWS::Include of an OpenAPI body,
 * Body + Method resources, BodyS3Location, omitted AuthorizationType, Conditions, several APIs and `--api`, and
 * the bad input the reader refuses (circular chains, unknown tags, no API).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidTemplateError, InvalidYamlError, type ApigwAuthzError } from '../../../src/errors.js';
import { readSource, type ReadSourceOptions } from '../../../src/sources/detect.js';
import { repoRoot } from '../../cli/cli-helpers.js';

const fixtures = path.join(repoRoot, 'test/fixtures/cloudformation');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-cfn-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function template(name: string, text: string): Promise<string> {
  const file = path.join(work, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function failure(file: string, options: ReadSourceOptions = {}): Promise<ApigwAuthzError> {
  return readSource(file, options).then(
    () => {
      throw new Error('expected an error');
    },
    (err: unknown) => err as ApigwAuthzError,
  );
}

const API = `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: small
  Things:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: things
  ThingsGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Things
      HttpMethod: GET
      AuthorizationType: AWS_IAM
      ApiKeyRequired: 'true'
`;

describe('nested stacks', () => {
  it('reads the API of a nested stack, with parameters and another stack’s output passed in', async () => {
    const { kind, model, warnings } = await readSource(path.join(fixtures, 'nested/root.yaml'));
    expect(kind).toBe('cloudformation');
    expect(model.api.name).toBe('nested-api');
    expect(model.stage.name).toBe('live');
    expect(model.authorizers).toEqual([
      {
        name: 'Cognito', // no Name property: the logical id
        kind: 'COGNITO_USER_POOLS',
        identitySources: [
          { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
        ],
        ttlSeconds: 0,
        userPools: [
          {
            arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Nested01',
            region: 'us-east-1',
            accountId: '123456789012',
            userPoolId: 'us-east-1_Nested01',
          },
        ],
      },
    ]);
    expect(model.routes).toEqual([
      {
        method: 'GET',
        path: '/items',
        authorization: { type: 'AUTHORIZER', authorizer: 'Cognito', scopes: ['items/read'] },
        apiKeyRequired: false,
      },
      { method: 'POST', path: '/items', authorization: { type: 'NONE' }, apiKeyRequired: false },
    ]);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /api\.yaml: #\/Resources\/ItemsPost\/Properties\/AuthorizationType: POST \/items has no AuthorizationType; read as NONE/,
      ),
    );
  });

  it('--api takes the nested path of the API', async () => {
    const { model } = await readSource(path.join(fixtures, 'nested/root.yaml'), { api: 'ApiStack/Api' });
    expect(model.api.name).toBe('nested-api');
  });
});

describe('AWS::Include', () => {
  it('reads the OpenAPI body from the file next to the template, intrinsics evaluated', async () => {
    const { model, warnings } = await readSource(path.join(fixtures, 'include/template.yaml'), {
      region: 'us-west-2',
    });
    expect(model.api.name).toBe('included-api');
    expect(model.stage).toEqual({
      name: 'v1',
      baseUrl: 'https://${IncludedApi}.execute-api.us-west-2.amazonaws.com/v1',
      variables: { tier: 'gold' },
    });
    expect(model.authorizers).toEqual([
      expect.objectContaining({
        name: 'WidgetAuth',
        kind: 'TOKEN',
        ttlSeconds: 60,
        lambdaUri:
          'arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:include-authorizer/invocations',
      }),
    ]);
    expect(model.routes).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/widgets',
        authorization: expect.objectContaining({ authorizer: 'WidgetAuth' }),
      }),
    ]);
    expect(warnings.filter((w) => w.includes('placeholder'))).toEqual([]);
  });

  it('an s3:// Location is a warning, not a read', async () => {
    const file = await template(
      's3-include.yaml',
      `Resources:${API}
  Other:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: s3://bucket/openapi.yaml
`,
    );
    const { warnings } = await readSource(file, { api: 'Api' });
    expect(warnings).toContainEqual(
      expect.stringMatching(/AWS::Include of s3:\/\/bucket\/openapi\.yaml is not read/),
    );
  });
});

describe('a RestApi with a Body and Method resources', () => {
  it('reads their union, the Method resource winning, and warns about drift', async () => {
    const file = await template(
      'union.yaml',
      `Resources:${API.replace(
        '      Name: small\n',
        `      Name: small
      Body:
        swagger: '2.0'
        info: { title: small-body }
        paths:
          /things:
            get:
              x-amazon-apigateway-integration: { type: mock }
          /other:
            get:
              security: [{ sigv4: [] }]
              x-amazon-apigateway-integration: { type: mock }
        securityDefinitions:
          sigv4: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4 }
`,
      )}`,
    );
    const { model, warnings } = await readSource(file);
    expect(model.api.name).toBe('small');
    expect(model.routes).toEqual([
      {
        method: 'GET',
        path: '/other',
        authorization: { type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] },
        apiKeyRequired: false,
      },
      {
        method: 'GET',
        path: '/things',
        authorization: { type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] },
        apiKeyRequired: true, // the Method resource's ApiKeyRequired: 'true', not the body's
      },
    ]);
    expect(warnings).toContainEqual(
      expect.stringMatching(/both an OpenAPI Body and Method resources; .*union/),
    );
  });

  it('BodyS3Location is a warning; the Method resources are read', async () => {
    const file = await template(
      's3-body.yaml',
      `Resources:${API.replace('      Name: small\n', '      Name: small\n      BodyS3Location: { Bucket: b, Key: openapi.yaml }\n')}`,
    );
    const { model, warnings } = await readSource(file);
    expect(model.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /things']);
    expect(warnings).toContainEqual(
      expect.stringMatching(/BodyS3Location: the OpenAPI body is in S3 and is not read/),
    );
  });
});

describe('conditions', () => {
  it('a resource whose condition is false does not exist', async () => {
    const file = await template(
      'conditions.yaml',
      `Parameters:
  WithAdmin: { Type: String, Default: 'no' }
Conditions:
  Admin: !Equals [!Ref WithAdmin, 'yes']
Resources:${API}
  AdminRes:
    Type: AWS::ApiGateway::Resource
    Condition: Admin
    Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: admin }
  AdminGet:
    Type: AWS::ApiGateway::Method
    Condition: Admin
    Properties: { RestApiId: !Ref Api, ResourceId: !Ref AdminRes, HttpMethod: GET, AuthorizationType: NONE }
`,
    );
    expect((await readSource(file)).model.routes.map((r) => r.path)).toEqual(['/things']);
    const withAdmin = await readSource(file, { parameters: { WithAdmin: 'yes' } });
    expect(withAdmin.model.routes.map((r) => r.path)).toEqual(['/admin', '/things']);
  });
});

describe('several APIs', () => {
  let file: string;
  beforeAll(async () => {
    file = await template(
      'two-apis.yaml',
      `Resources:${API}
  Second:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: second-api
`,
    );
  });

  it('without --api: an error listing the candidates', async () => {
    const error = await failure(file);
    expect(error).toBeInstanceOf(InvalidTemplateError);
    expect(error.message).toBe('This source defines 2 REST APIs: Api (small), Second (second-api).');
    expect(error.fix).toMatch(/--api/);
  });

  it('--api picks by logical id or by name', async () => {
    expect((await readSource(file, { api: 'Api' })).model.api.name).toBe('small');
    expect((await readSource(file, { api: 'second-api' })).model.api.name).toBe('second-api');
  });

  it('--api naming nothing lists the candidates', async () => {
    const error = await failure(file, { api: 'Third' });
    expect(error.message).toBe(
      '--api Third names no REST API in this source. Candidates: Api (small), Second (second-api).',
    );
  });
});

describe('bad templates', () => {
  it('a circular DependsOn chain names the chain', async () => {
    const file = await template(
      'cycle.yaml',
      `Resources:${API}
  A: { Type: AWS::SNS::Topic, DependsOn: B }
  B: { Type: AWS::SNS::Topic, DependsOn: [C] }
  C: { Type: AWS::SNS::Topic, Properties: { TopicName: !GetAtt A.TopicName } }
`,
    );
    const error = await failure(file);
    expect(error).toBeInstanceOf(InvalidTemplateError);
    expect(error.message).toBe('Circular dependency between resources: A -> B -> C -> A.');
    expect(error.location).toBe('#/Resources/A');
  });

  it('a circular Ref chain in the resource tree names the chain', async () => {
    const file = await template(
      'ref-cycle.yaml',
      `Resources:${API}
  P1: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !Ref P2, PathPart: a } }
  P2: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !Ref P1, PathPart: b } }
`,
    );
    expect((await failure(file)).message).toBe('Circular dependency between resources: P1 -> P2 -> P1.');
  });

  it('a circular condition chain names the chain', async () => {
    const file = await template(
      'condition-cycle.yaml',
      `Conditions:
  X: !Not [!Condition Y]
  Y: !Condition X
Resources:${API}`,
    );
    const error = await failure(file);
    expect(error.message).toBe('Circular condition chain: X -> Y -> X.');
  });

  it('an unknown YAML tag is an error at its line and column', async () => {
    const file = await template('unknown-tag.yaml', `Resources:${API}  Bad:\n    Type: !Reference Api\n`);
    const error = await failure(file);
    expect(error).toBeInstanceOf(InvalidYamlError);
    expect(error.message).toBe('Unknown YAML tag !Reference: not a CloudFormation intrinsic function.');
    expect(error.location).toBe('line 21, column 11');
  });

  it('a template with no API Gateway', async () => {
    const file = await template('no-api.yaml', 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
    const error = await failure(file);
    expect(error).toBeInstanceOf(InvalidTemplateError);
    expect(error.message).toBe(
      'No API Gateway API in this template: expected an AWS::ApiGateway::RestApi, AWS::Serverless::Api, ' +
        'AWS::ApiGatewayV2::Api (HTTP) or AWS::Serverless::HttpApi resource.',
    );
    expect(error.location).toBe('#/Resources');
  });

  it('a method whose authorizer is not in the template', async () => {
    const file = await template(
      'missing-authorizer.yaml',
      `Resources:${API.replace('AuthorizationType: AWS_IAM', 'AuthorizationType: CUSTOM\n      AuthorizerId: abc123')}`,
    );
    const error = await failure(file);
    expect(error.message).toMatch(
      /GET \/things is CUSTOM but AuthorizerId does not point at an AWS::ApiGateway::Authorizer/,
    );
    expect(error.location).toMatch(
      /^#\/Resources\/ThingsGet\/Properties\/AuthorizerId \(line \d+, column \d+\)$/,
    );
  });

  it('a cdk.out folder without manifest.json', async () => {
    const dir = path.join(work, 'broken.cdk.out');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'Stack.template.json'), '{"Resources":{}}');
    const error = await failure(dir);
    expect(error).toBeInstanceOf(InvalidTemplateError);
    expect(error.message).toBe('This cdk.out folder has no manifest.json, so its stacks are unknown.');
    expect(error.fix).toMatch(/cdk synth/);
  });
});

describe('a CDK cloud assembly with two stacks', () => {
  const assembly = path.join(repoRoot, 'test/fixtures/cdk/two-stacks.cdk.out');

  it('lists the APIs of every stack, with the stack in their path', async () => {
    const error = await failure(assembly);
    expect(error.message).toBe(
      'This source defines 2 REST APIs: SpecStack/BooksApi7D4A3C21 (spec-api), TokenStack/OrdersApiE1F2A3B4 (orders-api).',
    );
  });

  it('reads a SpecRestApi body from its asset file (BodyS3Location -> asset manifest)', async () => {
    const { kind, model, warnings } = await readSource(assembly, { api: 'SpecStack/BooksApi7D4A3C21' });
    expect(kind).toBe('cdk');
    expect(model.api.name).toBe('spec-api');
    expect(model.stage.name).toBe('v1');
    expect(model.authorizers.map((a) => [a.name, a.kind, a.userPools[0]?.userPoolId])).toEqual([
      ['BooksAuth', 'COGNITO_USER_POOLS', 'eu-west-1_Books0001'],
    ]);
    expect(model.routes).toEqual([
      {
        method: 'GET',
        path: '/books',
        authorization: { type: 'AUTHORIZER', authorizer: 'BooksAuth', scopes: [] },
        apiKeyRequired: false,
      },
    ]);
    expect(warnings.join('\n')).not.toContain('BodyS3Location');
  });

  it('keeps the synthesized authorizer name and its TTL 0 (a TokenAuthorizer without authorizerName)', async () => {
    const { model } = await readSource(assembly, { api: 'orders-api' });
    expect(model.authorizers).toEqual([
      expect.objectContaining({ name: 'TokenStackOrdersAuthorizerC5D6E7F8', kind: 'TOKEN', ttlSeconds: 0 }),
    ]);
    expect(model.routes).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/orders',
        authorization: { type: 'AUTHORIZER', authorizer: 'TokenStackOrdersAuthorizerC5D6E7F8', scopes: [] },
      }),
    ]);
  });
});
