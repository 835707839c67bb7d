/**
 * The events API Gateway hands to Lambda authorizers, and the identity-source values it reads from a request.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */

import { createHash } from 'node:crypto';
import type { IdentitySource, Route } from '../model/types.js';
import type { IncomingCall } from './types.js';

export interface GatewayIdentity {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
}

export interface TokenEvent {
  type: 'TOKEN';
  authorizationToken: string;
  methodArn: string;
}

export interface RequestContext {
  path: string;
  accountId: string;
  resourceId: string;
  stage: string;
  requestId: string;
  identity: Record<string, string | null>;
  resourcePath: string;
  httpMethod: string;
  apiId: string;
}

/** The request as REST REQUEST events give it; HTTP payload 1.0 events are REST-shaped and give it too. */
export interface RequestFields {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
}

export interface RequestEvent extends RequestFields {
  type: 'REQUEST';
  methodArn: string;
  requestContext: RequestContext;
}

/** A stable 6-character resource id derived from a route's path template or key (no randomness). */
export function resourceId(template: string): string {
  return createHash('sha256').update(template).digest('hex').slice(0, 6);
}

/**
 * The request fields of a REQUEST-shaped event; `path` is the one the kind reports (REST without the stage, HTTP
 * payload 1.0 as sent). Header names as the client spelled them.
 */
export function requestFields(
  call: IncomingCall,
  route: Route,
  path: string,
  pathParameters: Record<string, string>,
  stageVariables: Record<string, string>,
): RequestFields {
  return {
    resource: route.path,
    path,
    httpMethod: call.method,
    headers: { ...call.rawHeaders },
    queryStringParameters: { ...call.query },
    pathParameters: { ...pathParameters },
    stageVariables: { ...stageVariables },
  };
}

/** The `requestContext` of a REQUEST event; also what `context.*` identity sources read. */
export function buildRequestContext(call: IncomingCall, route: Route, gw: GatewayIdentity): RequestContext {
  return {
    path: call.path,
    accountId: gw.accountId,
    resourceId: resourceId(route.path),
    stage: gw.stage,
    requestId: call.requestId,
    identity: {
      apiKey: call.headers['x-api-key'] ?? null,
      sourceIp: call.sourceIp,
      userAgent: call.headers['user-agent'] ?? null,
      accountId: null,
      caller: null,
      user: null,
      userArn: null,
    },
    resourcePath: route.path,
    httpMethod: call.method,
    apiId: gw.apiId,
  };
}

export function buildRequestEvent(
  call: IncomingCall,
  route: Route,
  pathParameters: Record<string, string>,
  stageVariables: Record<string, string>,
  methodArn: string,
  gw: GatewayIdentity,
): RequestEvent {
  return {
    type: 'REQUEST',
    methodArn,
    ...requestFields(call, route, call.path, pathParameters, stageVariables),
    requestContext: buildRequestContext(call, route, gw),
  };
}

function lookupHeader(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : headers[key];
}

function lookupPath(root: unknown, dotted: string): string | undefined {
  let node: unknown = root;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' || typeof node === 'number' ? String(node) : undefined;
}

/**
 * The value of one identity source in a REQUEST event. Header names are matched case-insensitively (HTTP
 * semantics; REST's own case handling is unsettled), query strings case-sensitively; `context.x.y` reads the
 * requestContext.
 */
export function identityValue(event: RequestEvent, source: IdentitySource): string | undefined {
  switch (source.location) {
    case 'header':
      return lookupHeader(event.headers, source.name);
    case 'querystring':
      return event.queryStringParameters[source.name];
    case 'stageVariable':
      return event.stageVariables[source.name];
    case 'context':
      return lookupPath(event.requestContext, source.name.replace(/^context\./, ''));
  }
}
