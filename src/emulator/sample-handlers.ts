/**
 * Built-in sample authorizer handlers, used by `serve` when the config names no handler for a Lambda authorizer.
 *
 * TOKEN: `allow*` -> Allow on every method, `deny*` -> explicit Deny, `unauthorized` -> 401, `fail` -> 500,
 * anything else -> 401. REQUEST: Allow when every identity source equals its `validIdentity` value, else 401.
 */

import type { Authorizer } from '../model/types.js';
import type { AuthorizerSettings } from '../config/types.js';
import type { LambdaHandler } from './lambda-runtime.js';
import { identityValue, type RequestEvent, type TokenEvent } from './lambda-event.js';

/** `arn:aws:execute-api:region:account:api/stage/*\/*`: every method and path of the stage. */
function wholeStage(methodArn: string): string {
  const [apiAndStage = '', stage = ''] = methodArn.split('/');
  return `${apiAndStage}/${stage}/*/*`;
}

function policy(principalId: string, effect: 'Allow' | 'Deny', methodArn: string): unknown {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: wholeStage(methodArn) }],
    },
    context: { sample: 'true' },
  };
}

export function sampleTokenHandler(): LambdaHandler {
  return async (event) => {
    const { authorizationToken: token, methodArn } = event as TokenEvent;
    if (token.startsWith('allow')) return policy('sample-user', 'Allow', methodArn);
    if (token.startsWith('deny')) return policy('sample-user', 'Deny', methodArn);
    if (token === 'fail') throw new Error('sample authorizer failure');
    throw new Error('Unauthorized');
  };
}

export function sampleRequestHandler(authorizer: Authorizer, settings: AuthorizerSettings): LambdaHandler {
  return async (event) => {
    const request = event as RequestEvent;
    const valid = authorizer.identitySources.every((source) => {
      const expected = settings.validIdentity[source.expression];
      return expected !== undefined && identityValue(request, source) === expected;
    });
    if (!valid) throw new Error('Unauthorized');
    return policy('sample-user', 'Allow', request.methodArn);
  };
}
