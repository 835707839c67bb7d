import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InvalidExportError, UnsupportedAuthorizerError, type ApigwAuthzError } from '../../src/errors.js';
import type { ExportSource } from '../../src/sources/openapi/build-model.js';
import { loadExport, parseExport, readExportDocument } from '../../src/sources/openapi/export-file.js';
import { detectApiKind, readHttpApiDocument } from '../../src/sources/openapi/http-api.js';
import {
  httpExampleModel,
  httpHeaderSource,
  iamAuthorizer,
  jwtAuthorizer,
  lambdaUri,
  route,
} from '../support/models.js';

const EXAMPLE = 'examples/orders-http.openapi.json';
const FIXTURES = 'test/fixtures/exports/http';
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1';
const source: ExportSource = { file: 'http.yaml' };

type Json = Record<string, unknown>;

const jwtScheme = (jwtConfiguration: unknown, extra: Json = {}): Json => ({
  type: 'oauth2',
  flows: {},
  'x-amazon-apigateway-authorizer': {
    identitySource: '$request.header.Authorization',
    jwtConfiguration,
    type: 'jwt',
  },
  ...extra,
});

const lambdaScheme = (authorizer: Json = {}): Json => ({
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authorizer': {
    identitySource: '$request.header.Authorization',
    authorizerUri: lambdaUri('auth'),
    authorizerPayloadFormatVersion: '2.0',
    authorizerResultTtlInSeconds: 0,
    type: 'request',
    enableSimpleResponses: false,
    ...authorizer,
  },
});

const SIGV4 = {
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'awsSigv4',
};

/** An HTTP API export (importexport-version set) with the given paths and schemes. */
const httpDoc = (paths: Json, schemes: Json = {}, extra: Json = {}): Json => ({
  openapi: '3.0.1',
  info: { title: 'h', version: '1' },
  servers: [
    {
      url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/{basePath}',
      variables: { basePath: { default: '' } },
    },
  ],
  paths,
  components: { securitySchemes: schemes },
  'x-amazon-apigateway-importexport-version': '1.0',
  ...extra,
});

const read = (doc: unknown, src: ExportSource = source) => readHttpApiDocument(doc, src);
const failure = (doc: unknown, src: ExportSource = source): ApigwAuthzError => {
  try {
    read(doc, src);
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
};

describe('detectApiKind: REST or HTTP from the document (REST is the default)', () => {
  const jwtHttpShape = { issuer: ISSUER, audience: ['a'] };
  const withScheme = (scheme: Json, extra: Json = {}): Json => ({
    openapi: '3.0.1',
    paths: { '/r': { get: { security: [{ S: [] }] } } },
    components: { securitySchemes: { S: scheme } },
    ...extra,
  });
  it.each<[name: string, doc: unknown, kind: 'REST' | 'HTTP', pointer: string | undefined]>([
    ['not an object', 'openapi', 'REST', undefined],
    ['an OAS3 file without signals', { openapi: '3.0.1', paths: {} }, 'REST', undefined],
    [
      'Swagger 2.0, even with an HTTP signal (HTTP APIs import only OpenAPI 3)',
      { swagger: '2.0', 'x-amazon-apigateway-importexport-version': '1.0' },
      'REST',
      undefined,
    ],
    [
      'x-amazon-apigateway-importexport-version',
      { openapi: '3.0.1', 'x-amazon-apigateway-importexport-version': '1.0' },
      'HTTP',
      '#/x-amazon-apigateway-importexport-version',
    ],
    [
      'x-amazon-apigateway-cors',
      { openapi: '3.0.1', 'x-amazon-apigateway-cors': { allowOrigins: ['*'] } },
      'HTTP',
      '#/x-amazon-apigateway-cors',
    ],
    ['a "/$default" path', { openapi: '3.0.1', paths: { '/$default': {} } }, 'HTTP', '#/paths/~1$default'],
    ['a "$default" path (SAM)', { openapi: '3.0.1', paths: { $default: {} } }, 'HTTP', '#/paths/$default'],
    [
      'isDefaultRoute',
      { openapi: '3.0.1', paths: { '/x': { 'x-amazon-apigateway-any-method': { isDefaultRoute: true } } } },
      'HTTP',
      '#/paths/~1x/x-amazon-apigateway-any-method/isDefaultRoute',
    ],
    [
      'an integration payloadFormatVersion',
      {
        openapi: '3.0.1',
        paths: { '/x': { get: { 'x-amazon-apigateway-integration': { payloadFormatVersion: '2.0' } } } },
      },
      'HTTP',
      '#/paths/~1x/get/x-amazon-apigateway-integration/payloadFormatVersion',
    ],
    [
      'an authorizerPayloadFormatVersion',
      withScheme(lambdaScheme()),
      'HTTP',
      '#/components/securitySchemes/S/x-amazon-apigateway-authorizer/authorizerPayloadFormatVersion',
    ],
    [
      'a jwt {issuer, audience} authorizer in an oauth2 scheme',
      withScheme(jwtScheme(jwtHttpShape)),
      'HTTP',
      '#/components/securitySchemes/S/x-amazon-apigateway-authorizer/jwtConfiguration',
    ],
    [
      'a jwt authorizer in an openIdConnect scheme',
      withScheme(jwtScheme({ audience: ['a'] }, { type: 'openIdConnect', openIdConnectUrl: `${ISSUER}/x` })),
      'HTTP',
      '#/components/securitySchemes/S/x-amazon-apigateway-authorizer/jwtConfiguration',
    ],
    [
      "a jwt authorizer in REST's issuers[] shape",
      withScheme(jwtScheme({ issuers: [{ issuer: ISSUER, audiences: ['a'] }] })),
      'REST',
      '#/components/securitySchemes/S/x-amazon-apigateway-authorizer/jwtConfiguration',
    ],
    [
      'the HTTP jwt shape next to gateway responses (REST only)',
      withScheme(jwtScheme(jwtHttpShape), { 'x-amazon-apigateway-gateway-responses': {} }),
      'REST',
      '#/x-amazon-apigateway-gateway-responses',
    ],
    [
      'the HTTP jwt shape next to a token authorizer',
      {
        ...withScheme(jwtScheme(jwtHttpShape)),
        components: {
          securitySchemes: {
            S: jwtScheme(jwtHttpShape),
            T: { type: 'apiKey', 'x-amazon-apigateway-authorizer': { type: 'token' } },
          },
        },
      },
      'REST',
      '#/components/securitySchemes/T/x-amazon-apigateway-authorizer/type',
    ],
    [
      'the HTTP jwt shape in an apiKey scheme',
      withScheme({ ...jwtScheme(jwtHttpShape), type: 'apiKey' }),
      'REST',
      undefined,
    ],
  ])('%s -> %s', (_, doc, kind, pointer) => {
    expect(detectApiKind(doc)).toEqual(pointer === undefined ? { kind } : { kind, pointer });
  });

  it('the bundled REST example stays REST, the HTTP example is HTTP', async () => {
    const rest = await loadExport('examples/petstore-authz.openapi.yaml');
    expect(rest.model.api.kind).toBeUndefined();
    const http = await loadExport(EXAMPLE);
    expect(http.model.api.kind).toBe('HTTP');
  });
});

describe('the HTTP example export', () => {
  it('reads as httpExampleModel(), without warnings', async () => {
    const { model, warnings } = await loadExport(EXAMPLE);
    expect(model).toEqual(httpExampleModel());
    expect(warnings).toEqual([]);
  });

  it('its YAML form gives the same model, byte for byte, and so does a second reading', async () => {
    const json = JSON.stringify((await loadExport(EXAMPLE)).model);
    const yaml = JSON.stringify((await loadExport(`${FIXTURES}/orders-http.yaml`)).model);
    expect(yaml).toBe(json);
    expect(JSON.stringify((await loadExport(EXAMPLE)).model)).toBe(json);
  });

  it('SAM spellings ($default, identitySource list, AWS_IAM, NONE, root security, unknown keys) give the same model', async () => {
    const file = `${FIXTURES}/sam-style.yaml`;
    const { model, warnings } = await loadExport(file);
    expect(model).toEqual(httpExampleModel());
    expect(JSON.stringify(model)).toBe(JSON.stringify((await loadExport(EXAMPLE)).model));
    expect(warnings).toEqual([
      `${file} #/paths/~1health/get/security/0/NONE: security names NONE, which no security scheme defines: read ` +
        'as "no authorization" (SAM writes it so for a route that opts out of the default authorizer).',
      `${file} #/security: 2 routes inherit the root-level security (CognitoJwt); whether the HTTP API import ` +
        "applies it is not documented; an operation's `security: []` opts out.",
    ]);
  });

  it('the example is a realistic export: every operation has its default response and a 2.0 integration', () => {
    const doc = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as {
      paths: Record<string, Record<string, Json>>;
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [verb, operation] of Object.entries(item)) {
        const key =
          path === '/$default'
            ? '$default'
            : `${verb === 'x-amazon-apigateway-any-method' ? 'ANY' : verb.toUpperCase()} ${path}`;
        expect(operation.responses).toEqual({ default: { description: `Default response for ${key}` } });
        expect(operation['x-amazon-apigateway-integration']).toMatchObject({
          payloadFormatVersion: '2.0',
          type: 'aws_proxy',
        });
      }
    }
  });
});

describe('HTTP export shapes', () => {
  const cognito = { Jwt: jwtScheme({ audience: ['client-a'], issuer: ISSUER }) };

  it.each([
    [
      '"/$default" with isDefaultRoute',
      { '/$default': { 'x-amazon-apigateway-any-method': { isDefaultRoute: true } } },
    ],
    ['"$default" (SAM)', { $default: { 'x-amazon-apigateway-any-method': {} } }],
    ['"/$default" alone', { '/$default': { 'x-amazon-apigateway-any-method': {} } }],
  ])('the $default route: %s', (_, paths) => {
    const item = Object.values(paths)[0] as Json;
    item['x-amazon-apigateway-any-method'] = {
      ...(item['x-amazon-apigateway-any-method'] as Json),
      security: [{ Jwt: [] }],
    };
    expect(read(httpDoc(paths, cognito)).model.routes).toEqual([route('ANY', '$default', 'Jwt')]);
  });

  it('both $default spellings in one file are one route defined twice', () => {
    const err = failure(
      httpDoc({
        $default: { 'x-amazon-apigateway-any-method': {} },
        '/$default': { 'x-amazon-apigateway-any-method': {} },
      }),
    );
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/paths/~1$default/x-amazon-apigateway-any-method');
    expect(err.message).toBe(
      'Route $default is defined twice: here and at #/paths/$default/x-amazon-apigateway-any-method.',
    );
  });

  it('the openIdConnect variant: the issuer is the discovery URL without its suffix, with a warning', () => {
    const doc = httpDoc(
      { '/r': { get: { security: [{ Oidc: ['read'] }] } } },
      {
        Oidc: jwtScheme(
          { audience: ['api'] },
          {
            type: 'openIdConnect',
            openIdConnectUrl: 'https://id.example.com/realms/x/.well-known/openid-configuration',
          },
        ),
      },
    );
    const { model, warnings } = read(doc);
    expect(model.authorizers).toEqual([jwtAuthorizer('Oidc', 'https://id.example.com/realms/x', ['api'])]);
    expect(model.routes).toEqual([route('GET', '/r', 'Oidc', ['read'])]);
    expect(warnings).toEqual([
      'http.yaml #/components/securitySchemes/Oidc/openIdConnectUrl: the issuer is read from openIdConnectUrl as ' +
        '"https://id.example.com/realms/x" (without a trailing slash); if the tokens\' iss ends in /, set ' +
        'jwtConfiguration.issuer.',
    ]);
  });

  it('the openIdConnect variant with jwtConfiguration.issuer keeps that issuer (trailing slash too)', () => {
    const doc = httpDoc(
      {},
      {
        Oidc: jwtScheme(
          { audience: ['api'], issuer: 'https://id.example.com/' },
          {
            type: 'openIdConnect',
            openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
          },
        ),
      },
    );
    const { model, warnings } = read(doc);
    expect(model.authorizers[0]?.jwt?.issuers[0]?.issuer).toBe('https://id.example.com/');
    expect(warnings).toEqual([]);
  });

  it('an openIdConnectUrl that is not a discovery URL is exit 2 naming it', () => {
    const err = failure(
      httpDoc(
        {},
        {
          Oidc: jwtScheme(
            { audience: ['api'] },
            { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com' },
          ),
        },
      ),
    );
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/components/securitySchemes/Oidc/openIdConnectUrl');
    expect(err.fix).toContain('/.well-known/openid-configuration');
  });

  it('identitySource as a comma string (with spaces) and as a list give the same authorizer', () => {
    const lambda = (identitySource: unknown) =>
      read(httpDoc({}, { L: lambdaScheme({ identitySource }) })).model.authorizers;
    const list = lambda(['$request.header.X-Token', '$request.querystring.tenant', '$context.routeKey']);
    expect(lambda('$request.header.X-Token, $request.querystring.tenant,$context.routeKey')).toEqual(list);
    expect(list[0]?.identitySources).toEqual([
      httpHeaderSource('X-Token'),
      { location: 'querystring', name: 'tenant', expression: '$request.querystring.tenant' },
      { location: 'context', name: 'routeKey', expression: '$context.routeKey' },
    ]);
  });

  it('a NONE requirement without a NONE scheme is a public route, with a warning', () => {
    const { model, warnings } = read(httpDoc({ '/open': { get: { security: [{ NONE: [] }] } } }, cognito));
    expect(model.routes).toEqual([route('GET', '/open')]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('#/paths/~1open/get/security/0/NONE: security names NONE');
  });

  it('x-amazon-apigateway-auth AWS_IAM is an IAM route (sigv4); NONE is public; values are case-insensitive', () => {
    const { model } = read(
      httpDoc({
        '/signed': { post: { 'x-amazon-apigateway-auth': { type: 'aws_iam' } } },
        '/open': { get: { 'x-amazon-apigateway-auth': { type: 'NONE' } } },
      }),
    );
    expect(model.authorizers).toEqual([iamAuthorizer()]);
    expect(model.routes).toEqual([route('GET', '/open'), route('POST', '/signed', 'sigv4')]);
  });

  it('x-amazon-apigateway-auth agrees with an IAM security requirement; disagreeing with a JWT one is exit 2', () => {
    const agree = read(
      httpDoc(
        { '/s': { get: { security: [{ sigv4: [] }], 'x-amazon-apigateway-auth': { type: 'AWS_IAM' } } } },
        { sigv4: SIGV4 },
      ),
    );
    expect(agree.model.routes).toEqual([route('GET', '/s', 'sigv4')]);
    const err = failure(
      httpDoc(
        { '/s': { get: { security: [{ Jwt: [] }], 'x-amazon-apigateway-auth': { type: 'AWS_IAM' } } } },
        cognito,
      ),
    );
    expect(err.location).toBe('#/paths/~1s/get/x-amazon-apigateway-auth');
    expect(err.message).toContain('one authorization');
  });

  it('an unknown x-amazon-apigateway-auth type is exit 2', () => {
    const err = failure(httpDoc({ '/s': { get: { 'x-amazon-apigateway-auth': { type: 'COGNITO' } } } }));
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/paths/~1s/get/x-amazon-apigateway-auth');
  });

  it('the IAM scheme, whatever its name, is the sigv4 authorizer; listed only when a route uses it', () => {
    const unused = read(httpDoc({ '/r': { get: {} } }, { AWS_IAM: SIGV4 }));
    expect(unused.model.authorizers).toEqual([]);
    const used = read(httpDoc({ '/r': { get: { security: [{ AWS_IAM: [] }] } } }, { AWS_IAM: SIGV4 }));
    expect(used.model.authorizers).toEqual([iamAuthorizer()]);
    expect(used.model.routes).toEqual([route('GET', '/r', 'sigv4')]);
  });

  it('scopes stay on JWT routes and are dropped on Lambda routes (API Gateway ignores them there)', () => {
    const { model } = read(
      httpDoc(
        {
          '/j': { get: { security: [{ Jwt: ['a', 'b', 'a'] }] } },
          '/l': { get: { security: [{ L: ['a'] }] } },
        },
        { ...cognito, L: lambdaScheme() },
      ),
    );
    expect(model.routes).toEqual([route('GET', '/j', 'Jwt', ['a', 'b']), route('GET', '/l', 'L')]);
  });

  it('two schemes on one operation are exit 2 (an HTTP API route has one authorization)', () => {
    const err = failure(
      httpDoc({ '/r': { get: { security: [{ Jwt: [] }, { sigv4: [] }] } } }, { ...cognito, sigv4: SIGV4 }),
    );
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/paths/~1r/get/security/1/sigv4');
  });

  it('root-level security applies to operations without their own; `security: []` opts out', () => {
    const { model } = read(
      httpDoc({ '/a': { get: {} }, '/b': { get: { security: [] } } }, cognito, {
        security: [{ Jwt: ['x'] }],
      }),
    );
    expect(model.routes).toEqual([route('GET', '/a', 'Jwt', ['x']), route('GET', '/b')]);
  });

  it('a scheme without API Gateway extensions is exit 2 naming the scheme, when a route uses it', () => {
    const doc = httpDoc(
      { '/r': { get: { security: [{ Basic: [] }] } } },
      { Basic: { type: 'http', scheme: 'basic' } },
    );
    const err = failure(doc);
    expect(err).toBeInstanceOf(UnsupportedAuthorizerError);
    expect(err.location).toBe('#/components/securitySchemes/Basic');
    expect(err.message).toMatch(/^Security scheme "Basic" \(type "http"\) is not an API Gateway authorizer/);
    // Unused, it is not an authorizer and not an error.
    expect(read(httpDoc({}, { Basic: { type: 'http', scheme: 'basic' } })).model.authorizers).toEqual([]);
  });

  it.each([
    [
      'token',
      /^Unknown HTTP API authorizer type "token" \(a REST API type\)\. Expected one of: jwt, request\.$/,
    ],
    ['jwtx', /^Unknown HTTP API authorizer type "jwtx"\. Expected one of: jwt, request\.$/],
  ])('authorizer type %s is UnsupportedAuthorizerError at its type', (type, message) => {
    const err = failure(httpDoc({}, { A: lambdaScheme({ type }) }));
    expect(err).toBeInstanceOf(UnsupportedAuthorizerError);
    expect(err.location).toBe('#/components/securitySchemes/A/x-amazon-apigateway-authorizer/type');
    expect(err.message).toMatch(message);
    expect(err.fix).toBeTruthy();
  });

  it('a route key whose greedy variable is not last does not parse: exit 2 at the operation', () => {
    const err = failure(httpDoc({ '/files/{proxy+}/meta': { get: {} } }));
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/paths/~1files~1{proxy+}~1meta/get');
    expect(err.message).toBe('Route key "GET /files/{proxy+}/meta" does not parse.');
  });

  it('Lambda authorizers: TTL default 300 when unset, payload 1.0 policy responses, and their errors', () => {
    const { model } = read(
      httpDoc(
        {},
        {
          L: lambdaScheme({ authorizerResultTtlInSeconds: undefined, authorizerPayloadFormatVersion: '1.0' }),
        },
      ),
    );
    expect(model.authorizers[0]).toMatchObject({
      kind: 'HTTP_LAMBDA',
      ttlSeconds: 300,
      httpLambda: { payloadFormat: '1.0', simpleResponses: false },
    });
    const simple10 = failure(
      httpDoc(
        {},
        { L: lambdaScheme({ authorizerPayloadFormatVersion: '1.0', enableSimpleResponses: true }) },
      ),
    );
    expect(simple10.location).toBe(
      '#/components/securitySchemes/L/x-amazon-apigateway-authorizer/enableSimpleResponses',
    );
    expect(simple10.message).toBe('Simple responses need payload format 2.0.');
  });

  it('servers: the basePath default is the stage; none is $default; ids from the execute-api host', () => {
    const stageOf = (servers: unknown) => {
      const { model } = read({ ...httpDoc({}), servers });
      return { api: model.api, stage: model.stage };
    };
    const url = 'https://abc123.execute-api.eu-west-1.amazonaws.com/{basePath}';
    expect(stageOf([{ url, variables: { basePath: { default: 'prod' } } }])).toEqual({
      api: { kind: 'HTTP', name: 'h', id: 'abc123', region: 'eu-west-1' },
      stage: {
        name: 'prod',
        baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
        variables: {},
      },
    });
    expect(stageOf([{ url, variables: { basePath: { default: '/prod' } } }]).stage.baseUrl).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    );
    expect(stageOf([{ url, variables: { basePath: { default: '$default' } } }]).stage).toEqual({
      name: '$default',
      baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
      variables: {},
    });
    expect(stageOf(undefined)).toEqual({
      api: { kind: 'HTTP', name: 'h' },
      stage: {
        name: '$default',
        baseUrl: 'https://example.execute-api.us-east-1.amazonaws.com',
        variables: {},
      },
    });
    expect(stageOf([{ url: 'https://api.example.com/v1' }])).toEqual({
      api: { kind: 'HTTP', name: 'h' },
      stage: { name: 'v1', baseUrl: 'https://api.example.com/v1', variables: {} },
    });
  });

  it('an embedded body (a template) names its place in errors, and renders template values it can', () => {
    const body = httpDoc(
      { '/r': { get: { security: [{ Jwt: [] }] } } },
      {
        Jwt: jwtScheme({
          audience: [{ Ref: 'ClientId' }],
          issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}' },
        }),
      },
    );
    const src: ExportSource = {
      file: 't.yaml',
      pointer: '#/Resources/Api/Properties/Body',
      region: 'eu-west-1',
    };
    const { model } = read(body, src);
    expect(model.authorizers[0]?.jwt?.issuers).toEqual([
      {
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/${Pool}',
        audiences: ['${ClientId}'],
        claims: [],
      },
    ]);
    const err = failure(httpDoc({}, { Jwt: jwtScheme({ audience: 'x', issuer: ISSUER }) }), src);
    expect(err.location).toBe(
      '#/Resources/Api/Properties/Body/components/securitySchemes/Jwt/x-amazon-apigateway-authorizer/jwtConfiguration/audience',
    );
  });

  it('swagger 2.0 given to the HTTP reader directly is exit 2 (HTTP APIs are OpenAPI 3 only)', () => {
    const err = failure({ swagger: '2.0', paths: {} });
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe('#/openapi');
  });

  it('readExportDocument picks the reader by kind', () => {
    const http = readExportDocument(httpDoc({ '/r': { get: { security: [{ Jwt: [] }] } } }, cognito), source);
    expect(http.model.api.kind).toBe('HTTP');
    const restDoc = {
      openapi: '3.0.1',
      info: { title: 'r' },
      paths: { '/r': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } },
    };
    expect(readExportDocument(restDoc, source).model.api.kind).toBeUndefined();
  });

  it('parseExport of the same document as JSON and as YAML text gives byte-identical models', () => {
    const doc = httpDoc({ '/r': { get: { security: [{ Jwt: ['s'] }] } } }, { ...cognito, L: lambdaScheme() });
    const fromJson = JSON.stringify(parseExport(JSON.stringify(doc, null, 2), 'a.json').model);
    const fromYaml = JSON.stringify(parseExport(stringify(doc), 'a.yaml').model);
    expect(fromYaml).toBe(fromJson);
    expect(JSON.parse(fromJson)).toMatchObject({ routes: [route('GET', '/r', 'Jwt', ['s'])] });
  });
});
