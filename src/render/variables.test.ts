import { describe, expect, it } from 'vitest';

import { handPlan } from '../../test/render/plans.js';
import type { PlanOptions } from '../../test/render/plans.js';
import { allVariables, renderEnvironment, requiredVariables } from './index.js';

const keys = (options: PlanOptions = {}) => allVariables(handPlan(options)).map((v) => v.key);
const required = (options: PlanOptions = {}) => requiredVariables(handPlan(options)).map((v) => v.key);

describe('allVariables', () => {
  it('lists baseUrl, the Cognito settings, the AWS credentials and the plan variables, once each', () => {
    expect(keys()).toEqual([
      'baseUrl',
      'CognitoAuth.clientId',
      'CognitoAuth.domain',
      'CognitoAuth.tokenUrl',
      'CognitoAuth.idpEndpoint',
      'CognitoAuth.callbackUrl',
      'CognitoAuth.username',
      'CognitoAuth.password',
      'CognitoAuth.clientSecret',
      'CognitoAuth.expiredToken',
      'awsAccessKeyId',
      'awsSecretAccessKey',
      'awsSessionToken',
      'awsRegion',
      'TokenAuth.validToken',
      'TokenAuth.jwt',
      'RequestAuth.method.request.querystring.apiVersion',
    ]);
  });

  it('takes defaults from the config, then the model', () => {
    const value = (key: string, options: PlanOptions = {}) =>
      allVariables(handPlan(options)).find((v) => v.key === key)?.value;
    expect(value('baseUrl')).toBe('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod');
    expect(value('baseUrl', { baseUrl: 'http://127.0.0.1:3000/prod/' })).toBe('http://127.0.0.1:3000/prod');
    expect(value('awsRegion')).toBe('us-east-1');
    expect(value('CognitoAuth.tokenUrl')).toBe(
      'https://petstore-authz.auth.us-east-1.amazoncognito.com/oauth2/token',
    );
    expect(value('CognitoAuth.tokenUrl', { cognito: { tokenUrl: 'http://127.0.0.1:1/t' } })).toBe(
      'http://127.0.0.1:1/t',
    );
    expect(value('CognitoAuth.idpEndpoint')).toBe('https://cognito-idp.us-east-1.amazonaws.com/');
  });

  it.each<[string, PlanOptions, string[]]>([
    [
      'password',
      {},
      [
        'CognitoAuth.username',
        'CognitoAuth.password',
        'awsAccessKeyId',
        'awsSecretAccessKey',
        'TokenAuth.validToken',
      ],
    ],
    [
      'client_credentials',
      { cognito: { tokenFlow: 'client_credentials' } },
      ['CognitoAuth.clientSecret', 'awsAccessKeyId', 'awsSecretAccessKey', 'TokenAuth.validToken'],
    ],
    [
      'static',
      { cognito: { tokenFlow: 'static' } },
      [
        'CognitoAuth.idToken',
        'CognitoAuth.accessToken',
        'awsAccessKeyId',
        'awsSecretAccessKey',
        'TokenAuth.validToken',
      ],
    ],
    [
      'password + client_credentials access tokens of another client',
      { cognito: { accessTokenFlow: 'client_credentials', accessTokenClientId: 'cc' } },
      [
        'CognitoAuth.username',
        'CognitoAuth.password',
        'CognitoAuth.accessTokenClientSecret',
        'awsAccessKeyId',
        'awsSecretAccessKey',
        'TokenAuth.validToken',
      ],
    ],
    [
      'a password flow without a known client id',
      { cognito: { clientId: undefined } },
      [
        'CognitoAuth.clientId',
        'CognitoAuth.username',
        'CognitoAuth.password',
        'awsAccessKeyId',
        'awsSecretAccessKey',
        'TokenAuth.validToken',
      ],
    ],
  ])('requires what the %s flow needs', (_label, options, want) => {
    expect(required(options)).toEqual(want);
  });

  it('declares the access-token client only with accessTokenFlow', () => {
    expect(keys()).not.toContain('CognitoAuth.accessTokenClientId');
    expect(keys({ cognito: { accessTokenFlow: 'client_credentials' } })).toEqual(
      expect.arrayContaining(['CognitoAuth.accessTokenClientId', 'CognitoAuth.accessTokenClientSecret']),
    );
  });
});

describe('renderEnvironment', () => {
  const env = renderEnvironment(handPlan());

  it('is an environment file with a description on every value', () => {
    expect(env._postman_variable_scope).toBe('environment');
    expect(env.id).toMatch(/^[0-9a-f-]{36}$/);
    for (const v of env.values) {
      expect(v.enabled).toBe(true);
      expect(v.description.length).toBeGreaterThan(10);
    }
    expect(env.values.find((v) => v.key === 'CognitoAuth.password')?.description).toMatch(/^Required\. /);
  });

  it('lists secrets as empty secret variables, even when a plan variable carries a value', () => {
    const plan = handPlan();
    plan.variables.push({
      key: 'Other.secret',
      value: 'leaked-value',
      secret: true,
      required: false,
      description: 'x',
    });
    const values = renderEnvironment(plan).values;
    const secrets = values.filter((v) => v.type === 'secret').map((v) => v.key);
    expect(secrets).toEqual([
      'CognitoAuth.password',
      'CognitoAuth.clientSecret',
      'CognitoAuth.expiredToken',
      'awsSecretAccessKey',
      'awsSessionToken',
      'TokenAuth.validToken',
      'Other.secret',
    ]);
    for (const v of values.filter((x) => x.type === 'secret')) expect(v.value).toBe('');
    expect(JSON.stringify(values)).not.toContain('leaked-value');
  });
});
