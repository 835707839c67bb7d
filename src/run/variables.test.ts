import { describe, expect, it } from 'vitest';
import { envNameFor, isSecretKey, resolveVariables } from './variables.js';

describe('envNameFor', () => {
  it.each([
    ['CognitoAuth.password', 'APIGW_AUTHZ_COGNITOAUTH_PASSWORD'],
    ['OrdersAuth.method.request.header.X-Tenant', 'APIGW_AUTHZ_ORDERSAUTH_METHOD_REQUEST_HEADER_X_TENANT'],
    ['baseUrl', 'APIGW_AUTHZ_BASEURL'],
  ])('%s -> %s', (key, name) => {
    expect(envNameFor(key)).toBe(name);
  });
});

describe('isSecretKey', () => {
  it.each([
    ['CognitoAuth.password', undefined, true],
    ['CognitoAuth.clientSecret', undefined, true],
    ['CognitoAuth.idToken', undefined, true],
    ['awsSecretAccessKey', undefined, true],
    ['awsSessionToken', undefined, true],
    ['TokenAuth.validToken', 'secret', true],
    ['TokenAuth.validToken', 'default', false],
    ['baseUrl', 'default', false],
  ])('%s (%s) -> %s', (key, type, secret) => {
    expect(isSecretKey(key, type)).toBe(secret);
  });
});

describe('resolveVariables', () => {
  const file = [
    { key: 'baseUrl', value: 'https://file.example', type: 'default' },
    { key: 'CognitoAuth.password', value: '', type: 'secret' },
    { key: 'awsRegion', value: 'us-east-1', type: 'default' },
  ];

  it('prefers --env-var over the process environment over the file', () => {
    const r = resolveVariables(
      file,
      { 'CognitoAuth.password': 'flag-pass' },
      { APIGW_AUTHZ_COGNITOAUTH_PASSWORD: 'env-pass', APIGW_AUTHZ_BASEURL: 'http://env.example' },
    );
    expect(r.envVar).toEqual([
      { key: 'CognitoAuth.password', value: 'flag-pass' },
      { key: 'baseUrl', value: 'http://env.example' },
    ]);
    expect(r.secretValues).toEqual(['flag-pass']);
  });

  it('maps the standard AWS variables, with the APIGW_AUTHZ_ name first', () => {
    const r = resolveVariables(
      file,
      {},
      {
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
        AWS_DEFAULT_REGION: 'eu-west-1',
        APIGW_AUTHZ_AWSSESSIONTOKEN: 'explicit-session',
        AWS_SESSION_TOKEN: 'standard-session',
      },
    );
    expect(r.envVar).toEqual([
      { key: 'awsAccessKeyId', value: 'AKIDEXAMPLE' },
      { key: 'awsRegion', value: 'eu-west-1' },
      { key: 'awsSecretAccessKey', value: 'wJalrXUtnFEMI/K7MDENG' },
      { key: 'awsSessionToken', value: 'explicit-session' },
    ]);
    expect(r.secretValues).toEqual(['wJalrXUtnFEMI/K7MDENG', 'explicit-session']);
  });

  it('ignores undeclared APIGW_AUTHZ_ names and empty values', () => {
    const r = resolveVariables(file, {}, { APIGW_AUTHZ_SOMETHING_ELSE: 'x', APIGW_AUTHZ_BASEURL: '' });
    expect(r.envVar).toEqual([]);
    expect(r.secretValues).toEqual([]);
  });
});
