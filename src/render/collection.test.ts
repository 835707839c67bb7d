import { describe, expect, it } from 'vitest';

import type { AuthCase, TestPlan } from '../cases/types.js';
import {
  allItems,
  allFolders,
  folderNamed,
  itemFor,
  prerequestCode,
} from '../../test/render/collection-helpers.js';
import { handPlan } from '../../test/render/plans.js';
import { jsString } from './collection.js';
import { collectionFileNames, renderCollection, renderEnvironment, serializeJson } from './index.js';
import type { PostmanAuth } from './postman-types.js';
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
      ...[
        ...allFolders(collection.item).flatMap((f) => f.event ?? []),
        ...items.flatMap((i) => i.event),
        ...collection.event,
      ].map((e) => e.script.id),
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

  it('asserts once, at collection level, from templates/assert-case.js', () => {
    expect(collection.event.map((e) => e.listen)).toEqual(['test']);
    expect(collection.event[0]!.script.exec.join('\n')).toContain("pm.variables.get('_case')");
    for (const item of items) expect(item.event.map((e) => e.listen)).toEqual(['prerequest']);
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

  it('puts the token script on the Cognito folder only', () => {
    const withScripts = allFolders(collection.item).filter((f) => f.event !== undefined);
    expect(withScripts.map((f) => f.name)).toEqual(['CognitoAuth']);
    expect(withScripts[0]!.event![0]!.script.exec[0]).toBe(
      'var authorizer = \'CognitoAuth\'; var flows = {"token":"password","scopes":["pets/read","pets/write"],"needs":["id","access","unscoped-access"]};',
    );
  });
});

describe('renderCollection: requests', () => {
  it('starts every pre-request script with the case data; hints are shared through one table', () => {
    const declaration = collection.event![0]!.script.exec[0]!;
    const table = /^var apigwAuthzHints = (\[.*\]);$/.exec(declaration);
    expect(table, declaration).not.toBeNull();
    const hints = JSON.parse(table![1]!) as string[];
    expect(new Set(hints).size).toBe(hints.length);
    for (const item of items) {
      const first = item.event[0]!.script.exec[0]!;
      const match = /^pm\.variables\.set\('_case', ('.*')\);$/.exec(first);
      expect(match, first).not.toBeNull();
      const c = caseOf(item.name);
      const data = JSON.parse(new Function(`return ${match![1]!};`)() as string) as unknown;
      expect(data).toEqual({
        name: c.name,
        key: c.key,
        authorizer: c.authorizer,
        expect: c.expect,
        hint: hints.indexOf(c.hint),
      });
      expect(hints[hints.indexOf(c.hint)]).toBe(c.hint);
    }
  });

  it('skips the optional expired-token request when its variable is empty', () => {
    const code = prerequestCode(itemFor(collection, 'GET', '/pets', 'expired token'));
    expect(code.split('\n')[1]).toBe(
      "if (!pm.variables.get('CognitoAuth.expiredToken')) { pm.execution.skipRequest(); return; } // optional input not given",
    );
  });

  it('builds URLs from {{baseUrl}}, the concrete path and the query', () => {
    const request = itemFor(collection, 'GET', '/reports', 'all identity sources valid').request;
    expect(request.url).toEqual({
      raw: '{{baseUrl}}/reports?apiVersion={{RequestAuth.method.request.querystring.apiVersion}}',
      host: ['{{baseUrl}}'],
      path: ['reports'],
      query: [{ key: 'apiVersion', value: '{{RequestAuth.method.request.querystring.apiVersion}}' }],
    });
    expect(request.header).toEqual([{ key: 'X-Tenant-Id', value: 'tenant-1', type: 'text' }]);
    expect(itemFor(collection, 'GET', '/admin/docs/readme.txt', 'unsigned request').request.url.path).toEqual(
      ['admin', 'docs', 'readme.txt'],
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
