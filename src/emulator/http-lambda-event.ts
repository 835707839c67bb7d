/**
 * The events an HTTP API hands to its Lambda authorizers (payload format 1.0 and 2.0), and the identity-source
 * values it reads from a request (`$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */

import { routeKeyOf } from '../model/parse.js';
import type { IdentitySource, PayloadFormat, Route } from '../model/types.js';
import {
  requestFields,
  resourceId,
  type GatewayIdentity,
  type RequestContext,
  type RequestFields,
} from './lambda-event.js';
import type { IncomingCall } from './types.js';

/** What the events are built from: the request, where it went, and the gateway's clock and identity. */
export interface HttpEventInput {
  call: IncomingCall;
  route: Route;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  /** The request path as sent, with the stage prefix (none for `$default`): `rawPath`, `http.path`. */
  fullPath: string;
  /** `arn:aws:execute-api:region:account:api/stage/METHOD/path`: routeArn (2.0) and methodArn (1.0). */
  routeArn: string;
  gateway: GatewayIdentity;
  nowMs: number;
}

export interface HttpAuthorizerEventV2 {
  version: '2.0';
  type: 'REQUEST';
  routeArn: string;
  identitySource: string[];
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
}

/** REST-shaped, with the identity values comma-joined, and a requestContext whose identity is HTTP's. */
export interface HttpAuthorizerEventV1 extends RequestFields {
  version: '1.0';
  type: 'REQUEST';
  methodArn: string;
  identitySource: string;
  authorizationToken: string;
  requestContext: Omit<RequestContext, 'identity'> & {
    identity: { apiKey: string | null; sourceIp: string; clientCert: null };
  };
}

export type HttpAuthorizerEvent = HttpAuthorizerEventV1 | HttpAuthorizerEventV2;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the `requestContext.time` format. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

/** Query parameters as payload 2.0 gives them: repeated names joined with commas. */
export function joinedQuery(rawQuery: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  }
  return query;
}

/** Header names lower-cased (payload 2.0); cookies go to `cookies`. */
function lowerHeaders(call: IncomingCall): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) {
    if (name !== 'cookie') headers[name] = value;
  }
  return headers;
}

/** The `$context.*` variables an identity source may name (a subset of the HTTP API's context variables). */
export function contextVariables(input: HttpEventInput): Record<string, string> {
  const { call, route, gateway, fullPath, nowMs } = input;
  const host = (call.headers.host ?? '').replace(/:\d+$/, '');
  return {
    accountId: gateway.accountId,
    apiId: gateway.apiId,
    domainName: host,
    domainPrefix: host.split('.')[0] ?? '',
    httpMethod: call.method,
    'identity.sourceIp': call.sourceIp,
    'identity.userAgent': call.headers['user-agent'] ?? '',
    path: fullPath,
    protocol: 'HTTP/1.1',
    requestId: call.requestId,
    requestTime: requestTime(nowMs),
    requestTimeEpoch: String(nowMs),
    routeKey: routeKeyOf(route),
    stage: gateway.stage,
  };
}

/**
 * The value of one identity source: headers case-insensitively, query strings case-sensitively (repeated names
 * comma-joined), stage variables, and context variables; undefined when absent.
 */
export function httpIdentityValue(input: HttpEventInput, source: IdentitySource): string | undefined {
  switch (source.location) {
    case 'header':
      return input.call.headers[source.name.toLowerCase()];
    case 'querystring':
      return joinedQuery(input.call.rawQuery)[source.name];
    case 'stageVariable':
      return input.stageVariables[source.name];
    case 'context':
      return contextVariables(input)[source.name.replace(/^context\./, '')];
  }
}

function nonEmpty(record: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}

/**
 * The authorizer event of the payload format: 2.0 with lower-case headers, `identitySource` as a list, `routeArn`
 * and `routeKey`; 1.0 REST-shaped, with the identity values comma-joined in `identitySource` and
 * `authorizationToken`. Fields 2.0 leaves out when empty (cookies, query, path parameters, stage variables) are
 * left out.
 */
export function buildHttpAuthorizerEvent(
  format: PayloadFormat,
  input: HttpEventInput,
  identityValues: readonly (string | undefined)[],
): HttpAuthorizerEvent {
  const { call, route, pathParameters, stageVariables, fullPath, routeArn, gateway, nowMs } = input;
  const routeKey = routeKeyOf(route);
  const present = identityValues.filter((v): v is string => v !== undefined && v !== '');
  if (format === '1.0') {
    return {
      version: '1.0',
      type: 'REQUEST',
      methodArn: routeArn,
      identitySource: present.join(','),
      authorizationToken: present.join(','),
      ...requestFields(call, route, fullPath, pathParameters, stageVariables),
      requestContext: {
        path: fullPath,
        accountId: gateway.accountId,
        resourceId: resourceId(routeKey),
        stage: gateway.stage,
        requestId: call.requestId,
        identity: { apiKey: call.headers['x-api-key'] ?? null, sourceIp: call.sourceIp, clientCert: null },
        resourcePath: route.path,
        httpMethod: call.method,
        apiId: gateway.apiId,
      },
    };
  }
  const context = contextVariables(input);
  const cookies = (call.headers.cookie ?? '')
    .split(/;\s*/)
    .map((c) => c.trim())
    .filter(Boolean);
  const query = nonEmpty(joinedQuery(call.rawQuery));
  const params = nonEmpty({ ...pathParameters });
  const stageVars = nonEmpty({ ...stageVariables });
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: present,
    routeKey,
    rawPath: fullPath,
    rawQueryString: call.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: lowerHeaders(call),
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: gateway.accountId,
      apiId: gateway.apiId,
      domainName: context.domainName ?? '',
      domainPrefix: context.domainPrefix ?? '',
      http: {
        method: call.method,
        path: fullPath,
        protocol: 'HTTP/1.1',
        sourceIp: call.sourceIp,
        userAgent: call.headers['user-agent'] ?? '',
      },
      requestId: call.requestId,
      routeKey,
      stage: gateway.stage,
      time: requestTime(nowMs),
      timeEpoch: nowMs,
    },
    ...(params ? { pathParameters: params } : {}),
    ...(stageVars ? { stageVariables: stageVars } : {}),
  };
}
