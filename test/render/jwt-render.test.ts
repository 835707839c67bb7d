/**
 * Rendering JWT authorizers: the Postman app's OAuth 2.0 settings per scope set (Cognito issuer: the hosted UI;
 * generic OIDC: the issuer's endpoints), the token script each folder includes, the variables (OIDC settings,
 * optional supplied tokens, the key set URL), the `$default` stage's base URL and the suite metadata.
 */

import { describe, expect, it } from 'vitest';

import { parseSuiteMetadata } from '../../src/render/descriptor.js';
import { renderCollection, renderEnvironment, serializeJson } from '../../src/render/index.js';
import type { PostmanAuth, PostmanEnvironment } from '../../src/render/index.js';
import { caseDescriptorOf } from '../../src/run/case-descriptor.js';
import { isSecretKey } from '../../src/run/index.js';
import { folderNamed, itemFor } from './collection-helpers.js';
import { PARTNER_CLIENT_ID, jwtPlan } from './jwt-plans.js';

function oauth2(auth: PostmanAuth | undefined): Record<string, unknown> {
  expect(auth?.type).toBe('oauth2');
  const attrs = (auth as { oauth2: { key: string; value: unknown }[] }).oauth2;
  return Object.fromEntries(attrs.map((a) => [a.key, a.value]));
}

function envValue(env: PostmanEnvironment, key: string) {
  const entry = env.values.find((v) => v.key === key);
  if (!entry) throw new Error(`no variable ${key}`);
  return entry;
}

describe('render: JWT authorizers', () => {
  const plan = jwtPlan();
  const collection = renderCollection(plan);
  const env = renderEnvironment(plan);

  it('gives each scope set a folder with the issuer OAuth 2.0 settings (OIDC) and the raw token from the cache', () => {
    const partner = folderNamed(collection, 'PartnerJwt');
    expect(partner.item.map((f) => f.name)).toEqual([
      'Access token (scopes: orders:read)',
      'Access token (scopes: orders:write)',
    ]);
    expect(oauth2(folderNamed(collection, 'Access token (scopes: orders:read)').auth)).toEqual({
      accessToken: '{{_PartnerJwt.accessToken}}',
      tokenType: '',
      addTokenTo: 'header',
      headerPrefix: '',
      grant_type: 'authorization_code_with_pkce',
      authUrl: '{{PartnerJwt.authUrl}}',
      accessTokenUrl: '{{PartnerJwt.tokenUrl}}',
      clientId: '{{PartnerJwt.clientId}}',
      clientSecret: '{{PartnerJwt.clientSecret}}',
      scope: 'orders:read',
      redirect_uri: '{{PartnerJwt.callbackUrl}}',
      challengeAlgorithm: 'S256',
      client_authentication: 'header',
      useBrowser: false,
      tokenName: 'PartnerJwt access token (orders:read)',
    });
  });

  it('a Cognito issuer gets the hosted-UI settings and the ID token for routes without scopes', () => {
    const unscoped = folderNamed(collection, 'ID token (no scopes)');
    expect(oauth2(unscoped.auth)).toMatchObject({
      accessToken: '{{_CognitoJwt.idToken}}',
      headerPrefix: '',
      authUrl: '{{CognitoJwt.domain}}/oauth2/authorize',
      scope: 'openid',
    });
  });

  it('positive cases inherit the folder token; the Bearer case and negatives send their own header under noauth', () => {
    const allow = itemFor(collection, 'GET', '/partner/orders', 'valid access token with scope orders:read');
    expect(allow.request.auth).toBeUndefined();
    expect(allow.request.header).toBeUndefined();
    const bearer = itemFor(
      collection,
      'GET',
      '/partner/orders',
      'valid access token with a "Bearer " prefix',
    );
    expect(bearer.request.auth).toEqual({ type: 'noauth' });
    expect(bearer.request.header).toEqual([
      { key: 'Authorization', value: 'Bearer {{_PartnerJwt.accessToken}}', type: 'text' },
    ]);
    const missingScope = itemFor(
      collection,
      'GET',
      '/partner/orders',
      'access token without scope orders:read',
    );
    expect(missingScope.request.header).toEqual([
      { key: 'Authorization', value: '{{_PartnerJwt.unscopedAccessToken}}', type: 'text' },
    ]);
  });

  it('the OIDC folder runs the OIDC token script (not the Cognito one) with its flows, and has the foreign key for unknown-kid', () => {
    const script = folderNamed(collection, 'PartnerJwt').event?.find((e) => e.listen === 'prerequest');
    const lines = script?.script.exec ?? [];
    const setup = JSON.parse(lines[0]!.replace(/^var apigwAuthzSetup = /, '').replace(/;$/, '')) as {
      tokens: Record<string, unknown>;
      foreignKey: { kid: string } | null;
    };
    expect(setup.tokens).toEqual({
      PartnerJwt: {
        provider: 'oidc',
        token: 'client_credentials',
        scopes: ['orders:read', 'orders:write'],
        extraScopes: [],
        needs: ['access', 'unscoped-access'],
      },
    });
    expect(setup.foreignKey?.kid).toBe('apigw-authz-foreign-test-key');
    const text = lines.join('\n');
    expect(text).toContain('function apigwAuthzOidcTokens(');
    expect(text).not.toContain('function apigwAuthzTokens(');
    expect(text).toContain('function apigwAuthzForge(');
    const cognito = folderNamed(collection, 'CognitoJwt').event?.find((e) => e.listen === 'prerequest');
    expect(cognito?.script.exec.join('\n')).toContain('function apigwAuthzTokens(');
    expect(cognito?.script.exec.join('\n')).not.toContain('function apigwAuthzOidcTokens(');
  });

  it('the algorithm-confusion case names the key set variable of its authorizer', () => {
    const item = itemFor(collection, 'GET', '/partner/orders', 'HS256 signed with the issuer public key');
    expect(caseDescriptorOf(item)?.forge).toEqual({
      forgery: 'hs256-public-key',
      source: '{{_PartnerJwt.accessToken}}',
      jwks: '{{PartnerJwt.jwksUrl}}',
    });
    const unknownKid = itemFor(collection, 'GET', '/partner/orders', 'unknown kid');
    expect(caseDescriptorOf(unknownKid)?.forge).toEqual({
      forgery: 'unknown-kid',
      source: '{{_PartnerJwt.accessToken}}',
    });
  });

  it('the environment: no stage segment for $default, OIDC settings, secrets empty, supplied tokens optional, key set URLs', () => {
    expect(envValue(env, 'baseUrl').value).toBe('https://h1t2p3a4p5.execute-api.us-east-1.amazonaws.com');
    expect(envValue(env, 'PartnerJwt.clientId')).toMatchObject({ value: PARTNER_CLIENT_ID, type: 'default' });
    expect(envValue(env, 'PartnerJwt.tokenUrl').value).toBe('https://login.partner.example/oauth/token');
    expect(envValue(env, 'PartnerJwt.authUrl').value).toBe('https://login.partner.example/authorize');
    expect(envValue(env, 'PartnerJwt.clientSecret')).toMatchObject({ value: '', type: 'secret' });
    expect(envValue(env, 'PartnerJwt.clientSecret').description).toMatch(/^Required\. /);
    expect(envValue(env, 'PartnerJwt.expiredToken')).toMatchObject({ value: '', type: 'secret' });
    expect(envValue(env, 'PartnerJwt.expiredToken').description).not.toMatch(/^Required/);
    expect(envValue(env, 'PartnerJwt.jwksUrl').value).toBe('');
    expect(envValue(env, 'CognitoJwt.jwksUrl').value).toBe(
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1/.well-known/jwks.json',
    );
    expect(envValue(env, 'CognitoJwt.idpEndpoint').value).toBe(
      'https://cognito-idp.us-east-1.amazonaws.com/',
    );
    expect(env.values.filter((v) => v.key === 'PartnerJwt.expiredToken')).toHaveLength(1);
    expect(collection.variable.map((v) => v.key)).toEqual(
      expect.arrayContaining([
        '_PartnerJwt.accessToken',
        '_PartnerJwt.unscopedAccessToken',
        '_PartnerJwt.expiresAt',
        '_apigwAuthz.tokenError.PartnerJwt',
        '_CognitoJwt.idToken',
      ]),
    );
  });

  it('the suite metadata names each JWT authorizer provider, issuer, flows and token variables', () => {
    const suite = parseSuiteMetadata(collection.info.description);
    expect(suite?.authorizers).toEqual([
      {
        name: 'CognitoJwt',
        kind: 'JWT',
        provider: 'cognito',
        tokenHeader: 'Authorization',
        issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1',
        clientId: '{{CognitoJwt.clientId}}',
        tokenFlows: { token: 'password' },
        tokenVariables: { id: '_CognitoJwt.idToken' },
      },
      {
        name: 'PartnerJwt',
        kind: 'JWT',
        provider: 'oidc',
        tokenHeader: 'Authorization',
        issuer: 'https://login.partner.example/',
        clientId: '{{PartnerJwt.clientId}}',
        tokenFlows: { token: 'client_credentials' },
        tokenVariables: {
          access: '_PartnerJwt.accessToken',
          'unscoped-access': '_PartnerJwt.unscopedAccessToken',
        },
      },
    ]);
    expect(suite?.variables.required).toEqual(
      expect.arrayContaining(['PartnerJwt.clientSecret', 'CognitoJwt.username', 'CognitoJwt.password']),
    );
    expect(suite?.variables.optional).toEqual(expect.arrayContaining(['PartnerJwt.expiredToken']));
  });

  it('static tokens when the config says nothing of a non-Cognito issuer: both token variables required secrets', () => {
    const bare = renderEnvironment(jwtPlan({ oidc: null }));
    expect(envValue(bare, 'PartnerJwt.accessToken')).toMatchObject({ type: 'secret', value: '' });
    expect(envValue(bare, 'PartnerJwt.accessToken').description).toMatch(/^Required\./);
    expect(envValue(bare, 'PartnerJwt.unscopedAccessToken').description).toMatch(/^Required\./);
    expect(envValue(bare, 'PartnerJwt.clientSecret').description).not.toMatch(/^Required/);
    expect(envValue(bare, 'PartnerJwt.tokenUrl').description).not.toMatch(/^Required/);
  });

  it('oidc.scopes are asked for with the route scopes in the Postman app, and alone for the unscoped token', () => {
    const withScopes = renderCollection(jwtPlan({ oidc: { scopes: ['openid'] } }));
    expect(oauth2(folderNamed(withScopes, 'Access token (scopes: orders:read)').auth).scope).toBe(
      'orders:read openid',
    );
  });

  it('every secret variable is secret by its name too (run redacts it without the environment file)', () => {
    const secrets = [...env.values, ...renderEnvironment(jwtPlan({ oidc: null })).values].filter(
      (v) => v.type === 'secret',
    );
    expect(secrets.map((v) => v.key)).toEqual(expect.arrayContaining(['PartnerJwt.unscopedAccessToken']));
    for (const v of secrets) expect(isSecretKey(v.key), v.key).toBe(true);
    for (const name of [
      'notYetValidToken',
      'otherIssuerToken',
      'issuerSlashToken',
      'otherAudienceToken',
      'missingClaimToken',
      'wrongClaimToken',
    ]) {
      expect(isSecretKey(`PartnerJwt.${name}`), name).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(serializeJson(renderCollection(jwtPlan()))).toBe(serializeJson(collection));
    expect(serializeJson(renderEnvironment(jwtPlan()))).toBe(serializeJson(env));
  });
});
