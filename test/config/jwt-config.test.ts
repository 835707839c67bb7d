/**
 * The config for JWT authorizers and HTTP APIs: `oidc:` (with a saved discovery document), `cognito:` on JWT
 * authorizers, `expectContext`, HTTP identity-source keys, `serve.issuers`; each mistake one line naming the file,
 * the key path, what was expected and the fix.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfigAgainstModel } from '../../src/config/check-config.js';
import {
  applyModelDefaults,
  cognitoIssuerPool,
  loadConfig,
  resolveConfig,
} from '../../src/config/load-config.js';
import { InputNotFoundError, InvalidConfigError, type ApigwAuthzError } from '../../src/errors.js';
import * as builders from '../support/models.js';

const BASE = '/work/project';

function thrown(fn: () => unknown): ApigwAuthzError {
  try {
    fn();
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
}

async function rejected(promise: Promise<unknown>): Promise<ApigwAuthzError> {
  try {
    await promise;
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected a rejection');
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-jwt-config-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('resolveConfig: oidc, expectContext, HTTP identity sources, serve.issuers', () => {
  it('reads oidc settings with defaults, keeping the issuer exactly (trailing slash) and resolving the discovery document', () => {
    const config = resolveConfig(
      {
        authorizers: {
          PartnerJwt: {
            oidc: {
              issuer: 'https://login.partner.example/',
              discoveryDocument: './partner/openid-configuration.json',
              clientId: 'orders-m2m',
              scopes: ['openid'],
              audience: 'https://orders.example.com/api',
              tokenUrl: 'https://login.partner.example/oauth/token/',
            },
            expectContext: { tier: 'gold', limit: 5, beta: true },
          },
          LambdaAuth: {
            validIdentity: { '$request.header.X-Api-Token': 't-1', '$request.querystring.tenant': 'acme' },
          },
        },
      },
      'c.yaml',
      BASE,
    );
    expect(config.authorizers.PartnerJwt?.oidc).toEqual({
      issuer: 'https://login.partner.example/',
      discoveryDocument: path.resolve(BASE, 'partner/openid-configuration.json'),
      clientId: 'orders-m2m',
      scopes: ['openid'],
      audience: 'https://orders.example.com/api',
      tokenUrl: 'https://login.partner.example/oauth/token',
      callbackUrl: 'https://oauth.pstmn.io/v1/callback',
      tokenFlow: 'client_credentials',
    });
    expect(config.authorizers.PartnerJwt?.expectContext).toEqual({ tier: 'gold', limit: 5, beta: true });
    expect(config.authorizers.LambdaAuth?.validIdentity).toEqual({
      '$request.header.X-Api-Token': 't-1',
      '$request.querystring.tenant': 'acme',
    });
  });

  it('reads serve.issuers keyed by the issuer exactly as the API names it', () => {
    const config = resolveConfig(
      {
        serve: {
          issuers: {
            'https://login.partner.example/': {
              issuer: 'http://127.0.0.1:9555/',
              jwksUrl: 'http://127.0.0.1:9555/jwks',
            },
            'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1': {
              issuer: 'http://127.0.0.1:9229/us-east-1_PetStore1',
            },
          },
        },
      },
      'c.yaml',
      BASE,
    );
    expect(config.serve).toEqual({
      requestWithoutCacheMissingSource: 'reject',
      issuers: {
        'https://login.partner.example/': {
          issuer: 'http://127.0.0.1:9555/',
          jwksUrl: 'http://127.0.0.1:9555/jwks',
        },
        'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1': {
          issuer: 'http://127.0.0.1:9229/us-east-1_PetStore1',
        },
      },
    });
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      'oidc tokenFlow typo',
      { authorizers: { P: { oidc: { tokenFlow: 'client_credential' } } } },
      'authorizers.P.oidc.tokenFlow',
      /expected one of client_credentials, password, static, got "client_credential"\. Did you mean "client_credentials"\?/,
    ],
    [
      'oidc unknown key',
      { authorizers: { P: { oidc: { tokenEndpoint: 'https://x' } } } },
      'authorizers.P.oidc.tokenEndpoint',
      /unknown key "tokenEndpoint"\..*Expected one of: issuer, discoveryDocument/,
    ],
    [
      'oidc scopes not a list',
      { authorizers: { P: { oidc: { scopes: 'openid profile' } } } },
      'authorizers.P.oidc.scopes',
      /expected a list of scope names/,
    ],
    [
      'oidc scope with a space',
      { authorizers: { P: { oidc: { scopes: ['openid profile'] } } } },
      'authorizers.P.oidc.scopes[0]',
      /one scope name without spaces/,
    ],
    [
      'oidc issuer not a URL',
      { authorizers: { P: { oidc: { issuer: 'login.partner.example' } } } },
      'authorizers.P.oidc.issuer',
      /expected an http\(s\) issuer URL/,
    ],
    [
      'oidc tokenUrl not a URL',
      { authorizers: { P: { oidc: { tokenUrl: '/oauth/token' } } } },
      'authorizers.P.oidc.tokenUrl',
      /expected an http\(s\) URL/,
    ],
    [
      'both cognito and oidc',
      { authorizers: { P: { cognito: {}, oidc: {} } } },
      'authorizers.P.oidc',
      /either cognito or oidc settings, not both/,
    ],
    [
      'expectContext not a mapping',
      { authorizers: { L: { expectContext: ['tier'] } } },
      'authorizers.L.expectContext',
      /expected a mapping/,
    ],
    [
      'expectContext empty',
      { authorizers: { L: { expectContext: {} } } },
      'authorizers.L.expectContext',
      /at least one key/,
    ],
    [
      'validIdentity in neither syntax',
      { authorizers: { L: { validIdentity: { '$request.path.id': '1' } } } },
      'authorizers.L.validIdentity["$request.path.id"]',
      /HTTP API: \$request\.header\.<Name>/,
    ],
    [
      'serve.issuers key not a URL',
      { serve: { issuers: { 'login.partner.example': { issuer: 'http://127.0.0.1:1/' } } } },
      'serve.issuers["login.partner.example"]',
      /expected an issuer URL as the key/,
    ],
    [
      'serve.issuers entry without issuer',
      { serve: { issuers: { 'https://login.partner.example/': { jwksUrl: 'http://127.0.0.1:1/jwks' } } } },
      'serve.issuers["https://login.partner.example/"].issuer',
      /expected the issuer \(iss\) the local identity server writes/,
    ],
    [
      'serve.issuers unknown key',
      { serve: { issuers: { 'https://login.partner.example/': { issuer: 'http://x/', jwks: 'y' } } } },
      'serve.issuers["https://login.partner.example/"].jwks',
      /unknown key "jwks"/,
    ],
  ])('%s -> InvalidConfigError at the key path, one line', (_, raw, location, message) => {
    const err = thrown(() => resolveConfig(raw, 'cfg.yaml', BASE));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.file).toBe('cfg.yaml');
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
    expect(err.toLine()).not.toContain('\n');
  });

  it.each<[string, string]>([
    ['clientSecret', 'PartnerJwt.clientSecret'],
    ['password', 'PartnerJwt.password'],
    ['accessToken', 'PartnerJwt.accessToken'],
    ['otherAudienceToken', 'PartnerJwt.otherAudienceToken'],
  ])('refuses oidc.%s and names the run-time variable %s', (key, variable) => {
    const err = thrown(() =>
      resolveConfig({ authorizers: { PartnerJwt: { oidc: { [key]: 'v4lue-s3cr3t' } } } }, 'c.yaml', BASE),
    );
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toBe(`authorizers.PartnerJwt.oidc.${key}`);
    expect(err.fix).toContain(`--env-var ${variable}=`);
    expect(err.toLine()).not.toContain('v4lue-s3cr3t');
  });
});

describe('loadConfig: the saved discovery document', () => {
  const discovery = {
    issuer: 'https://login.partner.example/',
    authorization_endpoint: 'https://login.partner.example/authorize',
    token_endpoint: 'https://login.partner.example/oauth/token',
    jwks_uri: 'https://login.partner.example/.well-known/jwks.json',
    scopes_supported: ['openid', 'orders:read'],
  };

  async function configWith(oidc: Record<string, unknown>, document: unknown): Promise<string> {
    const dir = await mkdtemp(path.join(work, 'c-'));
    if (document !== undefined) {
      await writeFile(
        path.join(dir, 'openid-configuration.json'),
        typeof document === 'string' ? document : JSON.stringify(document),
      );
    }
    const file = path.join(dir, 'apigw-authz.config.json');
    await writeFile(
      file,
      JSON.stringify({
        authorizers: { PartnerJwt: { oidc: { discoveryDocument: './openid-configuration.json', ...oidc } } },
      }),
    );
    return file;
  }

  it('fills authUrl, tokenUrl, jwksUrl and issuer from it; config fields win', async () => {
    const file = await configWith({ tokenUrl: 'http://127.0.0.1:9555/token' }, discovery);
    const config = await loadConfig(file, work);
    expect(config.authorizers.PartnerJwt?.oidc).toMatchObject({
      issuer: 'https://login.partner.example/',
      authUrl: 'https://login.partner.example/authorize',
      tokenUrl: 'http://127.0.0.1:9555/token',
      jwksUrl: 'https://login.partner.example/.well-known/jwks.json',
    });
  });

  it('a missing document is InputNotFoundError naming it and the config key', async () => {
    const file = await configWith({}, undefined);
    const err = await rejected(loadConfig(file, work));
    expect(err).toBeInstanceOf(InputNotFoundError);
    expect(err.toLine()).toContain('openid-configuration.json');
    expect(err.toLine()).toContain('authorizers.PartnerJwt.oidc.discoveryDocument');
    expect(err.toLine()).not.toContain('\n');
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', '["a"]', /is not a JSON object/],
    [
      'a token_endpoint that is not a URL',
      { ...discovery, token_endpoint: 'token' },
      /token_endpoint that is not an http\(s\) URL/,
    ],
    [
      'an issuer other than oidc.issuer',
      { ...discovery, issuer: 'https://login.partner.example' },
      /names the issuer "https:\/\/login\.partner\.example", but oidc\.issuer is "https:\/\/login\.partner\.example\/"/,
    ],
  ])('a document that is %s is one InvalidConfigError line at the key', async (_, document, message) => {
    const file = await configWith({ issuer: 'https://login.partner.example/' }, document);
    const err = await rejected(loadConfig(file, work));
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toMatch(/^authorizers\.PartnerJwt\.oidc\.discoveryDocument/);
    expect(err.message).toMatch(message);
    expect(err.toLine()).not.toContain('\n');
  });
});

describe('applyModelDefaults and checkConfigAgainstModel for JWT authorizers', () => {
  const model = builders.httpExampleModel();

  it('parses a Cognito issuer URL into its pool', () => {
    expect(cognitoIssuerPool('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123')).toEqual({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbC123',
    });
    expect(cognitoIssuerPool('https://login.partner.example/')).toBeUndefined();
    expect(
      cognitoIssuerPool('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/'),
    ).toBeUndefined();
  });

  it('JWT authorizers get cognito defaults for a Cognito issuer and oidc defaults (static tokens) for another', () => {
    const config = applyModelDefaults(builders.config(), model);
    expect(config.authorizers.CognitoJwt?.cognito).toEqual({
      callbackUrl: 'https://oauth.pstmn.io/v1/callback',
      tokenFlow: 'password',
      idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
    });
    expect(config.authorizers.CognitoJwt?.oidc).toBeUndefined();
    expect(config.authorizers.PartnerJwt?.oidc).toEqual({
      issuer: builders.PARTNER_ISSUER,
      scopes: [],
      callbackUrl: 'https://oauth.pstmn.io/v1/callback',
      tokenFlow: 'static',
    });
  });

  it('accepts cognito: on a JWT authorizer (idpEndpoint from the issuer region), oidc: only on JWT authorizers', () => {
    const config = applyModelDefaults(
      builders.config({
        CognitoJwt: {
          cognito: {
            callbackUrl: 'https://x/cb',
            tokenFlow: 'client_credentials',
            idpEndpoint: '',
            domain: 'https://d.example',
          },
        },
      }),
      {
        ...model,
        authorizers: model.authorizers.map((a) =>
          a.name === 'CognitoJwt'
            ? {
                ...a,
                jwt: {
                  ...a.jwt!,
                  issuers: [
                    {
                      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X1',
                      audiences: [],
                      claims: [],
                    },
                  ],
                },
              }
            : a,
        ),
      },
    );
    expect(config.authorizers.CognitoJwt?.cognito).toMatchObject({
      idpEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
      tokenUrl: 'https://d.example/oauth2/token',
    });
    const err = thrown(() =>
      applyModelDefaults(
        builders.config({
          LambdaAuth: { oidc: { scopes: [], callbackUrl: 'https://x', tokenFlow: 'static' } },
        }),
        model,
      ),
    );
    expect(err).toBeInstanceOf(InvalidConfigError);
    expect(err.location).toBe('authorizers.LambdaAuth.oidc');
    expect(err.message).toMatch(/HTTP_LAMBDA authorizer; oidc settings apply to JWT authorizers only/);
  });

  it('validIdentity keys in HTTP syntax must be identity sources of the authorizer', () => {
    const ok = applyModelDefaults(
      builders.config({ LambdaAuth: { validIdentity: { '$request.header.X-Api-Token': 't' } } }),
      model,
    );
    expect(ok.authorizers.LambdaAuth?.validIdentity).toEqual({ '$request.header.X-Api-Token': 't' });
    const err = thrown(() =>
      applyModelDefaults(
        builders.config({ LambdaAuth: { validIdentity: { '$request.header.X-Api-Tokn': 't' } } }),
        model,
      ),
    );
    expect(err.location).toBe('authorizers.LambdaAuth.validIdentity["$request.header.X-Api-Tokn"]');
    expect(err.message).toMatch(/Did you mean "\$request\.header\.X-Api-Token"\?/);
  });

  it('problems: expectContext on a REST or IAM authorizer, an oidc.issuer the authorizer does not trust, cognito: for a non-Cognito issuer', () => {
    const config = applyModelDefaults(
      builders.config({
        sigv4: { expectContext: { a: 1 } },
        LambdaAuth: { expectContext: { tier: 'gold' } },
        PartnerJwt: {
          oidc: {
            issuer: 'https://login.partner.example',
            scopes: [],
            callbackUrl: 'https://x',
            tokenFlow: 'static',
          },
        },
      }),
      model,
    );
    const problems = checkConfigAgainstModel(model, config);
    expect(problems.map((p) => [p.rule, p.severity, p.key])).toEqual([
      ['config-oidc-issuer', 'warning', 'authorizers.PartnerJwt.oidc.issuer'],
      ['config-expect-context-kind', 'error', 'authorizers.sigv4.expectContext'],
    ]);
    expect(problems[0]?.message).toContain('differs only in the trailing slash');
    expect(problems[0]?.fix).toContain('"https://login.partner.example/"');

    const rest = builders.model({
      authorizers: [builders.jwtAuthorizer('PartnerJwt', builders.PARTNER_ISSUER, ['a'])],
      routes: [builders.route('GET', '/x', 'PartnerJwt')],
    });
    const restProblems = checkConfigAgainstModel(
      rest,
      applyModelDefaults(
        builders.config({
          PartnerJwt: {
            expectContext: { a: 1 },
            cognito: { callbackUrl: 'https://x', tokenFlow: 'password', idpEndpoint: '' },
          },
        }),
        rest,
      ),
    );
    expect(restProblems.map((p) => p.rule)).toEqual(['config-expect-context-kind', 'config-cognito-issuer']);
  });
});
