import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayResponse } from '../../src/model/types.js';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import {
  CONFIG_ERROR,
  EXPLICIT_DENY,
  FIXTURES,
  MISSING_TOKEN,
  UNAUTHORIZED,
  call,
  outcome,
} from './helpers.js';
import { config, model, route, tokenAuthorizer } from '../support/models.js';

/** The example export's gateway responses: CORS on every 4XX. */
const EXAMPLE_RESPONSES: GatewayResponse[] = [
  {
    type: 'DEFAULT_4XX',
    headers: [
      { name: 'Access-Control-Allow-Origin', value: '*' },
      { name: 'Access-Control-Allow-Headers', value: 'Content-Type,Authorization,X-Auth-Token,X-Tenant-Id' },
    ],
    templates: { 'application/json': '{"message":$context.error.messageString}' },
  },
  {
    type: 'DEFAULT_5XX',
    headers: [],
    templates: { 'application/json': '{"message":$context.error.messageString}' },
  },
];

const routes = [route('GET', '/orders', 'TokenAuth')];
const start = (gatewayResponses: GatewayResponse[]) =>
  startGateway({
    model: model({
      authorizers: [tokenAuthorizer('TokenAuth', { ttlSeconds: 0 })],
      routes,
      gatewayResponses,
    }),
    config: config({ TokenAuth: { handler: path.join(FIXTURES, 'behaviour.mjs') } }),
  });
const token = (value: string) => ({ headers: { 'X-Auth-Token': value } });

describe('DEFAULT_4XX with CORS headers (the example export)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await start(EXAMPLE_RESPONSES);
  });
  afterAll(() => gw.stop());

  it.each([
    ['a missing token (401)', {}, UNAUTHORIZED],
    ['an explicit deny (403)', token('allow-and-deny'), EXPLICIT_DENY],
  ])('puts the CORS headers on %s, body unchanged', async (_name, init: RequestInit, expected) => {
    const reply = await call(`${gw.url}/orders`, init);
    expect(outcome(reply)).toEqual(expected);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-headers')).toBe(
      'Content-Type,Authorization,X-Auth-Token,X-Tenant-Id',
    );
  });

  it('puts them on Missing Authentication Token too', async () => {
    const reply = await call(`${gw.url}/nowhere`);
    expect(outcome(reply)).toEqual(MISSING_TOKEN);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('does not put them on a 500 (DEFAULT_5XX has none)', async () => {
    const reply = await call(`${gw.url}/orders`, token('other-error'));
    expect(outcome(reply)).toEqual(CONFIG_ERROR);
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('customized gateway responses', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await start([
      ...EXAMPLE_RESPONSES,
      {
        type: 'UNAUTHORIZED',
        headers: [
          { name: 'Access-Control-Allow-Origin', reference: 'method.request.header.Origin' },
          { name: 'WWW-Authenticate', value: 'Token realm="orders"' },
        ],
        templates: {
          'application/json':
            '{"error":"$context.error.message","type":"$context.error.responseType","id":"$context.requestId"}',
        },
      },
      { type: 'MISSING_AUTHENTICATION_TOKEN', statusCode: 404, headers: [], templates: {} },
    ]);
  });
  afterAll(() => gw.stop());

  it('renders a customized UNAUTHORIZED: its own headers (references resolved) and template', async () => {
    const reply = await call(`${gw.url}/orders`, { headers: { Origin: 'https://app.example.com' } });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      error: 'Unauthorized',
      type: 'UNAUTHORIZED',
      id: reply.headers.get('x-amzn-requestid'),
    });
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(reply.headers.get('www-authenticate')).toBe('Token realm="orders"');
    // A customized type does not inherit DEFAULT_4XX headers.
    expect(reply.headers.get('access-control-allow-headers')).toBeNull();
    expect(reply.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
  });

  it('keeps the error type on a customized status', async () => {
    const reply = await call(`${gw.url}/nowhere`);
    expect(reply.status).toBe(404);
    expect(reply.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(reply.body).toEqual({ message: 'Missing Authentication Token' });
  });

  it('still applies DEFAULT_4XX to the uncustomized ACCESS_DENIED', async () => {
    const reply = await call(`${gw.url}/orders`, token('deny-only-other'));
    expect(reply.status).toBe(403);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('DEFAULT_4XX status', () => {
  it('changes the status of every uncustomized 4XX', async () => {
    const gw = await start([{ type: 'DEFAULT_4XX', statusCode: 400, headers: [], templates: {} }]);
    try {
      expect((await call(`${gw.url}/orders`)).status).toBe(400);
      expect((await call(`${gw.url}/nowhere`)).status).toBe(400);
      expect((await call(`${gw.url}/orders`, token('other-error'))).status).toBe(500);
    } finally {
      await gw.stop();
    }
  });
});
