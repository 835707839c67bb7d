import { describe, expect, it } from 'vitest';
import { InvalidExportError, UnsupportedAuthorizerError, type ApigwAuthzError } from '../../errors.js';
import { buildModelFromExport, readOpenApiDocument, type ExportSource } from './build-model.js';
import type { AuthModel } from '../../model/types.js';

const LAMBDA =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations';
const POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1';

/** A locator that knows one pointer, to check that errors carry the line when one is known. */
type ErrorClass = abstract new (...args: never[]) => ApigwAuthzError;

const source: ExportSource = {
  file: 'api.yaml',
  locate: (p: string) => (p === '#/known' ? 'line 3, column 1' : undefined),
};

const build = (doc: unknown): AuthModel => buildModelFromExport(doc, source);

const failure = (doc: unknown): ApigwAuthzError => {
  try {
    build(doc);
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
};

/** An OAS3 document with the given schemes and one `GET /r` operation. */
const oas3 = (
  schemes: Record<string, unknown>,
  operation: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  openapi: '3.0.1',
  info: { title: 'T' },
  paths: { '/r': { get: { ...operation, 'x-amazon-apigateway-integration': { type: 'mock' } } } },
  components: { securitySchemes: schemes },
  ...extra,
});

const token = (authorizer: Record<string, unknown>, scheme: Record<string, unknown> = {}) => ({
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: LAMBDA, ...authorizer },
  ...scheme,
});

describe('buildModelFromExport: authorizers', () => {
  it('takes a token authorizer header from the scheme name when identitySource is absent (AWS doc example)', () => {
    const model = build(oas3({ T: token({}, { name: 'X-Token' }) }, { security: [{ T: [] }] }));
    expect(model.authorizers[0]).toEqual({
      name: 'T',
      kind: 'TOKEN',
      identitySources: [{ location: 'header', name: 'X-Token', expression: 'method.request.header.X-Token' }],
      ttlSeconds: 300,
      lambdaUri: LAMBDA,
      userPools: [],
    });
  });

  it.each([
    ['TOKEN', 'TOKEN'],
    ['Request', 'REQUEST'],
    ['COGNITO_USER_POOLS', 'COGNITO_USER_POOLS'],
  ])('reads the type %s case-insensitively', (type, kind) => {
    const model = build(oas3({ A: token({ type, providerARNs: [POOL] }) }, {}));
    expect(model.authorizers[0]?.kind).toBe(kind);
  });

  it('reads TTL 0 and keeps Cognito TTL at 0', () => {
    const model = build(
      oas3(
        {
          L: token({ type: 'request', authorizerResultTtlInSeconds: 0, identitySource: 'context.path' }),
          C: token({ type: 'cognito_user_pools', providerARNs: [POOL], authorizerResultTtlInSeconds: 300 }),
        },
        {},
      ),
    );
    expect(model.authorizers.map((a) => [a.name, a.ttlSeconds])).toEqual([
      ['C', 0],
      ['L', 0],
    ]);
  });

  it('reads a Cognito identityValidationExpression (matched against aud)', () => {
    const model = build(
      oas3(
        {
          C: token({
            type: 'cognito_user_pools',
            providerARNs: [POOL],
            identityValidationExpression: '^abc$',
          }),
        },
        {},
      ),
    );
    expect(model.authorizers[0]?.validationExpression).toBe('^abc$');
    expect(model.authorizers[0]?.userPools.map((p) => p.region)).toEqual(['eu-west-1']);
  });

  it.each<[string, Record<string, unknown>, ErrorClass, string, RegExp]>([
    [
      'unknown type',
      token({ type: 'jwtx' }),
      UnsupportedAuthorizerError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/type',
      /^Unknown authorizer type "jwtx"\. Expected one of: token, request, cognito_user_pools, jwt\.$/,
    ],
    [
      'REST jwt type without jwtConfiguration',
      token({ type: 'jwt' }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/jwtConfiguration',
      /^A JWT authorizer needs jwtConfiguration with issuers\.$/,
    ],
    [
      'missing type',
      token({ type: undefined }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer',
      /has no type/,
    ],
    [
      'bad regex',
      token({ identityValidationExpression: '(' }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/identityValidationExpression',
      /is not a valid regular expression/,
    ],
    [
      'path parameter as identity source',
      token({ type: 'request', identitySource: 'method.request.header.A, method.request.path.id' }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/identitySource',
      /Invalid identity source "method\.request\.path\.id"/,
    ],
    [
      'token authorizer reading a query string',
      token({ identitySource: 'method.request.querystring.t' }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/identitySource',
      /reads one header/,
    ],
    [
      'bad provider ARN',
      token({ type: 'cognito_user_pools', providerARNs: [POOL, 'arn:aws:iam::1:role/x'] }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/providerARNs/1',
      /Invalid user pool ARN "arn:aws:iam::1:role\/x"/,
    ],
    [
      'no provider ARNs',
      token({ type: 'cognito_user_pools' }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/providerARNs',
      /needs providerARNs/,
    ],
    [
      'TTL out of range',
      token({ authorizerResultTtlInSeconds: 7200 }),
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authorizer/authorizerResultTtlInSeconds',
      /expected an integer from 0 to 3600/,
    ],
    [
      'authtype without authorizer',
      { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' },
      InvalidExportError,
      '#/components/securitySchemes/A/x-amazon-apigateway-authtype',
      /no x-amazon-apigateway-authorizer/,
    ],
  ])('%s -> error at the pointer', (_, scheme, errorClass, location, message) => {
    const err = failure(oas3({ A: scheme }, {}));
    expect(err).toBeInstanceOf(errorClass);
    expect(err.file).toBe('api.yaml');
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
  });
});

describe('buildModelFromExport: routes', () => {
  const schemes = {
    C: token({ type: 'cognito_user_pools', providerARNs: [POOL] }),
    T: token({}),
    api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    sigv4: {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    },
  };

  it.each<[string, unknown, AuthModel['routes'][number]['authorization'], boolean]>([
    ['no security', undefined, { type: 'NONE' }, false],
    ['empty security', [], { type: 'NONE' }, false],
    [
      'Cognito scopes',
      [{ C: ['a/read', 'a/write'] }],
      { type: 'AUTHORIZER', authorizer: 'C', scopes: ['a/read', 'a/write'] },
      false,
    ],
    ['API key alone', [{ api_key: [] }], { type: 'NONE' }, true],
    [
      'API key and authorizer, one object',
      [{ api_key: [], T: [] }],
      { type: 'AUTHORIZER', authorizer: 'T', scopes: [] },
      true,
    ],
    [
      'API key and authorizer, two objects',
      [{ api_key: [] }, { C: ['s'] }],
      { type: 'AUTHORIZER', authorizer: 'C', scopes: ['s'] },
      true,
    ],
    ['IAM', [{ sigv4: [] }], { type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] }, false],
    [
      'scopes on a Lambda authorizer are dropped',
      [{ T: ['x'] }],
      { type: 'AUTHORIZER', authorizer: 'T', scopes: [] },
      false,
    ],
  ])('%s', (_, security, authorization, apiKeyRequired) => {
    const model = build(oas3(schemes, security === undefined ? {} : { security }));
    expect(model.routes).toEqual([{ method: 'GET', path: '/r', authorization, apiKeyRequired }]);
  });

  describe('IAM is named sigv4 whatever the file calls it (as API Gateway exports it)', () => {
    const iam = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
    const twoIamRoutes = {
      openapi: '3.0.1',
      info: { title: 'T' },
      paths: {
        '/a': { get: { security: [{ AWS_IAM: [] }] } },
        '/b': { get: { security: [{ iam: [] }] } },
      },
      components: { securitySchemes: { AWS_IAM: iam, iam } },
    };

    it("renames SAM's AWS_IAM scheme on the route and the authorizer, with one warning", () => {
      const { model, warnings } = readOpenApiDocument(
        oas3({ AWS_IAM: iam }, { security: [{ AWS_IAM: [] }] }),
        source,
      );
      expect(model.routes[0]?.authorization).toEqual({ type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] });
      expect(model.authorizers.map((a) => [a.name, a.kind])).toEqual([['sigv4', 'AWS_IAM']]);
      expect(warnings).toEqual([
        'api.yaml #/components/securitySchemes/AWS_IAM: the IAM (awsSigv4) scheme "AWS_IAM" is named "sigv4", ' +
          "as API Gateway's export names it.",
      ]);
    });

    it('merges several IAM schemes into one sigv4 authorizer', () => {
      const { model, warnings } = readOpenApiDocument(twoIamRoutes, source);
      expect(model.authorizers.map((a) => a.name)).toEqual(['sigv4']);
      expect(model.routes.map((r) => r.authorization)).toEqual([
        { type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] },
        { type: 'AUTHORIZER', authorizer: 'sigv4', scopes: [] },
      ]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('(and 1 more like it)');
    });

    it('gives no warning for a file that already says sigv4', () => {
      const { warnings } = readOpenApiDocument(oas3({ sigv4: iam }, { security: [{ sigv4: [] }] }), source);
      expect(warnings).toEqual([]);
    });

    it('refuses a Lambda authorizer named sigv4 beside a used IAM scheme', () => {
      const doc = {
        ...twoIamRoutes,
        paths: { '/a': twoIamRoutes.paths['/a'], '/c': { get: { security: [{ sigv4: [] }] } } },
        components: { securitySchemes: { AWS_IAM: iam, sigv4: token({}) } },
      };
      const err = failure(doc);
      expect(err).toBeInstanceOf(InvalidExportError);
      expect(err.message).toContain('cannot be told apart');
    });
  });

  describe('root-level security (applied by API Gateway on import)', () => {
    /** Three operations: one without security, one opting out with `security: []`, one with its own. */
    const doc = (security: unknown) => ({
      ...oas3(schemes, {}, { security }),
      paths: {
        '/inherits': { get: {}, post: { security: null } },
        '/opts-out': { get: { security: [] } },
        '/own': { get: { security: [{ T: [] }] } },
      },
    });
    const authorization = (model: AuthModel, path: string, method = 'GET') =>
      model.routes.find((r) => r.path === path && r.method === method);

    it('applies to every operation without its own security, and says so once', () => {
      const { model, warnings } = readOpenApiDocument(doc([{ C: ['a/read'] }]), source);
      for (const method of ['GET', 'POST']) {
        expect(authorization(model, '/inherits', method)).toMatchObject({
          authorization: { type: 'AUTHORIZER', authorizer: 'C', scopes: ['a/read'] },
          apiKeyRequired: false,
        });
      }
      expect(authorization(model, '/own')?.authorization).toEqual({
        type: 'AUTHORIZER',
        authorizer: 'T',
        scopes: [],
      });
      expect(warnings).toEqual([
        "api.yaml #/security: 2 routes inherit the root-level security (C); an operation's `security: []` opts out.",
      ]);
    });

    it('an operation with `security: []` opts out', () => {
      const { model } = readOpenApiDocument(doc([{ C: [] }]), source);
      expect(authorization(model, '/opts-out')).toMatchObject({
        authorization: { type: 'NONE' },
        apiKeyRequired: false,
      });
    });

    it('carries the API key requirement, and names it in the note', () => {
      const { model, warnings } = readOpenApiDocument(doc([{ api_key: [], T: [] }]), source);
      expect(authorization(model, '/inherits')).toMatchObject({
        authorization: { type: 'AUTHORIZER', authorizer: 'T' },
        apiKeyRequired: true,
      });
      expect(warnings[0]).toContain('2 routes inherit the root-level security (T + API key)');
    });

    it.each([[[]], [undefined]])('root security %j grants nothing and gives no note', (security) => {
      const { model, warnings } = readOpenApiDocument(doc(security), source);
      expect(authorization(model, '/inherits')?.authorization).toEqual({ type: 'NONE' });
      expect(warnings).toEqual([]);
    });

    it('a root security naming an undefined scheme is an error at #/security', () => {
      const err = failure(doc([{ Nope: [] }]));
      expect(err).toBeInstanceOf(InvalidExportError);
      expect(err.location).toBe('#/security/0/Nope');
    });
  });

  it('lists the IAM pseudo-authorizer only when a method uses it', () => {
    expect(build(oas3(schemes, {})).authorizers.map((a) => a.name)).toEqual(['C', 'T']);
    expect(build(oas3(schemes, { security: [{ sigv4: [] }] })).authorizers.map((a) => a.name)).toEqual([
      'C',
      'T',
      'sigv4',
    ]);
  });

  it('reads x-amazon-apigateway-any-method as ANY and skips non-operation keys', () => {
    const doc = oas3(schemes, {});
    doc.paths = {
      '/files/{proxy+}': {
        parameters: [],
        summary: 'x',
        'x-amazon-apigateway-any-method': { security: [{ T: [] }] },
      },
    } as never;
    expect(build(doc).routes).toEqual([
      {
        method: 'ANY',
        path: '/files/{proxy+}',
        authorization: { type: 'AUTHORIZER', authorizer: 'T', scopes: [] },
        apiKeyRequired: false,
      },
    ]);
  });

  it.each<[string, unknown, string, RegExp, ErrorClass]>([
    [
      'undefined scheme',
      [{ Nope: [] }],
      '#/paths/~1r/get/security/0/Nope',
      /"Nope" is not defined in #\/components\/securitySchemes/,
      InvalidExportError,
    ],
    [
      'two authorizers',
      [{ T: [], C: [] }],
      '#/paths/~1r/get/security/0/C',
      /one authorization/,
      InvalidExportError,
    ],
    [
      'non-list security',
      { T: [] },
      '#/paths/~1r/get/security',
      /list of security requirements/,
      InvalidExportError,
    ],
    [
      'an OAuth 2 scheme without API Gateway extensions',
      [{ oauth: [] }],
      '#/components/securitySchemes/oauth',
      /is not an API Gateway authorizer/,
      UnsupportedAuthorizerError,
    ],
  ])('%s -> error', (_, security, location, message, errorClass) => {
    const err = failure(oas3({ ...schemes, oauth: { type: 'oauth2', flows: {} } }, { security }));
    expect(err).toBeInstanceOf(errorClass);
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
  });
});

describe('buildModelFromExport: document checks', () => {
  it.each<[string, unknown, string]>([
    ['an array', [], '#'],
    ['a Postman collection', { info: { name: 'x' }, item: [] }, '#/openapi'],
    ['OpenAPI 2 spelled as openapi', { openapi: '2.0' }, '#/openapi'],
  ])('rejects %s', (_, doc, location) => {
    const err = failure(doc);
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe(location);
    expect(err.fix).toContain('extensions=authorizers');
  });

  it('rejects a document without any x-amazon-apigateway-* key, with the export command as the fix', () => {
    const err = failure({ openapi: '3.0.1', info: { title: 'x' }, paths: { '/a': { get: {} } } });
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.message).toContain('No API Gateway extensions');
    expect(err.fix).toMatch(/--parameters extensions=authorizers.*extensions=apigateway/);
  });

  it('adds the line to the location when the locator knows it', () => {
    const err = buildModelFromExportError(
      { openapi: '3.0.1', info: { title: 'x' } },
      { file: 'f', locate: () => 'line 7, column 3' },
    );
    expect(err.location).toBe('# (line 7, column 3)');
    expect(err.toLine()).toMatch(/^f: # \(line 7, column 3\): No API Gateway extensions/);
  });
});

function buildModelFromExportError(doc: unknown, src: ExportSource): ApigwAuthzError {
  try {
    buildModelFromExport(doc, src);
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
}

describe('buildModelFromExport: stage, API ids, CORS, gateway responses', () => {
  const minimal = {
    openapi: '3.0.1',
    info: { title: 'My API' },
    paths: {},
    'x-amazon-apigateway-gateway-responses': {},
  };

  it.each<[string, Record<string, unknown>, AuthModel['api'], AuthModel['stage']]>([
    [
      'OAS3 server with a "/prod" basePath default (as AWS writes it)',
      {
        servers: [
          {
            url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/{basePath}',
            variables: { basePath: { default: '/prod' } },
          },
        ],
      },
      { id: 'abc123', name: 'My API', region: 'eu-west-1' },
      { name: 'prod', baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod', variables: {} },
    ],
    [
      'OAS3 custom domain with a base path',
      { servers: [{ url: 'https://api.example.com/v1/' }] },
      { name: 'My API' },
      { name: 'v1', baseUrl: 'https://api.example.com/v1', variables: {} },
    ],
    [
      'no server information',
      {},
      { name: 'My API' },
      { name: 'prod', baseUrl: 'https://example.execute-api.us-east-1.amazonaws.com/prod', variables: {} },
    ],
    [
      'Swagger 2 host and basePath',
      {
        openapi: undefined,
        swagger: '2.0',
        host: 'xyz789.execute-api.ap-south-1.amazonaws.com',
        basePath: '/dev',
      },
      { id: 'xyz789', name: 'My API', region: 'ap-south-1' },
      { name: 'dev', baseUrl: 'https://xyz789.execute-api.ap-south-1.amazonaws.com/dev', variables: {} },
    ],
  ])('%s', (_, extra, api, stage) => {
    const model = build({ ...minimal, ...extra });
    expect(model.api).toEqual(api);
    expect(model.stage).toEqual(stage);
  });

  it('reads gateway responses with status codes, sorted by type', () => {
    const model = build({
      ...minimal,
      'x-amazon-apigateway-gateway-responses': {
        UNAUTHORIZED: {
          statusCode: '401',
          responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
          responseTemplates: { 'application/json': '{"message":"nope"}' },
        },
        ACCESS_DENIED: { statusCode: 403 },
      },
    });
    expect(model.gatewayResponses).toEqual([
      { type: 'ACCESS_DENIED', statusCode: 403, headers: [], templates: {} },
      {
        type: 'UNAUTHORIZED',
        statusCode: 401,
        headers: [{ name: 'WWW-Authenticate', value: 'Bearer' }],
        templates: { 'application/json': '{"message":"nope"}' },
      },
    ]);
  });

  it('rejects an unknown gateway response type', () => {
    const err = failure({ ...minimal, 'x-amazon-apigateway-gateway-responses': { DEFAULT_4xx: {} } });
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/x-amazon-apigateway-gateway-responses/DEFAULT_4xx');
  });

  it.each<[string, Record<string, unknown>, AuthModel['cors']]>([
    [
      'a static origin in an integration response',
      {
        'x-amazon-apigateway-integration': {
          responses: {
            default: {
              responseParameters: {
                'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
              },
            },
          },
        },
      },
      { allowOrigin: 'https://app.example.com' },
    ],
    [
      'only declared as a response header',
      { responses: { '200': { headers: { 'access-control-allow-origin': {} } } } },
      { allowOrigin: '*' },
    ],
    ['no CORS', { responses: { '200': { description: 'ok' } } }, undefined],
  ])('CORS: %s', (_, operation, cors) => {
    const model = build({ ...minimal, paths: { '/a': { options: operation } } });
    expect(model.cors).toEqual(cors);
    expect(model.routes).toEqual([
      { method: 'OPTIONS', path: '/a', authorization: { type: 'NONE' }, apiKeyRequired: false },
    ]);
  });
});

describe('readOpenApiDocument: API key source and embedding', () => {
  const schemes = { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } };

  it.each<[unknown, AuthModel['api']['apiKeySource']]>([
    ['AUTHORIZER', 'AUTHORIZER'],
    ['authorizer', 'AUTHORIZER'],
    // HEADER is the default: left out, as the live reader leaves it out, so both models are equal.
    ['HEADER', undefined],
    [undefined, undefined],
  ])('x-amazon-apigateway-api-key-source %j -> %j', (value, want) => {
    const doc = oas3(
      schemes,
      { security: [{ api_key: [] }] },
      { 'x-amazon-apigateway-api-key-source': value },
    );
    const { model } = readOpenApiDocument(doc, source);
    expect(model.api.apiKeySource).toBe(want);
    expect(Object.keys(model.api)).toEqual(want === undefined ? ['name'] : ['name', 'apiKeySource']);
    expect(model.routes[0]?.apiKeyRequired).toBe(true);
  });

  it('rejects another API key source at its pointer', () => {
    const err = failure(oas3(schemes, {}, { 'x-amazon-apigateway-api-key-source': 'QUERY' }));
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/x-amazon-apigateway-api-key-source');
    expect(err.message).toMatch(/expected HEADER or AUTHORIZER/);
  });

  it('a document inside a larger file (a CloudFormation Body) points into that file', () => {
    const body = oas3({ T: token({ identitySource: 'method.request.querystring.t' }) }, {});
    const located: string[] = [];
    const err = (() => {
      try {
        readOpenApiDocument(body, {
          file: 'template.yaml',
          pointer: '#/Resources/Api/Properties/Body',
          locate: (p) => (located.push(p), 'line 40, column 9'),
        });
      } catch (e) {
        return e as ApigwAuthzError;
      }
      throw new Error('expected an error');
    })();
    const pointer =
      '#/Resources/Api/Properties/Body/components/securitySchemes/T/x-amazon-apigateway-authorizer/identitySource';
    expect(err.location).toBe(`${pointer} (line 40, column 9)`);
    expect(located).toEqual([pointer]);
    const { warnings } = readOpenApiDocument(
      { ...oas3({}, {}), paths: { r: { get: { 'x-amazon-apigateway-integration': {} } } } },
      { file: 'template.yaml', pointer: '#/Resources/Api/Properties/Body' },
    );
    expect(warnings).toEqual([
      'template.yaml #/Resources/Api/Properties/Body/paths/r: the path has no leading "/": read as "/r".',
    ]);
  });
});

describe('readOpenApiDocument: stage variables', () => {
  it('keeps a stage-variable authorizerUri without a warning (API Gateway resolves it at run time)', () => {
    const uri =
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${stageVariables.authFn}/invocations';
    const { model, warnings } = readOpenApiDocument(oas3({ T: token({ authorizerUri: uri }) }, {}), source);
    expect(model.authorizers[0]?.lambdaUri).toBe(uri);
    expect(warnings).toEqual([]);
  });

  it('never takes a stage-variable host or title as a fact', () => {
    const doc = oas3(
      { T: token({}) },
      {},
      {
        info: { title: '${stageVariables.name}' },
        servers: [{ url: 'https://${stageVariables.host}/prod' }],
      },
    );
    const { model, warnings } = readOpenApiDocument(doc, source);
    expect(model.api.name).toBe('api');
    expect(model.stage.baseUrl).toBe('https://example.execute-api.us-east-1.amazonaws.com/prod');
    expect(warnings.map((w) => w.split(':')[0])).toEqual([
      'api.yaml #/servers/0/url',
      'api.yaml #/info/title',
    ]);
  });
});

describe('readOpenApiDocument: conditional paths (SAM wraps a function with a Condition in Fn::If)', () => {
  it('reads a conditional path item or operation as present, with one warning', () => {
    const noValue = { Ref: 'AWS::NoValue' };
    const doc = {
      ...oas3({ T: token({}) }, {}),
      paths: {
        '/beta': { 'Fn::If': ['IsBeta', { get: { security: [{ T: [] }] } }, noValue] },
        '/pets': { post: { 'Fn::If': ['IsProd', noValue, { security: [{ T: [] }] }] } },
        '/gone': { 'Fn::If': ['Never', noValue, noValue] },
      },
    };
    const { model, warnings } = readOpenApiDocument(doc, source);
    expect(model.routes.map((r) => [r.method, r.path, r.authorization.type])).toEqual([
      ['GET', '/beta', 'AUTHORIZER'],
      ['POST', '/pets', 'AUTHORIZER'],
    ]);
    expect(warnings).toEqual([
      'api.yaml #/paths/~1beta/Fn::If: a conditional definition (Fn::If on condition IsBeta): read as present, ' +
        'as its first branch that exists (and 2 more like it).',
    ]);
  });

  it('points errors into the branch it read', () => {
    const doc = {
      ...oas3({}, {}),
      paths: {
        '/x': {
          'Fn::If': ['C', { get: { security: [{ Nope: [] }], 'x-amazon-apigateway-integration': {} } }, {}],
        },
      },
    };
    expect(failure(doc).location).toBe('#/paths/~1x/Fn::If/1/get/security/0/Nope');
  });
});
