import { describe, expect, it } from 'vitest';
import { AWS_RESPONSE_TEXTS } from '../aws-responses.js';
import type { AuthModel, GatewayResponse } from '../model/types.js';
import {
  DEFAULT_TEMPLATE,
  REJECT,
  corsExpectation,
  rejected,
  rejectionOf,
  withOverride,
} from './expectations.js';
import type { Rejection } from './expectations.js';
import { petstoreModel } from '../../test/support/models.js';

const ACAO = 'Access-Control-Allow-Origin';
const EXPLICIT = AWS_RESPONSE_TEXTS.explicitDeny.variants;
const IMPLICIT = AWS_RESPONSE_TEXTS.implicitDeny.variants;
const SIGNATURE = AWS_RESPONSE_TEXTS.signatureMismatch;

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

describe('rejectionOf', () => {
  it.each(Object.keys(AWS_RESPONSE_TEXTS) as (keyof typeof AWS_RESPONSE_TEXTS)[])(
    '%s carries every variant, the type, status and error type of its entry',
    (id) => {
      const text = AWS_RESPONSE_TEXTS[id];
      const rejection = rejectionOf(id);
      expect(rejection).toMatchObject({ id, type: text.type, status: text.status, messages: text.variants });
      expect(rejection.errorType).toBe('errorType' in text ? text.errorType : undefined);
      expect(rejection.messagePrefix).toBe('prefix' in text ? text.prefix : undefined);
    },
  );
});

describe('rejected', () => {
  const table: {
    name: string;
    model: AuthModel;
    alternatives: Rejection[];
    statuses: number[];
    messages: (string | null)[];
    errorType?: string;
    messagePrefix?: string;
  }[] = [
    {
      name: 'defaults',
      model: model([]),
      alternatives: [REJECT.unauthorized],
      statuses: [401],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
    },
    {
      name: 'explicit deny: both wordings, exactly, never the implicit ones',
      model: model([]),
      alternatives: [REJECT.explicitDeny],
      statuses: [403],
      messages: [...EXPLICIT],
      errorType: 'AccessDeniedException',
    },
    {
      name: 'customized UNAUTHORIZED status, default body',
      model: model([response('UNAUTHORIZED', { statusCode: 403 })]),
      alternatives: [REJECT.unauthorized],
      statuses: [403],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
    },
    {
      name: 'DEFAULT_4XX status: UNAUTHORIZED accepts both (no fallback sentence)',
      model: model([response('DEFAULT_4XX', { statusCode: 400 })]),
      alternatives: [REJECT.unauthorized],
      statuses: [401, 400],
      messages: ['Unauthorized'],
      errorType: 'UnauthorizedException',
    },
    {
      name: 'DEFAULT_4XX status changes MISSING_AUTHENTICATION_TOKEN',
      model: model([response('DEFAULT_4XX', { statusCode: 400 })]),
      alternatives: [REJECT.missingToken],
      statuses: [400],
      messages: ['Missing Authentication Token'],
      errorType: 'MissingAuthenticationTokenException',
    },
    {
      name: 'own status wins over DEFAULT_4XX status',
      model: model([
        response('DEFAULT_4XX', { statusCode: 400 }),
        response('ACCESS_DENIED', { statusCode: 404 }),
      ]),
      alternatives: [REJECT.explicitDeny],
      statuses: [404],
      messages: [...EXPLICIT],
      errorType: 'AccessDeniedException',
    },
    {
      name: 'custom DEFAULT_4XX template: message and prefix not checked',
      model: model([response('DEFAULT_4XX', { templates: { 'application/json': '{"error":"denied"}' } })]),
      alternatives: [REJECT.signatureMismatch],
      statuses: [403],
      messages: [],
    },
    {
      name: 'customized response without a JSON template: message not checked',
      model: model([response('UNAUTHORIZED', { templates: {} })]),
      alternatives: [REJECT.unauthorized],
      statuses: [401],
      messages: [],
      errorType: 'UnauthorizedException',
    },
    {
      name: 'default template written with spaces is still the default; SigV4 text by prefix too',
      model: model([
        response('DEFAULT_4XX', {
          templates: { 'application/json': '{ "message" : $context.error.messageString }' },
        }),
      ]),
      alternatives: [REJECT.signatureMismatch],
      statuses: [403],
      messages: [...SIGNATURE.variants],
      messagePrefix: SIGNATURE.prefix,
    },
    {
      name: 'alternatives: union of statuses and messages, no error type',
      model: model([]),
      alternatives: [REJECT.unauthorized, REJECT.implicitDeny, REJECT.explicitDeny],
      statuses: [401, 403],
      messages: ['Unauthorized', ...IMPLICIT, ...EXPLICIT],
    },
    {
      name: 'an alternative without a wording (unprotected routes): message not checked',
      model: model([]),
      alternatives: [REJECT.unauthorized, { type: 'ACCESS_DENIED', status: 403 }],
      statuses: [401, 403],
      messages: [],
    },
  ];

  it.each(table)('$name', (row) => {
    expect(rejected(row.model, row.alternatives)).toEqual({
      outcome: 'rejected',
      statuses: row.statuses,
      messages: row.messages,
      ...(row.messagePrefix === undefined ? {} : { messagePrefix: row.messagePrefix }),
      ...(row.errorType === undefined ? {} : { errorType: row.errorType }),
      headers: [],
    });
  });

  it('never asserts CORS: that is the CORS cases', () => {
    const withCors = model([response('DEFAULT_4XX', { headers: [star] })], '*');
    expect(rejected(withCors, [REJECT.unauthorized]).headers).toEqual([]);
  });
});

describe('withOverride (config expectations:)', () => {
  it('messages replace the variants and drop the prefix; status and error type are pinned', () => {
    const pinned = withOverride(REJECT.signatureMismatch, {
      signatureMismatch: {
        messages: ['Signature mismatch'],
        status: 400,
        errorType: 'InvalidSignatureException',
      },
    });
    expect(pinned).toEqual({
      id: 'signatureMismatch',
      type: 'INVALID_SIGNATURE',
      status: 400,
      messages: ['Signature mismatch'],
      errorType: 'InvalidSignatureException',
    });
  });

  it('leaves other entries and unset fields alone', () => {
    const overrides = { explicitDeny: { errorType: 'Denied' } };
    expect(withOverride(REJECT.unauthorized, overrides)).toBe(REJECT.unauthorized);
    const deny = withOverride(REJECT.explicitDeny, overrides);
    expect(deny.messages).toEqual(EXPLICIT);
    expect(deny.errorType).toBe('Denied');
    expect(withOverride(REJECT.signatureMismatch, { signatureMismatch: { status: 401 } }).messagePrefix).toBe(
      SIGNATURE.prefix,
    );
  });
});

describe('corsExpectation', () => {
  it.each([
    ['no CORS on the API', model([]), 'UNAUTHORIZED', 401, { kind: 'none' }],
    [
      'CORS on methods but in no gateway response: the API origin, flagged',
      model([], 'https://app.example.com'),
      'UNAUTHORIZED',
      401,
      { kind: 'value', value: 'https://app.example.com', fromModel: true },
    ],
    [
      'DEFAULT_4XX header applies to ACCESS_DENIED',
      model([response('DEFAULT_4XX', { headers: [star] })], '*'),
      'ACCESS_DENIED',
      403,
      { kind: 'value', value: '*', fromModel: false },
    ],
    [
      'a customized UNAUTHORIZED without the header hides DEFAULT_4XX',
      model([response('DEFAULT_4XX', { headers: [star] }), response('UNAUTHORIZED')], 'https://a.example'),
      'UNAUTHORIZED',
      401,
      { kind: 'value', value: 'https://a.example', fromModel: true },
    ],
    [
      'a reference: only presence is certain',
      model(
        [response('DEFAULT_4XX', { headers: [{ name: ACAO, reference: 'method.request.header.Origin' }] })],
        '*',
      ),
      'UNAUTHORIZED',
      401,
      { kind: 'present' },
    ],
    [
      'a status moved out of 4XX',
      model([response('UNAUTHORIZED', { statusCode: 302 })], '*'),
      'UNAUTHORIZED',
      302,
      { kind: 'none' },
    ],
  ] as const)('%s', (_name, m, type, status, expected) => {
    expect(corsExpectation(m, type, status)).toEqual(expected);
  });
});
