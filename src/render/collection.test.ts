import { describe, expect, it } from 'vitest';

import type { AuthCase, TestPlan } from '../cases/types.js';
import { caseCategory } from '../cases/category.js';
import { caseDescriptorOf, suiteMetadataOf } from '../run/case-descriptor.js';
import { allItems, allFolders, folderNamed, itemFor } from '../../test/render/collection-helpers.js';
import { handPlan } from '../../test/render/plans.js';
import { jsString } from './collection.js';
import { collectionFileNames, renderCollection, renderEnvironment, serializeJson } from './index.js';
import type { PostmanAuth } from './postman-types.js';
import { foreignTestKey } from './templates.js';
import { uuidV5 } from './uuid-v5.js';

const plan = handPlan();
const collection = renderCollection(plan);
const items = allItems(collection.item);
const caseByName = new Map(plan.cases.map((c) => [c.name, c]));

function caseOf(name: string): AuthCase {
  const c = caseByName.get(name);
  if (!c) throw new Error(`no case ${name}`);
  return c;
}

describe('renderCollection: structure', () => {
  it('is deterministic: two renders are byte-identical', () => {
    expect(serializeJson(renderCollection(handPlan()))).toBe(serializeJson(collection));
    expect(serializeJson(renderEnvironment(handPlan()))).toBe(serializeJson(renderEnvironment(plan)));
  });

  it('has the v2.1 schema URL, a UUIDv5 id of the API slug and noauth at collection level', () => {
    expect(collection.info.schema).toBe(
      'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    );
    expect(collection.info._postman_id).toBe(uuidV5('petstore-authz-render-tests'));
    expect(collection.auth).toEqual({ type: 'noauth' });
  });

  it('has one request per case, in plan order within folders of first appearance', () => {
    expect(items).toHaveLength(plan.cases.length);
    expect(collection.item.map((f) => f.name)).toEqual([
      'Public routes',
      'CognitoAuth',
      'RequestAuth',
      'sigv4',
      'TokenAuth',
    ]);
    const byFolder = (title: string) => plan.cases.filter((c) => c.group.title === title).map((c) => c.name);
    for (const folder of collection.item)
      expect(allItems(folder.item).map((i) => i.name)).toEqual(byFolder(folder.name));
  });

  it('gives every folder, item and script a distinct UUID', () => {
    const ids = [
      ...allFolders(collection.item).map((f) => f.id),
      ...items.map((i) => i.id),
      ...[...allFolders(collection.item).flatMap((f) => f.event ?? []), ...collection.event].map(
        (e) => e.script.id,
      ),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('never emits {"type":"inherit"} and carries no timestamps', () => {
    const text = serializeJson(collection);
    expect(text).not.toMatch(/"type": "inherit"/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('asserts once, at collection level, from templates/assert-case.js; requests carry no scripts', () => {
    expect(collection.event.map((e) => e.listen)).toEqual(['test']);
    expect(collection.event[0]!.script.exec.join('\n')).toContain('```apigw-authz-case');
    for (const item of items) expect(Object.keys(item)).toEqual(['id', 'name', 'request']);
  });

  it('ends the collection description with the suite metadata, free of secrets', () => {
    const metadata = suiteMetadataOf(collection);
    expect(metadata?.format).toBe(1);
    expect(metadata?.authorizers.find((a) => a.name === 'CognitoAuth')).toMatchObject({
      kind: 'COGNITO_USER_POOLS',
      tokenHeader: 'Authorization',
      userPoolId: 'us-east-1_PetStore1',
      region: 'us-east-1',
      clientId: '{{CognitoAuth.clientId}}',
      tokenFlows: { token: 'password' },
      tokenVariables: {
        id: '_CognitoAuth.idToken',
        access: '_CognitoAuth.accessToken',
        'unscoped-access': '_CognitoAuth.unscopedAccessToken',
      },
    });
    expect(metadata?.variables.required).toContain('CognitoAuth.password');
    expect(metadata?.variables.optional).toContain('CognitoAuth.expiredToken');
    expect(collection.info.description).toMatch(/\n```apigw-authz-suite\n\{.*\}\n```\n$/);
  });
});

describe('renderCollection: auth', () => {
  it('sends every negative request with noauth, except SigV4 ones with awsv4', () => {
    for (const item of items) {
      const c = caseOf(item.name);
      if (c.polarity !== 'negative') continue;
      const want = c.credential.kind === 'sigv4' ? 'awsv4' : 'noauth';
      expect([item.name, item.request.auth?.type]).toEqual([item.name, want]);
    }
  });

  it('signs AWS_IAM requests with awsv4 from run-time variables; wrong-secret with a deterministic wrong key', () => {
    const attrs = (label: string) => {
      const auth = itemFor(collection, 'GET', '/admin/docs/readme.txt', label).request.auth as Extract<
        PostmanAuth,
        { type: 'awsv4' }
      >;
      return Object.fromEntries(auth.awsv4.map((a) => [a.key, a.value]));
    };
    expect(attrs('SigV4-signed request')).toEqual({
      accessKey: '{{awsAccessKeyId}}',
      secretKey: '{{awsSecretAccessKey}}',
      sessionToken: '{{awsSessionToken}}',
      region: '{{awsRegion}}',
      service: 'execute-api',
      addAuthDataToQuery: false,
    });
    expect(attrs('signed with a wrong secret key').secretKey).toBe(
      '{{awsSecretAccessKey}}-apigw-authz-wrong',
    );
    expect(itemFor(collection, 'GET', '/admin/docs/readme.txt', 'unsigned request').request.auth).toEqual({
      type: 'noauth',
    });
  });

  it.each([
    ['ID token (no scopes)', '{{_CognitoAuth.idToken}}', 'openid', 'CognitoAuth ID token'],
    [
      'Access token (scopes: pets/read)',
      '{{_CognitoAuth.accessToken}}',
      'pets/read',
      'CognitoAuth access token (pets/read)',
    ],
    [
      'Access token (scopes: pets/write)',
      '{{_CognitoAuth.accessToken}}',
      'pets/write',
      'CognitoAuth access token (pets/write)',
    ],
  ])(
    'Cognito folder %s: oauth2 with hosted-UI settings and the cached token',
    (folder, token, scope, tokenName) => {
      const auth = folderNamed(collection, folder).auth;
      expect(auth?.type).toBe('oauth2');
      const attrs = (auth as Extract<PostmanAuth, { type: 'oauth2' }>).oauth2;
      expect(attrs).toContainEqual({ key: 'useBrowser', value: false, type: 'boolean' });
      expect(Object.fromEntries(attrs.map((a) => [a.key, a.value]))).toEqual({
        accessToken: token,
        tokenType: '',
        addTokenTo: 'header',
        headerPrefix: '',
        grant_type: 'authorization_code_with_pkce',
        authUrl: '{{CognitoAuth.domain}}/oauth2/authorize',
        accessTokenUrl: '{{CognitoAuth.tokenUrl}}',
        clientId: '{{CognitoAuth.clientId}}',
        clientSecret: '{{CognitoAuth.clientSecret}}',
        scope,
        redirect_uri: '{{CognitoAuth.callbackUrl}}',
        challengeAlgorithm: 'S256',
        client_authentication: 'header',
        useBrowser: false,
        tokenName,
      });
    },
  );

  it('lets positive Cognito requests inherit the folder auth and sends other tokens raw', () => {
    expect(itemFor(collection, 'GET', '/pets', 'valid ID token (CognitoAuth)').request).not.toHaveProperty(
      'auth',
    );
    expect(
      itemFor(collection, 'GET', '/pets/42', 'valid access token with pets/read').request,
    ).not.toHaveProperty('auth');
    const wrongType = itemFor(
      collection,
      'GET',
      '/pets/42',
      'ID token where an access token is expected',
    ).request;
    expect(wrongType.auth).toEqual({ type: 'noauth' });
    expect(wrongType.header).toEqual([
      { key: 'Authorization', value: '{{_CognitoAuth.idToken}}', type: 'text' },
    ]);
  });

  it('does not inherit oauth2 when the token source header is not Authorization', () => {
    const custom: TestPlan = {
      ...plan,
      cases: plan.cases.map((c) =>
        c.credential.kind === 'cognito-token'
          ? { ...c, credential: { ...c.credential, header: 'X-Id-Token' } }
          : c,
      ),
    };
    const request = itemFor(renderCollection(custom), 'GET', '/pets', 'valid ID token (CognitoAuth)').request;
    expect(request.auth).toEqual({ type: 'noauth' });
    expect(request.header).toEqual([{ key: 'X-Id-Token', value: '{{_CognitoAuth.idToken}}', type: 'text' }]);
  });

  it('puts pre-request logic only on the top-level folders whose requests need it, each template once', () => {
    const withScripts = allFolders(collection.item).filter((f) => f.event !== undefined);
    // CognitoAuth: tokens, forgeries, the optional expired token; TokenAuth: a forged JWT from a variable
    expect(withScripts.map((f) => f.name)).toEqual(['CognitoAuth', 'TokenAuth']);
    const [cognito, token] = withScripts.map((f) => f.event![0]!.script.exec);
    expect(cognito![0]).toBe(
      'var apigwAuthzSetup = {"tokens":{"CognitoAuth":{"token":"password","scopes":["pets/read","pets/write"],"needs":["id","access","unscoped-access"]}},"foreignKey":' +
        JSON.stringify(foreignTestKey()) +
        '};',
    );
    // no token logic where no request sends a Cognito token, no foreign key where no case signs with it
    expect(token![0]).toBe('var apigwAuthzSetup = {"tokens":{},"foreignKey":null};');
    expect(token!.join('\n')).not.toContain('function apigwAuthzTokens');
    expect(token!.join('\n')).toContain('function apigwAuthzForge');
    for (const exec of [cognito!, token!]) {
      expect(
        exec.filter(
          (l) =>
            l ===
            '// apigw-authz: the pre-request logic, once per folder whose requests need any (a Cognito token, a forged token,',
        ),
      ).toHaveLength(1);
    }
    expect(folderNamed(collection, 'RequestAuth').event).toBeUndefined();
  });
});

describe('renderCollection: requests', () => {
  it('describes every request: the expectation, the hint, then its case descriptor; hints shared through one table', () => {
    const declaration = collection.event[0]!.script.exec[0]!;
    const table = /^var apigwAuthzHints = (\[.*\]);$/.exec(declaration);
    expect(table, declaration).not.toBeNull();
    const hints = JSON.parse(table![1]!) as string[];
    expect(new Set(hints).size).toBe(hints.length);
    for (const item of items) {
      const c = caseOf(item.name);
      const description = item.request.description;
      expect(description.startsWith('Expect: ')).toBe(true);
      expect(description).toContain(`\n\nHint: ${c.hint}\n\n\`\`\`apigw-authz-case\n`);
      const descriptor = caseDescriptorOf(item);
      expect(descriptor).toMatchObject({
        name: c.name,
        key: c.key,
        ...(c.authorizer === undefined ? {} : { authorizer: c.authorizer }),
        route: `${c.route.method} ${c.route.path}`,
        category: caseCategory(c),
        expect: c.expect,
      });
      expect(hints[descriptor!.hint]).toBe(c.hint);
    }
  });

  it('names the optional input that skips a request, the token it needs, and what it forges from', () => {
    expect(caseDescriptorOf(itemFor(collection, 'GET', '/pets', 'expired token'))?.skipUnless).toBe(
      'CognitoAuth.expiredToken',
    );
    expect(
      caseDescriptorOf(itemFor(collection, 'GET', '/pets', 'valid ID token (CognitoAuth)'))?.token,
    ).toEqual({
      authorizer: 'CognitoAuth',
      use: 'id',
    });
    expect(caseDescriptorOf(itemFor(collection, 'GET', '/orders', 'JWT with alg none'))?.forge).toEqual({
      forgery: 'alg-none',
      source: '{{TokenAuth.jwt}}',
    });
  });

  it('builds URLs from {{baseUrl}}, the concrete path and the query', () => {
    const request = itemFor(collection, 'GET', '/reports', 'all identity sources valid').request;
    expect(request.url).toBe(
      '{{baseUrl}}/reports?apiVersion={{RequestAuth.method.request.querystring.apiVersion}}',
    );
    expect(request.header).toEqual([{ key: 'X-Tenant-Id', value: 'tenant-1', type: 'text' }]);
    expect(itemFor(collection, 'GET', '/admin/docs/readme.txt', 'unsigned request').request.url).toBe(
      '{{baseUrl}}/admin/docs/readme.txt',
    );
  });

  it('sends a JSON body with POST', () => {
    const request = itemFor(collection, 'POST', '/pets', 'valid access token with pets/write').request;
    expect(request.body).toEqual({ mode: 'raw', raw: '{}', options: { raw: { language: 'json' } } });
    expect(request.header).toContainEqual({ key: 'Content-Type', value: 'application/json', type: 'text' });
  });

  it('declares every variable it reads in the environment or as a collection variable', () => {
    const declared = new Set([
      ...renderEnvironment(plan).values.map((v) => v.key),
      ...collection.variable.map((v) => v.key),
      '_forged', // local, set by the forge script
    ]);
    // Script comments mention `{{_NAME.idToken}}` as documentation; code lines and JSON are what runs.
    const text = JSON.stringify(collection, (key, value: unknown) =>
      key === 'exec' ? (value as string[]).filter((line) => !line.trim().startsWith('//')) : value,
    );
    const used = new Set([...text.matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1]!));
    expect(used).toContain('CognitoAuth.expiredToken');
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
  });
});

describe('helpers', () => {
  it.each(["it's", 'back\\slash', 'line\nbreak', '\u2028', '{"a":"b\\"c"}'])(
    'jsString round-trips %j',
    (value) => {
      expect(new Function(`return ${jsString(value)};`)()).toBe(value);
    },
  );

  it('names the files after the API slug', () => {
    expect(collectionFileNames(plan)).toEqual({
      collection: 'petstore-authz-render-tests.postman_collection.json',
      environment: 'petstore-authz-render-tests.postman_environment.json',
    });
    const unnamed = { ...plan, model: { ...plan.model, api: { name: '***' } } };
    expect(collectionFileNames(unnamed).collection).toBe('api.postman_collection.json');
  });

  it('serializes with two spaces and a final newline', () => {
    expect(serializeJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
