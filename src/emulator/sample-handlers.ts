/**
 * Built-in sample authorizer handlers, used by `serve` when the config names no handler for a Lambda authorizer.
 *
 * TOKEN: `allow*` -> Allow on every method, `deny*` -> explicit Deny, `unauthorized` -> 401, `fail` -> 500,
 * anything else -> 401. REQUEST: Allow when every identity source equals its `validIdentity` value, else 401.
 * HTTP_LAMBDA: the same comparison, answered as the authorizer's format wants it (`isAuthorized` with simple
 * responses, else an Allow or Deny policy over the whole stage), with the JSON-typed context
 * `{"sample": true, "identities": <number of sources>}`.
 */

import type { Authorizer } from '../model/types.js';
import type { AuthorizerSettings } from '../config/types.js';
import type { LambdaHandler } from './lambda-runtime.js';
import { identityValue, type RequestEvent, type TokenEvent } from './lambda-event.js';
import type { HttpAuthorizerEvent } from './http-lambda-event.js';

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

/**
 * The built-in HTTP API Lambda authorizer: allow when each identity value (in source order, from the event's
 * `identitySource`) equals its `validIdentity` entry. Payload 1.0 joins the values with commas, so a value that
 * itself contains a comma never matches there.
 */
export function sampleHttpLambdaHandler(authorizer: Authorizer, settings: AuthorizerSettings): LambdaHandler {
  const simple = authorizer.httpLambda?.payloadFormat === '2.0' && authorizer.httpLambda.simpleResponses;
  return async (event) => {
    const request = event as HttpAuthorizerEvent;
    const values = request.version === '2.0' ? request.identitySource : request.identitySource.split(',');
    const sources = authorizer.identitySources;
    const valid =
      sources.length > 0 &&
      values.length === sources.length &&
      sources.every((source, i) => {
        const expected = settings.validIdentity[source.expression];
        return expected !== undefined && values[i] === expected;
      });
    const context = { sample: true, identities: sources.length };
    if (simple) return { isAuthorized: valid, context };
    const arn = request.version === '2.0' ? request.routeArn : request.methodArn;
    return { ...(policy('sample-user', valid ? 'Allow' : 'Deny', arn) as object), context };
  };
}
