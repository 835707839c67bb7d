import { caseCategory } from '../cases/category.js';
import type { AuthCase, CognitoTokenUse, Expectation, NameValue, TestPlan } from '../cases/types.js';
import {
  cachedTokenVariable,
  cognitoRenderings,
  cognitoTokenOf,
  jwksUrlVariable,
  oidcRenderings,
} from './cognito.js';
import type { CognitoRendering, OidcRendering } from './cognito.js';
import { CASE_FENCE, SUITE_FENCE, withFencedBlock, withFencedJson } from './descriptor.js';
import type { CaseCategory } from '../run/types.js';
import { apiSlug } from './naming.js';
import { COLLECTION_SCHEMA_URL } from './postman-types.js';
import type {
  PostmanAuth,
  PostmanAuthAttribute,
  PostmanCollection,
  PostmanEvent,
  PostmanFolder,
  PostmanHeader,
  PostmanItem,
  PostmanRequest,
} from './postman-types.js';
import { foreignTestKey, templateLines } from './templates.js';
import { uuidV5 } from './uuid-v5.js';
import { suiteMetadata } from './suite-metadata.js';
import { internalVariables } from './variables.js';

const NOAUTH: PostmanAuth = { type: 'noauth' };
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** The body of POST, PUT and PATCH requests, shared by all of them. */
const JSON_BODY: NonNullable<PostmanRequest['body']> = {
  mode: 'raw',
  raw: '{}',
  options: { raw: { language: 'json' } },
};

/** A single-quoted JavaScript string literal. */
export function jsString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${escaped}'`;
}

function attr(key: string, value: string | boolean): PostmanAuthAttribute {
  return { key, value, type: typeof value === 'boolean' ? 'boolean' : 'string' };
}

/** The token an oauth2 folder sends: the ID token for scope-less methods, the access token for scoped ones. */
function folderTokenUse(scopes: string[]): CognitoTokenUse {
  return scopes.length === 0 ? 'id' : 'access';
}

/**
 * Folder oauth2 auth: the authorization-code-with-PKCE settings for the Postman app's Get New Access Token, plus
 * `accessToken` from the token script's cache, because Newman never runs an OAuth 2.0 grant. The raw JWT goes into
 * `Authorization` without a prefix, as AWS examples send it (HTTP APIs accept both).
 */
function oauth2Auth(
  authorizer: string,
  use: CognitoTokenUse,
  grant: { authUrl: string; scope: string; tokenName: string },
): PostmanAuth {
  const v = (name: string): string => `{{${authorizer}.${name}}}`;
  return {
    type: 'oauth2',
    oauth2: [
      attr('accessToken', `{{${cachedTokenVariable(authorizer, use)}}}`),
      attr('tokenType', ''),
      attr('addTokenTo', 'header'),
      attr('headerPrefix', ''),
      attr('grant_type', 'authorization_code_with_pkce'),
      attr('authUrl', grant.authUrl),
      attr('accessTokenUrl', v('tokenUrl')),
      attr('clientId', v('clientId')),
      attr('clientSecret', v('clientSecret')),
      attr('scope', grant.scope),
      attr('redirect_uri', v('callbackUrl')),
      attr('challengeAlgorithm', 'S256'),
      attr('client_authentication', 'header'),
      attr('useBrowser', false),
      attr('tokenName', grant.tokenName),
    ],
  };
}

/** Folder auth of a Cognito scope set: the hosted UI's endpoints; `openid` for the ID token. */
function cognitoAuth(authorizer: string, scopes: string[], use = folderTokenUse(scopes)): PostmanAuth {
  return oauth2Auth(authorizer, use, {
    authUrl: `{{${authorizer}.domain}}/oauth2/authorize`,
    scope: use === 'id' ? 'openid' : scopes.join(' '),
    tokenName: use === 'id' ? `${authorizer} ID token` : `${authorizer} access token (${scopes.join(' ')})`,
  });
}

/**
 * Folder auth of a JWT authorizer's scope set whose tokens come from a generic OIDC issuer: the issuer's endpoints,
 * the route's scopes and `oidc.scopes`.
 */
function oidcAuth(
  authorizer: string,
  scopes: string[],
  use: CognitoTokenUse,
  extraScopes: string[],
): PostmanAuth {
  const asked =
    use === 'access' ? [...scopes, ...extraScopes.filter((s) => !scopes.includes(s))] : extraScopes;
  return oauth2Auth(authorizer, use, {
    authUrl: `{{${authorizer}.authUrl}}`,
    scope: asked.join(' '),
    tokenName:
      use === 'access' && scopes.length > 0
        ? `${authorizer} access token (${scopes.join(' ')})`
        : `${authorizer} access token`,
  });
}

function awsv4Auth(variant: 'valid' | 'wrong-secret'): PostmanAuth {
  return {
    type: 'awsv4',
    awsv4: [
      attr('accessKey', '{{awsAccessKeyId}}'),
      attr(
        'secretKey',
        variant === 'valid' ? '{{awsSecretAccessKey}}' : '{{awsSecretAccessKey}}-apigw-authz-wrong',
      ),
      attr('sessionToken', '{{awsSessionToken}}'),
      attr('region', '{{awsRegion}}'),
      attr('service', 'execute-api'),
      attr('addAuthDataToQuery', false),
    ],
  };
}

/** Both SigV4 auth variants, made once: every IAM request shares one (the renderer never mutates its output). */
const AWSV4 = { valid: awsv4Auth('valid'), 'wrong-secret': awsv4Auth('wrong-secret') } as const;

interface Ids {
  of(key: string): string;
}

function script(ids: Ids, key: string, listen: 'prerequest' | 'test', exec: string[]): PostmanEvent {
  return { listen, script: { id: ids.of(`${key}/${listen}`), type: 'text/javascript', exec } };
}

/** The flows line of one authorizer in a folder's setup: what its token logic fetches. */
function tokenFlows(c: TokenRendering): Record<string, unknown> {
  if (c.provider === 'oidc') {
    return {
      provider: 'oidc',
      token: c.oidc.settings.tokenFlow,
      scopes: c.oidc.scopes,
      extraScopes: c.oidc.settings.scopes,
      needs: c.oidc.needs,
    };
  }
  const s = c.cognito;
  return {
    token: s.settings.tokenFlow,
    ...(s.settings.accessTokenFlow === undefined ? {} : { accessToken: s.settings.accessTokenFlow }),
    scopes: s.scopes,
    needs: s.needs,
  };
}

/** One authorizer whose real tokens a token script fetches: a Cognito one or a generic OIDC one. */
type TokenRendering =
  | { provider: 'cognito'; name: string; needs: CognitoTokenUse[]; cognito: CognitoRendering }
  | { provider: 'oidc'; name: string; needs: CognitoTokenUse[]; oidc: OidcRendering };

function tokenRenderings(plan: TestPlan): Map<string, TokenRendering> {
  return new Map<string, TokenRendering>([
    ...cognitoRenderings(plan).map((c): [string, TokenRendering] => [
      c.name,
      { provider: 'cognito', name: c.name, needs: c.needs, cognito: c },
    ]),
    ...oidcRenderings(plan).map((o): [string, TokenRendering] => [
      o.name,
      { provider: 'oidc', name: o.name, needs: o.needs, oidc: o },
    ]),
  ]);
}

/** Forgeries signed with the foreign test key. */
const FOREIGN_KEY_FORGERIES = new Set(['foreign-key', 'other-issuer', 'unknown-kid']);

/**
 * The pre-request script of a folder whose requests need pre-request logic: the setup line (the token flows of
 * the Cognito authorizers its cases draw tokens from, the foreign test key when a case needs it), then only the
 * templates those cases use. Undefined when no case of the folder needs any: its requests run the test script only.
 */
function folderPrerequestLines(
  cases: AuthCase[],
  renderings: Map<string, TokenRendering>,
): string[] | undefined {
  const tokens = new Map<string, TokenRendering>();
  let forges = false;
  let foreignKey = false;
  let skips = false;
  for (const c of cases) {
    const token = cognitoTokenOf(c);
    const rendering = token === undefined ? undefined : renderings.get(token.authorizer);
    if (rendering !== undefined && rendering.needs.length > 0) tokens.set(rendering.name, rendering);
    if (c.credential.kind === 'forged-token') {
      forges = true;
      if (FOREIGN_KEY_FORGERIES.has(c.credential.forgery)) foreignKey = true;
    }
    if (c.skipUnlessVariable !== undefined) skips = true;
  }
  if (tokens.size === 0 && !forges && !skips) return undefined;
  const setup = {
    tokens: Object.fromEntries([...tokens.values()].map((c) => [c.name, tokenFlows(c)])),
    foreignKey: foreignKey ? foreignTestKey() : null,
  };
  const providers = new Set([...tokens.values()].map((t) => t.provider));
  return [
    `var apigwAuthzSetup = ${JSON.stringify(setup)};`,
    // What the Cognito and the OIDC token logic share, once, above either.
    ...(providers.size > 0 ? templateLines('token-fetch.js') : []),
    ...(providers.has('cognito') ? templateLines('cognito-token.js') : []),
    ...(providers.has('oidc') ? templateLines('oidc-token.js') : []),
    ...(forges ? templateLines('forge-token.js') : []),
    ...templateLines('prerequest.js'),
  ];
}

/**
 * Hint texts, each once: they are long and shared by many cases, so descriptors carry an index into the table the
 * collection-level test script declares (`apigwAuthzHints`). Keeps a 5,000-route collection small.
 */
class HintTable {
  private readonly index = new Map<string, number>();

  indexOf(hint: string): number {
    let position = this.index.get(hint);
    if (position === undefined) {
      position = this.index.size;
      this.index.set(hint, position);
    }
    return position;
  }

  declaration(): string {
    return `var apigwAuthzHints = ${JSON.stringify([...this.index.keys()])};`;
  }
}

/** The expectation without an empty `headers` list (the scripts and `run` read absent as none). */
function compactExpectation(e: Expectation): Expectation {
  if (e.outcome === 'authorized' || e.headers.length > 0) return e;
  const { headers: _headers, ...rest } = e;
  return rest as Expectation;
}

/**
 * The JSON of a case descriptor (`CaseDescriptorData`), written directly: the same text as `JSON.stringify` of the
 * object in this key order, without building the object, and with the expectation's JSON and category made once
 * per distinct value (14,000 requests share a few dozen expectations).
 */
function descriptorJson(c: AuthCase, memo: RenderMemo): string {
  const token = cognitoTokenOf(c);
  const cred = c.credential;
  let json = `{"key":${JSON.stringify(c.key)}`;
  if (c.authorizer !== undefined) json += `,"authorizer":${JSON.stringify(c.authorizer)}`;
  json += `,"category":${JSON.stringify(memo.category(c))},"expect":${memo.expectation(c.expect).json}`;
  json += `,"hint":${memo.hints.indexOf(c.hint)}`;
  if (c.skipUnlessVariable !== undefined) json += `,"skipUnless":${JSON.stringify(c.skipUnlessVariable)}`;
  if (token !== undefined) {
    json += `,"token":{"authorizer":${JSON.stringify(token.authorizer)},"use":${JSON.stringify(token.tokenUse)}}`;
  }
  if (cred.kind === 'forged-token') {
    const source =
      cred.source.kind === 'cognito'
        ? `{{${cachedTokenVariable(cred.source.authorizer, cred.source.tokenUse)}}}`
        : cred.source.value;
    json += `,"forge":{"forgery":${JSON.stringify(cred.forgery)},"source":${JSON.stringify(source)}`;
    // Algorithm confusion needs the issuer's key set: `{{NAME.jwksUrl}}` (empty: discovered from the token's iss).
    const owner = cred.source.kind === 'cognito' ? cred.source.authorizer : c.authorizer;
    if (cred.forgery === 'hs256-public-key' && owner !== undefined) {
      json += `,"jwks":${JSON.stringify(`{{${jwksUrlVariable(owner)}}}`)}`;
    }
    json += '}';
  }
  return `${json}}`;
}

/** `401 "Unauthorized" (UnauthorizedException)`: the expectation in words, for the Postman app. */
function expectationText(e: Expectation): string {
  if (e.outcome === 'authorized') return 'authorized (no 401/403, no authorizer error)';
  const messages = [
    ...e.messages.map((m) => JSON.stringify(m)),
    ...(e.messagePrefix === undefined ? [] : [`${JSON.stringify(e.messagePrefix)}...`]),
  ];
  return [
    e.statuses.length > 0 ? e.statuses.join(' or ') : 'any 4XX',
    ...(messages.length > 0 ? [messages.join(' or ')] : []),
    ...(e.errorType === undefined ? [] : [`(${e.errorType})`]),
    ...e.headers.map((h) => `with ${h.name}${h.value === '' ? '' : `: ${h.value}`}`),
  ].join(' ');
}

/**
 * Per-render state and caches of what many cases share: the hint table, an expectation's descriptor JSON and text (keyed by the object, as
 * the cases share their expectation objects), a case id's category.
 */
class RenderMemo {
  readonly hints = new HintTable();
  private readonly expectations = new WeakMap<Expectation, { json: string; text: string }>();
  private readonly categories = new Map<string, CaseCategory>();

  expectation(e: Expectation): { json: string; text: string } {
    let hit = this.expectations.get(e);
    if (hit === undefined) {
      hit = { json: JSON.stringify(compactExpectation(e)), text: expectationText(e) };
      this.expectations.set(e, hit);
    }
    return hit;
  }

  category(c: AuthCase): CaseCategory {
    const key = `${c.polarity}${c.key.slice(c.key.lastIndexOf('#'))}`;
    let hit = this.categories.get(key);
    if (hit === undefined) {
      hit = caseCategory(c);
      this.categories.set(key, hit);
    }
    return hit;
  }
}

/**
 * The request description: the case, the expectation in words and the troubleshooting hint for the Postman app,
 * ending with the case descriptor the scripts parse.
 */
function requestDescription(c: AuthCase, memo: RenderMemo): string {
  const text = `Expect: ${memo.expectation(c.expect).text}.\n\nHint: ${c.hint}`;
  return withFencedJson(text, CASE_FENCE, descriptorJson(c, memo));
}

function header(nv: NameValue): PostmanHeader {
  return { key: nv.name, value: nv.value, type: 'text' };
}

/** The scope-set folder token a positive Cognito case may inherit, when it is exactly that token. */
interface FolderToken {
  authorizer: string;
  use: CognitoTokenUse;
}

function credentialParts(
  c: AuthCase,
  inherited: FolderToken | undefined,
): { auth?: PostmanAuth; headers: NameValue[]; query: NameValue[] } {
  const cred = c.credential;
  switch (cred.kind) {
    case 'none':
      return { auth: NOAUTH, headers: [], query: [] };
    case 'cognito-token': {
      const inherits =
        c.polarity === 'positive' &&
        cred.prefix === undefined &&
        inherited?.authorizer === cred.authorizer &&
        inherited.use === cred.tokenUse &&
        cred.header.toLowerCase() === 'authorization';
      if (inherits) return { headers: [], query: [] };
      // Inherited oauth2 auth would overwrite an explicit Authorization header: send it raw under noauth.
      const value = `${cred.prefix ?? ''}{{${cachedTokenVariable(cred.authorizer, cred.tokenUse)}}}`;
      return { auth: NOAUTH, headers: [{ name: cred.header, value }], query: [] };
    }
    case 'forged-token':
      return { auth: NOAUTH, headers: [{ name: cred.header, value: '{{_forged}}' }], query: [] };
    case 'raw':
      return { auth: NOAUTH, headers: cred.headers, query: cred.query };
    case 'sigv4':
      return { auth: AWSV4[cred.variant], headers: [], query: [] };
  }
}

function renderRequest(c: AuthCase, inherited: FolderToken | undefined, memo: RenderMemo): PostmanRequest {
  const parts = credentialParts(c, inherited);
  const headers = [...c.headers, ...parts.headers];
  const withBody = BODY_METHODS.has(c.method);
  if (withBody && !headers.some((h) => h.name.toLowerCase() === 'content-type')) {
    headers.push({ name: 'Content-Type', value: 'application/json' });
  }
  const queryString = parts.query.map((q) => `${q.name}=${q.value}`).join('&');
  // The URL as one string (v2.1 allows it; Newman and the Postman app parse it into host, path and query): a
  // third of the size of the object form, on every request. Empty header lists are left out for the same reason.
  // Built property by property (no conditional spreads, one of these per request) in the file's key order:
  // auth?, method, header?, body?, url, description.
  const request = {} as PostmanRequest;
  if (parts.auth !== undefined) request.auth = parts.auth;
  request.method = c.method;
  if (headers.length > 0) request.header = headers.map(header);
  if (withBody) request.body = JSON_BODY;
  request.url = `{{baseUrl}}${c.path.startsWith('/') ? '' : '/'}${c.path}${queryString === '' ? '' : `?${queryString}`}`;
  request.description = requestDescription(c, memo);
  return request;
}

function renderItem(
  ids: Ids,
  memo: RenderMemo,
  c: AuthCase,
  inherited: FolderToken | undefined,
): PostmanItem {
  return {
    id: ids.of(`item/${c.key}`),
    name: c.name,
    request: renderRequest(c, inherited, memo),
  };
}

/** Cases grouped by `keyOf`, groups in order of first appearance, cases in plan order. */
function groupBy<T>(values: T[], keyOf: (value: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const v of values) {
    const key = keyOf(v);
    const list = groups.get(key);
    if (list) list.push(v);
    else groups.set(key, [v]);
  }
  return [...groups];
}

function scopeFolderName(scopes: string[], use: CognitoTokenUse): string {
  if (scopes.length > 0) return `Access token (scopes: ${scopes.join(' ')})`;
  return use === 'id' ? 'ID token (no scopes)' : 'Access token (no scopes)';
}

/**
 * The token a JWT scope set's folder sends: the one its first plain positive case sends in `Authorization` (the
 * cases decide: an OIDC issuer has no ID token), else the Cognito choice for the scopes.
 */
function jwtFolderTokenUse(cases: AuthCase[], scopes: string[]): CognitoTokenUse {
  for (const c of cases) {
    const cred = c.credential;
    if (
      c.polarity === 'positive' &&
      cred.kind === 'cognito-token' &&
      cred.prefix === undefined &&
      cred.header.toLowerCase() === 'authorization'
    ) {
      return cred.tokenUse;
    }
  }
  return folderTokenUse(scopes);
}

function renderFolder(
  ids: Ids,
  memo: RenderMemo,
  title: string,
  cases: AuthCase[],
  renderings: Map<string, TokenRendering>,
): PostmanFolder {
  const folderKey = `folder/${title}`;
  // A Cognito or JWT authorizer's own folder (scope sub-folders with oauth2 auth) is titled after it.
  const ownCase = cases.find(
    (c) =>
      (c.kind === 'COGNITO_USER_POOLS' || (c.kind === 'JWT' && c.group.scopes !== undefined)) &&
      c.authorizer !== undefined &&
      c.group.title === c.authorizer,
  );
  const own = ownCase?.authorizer;
  const rendering = own === undefined ? undefined : renderings.get(own);
  const prerequest = folderPrerequestLines(cases, renderings);
  const scripts =
    prerequest === undefined ? [] : [script(ids, `${folderKey}/prerequest`, 'prerequest', prerequest)];

  let item: (PostmanFolder | PostmanItem)[];
  if (own === undefined) {
    item = cases.map((c) => renderItem(ids, memo, c, undefined));
  } else {
    const jwt = ownCase?.kind === 'JWT';
    item = groupBy(cases, (c) => (c.group.scopes ?? []).join(' ')).map(([, scoped]) => {
      const scopes = scoped[0]?.group.scopes ?? [];
      const use = jwt ? jwtFolderTokenUse(scoped, scopes) : folderTokenUse(scopes);
      const name = scopeFolderName(scopes, use);
      const inherited: FolderToken = { authorizer: own, use };
      const auth =
        rendering?.provider === 'oidc'
          ? oidcAuth(own, scopes, use, rendering.oidc.settings.scopes)
          : cognitoAuth(own, scopes, use);
      return {
        id: ids.of(`${folderKey}/${name}`),
        name,
        description: `Requests without their own auth send the ${own} ${
          inherited.use === 'id' ? 'ID token' : 'access token'
        } through this folder's OAuth 2.0 settings (filled by the token script in Newman; Get New Access Token in the Postman app).`,
        auth,
        item: scoped.map((c) => renderItem(ids, memo, c, inherited)),
      };
    });
  }
  return {
    id: ids.of(folderKey),
    name: title,
    ...(scripts.length === 0 ? {} : { event: scripts }),
    item,
  };
}

/**
 * Renders a TestPlan as a Postman collection v2.1: one folder per case group (Cognito: one sub-folder per scope
 * set carrying the oauth2 settings). Scripts once, data per request: each request carries only its case
 * descriptor (in its description); the assertions are the collection-level test script, and the pre-request
 * logic (token fetch, forgery, skip) is a script of the top-level folders whose requests need it, so every other
 * request runs a single script. The collection description ends with the suite metadata for `run`.
 * Deterministic: UUIDv5 ids from stable keys, no timestamps.
 */
export function renderCollection(plan: TestPlan): PostmanCollection {
  const slug = apiSlug(plan);
  const ids: Ids = { of: (key) => uuidV5(`${slug}/${key}`) };
  const renderings = tokenRenderings(plan);
  const memo = new RenderMemo();
  const folders = groupBy(plan.cases, (c) => c.group.title).map(([title, cases]) =>
    renderFolder(ids, memo, title, cases, renderings),
  );
  return {
    info: {
      _postman_id: uuidV5(slug),
      name: plan.model.api.name,
      description: withFencedBlock(
        `Authorization tests for ${plan.model.api.name}, generated by apigw-authz from its API Gateway ` +
          'authorizer configuration. Supply the variables of the environment file (secrets at run time, e.g. ' +
          'newman --env-var) and run the whole collection: requests depend on the run order. Each request ' +
          'description ends with its case data, and the suite data for `apigw-authz run` is below.',
        SUITE_FENCE,
        suiteMetadata(plan),
      ),
      schema: COLLECTION_SCHEMA_URL,
    },
    item: folders,
    auth: NOAUTH,
    event: [
      script(ids, 'collection', 'test', [memo.hints.declaration(), ...templateLines('assert-case.js')]),
    ],
    variable: internalVariables(plan).map((v) => ({
      key: v.key,
      value: '',
      type: 'string',
      description: v.description,
    })),
  };
}
