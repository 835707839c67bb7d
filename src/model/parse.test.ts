import { describe, expect, it } from 'vitest';
import {
  apiSlug,
  canonicalizeModel,
  fillUserPools,
  iamAuthorizer,
  isPlaceholder,
  isValidTtl,
  parseGatewayResponseHeaders,
  parseIdentitySource,
  parseUserPoolArn,
  partitionOf,
  regexSyntaxError,
  resolveTtl,
  splitIdentitySources,
  staticValue,
  urlSuffixOf,
} from './parse.js';
import type { AuthModel, IdentitySource, Route, UserPoolRef } from './types.js';

describe('splitIdentitySources', () => {
  it.each<[string, string[]]>([
    ['method.request.header.A', ['method.request.header.A']],
    [
      'method.request.header.HeaderAuth1, method.request.querystring.QueryString1',
      ['method.request.header.HeaderAuth1', 'method.request.querystring.QueryString1'],
    ],
    [' a ,, b ,', ['a', 'b']],
    ['', []],
    [' , ', []],
  ])('%j -> %j', (input, want) => {
    expect(splitIdentitySources(input)).toEqual(want);
  });
});

describe('parseIdentitySource', () => {
  it.each<[string, IdentitySource | undefined]>([
    [
      'method.request.header.Authorization',
      { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
    ],
    [
      ' method.request.header.X-Tenant-Id ',
      { location: 'header', name: 'X-Tenant-Id', expression: 'method.request.header.X-Tenant-Id' },
    ],
    [
      'method.request.querystring.apiVersion',
      { location: 'querystring', name: 'apiVersion', expression: 'method.request.querystring.apiVersion' },
    ],
    [
      'stageVariables.stage',
      { location: 'stageVariable', name: 'stage', expression: 'stageVariables.stage' },
    ],
    [
      'context.identity.sourceIp',
      { location: 'context', name: 'identity.sourceIp', expression: 'context.identity.sourceIp' },
    ],
    ['method.request.path.petId', undefined],
    ['method.request.multivalueheader.X', undefined],
    ['method.request.multivaluequerystring.q', undefined],
    ['method.request.header.', undefined],
    ['method.request.header.A, method.request.header.B', undefined],
    ['Authorization', undefined],
    ['', undefined],
  ])('%j', (input, want) => {
    expect(parseIdentitySource(input)).toEqual(want);
  });
});

describe('parseUserPoolArn', () => {
  it.each<[string, UserPoolRef | undefined]>([
    [
      'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PetStore1',
      {
        arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PetStore1',
        region: 'us-east-1',
        accountId: '123456789012',
        userPoolId: 'us-east-1_PetStore1',
      },
    ],
    [
      'arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_Ab12',
      {
        arn: 'arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_Ab12',
        region: 'us-gov-west-1',
        accountId: '123456789012',
        userPoolId: 'us-gov-west-1_Ab12',
      },
    ],
    [
      'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${stageVariables.MyUserPool}',
      {
        arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${stageVariables.MyUserPool}',
        region: 'eu-west-1',
        accountId: '123456789012',
        userPoolId: '${stageVariables.MyUserPool}',
      },
    ],
    [
      'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${UserPool}',
      {
        arn: 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${UserPool}',
        region: '${AWS::Region}',
        accountId: '${AWS::AccountId}',
        userPoolId: '${UserPool}',
      },
    ],
    [
      '${UserPool.Arn}',
      {
        arn: '${UserPool.Arn}',
        region: '${UserPool.Arn}',
        accountId: '${UserPool.Arn}',
        userPoolId: '${UserPool.Arn}',
      },
    ],
    ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/${A}${B}x', undefined],
    ['arn:aws:cognito-idp:us-east-1:123:userpool/us-east-1_X', undefined],
    ['arn:aws:cognito-idp:us-east-1:123456789012:identitypool/us-east-1_X', undefined],
    ['arn:aws:lambda:us-east-1:123456789012:function:f', undefined],
    ['us-east-1_PetStore1', undefined],
  ])('%s', (input, want) => {
    expect(parseUserPoolArn(input)).toEqual(want);
  });
});

describe('parseGatewayResponseHeaders', () => {
  it('keeps headers only, strips the quotes of static values, keeps references, sorts by name', () => {
    expect(
      parseGatewayResponseHeaders({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.X-Request-Id': 'context.requestId',
        'gatewayresponse.header.Access-Control-Allow-Headers': "'Content-Type,Authorization'",
        'gatewayresponse.header.Origin-Echo': 'method.request.header.Origin',
        'gatewayresponse.querystring.x': "'ignored'",
      }),
    ).toEqual([
      { name: 'Access-Control-Allow-Headers', value: 'Content-Type,Authorization' },
      { name: 'Access-Control-Allow-Origin', value: '*' },
      { name: 'Origin-Echo', reference: 'method.request.header.Origin' },
      { name: 'X-Request-Id', reference: 'context.requestId' },
    ]);
  });

  it('keeps an empty static value', () => {
    expect(parseGatewayResponseHeaders({ 'gatewayresponse.header.X-Empty': "''" })).toEqual([
      { name: 'X-Empty', value: '' },
    ]);
  });
});

describe('staticValue', () => {
  it.each<[string, string | undefined]>([
    ["'*'", '*'],
    [" 'a b' ", 'a b'],
    ["'", undefined],
    ['method.request.header.Origin', undefined],
  ])('%j -> %j', (input, want) => {
    expect(staticValue(input)).toBe(want);
  });
});

describe('resolveTtl', () => {
  it.each<[unknown, number]>([
    [undefined, 300],
    [null, 300],
    [0, 0],
    [60, 60],
    ['120', 120],
    [3600, 3600],
  ])('%j -> %d', (input, want) => {
    expect(isValidTtl(input)).toBe(true);
    expect(resolveTtl(input)).toBe(want);
  });

  it.each<unknown>([-1, 3601, 1.5, 'soon', true, {}])('rejects %j', (input) => {
    expect(isValidTtl(input)).toBe(false);
    expect(() => resolveTtl(input)).toThrow(RangeError);
  });
});

describe('canonicalizeModel', () => {
  const r = (method: Route['method'], path: string): Route => ({
    method,
    path,
    authorization: { type: 'NONE' },
    apiKeyRequired: false,
  });
  const model: AuthModel = {
    api: { name: 'x' },
    stage: { name: 'prod', baseUrl: 'https://h/prod', variables: {} },
    authorizers: [
      { name: 'b', kind: 'TOKEN', identitySources: [], ttlSeconds: 0, userPools: [] },
      { name: 'B', kind: 'TOKEN', identitySources: [], ttlSeconds: 0, userPools: [] },
      { name: 'a', kind: 'TOKEN', identitySources: [], ttlSeconds: 0, userPools: [] },
    ],
    routes: [r('POST', '/pets'), r('GET', '/pets/{id}'), r('GET', '/pets'), r('ANY', '/Z'), r('GET', '/')],
    gatewayResponses: [
      { type: 'UNAUTHORIZED', headers: [], templates: {} },
      {
        type: 'DEFAULT_4XX',
        headers: [
          { name: 'b', value: '1' },
          { name: 'a', value: '2' },
        ],
        templates: {},
      },
    ],
  };

  it('sorts with a plain code-unit comparison, not the locale', () => {
    const out = canonicalizeModel(model);
    expect(out.authorizers.map((a) => a.name)).toEqual(['B', 'a', 'b']);
    expect(out.routes.map((x) => `${x.method} ${x.path}`)).toEqual([
      'GET /',
      'ANY /Z',
      'GET /pets',
      'POST /pets',
      'GET /pets/{id}',
    ]);
    expect(out.gatewayResponses.map((g) => g.type)).toEqual(['DEFAULT_4XX', 'UNAUTHORIZED']);
    expect(out.gatewayResponses[0]?.headers.map((h) => h.name)).toEqual(['a', 'b']);
  });

  it('does not modify its input', () => {
    const before = JSON.stringify(model);
    canonicalizeModel(model);
    expect(JSON.stringify(model)).toBe(before);
  });
});

describe('apiSlug', () => {
  it.each<[string, string]>([
    ['petstore-authz', 'petstore-authz'],
    ['Pet Store (v2)', 'pet-store-v2'],
    ['  --My_API--  ', 'my-api'],
    ['Ünïcode API', 'n-code-api'],
    ['', 'api'],
    ['***', 'api'],
  ])('%j -> %j', (input, want) => {
    expect(apiSlug(input)).toBe(want);
  });
});

describe('isPlaceholder', () => {
  it.each<[string, boolean]>([
    ['${UserPool}', true],
    ['arn:aws:cognito-idp:${AWS::Region}:1:userpool/x', true],
    ['${stageVariables.pool}', true],
    ['us-east-1_Pool1', false],
    ['{basePath}', false],
    ['$ {x}', false],
  ])('%j -> %s', (value, want) => {
    expect(isPlaceholder(value)).toBe(want);
  });
});

describe('fillUserPools', () => {
  const KNOWN = 'arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_Known1';
  const model = (arns: string[], variables: Record<string, string> = {}): AuthModel => ({
    api: { name: 'x' },
    stage: { name: 'prod', baseUrl: 'https://h/prod', variables },
    authorizers: [
      {
        name: 'Pool',
        kind: 'COGNITO_USER_POOLS',
        identitySources: [],
        ttlSeconds: 0,
        userPools: arns.map((arn) => parseUserPoolArn(arn) as UserPoolRef),
      },
      { name: 'T', kind: 'TOKEN', identitySources: [], ttlSeconds: 300, userPools: [] },
    ],
    routes: [],
    gatewayResponses: [],
  });
  const pools = (m: AuthModel) => m.authorizers[0]?.userPools;

  it('fills the region and pool id from the config, and rebuilds the ARN when every part is known', () => {
    const out = fillUserPools(
      model(['arn:aws:cognito-idp:${AWS::Region}:210987654321:userpool/${UserPool}']),
      { Pool: { userPoolId: 'eu-west-1_Abc123', region: 'eu-west-1' } },
    );
    expect(pools(out.model)).toEqual([
      {
        arn: 'arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_Abc123',
        region: 'eu-west-1',
        accountId: '210987654321',
        userPoolId: 'eu-west-1_Abc123',
      },
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('takes region and pool id from a Cognito issuer URL; keeps a templated account (and ARN) as it is', () => {
    const out = fillUserPools(model(['${UserPool.Arn}']), {
      Pool: { issuer: 'https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_Iss123' },
    });
    expect(pools(out.model)).toEqual([
      {
        arn: '${UserPool.Arn}',
        region: 'ap-south-1',
        accountId: '${UserPool.Arn}',
        userPoolId: 'ap-south-1_Iss123',
      },
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('resolves a stage-variable pool id from the stage variables the source knows', () => {
    const arn = 'arn:aws:cognito-idp:eu-west-1:210987654321:userpool/${stageVariables.pool}';
    const out = fillUserPools(model([arn], { pool: 'eu-west-1_Staged1' }), {});
    expect(pools(out.model)?.[0]?.userPoolId).toBe('eu-west-1_Staged1');
    expect(pools(out.model)?.[0]?.arn).toBe(
      'arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_Staged1',
    );
    expect(out.warnings).toEqual([]);
  });

  it('warns, naming the config keys, when neither the source nor the config knows the pool', () => {
    const out = fillUserPools(model([KNOWN, '${UserPool.Arn}']), { Pool: { region: 'eu-west-1' } });
    expect(pools(out.model)?.[0]).toEqual(parseUserPoolArn(KNOWN));
    expect(pools(out.model)?.[1]?.region).toBe('eu-west-1');
    expect(pools(out.model)?.[1]?.userPoolId).toBe('${UserPool.Arn}');
    expect(out.warnings).toEqual([
      'The user pool of Cognito authorizer "Pool" is a template value (${UserPool.Arn}): its userPoolId is ' +
        'unknown, so tokens cannot be fetched from it nor checked against it. Set ' +
        'authorizers.Pool.cognito.userPoolId (or cognito.issuer) in the config.',
    ]);
  });

  it('leaves known pools and other authorizers untouched', () => {
    const input = model([KNOWN]);
    const out = fillUserPools(input, { Pool: { userPoolId: 'eu-west-1_Other1', region: 'us-east-1' } });
    expect(out.model).toEqual(input);
    expect(out.warnings).toEqual([]);
  });
});

describe('canonicalizeModel: api key order', () => {
  it('writes name, id, region, apiKeySource in that order and leaves absent keys out', () => {
    const base: AuthModel = {
      api: { apiKeySource: 'AUTHORIZER', region: 'eu-west-1', id: 'abc', name: 'x' },
      stage: { name: 'prod', baseUrl: 'https://h/prod', variables: {} },
      authorizers: [],
      routes: [],
      gatewayResponses: [],
    };
    expect(Object.keys(canonicalizeModel(base).api)).toEqual(['name', 'id', 'region', 'apiKeySource']);
    expect(JSON.stringify(canonicalizeModel({ ...base, api: { region: 'r', name: 'n' } }).api)).toBe(
      '{"name":"n","region":"r"}',
    );
  });
});

describe('partitionOf and urlSuffixOf (AWS::Partition and AWS::URLSuffix of a region)', () => {
  it.each<[string | undefined, string | undefined, string]>([
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    [undefined, undefined, 'amazonaws.com'],
  ])('%s -> %s, %s', (region, partition, suffix) => {
    if (region !== undefined) expect(partitionOf(region)).toBe(partition);
    expect(urlSuffixOf(region)).toBe(suffix);
  });
});

describe('regexSyntaxError', () => {
  it.each<[string, string | undefined]>([
    ['^[a-z][a-z0-9-]{3,63}$', undefined],
    ['^[a-z(]+$', undefined], // a "(" inside a class is literal
    ['^([a-z]+$', 'Unterminated group'],
    ['^[a-z+$', 'Unterminated character class'],
  ])('%s -> %s', (pattern, reason) => {
    expect(regexSyntaxError(pattern)).toBe(reason);
  });
});

describe('iamAuthorizer', () => {
  it('is the sigv4 pseudo-authorizer, a new object each time', () => {
    const first = iamAuthorizer();
    expect(first).toEqual({
      name: 'sigv4',
      kind: 'AWS_IAM',
      identitySources: [],
      ttlSeconds: 0,
      userPools: [],
    });
    first.identitySources.push({ location: 'header', name: 'X', expression: 'method.request.header.X' });
    expect(iamAuthorizer().identitySources).toEqual([]);
  });
});
