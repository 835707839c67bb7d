import { describe, expect, it } from 'vitest';
import { InvalidExportError, UnsupportedAuthorizerError, type ApigwAuthzError } from '../../src/errors.js';
import type { ExportSource } from '../../src/sources/openapi/build-model.js';
import { parseExport, readExportDocument } from '../../src/sources/openapi/export-file.js';
import { headerSource, jwtAuthorizer, route } from '../support/models.js';
import { stringify } from 'yaml';

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1';
const OTHER = 'https://login.partner.example/';
const source: ExportSource = { file: 'rest.yaml' };

type Json = Record<string, unknown>;

/** A REST export (`get-export --export-type oas30`): servers with a `/prod` basePath, one JWT scheme. */
const restDoc = (authorizer: Json, paths: Json, scheme: Json = {}): Json => ({
  openapi: '3.0.1',
  info: { title: 'rest-jwt', version: '2026-11-30T00:00:00Z' },
  servers: [
    {
      url: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/{basePath}',
      variables: { basePath: { default: '/prod' } },
    },
  ],
  paths,
  components: {
    securitySchemes: {
      Jwt: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'jwt',
        'x-amazon-apigateway-authorizer': { type: 'jwt', ...authorizer },
        ...scheme,
      },
    },
  },
});

const op = (scopes: string[]): Json => ({
  security: [{ Jwt: scopes }],
  'x-amazon-apigateway-integration': { type: 'mock' },
});

const PATHS = { '/orders': { get: op(['orders/read', 'orders:read']), post: op([]) } };

const REST_SHAPE = {
  defaultAlgorithms: ['RS256', 'ES256'],
  issuers: [
    {
      issuer: ISSUER,
      audiences: ['client-a'],
      jwksUri: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1/.well-known/jwks.json',
      additionalClaims: [
        { claimName: 'tenant', format: 'SINGLE_STRING', expectedValues: ['acme'], required: true },
        { claimName: 'department', format: 'SINGLE_STRING' },
      ],
      futureIssuerField: 'kept out of the model, never an error',
    },
    { issuer: OTHER, audiences: ['https://orders.example.com/api'] },
  ],
};

const read = (doc: unknown) => readExportDocument(doc, source);
const failure = (doc: unknown): ApigwAuthzError => {
  try {
    read(doc);
  } catch (err) {
    return err as ApigwAuthzError;
  }
  throw new Error('expected an error');
};

describe('REST exports with a jwt authorizer', () => {
  it("REST's shape: issuers with audiences and claim rules, defaultAlgorithms, method scopes, method.request.header", () => {
    const { model, warnings } = read(
      restDoc({ identitySource: 'method.request.header.Authorization', jwtConfiguration: REST_SHAPE }, PATHS),
    );
    expect(model.api.kind).toBeUndefined();
    expect(model.stage.name).toBe('prod');
    expect(model.authorizers).toEqual([
      jwtAuthorizer('Jwt', ISSUER, ['client-a'], {
        identitySources: [headerSource('Authorization')],
        jwt: {
          issuers: [
            {
              issuer: ISSUER,
              audiences: ['client-a'],
              claims: [
                { name: 'tenant', values: ['acme'], required: true },
                { name: 'department', values: [], required: false },
              ],
            },
            { issuer: OTHER, audiences: ['https://orders.example.com/api'], claims: [] },
          ],
          algorithms: ['RS256', 'ES256'],
        },
      }),
    ]);
    expect(model.routes).toEqual([
      route('GET', '/orders', 'Jwt', ['orders/read', 'orders:read']),
      route('POST', '/orders', 'Jwt'),
    ]);
    expect(warnings).toEqual([]);
  });

  it("HTTP's shape {issuer, audience} in a REST export: one issuer, RS256, no claim rules", () => {
    const { model } = read(
      restDoc(
        {
          identitySource: 'method.request.header.X-Token',
          jwtConfiguration: { issuer: OTHER, audience: ['aud-1', 'aud-2'] },
        },
        PATHS,
      ),
    );
    expect(model.api.kind).toBeUndefined();
    expect(model.authorizers).toEqual([
      jwtAuthorizer('Jwt', OTHER, ['aud-1', 'aud-2'], {
        identitySources: [headerSource('X-Token')],
        jwt: {
          issuers: [{ issuer: OTHER, audiences: ['aud-1', 'aud-2'], claims: [] }],
          algorithms: ['RS256'],
        },
      }),
    ]);
  });

  it('without identitySource the token header is the scheme name (in: header)', () => {
    const { model } = read(restDoc({ jwtConfiguration: REST_SHAPE }, PATHS, { name: 'X-Jwt' }));
    expect(model.authorizers[0]?.identitySources).toEqual([headerSource('X-Jwt')]);
  });

  it('defaultAlgorithms absent means RS256', () => {
    const { defaultAlgorithms: _, ...noAlgorithms } = REST_SHAPE;
    const { model } = read(restDoc({ jwtConfiguration: noAlgorithms }, PATHS));
    expect(model.authorizers[0]?.jwt?.algorithms).toEqual(['RS256']);
  });

  it('YAML and JSON texts of the same export give byte-identical models', () => {
    const doc = restDoc(
      { identitySource: 'method.request.header.Authorization', jwtConfiguration: REST_SHAPE },
      PATHS,
    );
    const json = JSON.stringify(parseExport(JSON.stringify(doc), 'a.json').model);
    expect(JSON.stringify(parseExport(stringify(doc), 'a.yaml').model)).toBe(json);
  });

  const at = '#/components/securitySchemes/Jwt/x-amazon-apigateway-authorizer';
  it.each<[name: string, authorizer: Json, location: string, message: RegExp]>([
    [
      'no jwtConfiguration',
      {},
      `${at}/jwtConfiguration`,
      /^A JWT authorizer needs jwtConfiguration with issuers\.$/,
    ],
    [
      'an empty issuers list',
      { jwtConfiguration: { issuers: [] } },
      `${at}/jwtConfiguration/issuers`,
      /^A JWT authorizer needs at least one issuer\.$/,
    ],
    [
      'an issuer without its URL',
      { jwtConfiguration: { issuers: [{ audiences: ['a'] }] } },
      `${at}/jwtConfiguration/issuers/0/issuer`,
      /^A JWT issuer needs its URL\.$/,
    ],
    [
      'audiences that are not a list',
      { jwtConfiguration: { issuers: [{ issuer: ISSUER, audiences: 'a' }] } },
      `${at}/jwtConfiguration/issuers/0/audiences`,
      /^Audiences must be a list of strings, not "a"\.$/,
    ],
    [
      'an unknown algorithm',
      { jwtConfiguration: { ...REST_SHAPE, defaultAlgorithms: ['RS256', 'HS256'] } },
      `${at}/jwtConfiguration/defaultAlgorithms/1`,
      /^Unknown algorithm "HS256"\.$/,
    ],
    [
      "the HTTP shape's audience not a list",
      { jwtConfiguration: { issuer: ISSUER, audience: 'a' } },
      `${at}/jwtConfiguration/audience`,
      /^Audience must be a list of strings/,
    ],
    [
      'an HTTP identity source',
      { identitySource: '$request.header.Authorization', jwtConfiguration: REST_SHAPE },
      `${at}/identitySource`,
      /a JWT authorizer reads one header, written `method\.request\.header\.<Name>`/,
    ],
  ])('%s: InvalidExportError at its pointer, with a fix', (_, authorizer, location, message) => {
    const err = failure(restDoc(authorizer, PATHS));
    expect(err).toBeInstanceOf(InvalidExportError);
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
    if (!err.message.includes('identitySource')) expect(err.fix).toBeTruthy();
  });

  it('an unknown REST authorizer type lists jwt among the expected ones', () => {
    const err = failure(restDoc({ type: 'oidc', jwtConfiguration: REST_SHAPE }, PATHS));
    expect(err).toBeInstanceOf(UnsupportedAuthorizerError);
    expect(err.message).toBe(
      'Unknown authorizer type "oidc". Expected one of: token, request, cognito_user_pools, jwt.',
    );
  });
});
