import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  InvalidTemplateError,
  UnsupportedAuthorizerError,
  type ApigwAuthzError,
} from '../../../src/errors.js';
import { buildModelFromExport } from '../../../src/sources/openapi/build-model.js';
import { looksLikeTerraformJson, readTerraformJson } from '../../../src/sources/terraform/index.js';
import {
  refsTo,
  syntheticTerraformPlan,
  terraformShowJson,
  type LinkSpec,
  type ResourceSpec,
} from '../../../scripts/synthetic-terraform.mjs';
// @ts-expect-error plain ESM script without types
import { syntheticExport } from '../../../scripts/synthetic-export.mjs';
import { repoRoot } from '../../cli/cli-helpers.js';

const FILE = 'plan.json';
const API = 'aws_api_gateway_rest_api.api';
const apiLink = { to: API, refs: refsTo(API) };
const rootLink: LinkSpec = { to: API, attr: 'root_resource_id', refs: refsTo(API, 'root_resource_id') };
const POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1';

function restApi(name = 'orders-api', resourceName = 'api'): ResourceSpec {
  return {
    type: 'aws_api_gateway_rest_api',
    name: resourceName,
    values: { name, api_key_source: 'HEADER', body: null },
    computed: { id: `${resourceName}0000001`, root_resource_id: `${resourceName}root` },
  };
}

function resource(name: string, pathPart: string, parent: LinkSpec = rootLink): ResourceSpec {
  return {
    type: 'aws_api_gateway_resource',
    name,
    values: { path_part: pathPart },
    computed: { path: '/unused' },
    links: { rest_api_id: apiLink, parent_id: parent },
  };
}

function method(
  name: string,
  resourceAddress: string,
  authorization: string,
  authorizer?: { to: string; refs: string[] },
  values: Record<string, unknown> = {},
): ResourceSpec {
  return {
    type: 'aws_api_gateway_method',
    name,
    values: {
      http_method: 'GET',
      authorization,
      authorization_scopes: null,
      api_key_required: false,
      ...values,
    },
    links: {
      rest_api_id: apiLink,
      resource_id: { to: resourceAddress, refs: refsTo(resourceAddress) },
      ...(authorizer ? { authorizer_id: authorizer } : {}),
    },
  };
}

function tokenAuthorizer(
  name: string,
  values: Record<string, unknown> = {},
  extra: Partial<ResourceSpec> = {},
): ResourceSpec {
  return {
    type: 'aws_api_gateway_authorizer',
    name,
    values: {
      name: `${name}-auth`,
      type: 'TOKEN',
      identity_source: 'method.request.header.Authorization',
      authorizer_result_ttl_in_seconds: 300,
      authorizer_uri:
        'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:auth/invocations',
      provider_arns: null,
      ...values,
    },
    links: { rest_api_id: apiLink },
    ...extra,
  };
}

function read(
  doc: unknown,
  api?: string,
): { model: ReturnType<typeof readTerraformJson>['model']; warnings: string[]; warned: string[] } {
  const warned: string[] = [];
  const result = readTerraformJson(doc, {
    file: FILE,
    ...(api === undefined ? {} : { api }),
    warn: (m) => warned.push(m),
  });
  return { ...result, warned };
}

function failure(fn: () => unknown): ApigwAuthzError {
  try {
    fn();
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
}

const plan = (resources: ResourceSpec[]) =>
  terraformShowJson(resources, { kind: 'plan', region: 'eu-west-1' });

describe('looksLikeTerraformJson', () => {
  it.each([
    ['a plan', { format_version: '1.2', planned_values: {} }, true],
    ['a state', { format_version: '1.0', values: { root_module: {} } }, true],
    ['an empty state', { format_version: '1.0', terraform_version: '1.9.8' }, true],
    ['an OpenAPI export', { openapi: '3.0.1', paths: {} }, false],
    ['a CloudFormation template', { AWSTemplateFormatVersion: '2010-09-09', Resources: {} }, false],
    ['a format_version alone', { format_version: '1.0' }, false],
    ['an array', [], false],
  ])('%s -> %s', (_, doc, expected) => {
    expect(looksLikeTerraformJson(doc)).toBe(expected);
  });
});

describe('readTerraformJson', () => {
  it('builds paths from parent_id chains and links methods to authorizers through references', () => {
    const { model, warnings } = read(
      plan(
        [
          restApi(),
          resource('orders', 'orders'),
          resource('order', '{orderId}', {
            to: 'aws_api_gateway_resource.orders',
            refs: refsTo('aws_api_gateway_resource.orders'),
          }),
          tokenAuthorizer('a'),
          tokenAuthorizer('b', { identity_source: 'method.request.header.X-Other' }),
          method('root', API, 'NONE'),
          method('get', 'aws_api_gateway_resource.order', 'CUSTOM', {
            to: 'aws_api_gateway_authorizer.b',
            refs: refsTo('aws_api_gateway_authorizer.b'),
          }),
        ].map((spec) =>
          spec.name === 'root' ? { ...spec, links: { ...spec.links, resource_id: rootLink } } : spec,
        ),
      ),
    );
    expect(model.routes).toEqual([
      { method: 'GET', path: '/', authorization: { type: 'NONE' }, apiKeyRequired: false },
      {
        method: 'GET',
        path: '/orders/{orderId}',
        authorization: { type: 'AUTHORIZER', authorizer: 'b-auth', scopes: [] },
        apiKeyRequired: false,
      },
    ]);
    expect(model.authorizers.map((a) => [a.name, a.identitySources[0]?.name])).toEqual([
      ['a-auth', 'Authorization'],
      ['b-auth', 'X-Other'],
    ]);
    expect(model.api.region).toBe('eu-west-1');
    expect(warnings).toEqual([
      'plan.json: no aws_api_gateway_stage for the REST API; assumed stage "prod".',
      expect.stringMatching(
        /^plan\.json: the stage URL is known only after apply \(https:\/\/\$\{aws_api_gateway_rest_api\.api\.id\}\.execute-api\.eu-west-1\.amazonaws\.com\/prod\)/,
      ),
    ]);
  });

  it('links count instances by their literal index, and for_each instances by each.key', () => {
    const doc = plan([
      restApi(),
      { ...resource('r', 'a'), index: 'a' },
      { ...resource('r', 'b'), index: 'b' },
      { ...tokenAuthorizer('t', { name: 'first' }), index: 0 },
      {
        ...tokenAuthorizer('t', { name: 'second', identity_source: 'method.request.header.X-Second' }),
        index: 1,
      },
      ...['a', 'b'].map((key) => ({
        ...method('m', `aws_api_gateway_resource.r["${key}"]`, 'CUSTOM', {
          to: 'aws_api_gateway_authorizer.t[1]',
          refs: [
            'aws_api_gateway_authorizer.t[1].id',
            'aws_api_gateway_authorizer.t[1]',
            'aws_api_gateway_authorizer.t',
          ],
        }),
        index: key,
        links: {
          rest_api_id: apiLink,
          resource_id: {
            to: `aws_api_gateway_resource.r["${key}"]`,
            refs: ['aws_api_gateway_resource.r', 'each.key'],
          },
          authorizer_id: {
            to: 'aws_api_gateway_authorizer.t[1]',
            refs: [
              'aws_api_gateway_authorizer.t[1].id',
              'aws_api_gateway_authorizer.t[1]',
              'aws_api_gateway_authorizer.t',
            ],
          },
        },
      })),
    ]);
    const { model } = read(doc);
    expect(
      model.routes.map(
        (r) =>
          `${r.method} ${r.path} ${r.authorization.type === 'AUTHORIZER' ? r.authorization.authorizer : '-'}`,
      ),
    ).toEqual(['GET /a second', 'GET /b second']);
  });

  it('keeps values known only after apply as named placeholders, with one warning each', () => {
    const lambda = 'aws_lambda_function.authorizer';
    const doc = plan([
      restApi(),
      resource('r', 'items'),
      tokenAuthorizer(
        'lambda',
        { authorizer_uri: null },
        {
          computed: { authorizer_uri: 'arn:...' },
          expressions: { authorizer_uri: { references: [`${lambda}.invoke_arn`, lambda] } },
        },
      ),
      tokenAuthorizer(
        'other',
        { authorizer_uri: null },
        {
          computed: { authorizer_uri: 'arn:...' },
          expressions: { authorizer_uri: { references: ['aws_lambda_function.other.invoke_arn'] } },
        },
      ),
      {
        type: 'aws_api_gateway_authorizer',
        name: 'pool',
        values: {
          name: 'PoolAuth',
          type: 'COGNITO_USER_POOLS',
          identity_source: 'method.request.header.Authorization',
          provider_arns: null,
        },
        computed: { provider_arns: [POOL] },
        expressions: {
          provider_arns: { references: ['aws_cognito_user_pool.main.arn', 'aws_cognito_user_pool.main'] },
        },
        links: { rest_api_id: apiLink },
      },
      method('get', 'aws_api_gateway_resource.r', 'CUSTOM', {
        to: 'aws_api_gateway_authorizer.lambda',
        refs: refsTo('aws_api_gateway_authorizer.lambda'),
      }),
      method(
        'post',
        'aws_api_gateway_resource.r',
        'COGNITO_USER_POOLS',
        { to: 'aws_api_gateway_authorizer.pool', refs: refsTo('aws_api_gateway_authorizer.pool') },
        { http_method: 'POST', authorization_scopes: ['items/write'] },
      ),
    ]);
    const { model, warnings, warned } = read(doc);
    const lambdaAuth = model.authorizers.find((a) => a.name === 'lambda-auth');
    expect(lambdaAuth?.lambdaUri).toBe('${aws_lambda_function.authorizer.invoke_arn}');
    const pool = model.authorizers.find((a) => a.name === 'PoolAuth');
    expect(pool?.userPools[0]?.arn).toBe('${aws_cognito_user_pool.main.arn}');
    expect(model.routes.find((r) => r.method === 'POST')?.authorization).toEqual({
      type: 'AUTHORIZER',
      authorizer: 'PoolAuth',
      scopes: ['items/write'],
    });
    expect(warnings).toEqual(warned);
    // One warning per kind: the first authorizer named, the others counted.
    expect(warnings.filter((w) => w.includes('.authorizer_uri is known only after apply'))).toEqual([
      'plan.json: aws_api_gateway_authorizer.lambda.authorizer_uri is known only after apply; kept as ' +
        '${aws_lambda_function.authorizer.invoke_arn} (and 1 more like it).',
    ]);
    expect(model.authorizers.find((a) => a.name === 'other-auth')?.lambdaUri).toBe(
      '${aws_lambda_function.other.invoke_arn}',
    );
    expect(
      warnings.some(
        (w) =>
          w.includes('aws_api_gateway_authorizer.lambda.authorizer_uri') &&
          w.includes('${aws_lambda_function.authorizer.invoke_arn}'),
      ),
    ).toBe(true);
    expect(warnings.some((w) => w.includes('aws_api_gateway_authorizer.pool.provider_arns'))).toBe(true);
  });

  it('follows var.x into the parent module and module.m.out into the child module', () => {
    const authorizer = 'module.auth.aws_api_gateway_authorizer.this';
    const doc = terraformShowJson(
      [
        restApi(),
        resource('r', 'items'),
        {
          ...tokenAuthorizer('this', { name: 'ModuleAuth' }),
          module: 'module.auth',
          links: { rest_api_id: { to: API, refs: ['var.rest_api_id'] } },
        },
        method('get', 'aws_api_gateway_resource.r', 'CUSTOM', {
          to: authorizer,
          refs: ['module.auth.authorizer_id', 'module.auth'],
        }),
      ],
      {
        kind: 'plan',
        region: 'eu-west-1',
        modules: {
          auth: {
            source: './auth',
            expressions: { rest_api_id: { references: refsTo(API) } },
            outputs: { authorizer_id: refsTo('aws_api_gateway_authorizer.this') },
          },
        },
      },
    );
    const { model } = read(doc);
    expect(model.authorizers.map((a) => a.name)).toEqual(['ModuleAuth']);
    expect(model.routes[0]?.authorization).toEqual({
      type: 'AUTHORIZER',
      authorizer: 'ModuleAuth',
      scopes: [],
    });
  });

  it('reads the provider defaults a state of an old provider leaves out (TOKEN, Authorization, 300)', () => {
    const doc = terraformShowJson(
      [
        restApi(),
        resource('r', 'items'),
        tokenAuthorizer('bare', {
          type: null,
          identity_source: null,
          authorizer_result_ttl_in_seconds: null,
        }),
        method('get', 'aws_api_gateway_resource.r', 'CUSTOM', {
          to: 'aws_api_gateway_authorizer.bare',
          refs: [],
        }),
      ],
      { kind: 'state' },
    );
    const { model } = read(doc);
    expect(model.authorizers[0]).toMatchObject({
      kind: 'TOKEN',
      identitySources: [{ location: 'header', name: 'Authorization' }],
      ttlSeconds: 300,
    });
    expect(model.routes[0]?.path).toBe('/unused'); // a state knows every resource's path
  });

  it('reads the first stage by name with a warning, --stage picks one, and an unknown --stage is refused', () => {
    const stage = (name: string, variables: Record<string, string>): ResourceSpec => ({
      type: 'aws_api_gateway_stage',
      name,
      values: { stage_name: name, variables },
      links: { rest_api_id: apiLink },
    });
    const doc = plan([
      restApi(),
      resource('r', 'a'),
      method('get', 'aws_api_gateway_resource.r', 'NONE'),
      stage('prod', { tier: 'gold' }),
      stage('dev', { tier: 'free' }),
    ]);
    const first = read(doc);
    expect(first.model.stage).toMatchObject({ name: 'dev', variables: { tier: 'free' } });
    expect(first.warnings).toContain(
      'plan.json: the REST API has stages dev, prod; reading dev (pick one with --stage).',
    );
    const picked = readTerraformJson(doc, { file: FILE, stage: 'prod', warn: () => undefined });
    expect(picked.model.stage).toMatchObject({ name: 'prod', variables: { tier: 'gold' } });
    expect(picked.warnings.some((w) => w.includes('has stages'))).toBe(false);
    const err = failure(() => readTerraformJson(doc, { file: FILE, stage: 'qa', warn: () => undefined }));
    expect(err).toBeInstanceOf(InvalidTemplateError);
    expect(err.message).toBe('--stage qa is not a stage of aws_api_gateway_rest_api.api. Stages: dev, prod.');
  });

  it('names AUTHORIZER api key sources and keeps HEADER implicit', () => {
    const build = (source: string) =>
      read(
        plan([
          { ...restApi(), values: { name: 'x', api_key_source: source } },
          resource('r', 'a'),
          method('get', 'aws_api_gateway_resource.r', 'NONE', undefined, { api_key_required: true }),
        ]),
      ).model;
    expect(build('AUTHORIZER').api.apiKeySource).toBe('AUTHORIZER');
    expect(build('HEADER').api).not.toHaveProperty('apiKeySource');
    expect(build('AUTHORIZER').routes[0]?.apiKeyRequired).toBe(true);
  });

  it('warns when the body is known only after apply, and fails when nothing else defines routes', () => {
    const api = {
      ...restApi(),
      computed: { ...restApi().computed, body: '{}' },
      expressions: { body: { references: ['aws_lambda_function.f.invoke_arn'] } },
    };
    const err = failure(() => read(plan([api])));
    expect(err).toBeInstanceOf(InvalidTemplateError);
    expect(err.message).toMatch(/has no methods this plan shows/);
    const { model, warnings } = read(
      plan([api, resource('r', 'a'), method('get', 'aws_api_gateway_resource.r', 'NONE')]),
    );
    expect(model.routes).toHaveLength(1);
    expect(
      warnings.some((w) =>
        w.startsWith('plan.json: aws_api_gateway_rest_api.api.body is known only after apply'),
      ),
    ).toBe(true);
  });

  it('the 2,000-method synthetic plan of the benchmark is the synthetic export of the same API', () => {
    const fromPlan = read(syntheticTerraformPlan(200)).model;
    const fromExport = buildModelFromExport(syntheticExport(200) as unknown, {
      file: 'x',
      locate: () => undefined,
    });
    // The API id is unknown before apply; the stage URL is the one planned for the stage.
    expect({ ...fromPlan, api: null, stage: null }).toEqual({ ...fromExport, api: null, stage: null });
    expect(fromPlan.api).toEqual({ name: fromExport.api.name, region: fromExport.api.region });
    expect(fromPlan.stage.baseUrl).toBe(
      'https://${aws_api_gateway_rest_api.api.id}.execute-api.us-east-1.amazonaws.com/prod',
    );
  });

  it('reads the example state by id values, without any configuration', async () => {
    const doc = JSON.parse(
      await readFile(path.join(repoRoot, 'test/fixtures/terraform/petstore-resources.state.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(doc).not.toHaveProperty('configuration');
    const openapi = parse(
      await readFile(path.join(repoRoot, 'examples/petstore-authz.openapi.yaml'), 'utf8'),
    ) as unknown;
    const fromExport = buildModelFromExport(openapi, { file: 'x', locate: () => undefined });
    expect(read(doc).model.routes).toEqual(fromExport.routes);
  });
});

describe('bad Terraform input', () => {
  it('a plan of something else names what it found and how to fix it', () => {
    const doc = terraformShowJson(
      [
        { type: 'aws_s3_bucket', name: 'site', values: { bucket: 'site' } },
        { type: 'aws_iam_role', name: 'ci', values: { name: 'ci' } },
      ],
      { kind: 'plan', region: 'eu-west-1' },
    );
    const err = failure(() => read(doc));
    expect(err).toBeInstanceOf(InvalidTemplateError);
    expect(err.file).toBe(FILE);
    expect(err.location).toBe('#/planned_values/root_module');
    expect(err.message).toBe(
      'This Terraform plan manages no API Gateway REST API: expected aws_api_gateway_rest_api and aws_api_gateway_method resources, found only aws_iam_role, aws_s3_bucket.',
    );
    expect(err.fix).toMatch(/terraform show -json/);
    expect(err.toLine()).not.toContain('\n');
  });

  it('a plan of an HTTP API says that HTTP APIs are not read from Terraform', () => {
    const err = failure(() =>
      read(plan([{ type: 'aws_apigatewayv2_api', name: 'http', values: { protocol_type: 'HTTP' } }])),
    );
    expect(err.fix).toMatch(/HTTP APIs \(aws_apigatewayv2_\*\)/);
  });

  it.each([
    ['not Terraform', { openapi: '3.0.1' }, '#', /^Not Terraform JSON/],
    [
      'a future major format',
      { format_version: '2.0', planned_values: {} },
      '#/format_version',
      /format_version "2\.0": expected 1\.x/,
    ],
  ])('%s', (_, doc, location, message) => {
    const err = failure(() => read(doc));
    expect(err).toBeInstanceOf(InvalidTemplateError);
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
    expect(err.fix).toBeTruthy();
  });

  it('several APIs need --api, which lists the candidates; --api picks by name or address', () => {
    const second = { to: 'aws_api_gateway_rest_api.admin', refs: refsTo('aws_api_gateway_rest_api.admin') };
    const doc = plan([
      restApi('orders-api', 'api'),
      restApi('admin-api', 'admin'),
      resource('r', 'a'),
      method('get', 'aws_api_gateway_resource.r', 'NONE'),
      {
        ...resource('s', 'b'),
        links: {
          rest_api_id: second,
          parent_id: {
            to: 'aws_api_gateway_rest_api.admin',
            attr: 'root_resource_id',
            refs: refsTo('aws_api_gateway_rest_api.admin', 'root_resource_id'),
          },
        },
      },
      {
        ...method('admin_get', 'aws_api_gateway_resource.s', 'AWS_IAM'),
        links: {
          rest_api_id: second,
          resource_id: { to: 'aws_api_gateway_resource.s', refs: refsTo('aws_api_gateway_resource.s') },
        },
      },
    ]);
    const err = failure(() => read(doc));
    expect(err).toBeInstanceOf(InvalidTemplateError);
    expect(err.message).toBe(
      'This Terraform plan defines 2 REST APIs: aws_api_gateway_rest_api.admin (admin-api), aws_api_gateway_rest_api.api (orders-api).',
    );
    expect(read(doc, 'admin-api').model.routes.map((r) => r.path)).toEqual(['/b']);
    expect(read(doc, 'aws_api_gateway_rest_api.api').model.routes.map((r) => r.path)).toEqual(['/a']);
    const none = failure(() => read(doc, 'billing'));
    expect(none).toBeInstanceOf(InvalidTemplateError);
    expect(none.message).toMatch(
      /^--api billing names no REST API in this Terraform plan\. Candidates: aws_api_gateway_rest_api\.admin \(admin-api\)/,
    );
  });

  it('a method whose authorizer is not in the plan names the method and the reference', () => {
    const doc = plan([
      restApi(),
      resource('r', 'a'),
      method('get', 'aws_api_gateway_resource.r', 'CUSTOM', { to: API, refs: ['var.shared_authorizer_id'] }),
    ]);
    const err = failure(() => read(doc));
    expect(err).toBeInstanceOf(InvalidTemplateError);
    expect(err.message).toBe(
      'GET /a uses authorizer ${var.shared_authorizer_id}, which is not an aws_api_gateway_authorizer of this REST API in the plan.',
    );
    expect(err.location).toBe(
      'aws_api_gateway_method.get.authorizer_id (#/planned_values/root_module/resources/2/values/authorizer_id)',
    );
  });

  it('an unknown authorizer type is an error, never "no auth"', () => {
    const doc = plan([
      restApi(),
      resource('r', 'a'),
      tokenAuthorizer('x', { type: 'JWT' }),
      method('get', 'aws_api_gateway_resource.r', 'CUSTOM', {
        to: 'aws_api_gateway_authorizer.x',
        refs: refsTo('aws_api_gateway_authorizer.x'),
      }),
    ]);
    expect(failure(() => read(doc))).toBeInstanceOf(UnsupportedAuthorizerError);
  });

  it('a circular parent_id chain names the chain', () => {
    const doc = terraformShowJson(
      [
        restApi(),
        { ...resource('a', 'a', { to: 'aws_api_gateway_resource.b', refs: [] }), computed: {} },
        { ...resource('b', 'b', { to: 'aws_api_gateway_resource.a', refs: [] }), computed: {} },
        method('get', 'aws_api_gateway_resource.a', 'NONE'),
      ],
      { kind: 'state' },
    );
    const err = failure(() => read(doc));
    expect(err.message).toBe(
      'Circular parent_id chain: aws_api_gateway_resource.a -> aws_api_gateway_resource.b -> aws_api_gateway_resource.a.',
    );
  });
});
