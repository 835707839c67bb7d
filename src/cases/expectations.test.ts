import { describe, expect, it } from 'vitest';
import type { AuthModel, GatewayResponse } from '../model/types.js';
import { DEFAULT_TEMPLATE, REJECT, rejected } from './expectations.js';
import type { Rejection } from './expectations.js';
import { petstoreModel } from './test-models.js';

const ACAO = 'Access-Control-Allow-Origin';

function model(gatewayResponses: GatewayResponse[], allowOrigin?: string): AuthModel {
  return {
    ...petstoreModel(),
    gatewayResponses,
    ...(allowOrigin === undefined ? { cors: undefined } : { cors: { allowOrigin } }),
  };
}

function response(type: GatewayResponse['type'], extra: Partial<GatewayResponse> = {}): GatewayResponse {
  return { type, headers: [], templates: { 'application/json': DEFAULT_TEMPLATE }, ...extra };
}

const star = { name: ACAO, value: '*' };

describe('rejected', () => {
  const table: {
    name: string;
    model: AuthModel;
    alternatives: Rejection[];
    statuses: number[];
    messages: string[];
    errorType?: string;
    headers: { name: string; value: string }[];
    corsMissing?: boolean;
    messagePrefix?: string;
  }[] = [
    {
      name: 'defaults, no CORS',
      model: model([]),
      alternatives: [REJECT.unauthorized],
      statuses: [401],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
      headers: [],
    },
    {
      name: 'CORS on methods but in no gateway response: expected anyway, flagged',
      model: model([], 'https://app.example.com'),
      alternatives: [REJECT.unauthorized],
      statuses: [401],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
      headers: [{ name: ACAO, value: 'https://app.example.com' }],
      corsMissing: true,
    },
    {
      name: 'CORS from DEFAULT_4XX applies to 401 and 403',
      model: model([response('DEFAULT_4XX', { headers: [star] })], '*'),
      alternatives: [REJECT.explicitDeny],
      statuses: [403],
      messages: ['User is not authorized to access this resource with an explicit deny'],
      errorType: 'AccessDeniedException',
      headers: [star],
    },
    {
      name: 'customized UNAUTHORIZED status, default body',
      model: model([response('UNAUTHORIZED', { statusCode: 403 })]),
      alternatives: [REJECT.unauthorized],
      statuses: [403],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
      headers: [],
    },
    {
      name: 'DEFAULT_4XX status: UNAUTHORIZED accepts both (no fallback sentence)',
      model: model([response('DEFAULT_4XX', { statusCode: 400 })]),
      alternatives: [REJECT.unauthorized],
      statuses: [401, 400],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
      headers: [],
    },
    {
      name: 'DEFAULT_4XX status changes MISSING_AUTHENTICATION_TOKEN',
      model: model([response('DEFAULT_4XX', { statusCode: 400 })]),
      alternatives: [REJECT.missingToken],
      statuses: [400],
      messages: ['Missing Authentication Token'],
      errorType: 'MissingAuthenticationTokenException',
      headers: [],
    },
    {
      name: 'own status wins over DEFAULT_4XX status',
      model: model([
        response('DEFAULT_4XX', { statusCode: 400 }),
        response('ACCESS_DENIED', { statusCode: 404 }),
      ]),
      alternatives: [REJECT.explicitDeny],
      statuses: [404],
      messages: ['User is not authorized to access this resource with an explicit deny'],
      errorType: 'AccessDeniedException',
      headers: [],
    },
    {
      name: 'custom DEFAULT_4XX template: message and prefix not checked',
      model: model([response('DEFAULT_4XX', { templates: { 'application/json': '{"error":"denied"}' } })]),
      alternatives: [REJECT.signatureMismatch],
      statuses: [403],
      messages: [],
      headers: [],
    },
    {
      name: 'customized response without a JSON template: message not checked',
      model: model([response('UNAUTHORIZED', { templates: {} })]),
      alternatives: [REJECT.unauthorized],
      statuses: [401],
      messages: [],
      errorType: 'UnauthorizedException',
      headers: [],
    },
    {
      name: 'default template written with spaces is still the default',
      model: model([
        response('DEFAULT_4XX', {
          templates: { 'application/json': '{ "message" : $context.error.messageString }' },
        }),
      ]),
      alternatives: [REJECT.signatureMismatch],
      statuses: [403],
      messages: [],
      messagePrefix: 'The request signature we calculated does not match the signature you provided',
      headers: [],
    },
    {
      name: 'customized UNAUTHORIZED without CORS hides DEFAULT_4XX CORS',
      model: model([response('DEFAULT_4XX', { headers: [star] }), response('UNAUTHORIZED')], '*'),
      alternatives: [REJECT.unauthorized],
      statuses: [401],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
      headers: [star],
      corsMissing: true,
    },
    {
      name: 'CORS header by reference: value not asserted',
      model: model(
        [response('DEFAULT_4XX', { headers: [{ name: ACAO, reference: 'method.request.header.Origin' }] })],
        '*',
      ),
      alternatives: [REJECT.unauthorized],
      statuses: [401],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
      headers: [],
    },
    {
      name: 'alternatives: union of statuses and messages, no error type',
      model: model([response('DEFAULT_4XX', { headers: [star] })], '*'),
      alternatives: [REJECT.unauthorized, REJECT.notAuthorized],
      statuses: [401, 403],
      messages: ['Unauthorized', 'User is not authorized to access this resource'],
      headers: [star],
    },
    {
      name: 'alternatives answered with different CORS values: header not asserted',
      model: model(
        [
          response('DEFAULT_4XX', { headers: [star] }),
          response('ACCESS_DENIED', { headers: [{ name: ACAO, value: 'https://app.example.com' }] }),
        ],
        '*',
      ),
      alternatives: [REJECT.unauthorized, REJECT.notAuthorized],
      statuses: [401, 403],
      messages: ['Unauthorized', 'User is not authorized to access this resource'],
      headers: [],
    },
    {
      name: 'a status moved out of 4XX carries no CORS expectation',
      model: model([response('UNAUTHORIZED', { statusCode: 302 })], '*'),
      alternatives: [REJECT.unauthorized],
      statuses: [302],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
      headers: [],
    },
  ];

  it.each(table)('$name', (row) => {
    const { expect: expectation, corsMissingInGatewayResponses } = rejected(row.model, row.alternatives);
    expect(expectation).toEqual({
      outcome: 'rejected',
      statuses: row.statuses,
      messages: row.messages,
      ...(row.messagePrefix === undefined ? {} : { messagePrefix: row.messagePrefix }),
      ...(row.errorType === undefined ? {} : { errorType: row.errorType }),
      headers: row.headers,
    });
    expect(corsMissingInGatewayResponses).toBe(row.corsMissing ?? false);
  });
});
