/**
 * A local fake of the API Gateway (v1) control plane for tests: an HTTP server on 127.0.0.1 that speaks the REST
 * wire format the real service sends to the SDK (`item` pages with `position`, `x-amzn-ErrorType` errors), so the
 * SDK's own serialization, signing, pagination, deserialization and retries all run. Point a client at it with
 * `endpoint: fake.url` or `AWS_ENDPOINT_URL_API_GATEWAY`.
 *
 * It enforces the documented quotas (GetResources 5 requests every 2 s, 10 requests per second overall; past
 * them: 429 TooManyRequestsException with Retry-After), records every call, and injects faults on demand.
 * Reusable by other test suites: only `node:` modules.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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

export interface QuotaWindow {
  limit: number;
  windowMs: number;
}

export interface FakeOptions {
  apis: FakeRestApi[];
  /** Default: the real quotas; `false` turns enforcement off. */
  quotas?: { getResources: QuotaWindow; overall: QuotaWindow } | false;
  /** Seconds in the Retry-After header of a 429. Default 1. */
  retryAfterSeconds?: number;
  /** Access keys the fake accepts; default: any. Others get 403 UnrecognizedClientException. */
  accessKeys?: string[];
  /** Region in ARNs and messages. Default us-east-1. */
  region?: string;
  /** GetAuthorizers leaves out `jwtConfiguration` (as a service that does not return it would). */
  hideJwtConfiguration?: boolean;
}

export type FaultKind = 'throttle' | 'server-error' | 'timeout' | 'expired-token' | 'access-denied';

export interface Fault {
  kind: FaultKind;
  /** Only this operation (e.g. `GetResources`); default: any. */
  operation?: string;
  /** How many requests it hits; default 1. */
  times?: number;
  /** timeout: how long to hold the request before answering. Default 5000 ms. */
  delayMs?: number;
}

export interface RecordedCall {
  operation: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Arrival time, ms (monotonic). */
  at: number;
  accessKeyId?: string;
  accept?: string;
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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The fake control plane. `await FakeApiGateway.start(options)`; always `await fake.stop()`. */
export class FakeApiGateway {
  readonly calls: RecordedCall[] = [];
  private readonly faults: (Fault & { left: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: Server;
  url = '';

  private constructor(readonly options: FakeOptions) {}

  static async start(options: FakeOptions): Promise<FakeApiGateway> {
    const fake = new FakeApiGateway(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues a fault for the next matching request(s). */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  api(id: string): FakeRestApi {
    const api = this.options.apis.find((candidate) => candidate.id === id);
    if (!api) throw new Error(`no fake API ${id}`);
    return api;
  }

  /** Calls of one operation (all statuses). */
  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    const body = await readBody(req);
    const path = decodeURIComponent(url.pathname);
    const operation = operationOf(req.method ?? 'GET', path);
    const auth = String(req.headers.authorization ?? '');
    const accessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1];
    const call: RecordedCall = {
      operation,
      method: req.method ?? 'GET',
      path,
      query,
      status: 0,
      at,
      ...(accessKeyId ? { accessKeyId } : {}),
      ...(req.headers.accept ? { accept: String(req.headers.accept) } : {}),
    };
    this.calls.push(call);
    try {
      if (!auth.startsWith('AWS4-HMAC-SHA256 ')) {
        throw new HttpError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      if (this.options.accessKeys && (!accessKeyId || !this.options.accessKeys.includes(accessKeyId))) {
        throw new HttpError(
          403,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      }
      const fault = this.takeFault(operation);
      if (fault) await this.applyFault(fault, operation, path);
      this.enforceQuotas(operation, at);
      const result = this.route(operation, path, query, body);
      call.status = result.status ?? 200;
      send(res, call.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof HttpError) {
        call.status = error.status;
        send(
          res,
          error.status,
          { message: error.message },
          {
            'x-amzn-ErrorType': `${error.type}${CORAL}`,
            ...error.headers,
          },
        );
      } else {
        call.status = 500;
        send(
          res,
          500,
          { message: String(error) },
          { 'x-amzn-ErrorType': `ServiceUnavailableException${CORAL}` },
        );
      }
    }
  }

  private takeFault(operation: string): Fault | undefined {
    const index = this.faults.findIndex(
      (fault) => fault.operation === undefined || fault.operation === operation,
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async applyFault(fault: Fault, operation: string, path: string): Promise<void> {
    const region = this.options.region ?? 'us-east-1';
    switch (fault.kind) {
      case 'throttle':
        throw new HttpError(429, 'TooManyRequestsException', 'Too Many Requests', {
          'Retry-After': String(this.options.retryAfterSeconds ?? 1),
        });
      case 'server-error':
        throw new HttpError(500, 'InternalFailure', 'Internal server error');
      case 'expired-token':
        throw new HttpError(
          403,
          'ExpiredTokenException',
          'The security token included in the request is expired',
        );
      case 'access-denied':
        throw new HttpError(
          403,
          'AccessDeniedException',
          `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: apigateway:${operation.startsWith('TestInvoke') ? 'POST' : 'GET'} on resource: arn:aws:apigateway:${region}::${path}`,
        );
      case 'timeout':
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, fault.delayMs ?? 5000);
          this.timers.add(timer);
        });
        return;
    }
  }

  private enforceQuotas(operation: string, at: number): void {
    if (this.options.quotas === false) return;
    const quotas = this.options.quotas ?? REAL_QUOTAS;
    // Accepted calls only: a throttled request does not consume the bucket.
    const accepted = this.calls.filter((call) => call.status > 0 && call.status !== 429);
    const inWindow = (window: QuotaWindow, op?: string): number =>
      accepted.filter((call) => (op === undefined || call.operation === op) && call.at > at - window.windowMs)
        .length;
    const over =
      (operation === 'GetResources' &&
        inWindow(quotas.getResources, 'GetResources') >= quotas.getResources.limit) ||
      inWindow(quotas.overall) >= quotas.overall.limit;
    if (over) {
      throw new HttpError(429, 'TooManyRequestsException', 'Too Many Requests', {
        'Retry-After': String(this.options.retryAfterSeconds ?? 1),
      });
    }
  }

  private route(
    operation: string,
    path: string,
    query: Record<string, string>,
    body: string,
  ): { status?: number; body: unknown; headers?: Record<string, string> } {
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

function operationOf(method: string, path: string): string {
  const rules: [string, RegExp, string][] = [
    ['GET', /^\/restapis$/, 'GetRestApis'],
    ['GET', /^\/restapis\/[^/]+$/, 'GetRestApi'],
    ['GET', /^\/restapis\/[^/]+\/authorizers$/, 'GetAuthorizers'],
    ['POST', /^\/restapis\/[^/]+\/authorizers\/[^/]+$/, 'TestInvokeAuthorizer'],
    ['GET', /^\/restapis\/[^/]+\/resources$/, 'GetResources'],
    ['GET', /^\/restapis\/[^/]+\/stages\/[^/]+$/, 'GetStage'],
    ['GET', /^\/restapis\/[^/]+\/stages\/[^/]+\/exports\/[^/]+$/, 'GetExport'],
    ['GET', /^\/restapis\/[^/]+\/gatewayresponses$/, 'GetGatewayResponses'],
  ];
  return rules.find(([verb, pattern]) => verb === method && pattern.test(path))?.[2] ?? `${method} ${path}`;
}

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
  let offset = 0;
  if (query.position !== undefined) {
    offset = Number(Buffer.from(query.position, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0)
      throw new HttpError(400, 'BadRequestException', 'Invalid position');
  }
  const items = all.slice(offset, offset + limit);
  const next =
    offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
  return {
    body: { _links: { self: { href } }, item: items, ...(next ? { position: next } : {}) },
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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
