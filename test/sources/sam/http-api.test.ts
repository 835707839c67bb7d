/**
 * SAM `AWS::Serverless::HttpApi` and `HttpApi` events, read as the SAM translator deploys them: the implicit
 * `ServerlessHttpApi`, `Globals.HttpApi`, `DefaultAuthorizer` (never on OPTIONS), `Authorizer: NONE`, scope
 * overrides, Lambda authorizer identity prefixes, an inline `DefinitionBody`, and the translator's refusals.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { InputError } from '../../../src/errors.js';
import { readSource } from '../../../src/sources/detect.js';
import { iamAuthorizer, jwtAuthorizer, route } from '../../support/models.js';

const HTTP = fileURLToPath(new URL('../../fixtures/sam/http/', import.meta.url));
const at = (name: string): string => path.join(HTTP, name);

async function failure(file: string): Promise<string> {
  try {
    await readSource(file, { region: 'us-east-1' });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).toLine();
  }
  throw new Error(`${file} was read without error`);
}

describe('AWS::Serverless::HttpApi', () => {
  it('events without ApiId build ServerlessHttpApi with Globals.HttpApi, as the translator does', async () => {
    const { kind, model } = await readSource(at('implicit.yaml'), { region: 'us-east-1' });
    expect(kind).toBe('sam');
    expect(model.api).toEqual({ kind: 'HTTP', name: 'ServerlessHttpApi', region: 'us-east-1' });
    expect(model.stage).toEqual({
      name: '$default',
      baseUrl: 'https://${ServerlessHttpApi}.execute-api.us-east-1.amazonaws.com',
      variables: { tier: 'gold' },
    });
    expect(model.cors).toEqual({ allowOrigin: '*' });
    expect(model.authorizers).toEqual([
      jwtAuthorizer('Jwt', 'https://issuer.example.com', ['client-a']),
      {
        name: 'Tenant',
        kind: 'HTTP_LAMBDA',
        identitySources: [
          { location: 'stageVariable', name: 'tier', expression: '$stageVariables.tier' },
          { location: 'context', name: 'routeKey', expression: '$context.routeKey' },
        ],
        ttlSeconds: 300,
        lambdaUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:tenant-authorizer/invocations',
        userPools: [],
        httpLambda: { payloadFormat: '1.0', simpleResponses: false },
      },
    ]);
    expect(model.routes).toEqual([
      // no Path and Method: the $default route, behind the default authorizer with its scopes
      route('ANY', '$default', 'Jwt', ['api/default']),
      route('GET', '/health'), // Authorizer: NONE
      route('GET', '/items', 'Jwt', ['api/default']),
      route('OPTIONS', '/items'), // DefaultAuthorizer is never put on OPTIONS
      route('POST', '/items', 'Jwt', ['items/write']), // the event's scopes override the authorizer's
      route('ANY', '/tenants/{id}', 'Tenant'),
    ]);
  });

  it('edits an inline DefinitionBody as SAM does and reads it with the HTTP API OpenAPI reader', async () => {
    const { model } = await readSource(at('definition-body.yaml'), { region: 'us-east-1' });
    expect(model.api).toEqual({ kind: 'HTTP', name: 'body-api', region: 'us-east-1' });
    expect(model.stage.name).toBe('v1');
    expect(model.cors).toEqual({ allowOrigin: 'https://app.example.com' });
    expect(model.authorizers).toEqual([
      jwtAuthorizer('Jwt', 'https://issuer.example.com/', ['client-a']),
      iamAuthorizer(),
    ]);
    expect(model.routes).toEqual([
      route('POST', '/admin', 'sigv4'), // the body's own security stays
      route('GET', '/from-body', 'Jwt'), // the default authorizer on a body operation
      route('OPTIONS', '/from-body'), // but not on OPTIONS
      route('GET', '/scoped', 'Jwt', ['read']), // an event added to the body
    ]);
  });

  it('refuses Authorizer NONE without a DefaultAuthorizer, naming the event', async () => {
    const line = await failure(at('bad/none-without-default.yaml'));
    expect(line).toContain('#/Resources/Fn/Properties/Events/Open/Properties/Auth/Authorizer');
    expect(line).toContain("'NONE' is only a valid value when a DefaultAuthorizer on the API is specified");
  });

  it('refuses a JWT authorizer without an issuer: one line naming the Auth property and the fix', async () => {
    const line = await failure(at('bad/jwt-without-issuer.yaml'));
    expect(line).toBe(
      `${at('bad/jwt-without-issuer.yaml')}: #/Resources/Api/Properties/Auth/Authorizers/Jwt/JwtConfiguration/issuer: ` +
        'The JWT authorizer Jwt needs an issuer URL. Fix: Set JwtConfiguration.issuer to the token issuer (`iss`), ' +
        'e.g. https://cognito-idp.<region>.amazonaws.com/<poolId>.',
    );
  });

  it('refuses an Auth key HttpApi does not have (a REST one), naming the key and the keys it has', async () => {
    const line = await failure(at('bad/unknown-auth-key.yaml'));
    expect(line).toBe(
      `${at('bad/unknown-auth-key.yaml')}: #/Resources/Api/Properties/Auth/ApiKeyRequired: ` +
        "Invalid value for 'Auth' property: SAM does not know the key 'ApiKeyRequired'. " +
        'Fix: Use Authorizers, DefaultAuthorizer, EnableIamAuthorizer.',
    );
  });

  it('refuses a Lambda authorizer without AuthorizerPayloadFormatVersion, as the translator does', async () => {
    const line = await failure(at('bad/lambda-without-payload-format.yaml'));
    expect(line).toContain("Lambda Lambda Authorizer must define 'AuthorizerPayloadFormatVersion'");
  });
});
