/**
 * The account in `serve`'s methodArns: a template's `${AWS::AccountId}` must never reach a handler that parses
 * the ARN; the documented stand-in account takes its place when no ARN names a real one.
 */

import { describe, expect, it } from 'vitest';

import { STAND_IN_ACCOUNT_ID, gatewayAccountId } from '../../src/emulator/server.js';
import { cognitoAuthorizer, model, route, userPool } from '../support/models.js';

const templated = (name: string, accountId: string) =>
  cognitoAuthorizer(name, [], { userPools: [userPool('us-east-1_Pool1', accountId)] });

describe('gatewayAccountId', () => {
  it('skips a user pool whose account is a template placeholder, taking the next real account', () => {
    const api = model({
      authorizers: [templated('A', '${AWS::AccountId}'), templated('B', '210987654321')],
      routes: [route('GET', '/a', 'A')],
    });
    expect(gatewayAccountId(api)).toBe('210987654321');
  });

  it('falls back to the stand-in account (the AWS documentation example) when every account is unknown', () => {
    const api = model({
      authorizers: [templated('A', '${AWS::AccountId}')],
      routes: [route('GET', '/a', 'A')],
    });
    expect(gatewayAccountId(api)).toBe(STAND_IN_ACCOUNT_ID);
    expect(STAND_IN_ACCOUNT_ID).toMatch(/^\d{12}$/);
  });
});
