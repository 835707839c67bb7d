import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthorizerSettings, ProjectConfig } from '../../src/config/types.js';
import { defaultAuthorizerSettings } from '../../src/config/types.js';
import type { Authorizer, AuthModel, Route, RouteMethod } from '../../src/model/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.join(here, 'fixtures');
export const EXAMPLE_HANDLERS = path.resolve(here, '../../examples/authorizers');

export const API_ID = 'a1b2c3d4e5';
export const ACCOUNT = '123456789012';
export const ARN_PREFIX = `arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/prod`;

export function tokenAuthorizer(name: string, extra: Partial<Authorizer> = {}): Authorizer {
  return {
    name,
    kind: 'TOKEN',
    identitySources: [
      { location: 'header', name: 'X-Auth-Token', expression: 'method.request.header.X-Auth-Token' },
    ],
    ttlSeconds: 300,
    userPools: [],
    lambdaUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}/invocations`,
    ...extra,
  };
}

export function requestAuthorizer(name: string, extra: Partial<Authorizer> = {}): Authorizer {
  return {
    name,
    kind: 'REQUEST',
    identitySources: [
      { location: 'header', name: 'X-Tenant-Id', expression: 'method.request.header.X-Tenant-Id' },
      { location: 'querystring', name: 'apiVersion', expression: 'method.request.querystring.apiVersion' },
      { location: 'stageVariable', name: 'authStage', expression: 'stageVariables.authStage' },
    ],
    ttlSeconds: 300,
    userPools: [],
    ...extra,
  };
}

export function route(
  method: RouteMethod,
  routePath: string,
  authorizer?: string,
  scopes: string[] = [],
): Route {
  return {
    method,
    path: routePath,
    authorization: authorizer ? { type: 'AUTHORIZER', authorizer, scopes } : { type: 'NONE' },
    apiKeyRequired: false,
  };
}

export function model(parts: Partial<AuthModel> & Pick<AuthModel, 'authorizers' | 'routes'>): AuthModel {
  return {
    api: { id: API_ID, name: 'lab', region: 'us-east-1' },
    stage: {
      name: 'prod',
      baseUrl: `https://${API_ID}.execute-api.us-east-1.amazonaws.com/prod`,
      variables: {},
    },
    gatewayResponses: [],
    ...parts,
  };
}

export function config(
  authorizers: Record<string, Partial<AuthorizerSettings>> = {},
  extra: Partial<ProjectConfig> = {},
): ProjectConfig {
  return {
    baseDir: here,
    publicRoutes: [],
    depth: 'standard',
    pathParameters: {},
    stageVariables: {},
    authorizers: Object.fromEntries(
      Object.entries(authorizers).map(([name, s]) => [name, { ...defaultAuthorizerSettings(), ...s }]),
    ),
    ...extra,
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: Record<string, unknown> | undefined;
}

/** fetch + read the body once; never throws on non-2xx. */
export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** The parts of an answer that the AWS contract fixes. */
export function outcome(reply: Reply): { status: number; body: string; errorType: string | null } {
  return { status: reply.status, body: reply.text, errorType: reply.headers.get('x-amzn-errortype') };
}

export const UNAUTHORIZED = {
  status: 401,
  body: '{"message":"Unauthorized"}',
  errorType: 'UnauthorizedException',
};
export const EXPLICIT_DENY = {
  status: 403,
  body: '{"Message":"User is not authorized to access this resource with an explicit deny in an identity-based policy"}',
  errorType: 'AccessDeniedException',
};
export const IMPLICIT_DENY = {
  status: 403,
  body:
    '{"Message":"User is not authorized to access this resource because no identity-based policy allows the ' +
    'execute-api:Invoke action"}',
  errorType: 'AccessDeniedException',
};
export const CONFIG_ERROR = {
  status: 500,
  body: '{"message":null}',
  errorType: 'AuthorizerConfigurationException',
};
export const MISSING_TOKEN = {
  status: 403,
  body: '{"message":"Missing Authentication Token"}',
  errorType: 'MissingAuthenticationTokenException',
};
