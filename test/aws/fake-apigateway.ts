/**
 * A local fake of the API Gateway (v1) control plane for tests: an HTTP server on 127.0.0.1 that speaks the REST
 * wire format the real service sends to the SDK (`item` pages with `position`, `x-amzn-ErrorType` errors), so the
 * SDK's own serialization, signing, pagination, deserialization and retries all run. Point a client at it with
 * `endpoint: fake.url` or `AWS_ENDPOINT_URL_API_GATEWAY`.
 *
 * It enforces the documented quotas (GetResources 5 requests every 2 s, 10 requests per second overall; past
 * them: 429 TooManyRequestsException with Retry-After), records every call, and injects faults on demand (the core
 * it shares with the v2 fake: fake-control-plane.ts). Reusable by other test suites: only `node:` modules.
 */

import {
  FakeControlPlane,
  HttpError,
  nextPageToken,
  pageOffset,
  type ControlPlaneOptions,
  type FakeReply,
  type OperationRule,
  type QuotaRule,
  type QuotaWindow,
} from './fake-control-plane.js';

export interface FakeAuthorizer {
  id: string;
  name: string;
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | 'JWT';
  providerARNs?: string[];
  /** JWT only: `{defaultAlgorithms, issuers}` as the service sends it. */
  jwtConfiguration?: unknown;
  authType?: string;
  authorizerUri?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
}

export interface FakeMethod {
  httpMethod: string;
  authorizationType: 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'JWT';
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired?: boolean;
  methodResponses?: Record<string, { statusCode: string; responseParameters?: Record<string, boolean> }>;
  methodIntegration?: {
    type: string;
    integrationResponses?: Record<
      string,
      { statusCode: string; responseParameters?: Record<string, string> }
    >;
  };
}

export interface FakeResource {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods?: Record<string, FakeMethod>;
}

export interface FakeGatewayResponse {
  responseType: string;
  statusCode?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
}

export interface FakeStage {
  deploymentId: string;
  variables?: Record<string, string>;
  /** What GetExport returns for the stage: the deployed view (an OpenAPI 3 document). */
  exportDocument: unknown;
}

/** What a Lambda authorizer decides in TestInvokeAuthorizer. */
export type FakeLambdaDecision = 'Allow' | 'Deny' | 'Unauthorized' | 'Fail';

export interface FakeLambdaEvent {
  type: 'TOKEN' | 'REQUEST';
  authorizationToken?: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  stageVariables: Record<string, string>;
}

export interface FakeRestApi {
  id: string;
  name: string;
  authorizers: FakeAuthorizer[];
  resources: FakeResource[];
  /** Only the customized ones; the fake lists every other type as a default response. */
  gatewayResponses: FakeGatewayResponse[];
  stages: Record<string, FakeStage>;
  /** TestInvokeAuthorizer: the Lambda behind each authorizer id. Default: always Unauthorized. */
  lambdas?: Record<string, (event: FakeLambdaEvent) => FakeLambdaDecision>;
}

export interface FakeOptions extends ControlPlaneOptions {
  apis: FakeRestApi[];
  /** Default: the real quotas; `false` turns enforcement off. */
  quotas?: { getResources: QuotaWindow; overall: QuotaWindow } | false;
  /** GetAuthorizers leaves out `jwtConfiguration` (as a service that does not return it would). */
  hideJwtConfiguration?: boolean;
}

export const REAL_QUOTAS = {
  getResources: { limit: 5, windowMs: 2000 },
  overall: { limit: 10, windowMs: 1000 },
};

const DEFAULT_STATUS: Record<string, string | undefined> = {
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_PARAMETERS: '400',
  BAD_REQUEST_BODY: '400',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
  ACCESS_DENIED_BY_RESOURCE_POLICY: '403',
};

const CORAL = ':http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/';
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

/** The fake control plane. `await FakeApiGateway.start(options)`; always `await fake.stop()`. */
export class FakeApiGateway extends FakeControlPlane<FakeOptions> {
  protected readonly errorTypeSuffix = CORAL;

  static start(options: FakeOptions): Promise<FakeApiGateway> {
    return new FakeApiGateway(options).listen();
  }

  api(id: string): FakeRestApi {
    const api = this.options.apis.find((candidate) => candidate.id === id);
    if (!api) throw new Error(`no fake API ${id}`);
    return api;
  }

  protected readonly operations = OPERATIONS;

  protected accessDeniedMessage(operation: string, path: string): string {
    const verb = operation.startsWith('TestInvoke') ? 'POST' : 'GET';
    return `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: apigateway:${verb} on resource: arn:aws:apigateway:${this.options.region ?? 'us-east-1'}::${path}`;
  }

  protected quotaRules(): QuotaRule[] {
    if (this.options.quotas === false) return [];
    const quotas = this.options.quotas ?? REAL_QUOTAS;
    return [{ operation: 'GetResources', ...quotas.getResources }, quotas.overall];
  }

  protected route(operation: string, path: string, query: Record<string, string>, body: string): FakeReply {
    const segments = path.split('/').filter(Boolean);
    const apiId = segments[1] ?? '';
    const findApi = (): FakeRestApi => {
      const api = this.options.apis.find((candidate) => candidate.id === apiId);
      if (!api)
        throw new HttpError(
          404,
          'NotFoundException',
          `Invalid API identifier specified 123456789012:${apiId}`,
        );
      return api;
    };
    const findStage = (api: FakeRestApi, name: string): FakeStage => {
      const stage = api.stages[name];
      if (!stage) throw new HttpError(404, 'NotFoundException', 'Invalid stage identifier specified');
      return stage;
    };
    switch (operation) {
      case 'GetRestApis':
        return page(
          this.options.apis.map((api) => ({
            id: api.id,
            name: api.name,
            createdDate: 1714557600,
            apiKeySource: 'HEADER',
          })),
          query,
          '/restapis',
        );
      case 'GetAuthorizers':
        return page(
          findApi().authorizers.map(({ jwtConfiguration, ...rest }) =>
            this.options.hideJwtConfiguration || jwtConfiguration === undefined
              ? rest
              : { ...rest, jwtConfiguration },
          ),
          query,
          `/restapis/${apiId}/authorizers`,
        );
      case 'GetResources': {
        const api = findApi();
        const embed = query.embed === 'methods';
        const items = api.resources.map((resource) => ({
          ...resource,
          ...(resource.resourceMethods
            ? {
                resourceMethods: Object.fromEntries(
                  Object.entries(resource.resourceMethods).map(([verb, method]) => [
                    verb,
                    embed ? method : {},
                  ]),
                ),
              }
            : {}),
        }));
        return page(items, query, `/restapis/${apiId}/resources`);
      }
      case 'GetStage': {
        const api = findApi();
        const name = segments[3] ?? '';
        const stage = findStage(api, name);
        return {
          body: {
            deploymentId: stage.deploymentId,
            stageName: name,
            cacheClusterEnabled: false,
            cacheClusterStatus: 'NOT_AVAILABLE',
            methodSettings: {},
            variables: stage.variables,
            tracingEnabled: false,
            createdDate: 1714557600,
            lastUpdatedDate: 1714557600,
          },
        };
      }
      case 'GetGatewayResponses': {
        const api = findApi();
        const items = Object.keys(DEFAULT_STATUS)
          .sort()
          .map((type) => {
            const custom = api.gatewayResponses.find((response) => response.responseType === type);
            if (custom)
              return { responseParameters: {}, responseTemplates: {}, ...custom, defaultResponse: false };
            const status = DEFAULT_STATUS[type];
            return {
              responseType: type,
              ...(status ? { statusCode: status } : {}),
              responseParameters: {},
              responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
              defaultResponse: true,
            };
          });
        // GetGatewayResponses ignores `position`: every type in one page.
        return { body: { _links: { self: { href: `/restapis/${apiId}/gatewayresponses` } }, item: items } };
      }
      case 'GetExport': {
        const api = findApi();
        const stage = findStage(api, segments[3] ?? '');
        if (segments[5] !== 'oas30' && segments[5] !== 'swagger') {
          throw new HttpError(400, 'BadRequestException', `Invalid export type ${segments[5] ?? ''}`);
        }
        return {
          body: stage.exportDocument,
          headers: { 'Content-Disposition': `attachment; filename="${segments[5]}.json"` },
        };
      }
      case 'TestInvokeAuthorizer':
        return { body: this.testInvoke(findApi(), segments[3] ?? '', body) };
      default:
        throw new HttpError(404, 'NotFoundException', `The fake does not implement ${operation} ${path}`);
    }
  }

  private testInvoke(api: FakeRestApi, authorizerId: string, rawBody: string): Record<string, unknown> {
    const authorizer = api.authorizers.find((candidate) => candidate.id === authorizerId);
    if (!authorizer) throw new HttpError(404, 'NotFoundException', 'Invalid authorizer identifier specified');
    if (authorizer.type === 'COGNITO_USER_POOLS' || authorizer.type === 'JWT') {
      throw new HttpError(
        400,
        'BadRequestException',
        'The fake does not test-invoke Cognito or JWT authorizers',
      );
    }
    const input = JSON.parse(rawBody || '{}') as {
      headers?: Record<string, string>;
      pathWithQueryString?: string;
      stageVariables?: Record<string, string>;
    };
    const headers = lowerKeys(input.headers ?? {});
    const queryStringParameters = Object.fromEntries(
      new URL(input.pathWithQueryString ?? '/', 'http://fake').searchParams.entries(),
    );
    const stageVariables = input.stageVariables ?? {};
    const sources = (authorizer.identitySource ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const valueOf = (expression: string): string | undefined => {
      const [prefix, name = ''] = splitSource(expression);
      if (prefix === 'method.request.header.') return headers[name.toLowerCase()];
      if (prefix === 'method.request.querystring.') return queryStringParameters[name];
      if (prefix === 'stageVariables.') return stageVariables[name];
      return undefined;
    };
    const unauthorized = {
      clientStatus: 401,
      latency: 1,
      log: 'Execution log for request test-request\nUnauthorized',
    };
    const event: FakeLambdaEvent = { type: authorizer.type, headers, queryStringParameters, stageVariables };
    if (authorizer.type === 'TOKEN') {
      const token = sources[0] ? valueOf(sources[0]) : undefined;
      if (!token) return unauthorized;
      if (
        authorizer.identityValidationExpression &&
        !new RegExp(authorizer.identityValidationExpression).test(token)
      ) {
        return unauthorized;
      }
      event.authorizationToken = token;
    } else if (
      (authorizer.authorizerResultTtlInSeconds ?? 300) > 0 &&
      sources.some((source) => !valueOf(source))
    ) {
      return unauthorized;
    }
    const decision = api.lambdas?.[authorizerId]?.(event) ?? 'Unauthorized';
    if (decision === 'Unauthorized') return { ...unauthorized, latency: 12 };
    if (decision === 'Fail')
      return { clientStatus: 500, latency: 15, log: 'Execution failed due to configuration error' };
    const region = this.options.region ?? 'us-east-1';
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: decision,
          Resource: [`arn:aws:execute-api:${region}:123456789012:${api.id}/ESTestInvoke-stage/GET/`],
        },
      ],
    };
    return {
      clientStatus: 0,
      latency: 14,
      log: 'Execution log for request test-request',
      principalId: 'user',
      policy: JSON.stringify(policy),
      authorization: {},
    };
  }
}

function splitSource(expression: string): [string, string] {
  for (const prefix of ['method.request.header.', 'method.request.querystring.', 'stageVariables.']) {
    if (expression.startsWith(prefix)) return [prefix, expression.slice(prefix.length)];
  }
  return ['', expression];
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}

const OPERATIONS: OperationRule[] = [
  ['GET', /^\/restapis$/, 'GetRestApis'],
  ['GET', /^\/restapis\/[^/]+$/, 'GetRestApi'],
  ['GET', /^\/restapis\/[^/]+\/authorizers$/, 'GetAuthorizers'],
  ['POST', /^\/restapis\/[^/]+\/authorizers\/[^/]+$/, 'TestInvokeAuthorizer'],
  ['GET', /^\/restapis\/[^/]+\/resources$/, 'GetResources'],
  ['GET', /^\/restapis\/[^/]+\/stages\/[^/]+$/, 'GetStage'],
  ['GET', /^\/restapis\/[^/]+\/stages\/[^/]+\/exports\/[^/]+$/, 'GetExport'],
  ['GET', /^\/restapis\/[^/]+\/gatewayresponses$/, 'GetGatewayResponses'],
];

/** One HAL page: `item` plus `position` when more remain (opaque to clients; here a base64 offset). */
function page<T>(all: T[], query: Record<string, string>, href: string): { body: unknown } {
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new HttpError(
      400,
      'BadRequestException',
      `1 validation error detected: Value '${query.limit ?? ''}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_LIMIT}`,
    );
  }
  const offset = pageOffset(query.position, 'Invalid position');
  const items = all.slice(offset, offset + limit);
  const next = nextPageToken(offset, limit, all.length);
  return {
    body: { _links: { self: { href } }, item: items, ...(next ? { position: next } : {}) },
  };
}

/**
 * The OpenAPI 3 export API Gateway would give for a fresh deployment of `api` (authorizers extension), so a test
 * can snapshot the current configuration as "deployed" and then change it.
 */
export function exportDocumentOf(
  api: FakeRestApi,
  stage: string,
  region = 'us-east-1',
): Record<string, unknown> {
  const byId = new Map(api.authorizers.map((authorizer) => [authorizer.id, authorizer]));
  const schemes: Record<string, unknown> = {};
  for (const authorizer of api.authorizers) {
    schemes[authorizer.name] = {
      type: 'apiKey',
      name: authorizer.type === 'TOKEN' ? splitSource(authorizer.identitySource ?? '')[1] : 'Unused',
      in: 'header',
      'x-amazon-apigateway-authtype':
        authorizer.type === 'COGNITO_USER_POOLS' || authorizer.type === 'JWT'
          ? authorizer.type.toLowerCase()
          : 'custom',
      'x-amazon-apigateway-authorizer': {
        type: authorizer.type.toLowerCase(),
        ...(authorizer.identitySource ? { identitySource: authorizer.identitySource } : {}),
        ...(authorizer.identityValidationExpression
          ? { identityValidationExpression: authorizer.identityValidationExpression }
          : {}),
        ...(authorizer.authorizerUri ? { authorizerUri: authorizer.authorizerUri } : {}),
        ...(authorizer.jwtConfiguration === undefined
          ? {}
          : { jwtConfiguration: authorizer.jwtConfiguration }),
        ...(authorizer.type !== 'COGNITO_USER_POOLS' && authorizer.authorizerResultTtlInSeconds !== undefined
          ? { authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds }
          : {}),
        ...(authorizer.providerARNs ? { providerARNs: authorizer.providerARNs } : {}),
      },
    };
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const resource of api.resources) {
    for (const method of Object.values(resource.resourceMethods ?? {})) {
      const key =
        method.httpMethod === 'ANY' ? 'x-amazon-apigateway-any-method' : method.httpMethod.toLowerCase();
      let security: unknown;
      if (method.authorizationType === 'AWS_IAM') {
        security = [{ sigv4: [] }];
        schemes.sigv4 = {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        };
      } else if (method.authorizationType !== 'NONE') {
        const name = byId.get(method.authorizerId ?? '')?.name ?? '?';
        security = [{ [name]: method.authorizationScopes ?? [] }];
      }
      if (method.apiKeyRequired) {
        schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
        security = [...((security as unknown[] | undefined) ?? []), { api_key: [] }];
      }
      paths[resource.path] = {
        ...paths[resource.path],
        [key]: { ...(security ? { security } : {}), responses: {} },
      };
    }
  }
  const gatewayResponses = Object.fromEntries(
    api.gatewayResponses.map((response) => [
      response.responseType,
      {
        ...(response.statusCode ? { statusCode: response.statusCode } : {}),
        ...(response.responseParameters ? { responseParameters: response.responseParameters } : {}),
        ...(response.responseTemplates ? { responseTemplates: response.responseTemplates } : {}),
      },
    ]),
  );
  return {
    openapi: '3.0.1',
    info: { title: api.name, version: '2024-05-01T10:00:00Z' },
    servers: [
      {
        url: `https://${api.id}.execute-api.${region}.amazonaws.com/{basePath}`,
        variables: { basePath: { default: stage } },
      },
    ],
    paths,
    components: { securitySchemes: schemes },
    ...(api.gatewayResponses.length > 0 ? { 'x-amazon-apigateway-gateway-responses': gatewayResponses } : {}),
  };
}
