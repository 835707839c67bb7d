import { describe, expect, it } from 'vitest';
import { evaluatePolicy, parseAuthorizerResult, wildcardMatch, type PolicyStatement } from './policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/42';

describe('wildcardMatch', () => {
  it.each([
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*', ARN, true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*', ARN, true],
    ['arn:aws:execute-api:*:*:abc123/*/GET/pets/*', ARN, true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/4?', ARN, true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets', ARN, false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/*', ARN, false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/4', ARN, false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123.prod/*', ARN, false],
  ])('%s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it('keeps case-sensitive and case-insensitive compilations of one pattern apart (they are cached)', () => {
    expect(wildcardMatch('execute-api:invoke', 'execute-api:Invoke', true)).toBe(true);
    expect(wildcardMatch('execute-api:invoke', 'execute-api:Invoke')).toBe(false);
    expect(wildcardMatch('execute-api:invoke', 'execute-api:Invoke', true)).toBe(true);
  });

  it('matches the same answers after many distinct patterns (the cache is bounded, not wrong)', () => {
    for (let i = 0; i < 2_500; i += 1) expect(wildcardMatch(`a${i}*`, `a${i}b`)).toBe(true);
    expect(wildcardMatch('a1*', 'b1')).toBe(false);
  });
});

describe('evaluatePolicy', () => {
  const allowAll: PolicyStatement = { effect: 'Allow', actions: ['execute-api:Invoke'], resources: ['*'] };
  const denyPets: PolicyStatement = {
    effect: 'Deny',
    actions: ['execute-api:*'],
    resources: ['*/GET/pets/*'],
  };
  it.each<[string, PolicyStatement[], string]>([
    ['allow all', [allowAll], 'allow'],
    ['explicit deny wins over allow', [allowAll, denyPets], 'explicit-deny'],
    ['no statement matches', [{ ...allowAll, resources: ['*/POST/*'] }], 'implicit-deny'],
    ['action * applies', [{ ...allowAll, actions: ['*'] }], 'allow'],
    [
      'action of another service does not apply',
      [{ ...allowAll, actions: ['s3:GetObject'] }],
      'implicit-deny',
    ],
    ['action names are case-insensitive', [{ ...allowAll, actions: ['Execute-API:invoke'] }], 'allow'],
    ['empty policy', [], 'implicit-deny'],
  ])('%s', (_name, statements, decision) => {
    expect(evaluatePolicy(statements, ARN)).toBe(decision);
  });
});

describe('parseAuthorizerResult', () => {
  const valid = {
    principalId: 'alice',
    policyDocument: {
      Version: '2012-10-17',
      Statement: { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ['a', 'b'] },
    },
    context: { user: 'alice', n: 1, admin: false, dropped: undefined },
  };

  it('accepts a Statement object, a Resource list and stringifies context values', () => {
    expect(parseAuthorizerResult(valid)).toEqual({
      ok: true,
      result: {
        principalId: 'alice',
        statements: [{ effect: 'Allow', actions: ['execute-api:Invoke'], resources: ['a', 'b'] }],
        context: { user: 'alice', n: '1', admin: 'false' },
      },
    });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'Allow'],
    ['no principalId', { ...valid, principalId: undefined }],
    ['empty principalId', { ...valid, principalId: '' }],
    ['no policyDocument', { ...valid, policyDocument: undefined }],
    ['no Statement', { ...valid, policyDocument: { Version: '2012-10-17' } }],
    [
      'bad Effect',
      { ...valid, policyDocument: { Statement: [{ Action: '*', Effect: 'allow', Resource: '*' }] } },
    ],
    ['no Resource', { ...valid, policyDocument: { Statement: [{ Action: '*', Effect: 'Allow' }] } }],
    ['object context value', { ...valid, context: { user: { name: 'alice' } } }],
    ['array context value', { ...valid, context: { roles: ['a'] } }],
    ['null context value', { ...valid, context: { user: null } }],
    ['context not an object', { ...valid, context: 'x' }],
  ])('rejects %s', (_name, value) => {
    expect(parseAuthorizerResult(value).ok).toBe(false);
  });
});
