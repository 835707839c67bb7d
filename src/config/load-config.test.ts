import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InputNotFoundError,
  InputUnreadableError,
  InvalidConfigError,
  InvalidYamlError,
  type ApigwAuthzError,
} from '../errors.js';
import type { AuthModel } from '../model/types.js';
import {
  applyModelDefaults,
  formatKeyPath,
  loadConfig,
  resolveConfig,
  userPoolFacts,
} from './load-config.js';
import type { ProjectConfig } from './types.js';

const BASE = '/work/project';

const thrown = (fn: () => unknown): ApigwAuthzError => {
  try {
    fn();
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
};

describe('resolveConfig', () => {
  it('fills every default when there is no config', () => {
    expect(resolveConfig(undefined, undefined, BASE)).toEqual({
      baseDir: BASE,
      publicRoutes: [],
      depth: 'standard',
      pathParameters: {},
      stageVariables: {},
      authorizers: {},
    });
    expect(resolveConfig(null, 'c.yaml', BASE)).toMatchObject({ file: 'c.yaml', depth: 'standard' });
  });

  it('reads a full config, resolving handlers against baseDir and filling authorizer defaults', () => {
    const config = resolveConfig(
      {
        baseUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/prod/',
        publicRoutes: ['get /health', 'ANY /files/{proxy+}'],
        depth: 'full',
        pathParameters: { petId: 42, proxy: 'a/b' },
        stageVariables: { authStage: 'x' },
        authorizers: {
          TokenAuth: { handler: './authorizers/token.mjs', validToken: 'allow', tokenFormat: 'jwt' },
          RequestAuth: { validIdentity: { 'method.request.header.X-Tenant-Id': 't1' } },
          Bare: null,
          CognitoAuth: {
            cognito: {
              clientId: 'abc',
              domain: 'https://pets.auth.us-east-1.amazoncognito.com/',
              accessTokenFlow: 'client_credentials',
            },
          },
        },
      },
      'c.yaml',
      BASE,
    );
    expect(config.baseUrl).toBe('https://abc.execute-api.us-east-1.amazonaws.com/prod');
    expect(config.publicRoutes).toEqual(['GET /health', 'ANY /files/{proxy+}']);
    expect(config.depth).toBe('full');
    expect(config.pathParameters).toEqual({ petId: '42', proxy: 'a/b' });
    expect(config.authorizers.TokenAuth).toEqual({
      handler: resolve(BASE, 'authorizers/token.mjs'),
      validToken: 'allow',
      tokenFormat: 'jwt',
      validIdentity: {},
    });
    expect(config.authorizers.RequestAuth).toEqual({
      tokenFormat: 'opaque',
      validIdentity: { 'method.request.header.X-Tenant-Id': 't1' },
    });
    expect(config.authorizers.Bare).toEqual({ tokenFormat: 'opaque', validIdentity: {} });
    expect(config.authorizers.CognitoAuth?.cognito).toEqual({
      clientId: 'abc',
      domain: 'https://pets.auth.us-east-1.amazoncognito.com',
      callbackUrl: 'https://oauth.pstmn.io/v1/callback',
      tokenFlow: 'password',
      accessTokenFlow: 'client_credentials',
      idpEndpoint: '',
    });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['not a mapping', ['a'], '(top level)', /expected a mapping \(key: value\), got a list/],
    [
      'unknown key with a suggestion',
      { dept: 'full' },
      'dept',
      /unknown key "dept"\. Did you mean "depth"\?/,
    ],
    [
      'unknown key without a suggestion',
      { zzzzzz: 1 },
      'zzzzzz',
      /^unknown key "zzzzzz"\. Expected one of: baseUrl,/,
    ],
    ['bad depth', { depth: 'deep' }, 'depth', /expected one of smoke, standard, full, got "deep"/],
    [
      'bad baseUrl',
      { baseUrl: 'abc.execute-api.us-east-1.amazonaws.com' },
      'baseUrl',
      /expected an http\(s\) URL/,
    ],
    ['publicRoutes not a list', { publicRoutes: 'GET /health' }, 'publicRoutes', /expected a list/],
    [
      'bad publicRoutes entry',
      { publicRoutes: ['GET /a', '/health'] },
      'publicRoutes[1]',
      /expected "METHOD \/path"/,
    ],
    [
      'bad publicRoutes method',
      { publicRoutes: ['FETCH /a'] },
      'publicRoutes[0]',
      /expected "METHOD \/path"/,
    ],
    [
      'pathParameters value',
      { pathParameters: { id: [1] } },
      'pathParameters.id',
      /expected a string, got a list/,
    ],
    [
      'tokenFormat',
      { authorizers: { TokenAuth: { tokenFormat: 'xml' } } },
      'authorizers.TokenAuth.tokenFormat',
      /expected one of opaque, jwt, got "xml"/,
    ],
    [
      'tokenFlow typo',
      { authorizers: { C: { cognito: { tokenFlow: 'pasword' } } } },
      'authorizers.C.cognito.tokenFlow',
      /expected one of password, client_credentials, static, got "pasword"\. Did you mean "password"\?/,
    ],
    [
      'unknown authorizer key',
      { authorizers: { T: { validtoken: 'x' } } },
      'authorizers.T.validtoken',
      /unknown key "validtoken"\. Did you mean "validToken"\?/,
    ],
    [
      'validIdentity key',
      { authorizers: { R: { validIdentity: { 'method.request.path.id': '1' } } } },
      'authorizers.R.validIdentity["method.request.path.id"]',
      /expected an identity source expression/,
    ],
    [
      'domain without scheme',
      { authorizers: { C: { cognito: { domain: 'pets.auth.us-east-1.amazoncognito.com' } } } },
      'authorizers.C.cognito.domain',
      /expected an http\(s\) URL/,
    ],
    ['empty handler', { authorizers: { T: { handler: '' } } }, 'authorizers.T.handler', /non-empty string/],
  ])('%s -> InvalidConfigError at the key path', (_, raw, location, message) => {
    const err = thrown(() => resolveConfig(raw, 'cfg.yaml', BASE));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.file).toBe('cfg.yaml');
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
    expect(err.toLine()).not.toContain('\n');
  });

  it.each<[string, unknown, string, string]>([
    [
      'a Cognito client secret',
      { authorizers: { CognitoAuth: { cognito: { clientSecret: 's3cr3t' } } } },
      'authorizers.CognitoAuth.cognito.clientSecret',
      'CognitoAuth.clientSecret',
    ],
    [
      'a password',
      { authorizers: { CognitoAuth: { password: 'p' } } },
      'authorizers.CognitoAuth.password',
      'CognitoAuth.password',
    ],
    ['an AWS secret key', { secretAccessKey: 'k' }, 'secretAccessKey', 'awsSecretAccessKey'],
    ['an AWS session token', { aws_session_token: 'k' }, 'aws_session_token', 'awsSessionToken'],
  ])('refuses %s and names the run-time variable', (_, raw, location, variable) => {
    const err = thrown(() => resolveConfig(raw, 'cfg.yaml', BASE));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toBe(location);
    expect(err.message).toContain('supplied at run time');
    expect(err.fix).toContain(`--env-var ${variable}=`);
    // the secret value itself is never repeated
    expect(err.toLine()).not.toMatch(/s3cr3t|\bp\b|: k\b/);
  });

  it('refuses other secret-looking keys with a generic hint', () => {
    const err = thrown(() => resolveConfig({ authorizers: { T: { apiKeySecret: 'x' } } }, 'c', BASE));
    expect(err.location).toBe('authorizers.T.apiKeySecret');
    expect(err.message).toContain('supplied at run time');
  });

  it('reads serve.requestWithoutCacheMissingSource (default reject) and refuses other values and API keys', () => {
    expect(resolveConfig({}, 'c', BASE).serve).toBeUndefined();
    expect(resolveConfig({ serve: {} }, 'c', BASE).serve).toEqual({
      requestWithoutCacheMissingSource: 'reject',
    });
    expect(resolveConfig({ serve: { requestWithoutCacheMissingSource: 'invoke' } }, 'c', BASE).serve).toEqual(
      { requestWithoutCacheMissingSource: 'invoke' },
    );
    const bad = thrown(() =>
      resolveConfig({ serve: { requestWithoutCacheMissingSource: 'invok' } }, 'c', BASE),
    );
    expect(bad).toBeInstanceOf(InvalidConfigError);
    expect(bad.location).toBe('serve.requestWithoutCacheMissingSource');
    expect(bad.message).toMatch(/expected one of reject, invoke, got "invok"/);
    // API keys are secrets: serve takes them from APIGW_AUTHZ_API_KEYS, never from the file
    const key = thrown(() => resolveConfig({ serve: { apiKeys: ['k'] } }, 'c', BASE));
    expect(key.location).toBe('serve.apiKeys');
    expect(key.message).toContain('supplied at run time');
  });

  it('adds the line when a locator is given', () => {
    const err = thrown(() =>
      resolveConfig({ depth: 'x' }, 'c.yaml', BASE, (p) =>
        p === '#/depth' ? 'line 2, column 8' : undefined,
      ),
    );
    expect(err.location).toBe('depth (line 2, column 8)');
  });
});

const model: AuthModel = {
  api: { name: 'api', region: 'us-west-2' },
  stage: { name: 'prod', baseUrl: 'https://example.execute-api.us-east-1.amazonaws.com/prod', variables: {} },
  authorizers: [
    {
      name: 'CognitoAuth',
      kind: 'COGNITO_USER_POOLS',
      identitySources: [
        { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
      ],
      ttlSeconds: 0,
      userPools: [
        {
          arn: 'arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_A',
          region: 'eu-central-1',
          accountId: '123456789012',
          userPoolId: 'eu-central-1_A',
        },
      ],
    },
    {
      name: 'OtherPool',
      kind: 'COGNITO_USER_POOLS',
      identitySources: [
        { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
      ],
      ttlSeconds: 0,
      userPools: [
        {
          arn: 'arn:aws:cognito-idp:ap-south-1:123456789012:userpool/ap-south-1_B',
          region: 'ap-south-1',
          accountId: '123456789012',
          userPoolId: 'ap-south-1_B',
        },
      ],
    },
    {
      name: 'RequestAuth',
      kind: 'REQUEST',
      identitySources: [
        { location: 'header', name: 'X-Tenant-Id', expression: 'method.request.header.X-Tenant-Id' },
      ],
      ttlSeconds: 300,
      userPools: [],
    },
    { name: 'TokenAuth', kind: 'TOKEN', identitySources: [], ttlSeconds: 300, userPools: [] },
  ],
  routes: [],
  gatewayResponses: [],
};

describe('applyModelDefaults', () => {
  it('fills idpEndpoint from the first user pool region and tokenUrl from domain', () => {
    const config = resolveConfig(
      {
        authorizers: {
          CognitoAuth: { cognito: { domain: 'https://d.auth.eu-central-1.amazoncognito.com' } },
        },
      },
      'c.yaml',
      BASE,
    );
    const out = applyModelDefaults(config, model);
    expect(out.authorizers.CognitoAuth?.cognito).toMatchObject({
      idpEndpoint: 'https://cognito-idp.eu-central-1.amazonaws.com/',
      tokenUrl: 'https://d.auth.eu-central-1.amazoncognito.com/oauth2/token',
    });
    // a Cognito authorizer without a config entry still gets complete Cognito settings
    expect(out.authorizers.OtherPool).toEqual({
      tokenFormat: 'opaque',
      validIdentity: {},
      cognito: {
        callbackUrl: 'https://oauth.pstmn.io/v1/callback',
        tokenFlow: 'password',
        idpEndpoint: 'https://cognito-idp.ap-south-1.amazonaws.com/',
      },
    });
    // the input is not modified
    expect(config.authorizers.CognitoAuth?.cognito?.idpEndpoint).toBe('');
    expect(config.authorizers.OtherPool).toBeUndefined();
  });

  it('keeps explicit idpEndpoint and tokenUrl', () => {
    const config = resolveConfig(
      {
        authorizers: {
          CognitoAuth: {
            cognito: {
              idpEndpoint: 'http://127.0.0.1:9229/',
              domain: 'https://d.example',
              tokenUrl: 'http://127.0.0.1:9000/token',
            },
          },
        },
      },
      'c.yaml',
      BASE,
    );
    expect(applyModelDefaults(config, model).authorizers.CognitoAuth?.cognito).toMatchObject({
      idpEndpoint: 'http://127.0.0.1:9229/',
      tokenUrl: 'http://127.0.0.1:9000/token',
    });
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      'an unknown authorizer',
      { authorizers: { TokenAuht: {} } },
      'authorizers.TokenAuht',
      /unknown authorizer "TokenAuht": the API has CognitoAuth, OtherPool, RequestAuth, TokenAuth\. Did you mean "TokenAuth"\?/,
    ],
    [
      'cognito settings on a Lambda authorizer',
      { authorizers: { TokenAuth: { cognito: {} } } },
      'authorizers.TokenAuth.cognito',
      /"TokenAuth" is a TOKEN authorizer/,
    ],
    [
      'a validIdentity key that is not a source of the authorizer',
      { authorizers: { RequestAuth: { validIdentity: { 'method.request.header.X-Tenant': 'a' } } } },
      'authorizers.RequestAuth.validIdentity["method.request.header.X-Tenant"]',
      /not an identity source of "RequestAuth" \(its sources: method\.request\.header\.X-Tenant-Id\)\. Did you mean/,
    ],
  ])('rejects %s', (_, raw, location, message) => {
    const err = thrown(() => applyModelDefaults(resolveConfig(raw, 'c.yaml', BASE), model));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.file).toBe('c.yaml');
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
  });

  it('lenient (doctor) keeps an unknown authorizer and identity source for doctor to report', () => {
    const raw = {
      authorizers: {
        TokenAuht: { validToken: 'allow' },
        RequestAuth: { validIdentity: { 'method.request.header.X-Tenant': 'a' } },
      },
    };
    const out = applyModelDefaults(resolveConfig(raw, 'c.yaml', BASE), model, { lenient: true });
    expect(out.authorizers.TokenAuht?.validToken).toBe('allow');
    expect(out.authorizers.RequestAuth?.validIdentity).toEqual({ 'method.request.header.X-Tenant': 'a' });
    // cognito settings on a Lambda authorizer are still refused: doctor has no rule for them
    const wrongKind = { authorizers: { TokenAuth: { cognito: {} } } };
    expect(() =>
      applyModelDefaults(resolveConfig(wrongKind, 'c.yaml', BASE), model, { lenient: true }),
    ).toThrow(InvalidConfigError);
  });

  it('checks publicRoutes of a config built by hand', () => {
    const config: ProjectConfig = { ...resolveConfig(undefined, undefined, BASE), publicRoutes: ['health'] };
    const err = thrown(() => applyModelDefaults(config, model));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toBe('publicRoutes[0]');
  });
});

describe('formatKeyPath', () => {
  it.each<[Array<string | number>, string]>([
    [[], '(top level)'],
    [['depth'], 'depth'],
    [['publicRoutes', 2], 'publicRoutes[2]'],
    [['authorizers', 'My Auth', 'handler'], 'authorizers["My Auth"].handler'],
  ])('%j -> %s', (path, want) => {
    expect(formatKeyPath(path)).toBe(want);
  });
});

describe('loadConfig', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'apigw-authz-config-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads the bundled example config and resolves handlers next to it', async () => {
    const config = await loadConfig('examples/apigw-authz.config.yaml', process.cwd());
    expect(config.file).toBe(resolve('examples/apigw-authz.config.yaml'));
    expect(config.baseDir).toBe(resolve('examples'));
    expect(config.publicRoutes).toEqual(['GET /health']);
    expect(config.authorizers.TokenAuth?.handler).toBe(resolve('examples/authorizers/token.mjs'));
    expect(config.authorizers.CognitoAuth?.cognito).toMatchObject({
      tokenFlow: 'password',
      accessTokenFlow: 'client_credentials',
      accessTokenClientId: '7m2m8mple5cl1ent6id7abc890',
    });
    expect(config.authorizers.RequestAuth?.validIdentity['method.request.querystring.apiVersion']).toBe(
      '2024-01-01',
    );
  });

  it('returns the defaults with baseDir = cwd when no file is given', async () => {
    expect(await loadConfig(undefined, tmp)).toEqual(resolveConfig(undefined, undefined, tmp));
  });

  it('reads JSON and gives errors with the line', async () => {
    const file = join(tmp, 'c.json');
    await writeFile(file, '{\n  "depth": "deep"\n}\n');
    const err = (await loadConfig(file, tmp).catch((e: unknown) => e)) as ApigwAuthzError;
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toBe('depth (line 2, column 12)');
  });

  it('treats an empty or comment-only file as all defaults', async () => {
    const file = join(tmp, 'empty.yaml');
    await writeFile(file, '# nothing yet\n');
    expect((await loadConfig(file, tmp)).depth).toBe('standard');
  });

  it.each<[string, string | undefined, abstract new (...args: never[]) => ApigwAuthzError]>([
    ['missing.yaml', undefined, InputNotFoundError],
    ['dir', undefined, InputUnreadableError],
    ['bad.yaml', 'depth: [\n', InvalidYamlError],
  ])('%s -> error', async (name, content, errorClass) => {
    const file = join(tmp, name);
    if (name === 'dir') await mkdir(file, { recursive: true });
    if (content !== undefined) await writeFile(file, content);
    await expect(loadConfig(name, tmp)).rejects.toBeInstanceOf(errorClass);
  });
});

describe('expectations and bearerPrefixCase (issue 7 points 1 and 2)', () => {
  it('reads overrides keyed by AWS response id and the Bearer switch', () => {
    const config = resolveConfig(
      {
        expectations: {
          explicitDeny: {
            messages: ['User is not authorized to access this resource with an explicit deny'],
          },
          unauthorized: { errorType: 'UnauthorizedException', status: 401 },
        },
        authorizers: { CognitoAuth: { cognito: { bearerPrefixCase: true } } },
      },
      'c.yaml',
      BASE,
    );
    expect(config.expectations).toEqual({
      explicitDeny: { messages: ['User is not authorized to access this resource with an explicit deny'] },
      unauthorized: { errorType: 'UnauthorizedException', status: 401 },
    });
    expect(config.authorizers.CognitoAuth?.cognito?.bearerPrefixCase).toBe(true);
  });

  it.each([
    [
      { expectations: { explicitDenny: { status: 403 } } },
      'expectations.explicitDenny',
      /Did you mean "explicitDeny"/,
    ],
    [
      { expectations: { explicitDeny: { mesages: ['x'] } } },
      'expectations.explicitDeny.mesages',
      /Did you mean "messages"/,
    ],
    [
      { expectations: { explicitDeny: { messages: [] } } },
      'expectations.explicitDeny.messages',
      /non-empty list/,
    ],
    [
      { expectations: { explicitDeny: { messages: 'x' } } },
      'expectations.explicitDeny.messages',
      /non-empty list/,
    ],
    [
      { expectations: { explicitDeny: { messages: [''] } } },
      'expectations.explicitDeny.messages[0]',
      /non-empty string/,
    ],
    [
      { expectations: { explicitDeny: { status: '403' } } },
      'expectations.explicitDeny.status',
      /HTTP status code/,
    ],
    [
      { expectations: { explicitDeny: { status: 99 } } },
      'expectations.explicitDeny.status',
      /HTTP status code/,
    ],
    [
      { expectations: { explicitDeny: {} } },
      'expectations.explicitDeny',
      /at least one of: messages, status, errorType/,
    ],
    [{ expectations: ['explicitDeny'] }, 'expectations', /expected a mapping/],
    [
      { authorizers: { CognitoAuth: { cognito: { bearerPrefixCase: 'yes' } } } },
      'authorizers.CognitoAuth.cognito.bearerPrefixCase',
      /expected true or false/,
    ],
  ])('refuses %j at %s', (raw, location, message) => {
    const err = thrown(() => resolveConfig(raw, 'c.yaml', BASE));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
  });
});

describe('cognito.userPoolId and cognito.region (a templated user pool, issue 7 point 4)', () => {
  it('reads them, and the pool facts reach userPoolFacts and the idpEndpoint of a templated pool', () => {
    const config = resolveConfig(
      { authorizers: { Pool: { cognito: { userPoolId: 'eu-west-1_Abc123', region: 'eu-west-1' } } } },
      'c.yaml',
      BASE,
    );
    expect(config.authorizers.Pool?.cognito).toMatchObject({
      userPoolId: 'eu-west-1_Abc123',
      region: 'eu-west-1',
    });
    expect(userPoolFacts(config).Pool).toMatchObject({ userPoolId: 'eu-west-1_Abc123', region: 'eu-west-1' });
    const templated: AuthModel = {
      api: { name: 'x' },
      stage: { name: 'prod', baseUrl: 'https://h/prod', variables: {} },
      authorizers: [
        {
          name: 'Pool',
          kind: 'COGNITO_USER_POOLS',
          identitySources: [],
          ttlSeconds: 0,
          userPools: [{ arn: '${P.Arn}', region: '${P.Arn}', accountId: '${P.Arn}', userPoolId: '${P.Arn}' }],
        },
      ],
      routes: [],
      gatewayResponses: [],
    };
    // A placeholder region never reaches a URL: the config's region does.
    expect(applyModelDefaults(config, templated).authorizers.Pool?.cognito?.idpEndpoint).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/',
    );
  });

  it.each<[Record<string, unknown>, string, RegExp]>([
    [{ userPoolId: 'Abc123' }, 'userPoolId', /expected a user pool id like us-east-1_AbC123, got "Abc123"/],
    [{ region: 'Ireland' }, 'region', /expected an AWS region like us-east-1, got "Ireland"/],
  ])('refuses %j', (cognito, key, message) => {
    const err = thrown(() => resolveConfig({ authorizers: { Pool: { cognito } } }, 'c.yaml', BASE));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toBe(`authorizers.Pool.cognito.${key}`);
    expect(err.message).toMatch(message);
  });
});
