/**
 * CloudFormation HTTP APIs (`AWS::ApiGatewayV2::*`) and REST JWT authorizers in templates: the model each
 * template gives, the warnings for values known only after deploy, and bad input as one located error.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { InputError } from '../../../src/errors.js';
import { readSource } from '../../../src/sources/detect.js';
import {
  httpExampleModel,
  httpHeaderSource,
  jwtAuthorizer,
  restJwtAuthorizer,
  route,
} from '../../support/models.js';

const HTTP = fileURLToPath(new URL('../../fixtures/cloudformation/http/', import.meta.url));
const at = (name: string): string => path.join(HTTP, name);

/** The error a source raises, as the CLI prints it (one line). */
async function failure(file: string, options = {}): Promise<string> {
  try {
    await readSource(file, options);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).toLine();
  }
  throw new Error(`${file} was read without error`);
}

describe('AWS::ApiGatewayV2 resources', () => {
  it('read to the bundled HTTP example, from a nested stack, conditions and parameters resolved', async () => {
    const { kind, model, warnings } = await readSource(at('orders-http.yaml'), {
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(kind).toBe('cloudformation');
    const expected = httpExampleModel();
    const { id: _id, ...api } = expected.api;
    expect(model).toEqual({
      ...expected,
      api,
      stage: { ...expected.stage, baseUrl: 'https://${OrdersApi}.execute-api.us-east-1.amazonaws.com' },
    });
    expect(warnings).toEqual([
      expect.stringContaining("the API's URL is known only after deploy (https://${OrdersApi}.execute-api"),
    ]);
  });

  it('drops the resources of a false condition (another region: no PartnerJwt, no partner route)', async () => {
    const { model } = await readSource(at('orders-http.yaml'), {
      region: 'eu-west-1',
      account: '123456789012',
    });
    expect(model.authorizers.map((a) => a.name)).toEqual(['CognitoJwt', 'LambdaAuth', 'sigv4']);
    expect(model.routes.some((r) => r.path === '/partner/orders')).toBe(false);
    expect(model.authorizers[0]?.jwt?.issuers[0]?.issuer).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_PetStore1',
    );
  });

  it('keeps values known only after deploy as named placeholders, each warned, and unites Body and resources', async () => {
    const { model, warnings } = await readSource(at('placeholders.yaml'), { region: 'us-east-1' });
    expect(model.api).toEqual({ kind: 'HTTP', name: 'from-body', region: 'us-east-1' });
    expect(model.stage).toEqual({
      name: 'prod',
      baseUrl: 'https://${Api}.execute-api.us-east-1.amazonaws.com/prod',
      variables: { tier: 'gold' },
    });
    const jwtName = 'Jwt'; // the Name is `${AWS::StackName}-jwt`, unknown offline: the logical id names it
    expect(model.authorizers).toEqual([
      jwtAuthorizer('BodyJwt', 'https://issuer.example/', ['body-client']),
      jwtAuthorizer(
        jwtName,
        'https://cognito-idp.us-east-1.amazonaws.com/${UserPool}',
        ['${UserPoolClient}'],
        {
          identitySources: [
            {
              location: 'querystring',
              name: 'access_token',
              expression: '$request.querystring.access_token',
            },
          ],
        },
      ),
      {
        name: 'Lambda',
        kind: 'HTTP_LAMBDA',
        identitySources: [
          httpHeaderSource('X-Tenant'),
          { location: 'context', name: 'routeKey', expression: '$context.routeKey' },
          { location: 'stageVariable', name: 'tier', expression: '$stageVariables.tier' },
        ],
        ttlSeconds: 300,
        lambdaUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${AuthFunction.Arn}/invocations',
        userPools: [],
        httpLambda: { payloadFormat: '1.0', simpleResponses: false },
      },
    ]);
    expect(model.routes).toEqual([
      route('GET', '/body-only', 'BodyJwt', ['read']),
      route('GET', '/items', jwtName, ['items/read']),
      route('ANY', '/tenants/{proxy+}', 'Lambda'),
    ]);
    const text = warnings.join('\n');
    expect(text).toContain('JWTConfiguration: CloudFormation refuses JWTConfiguration');
    expect(text).toContain('both an OpenAPI Body and Route/Authorizer resources');
    expect(text).toMatch(/\$\{UserPool\}|UserPool/);
    expect(text).toContain('AuthFunction.Arn');
  });

  it('names the field and the fix when a JWT authorizer has no issuer (one line)', async () => {
    const line = await failure(at('bad/jwt-without-issuer.yaml'));
    expect(line).toBe(
      `${at('bad/jwt-without-issuer.yaml')}: #/Resources/Jwt/Properties/JwtConfiguration/Issuer (line 14, column 9): ` +
        "A JWT authorizer needs an issuer URL. Fix: Set the JWT configuration's issuer to the URL your tokens carry in `iss`.",
    );
  });

  it('refuses a JWT route whose AuthorizerId is no authorizer of the API', async () => {
    const line = await failure(at('bad/route-without-authorizer.yaml'));
    expect(line).toContain('#/Resources/Route/Properties/AuthorizerId');
    expect(line).toContain(
      'GET /orders is JWT but AuthorizerId does not point at an AWS::ApiGatewayV2::Authorizer',
    );
    expect(line.split('\n')).toHaveLength(1);
  });
});

describe('REST JWT authorizers (AWS::ApiGateway::Authorizer Type JWT)', () => {
  it('read issuers, audiences, algorithms and claim rules, and method scopes', async () => {
    const { model } = await readSource(at('rest-jwt.yaml'), { region: 'us-east-1' });
    expect(model.api.kind).toBeUndefined();
    expect(model.authorizers).toEqual([restJwtAuthorizer('OidcJwt', 'https://orders.example.com/api')]);
    expect(model.routes).toEqual([
      route('GET', '/orders', 'OidcJwt', ['orders/read', 'orders:read']),
      route('POST', '/orders', 'OidcJwt'),
    ]);
  });

  it('refuses a REST JWT authorizer without issuers, naming the CloudFormation property', async () => {
    const line = await failure(at('bad/rest-jwt-without-issuers.yaml'));
    expect(line).toMatch(/#\/Resources\/Jwt\/Properties\/JwtConfiguration\/Issuers\b/);
    expect(line).toContain('A JWT authorizer needs at least one issuer.');
  });
});
