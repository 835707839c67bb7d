/**
 * A local fake of the API Gateway v2 (HTTP API) control plane for tests: an HTTP server on 127.0.0.1 that speaks
 * the rest-json wire format the real service sends to `@aws-sdk/client-apigatewayv2` (`/v2/apis...` paths,
 * camelCase JSON keys, `items` pages with `nextToken`, `x-amzn-ErrorType` errors, ExportApi's raw document body),
 * so the SDK's own serialization, signing, pagination, deserialization and retries all run. Point a client at it
 * with `endpoint: fake.url` or `AWS_ENDPOINT_URL_APIGATEWAYV2`.
 *
 * It enforces the account quota both control planes share (10 requests per second; past it: 429
 * TooManyRequestsException with Retry-After), records every call, and injects faults on demand, as the v1 fake
 * (fake-apigateway.ts) does. Only `node:` modules.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Fault, QuotaWindow, RecordedCall } from './fake-apigateway.js';

/** `Api` on the wire (GetApis items). */
export interface WireApi {
  apiId: string;
  name: string;
  protocolType: 'HTTP' | 'WEBSOCKET';
  apiEndpoint?: string;
  routeSelectionExpression?: string;
  corsConfiguration?: {
    allowOrigins?: string[];
    allowMethods?: string[];
    allowHeaders?: string[];
    exposeHeaders?: string[];
    maxAge?: number;
    allowCredentials?: boolean;
  };
}

/** `Authorizer` on the wire (GetAuthorizers items). */
export interface WireAuthorizer {
  authorizerId: string;
  name: string;
  authorizerType: 'JWT' | 'REQUEST';
  identitySource?: string[];
  jwtConfiguration?: { audience?: unknown; issuer?: unknown };
  authorizerUri?: string;
  authorizerPayloadFormatVersion?: string;
  enableSimpleResponses?: boolean;
  authorizerResultTtlInSeconds?: number;
}

/** `Route` on the wire (GetRoutes items). */
export interface WireRoute {
  routeId: string;
  routeKey: string;
  authorizationType?: 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'JWT';
  authorizerId?: string;
  authorizationScopes?: string[];
  target?: string;
}

export interface FakeHttpStage {
  deploymentId?: string;
  autoDeploy?: boolean;
  stageVariables?: Record<string, string>;
  /** What ExportApi returns for the stage (the deployed view): a document, or its exact text. */
  exportDocument: unknown;
}

export interface FakeHttpApi {
  api: WireApi;
  authorizers: WireAuthorizer[];
  routes: WireRoute[];
  stages: Record<string, FakeHttpStage>;
}

export interface FakeV2Options {
  apis: FakeHttpApi[];
  /** Default: the real quota (10 requests per second); `false` turns enforcement off. */
  quotas?: { overall: QuotaWindow } | false;
  /** Seconds in the Retry-After header of a 429. Default 1. */
  retryAfterSeconds?: number;
  /** Access keys the fake accepts; default: any. Others get 403 UnrecognizedClientException. */
  accessKeys?: string[];
  /** Region in messages. Default us-east-1. */
  region?: string;
}

export const REAL_V2_QUOTAS = { overall: { limit: 10, windowMs: 1000 } };

/** The service's default page size when `maxResults` is absent (undocumented; 25 as on v1). */
const DEFAULT_MAX_RESULTS = 25;

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

/** The fake v2 control plane. `await FakeApiGatewayV2.start(options)`; always `await fake.stop()`. */
export class FakeApiGatewayV2 {
  readonly calls: RecordedCall[] = [];
  private readonly faults: (Fault & { left: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: Server;
  url = '';

  private constructor(readonly options: FakeV2Options) {}

  static async start(options: FakeV2Options): Promise<FakeApiGatewayV2> {
    const fake = new FakeApiGatewayV2(options);
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

  /** Calls of one operation (all statuses). */
  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
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
      // SigV4 for service `apigateway` (both control planes sign with it).
      if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !/\/apigateway\/aws4_request/.test(auth)) {
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
      this.enforceQuota(at);
      const result = this.route(operation, path, query);
      call.status = 200;
      if (typeof result === 'string') sendText(res, 200, result);
      else sendText(res, 200, JSON.stringify(result));
    } catch (error) {
      const known = error instanceof HttpError;
      call.status = known ? error.status : 500;
      sendText(
        res,
        call.status,
        JSON.stringify({ message: known ? error.message : String(error) }),
        known
          ? { 'x-amzn-ErrorType': error.type, ...error.headers }
          : { 'x-amzn-ErrorType': 'ServiceUnavailableException' },
      );
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
          `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:${region}::${path.replace(/^\/v2/, '')} (${operation})`,
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

  private enforceQuota(at: number): void {
    if (this.options.quotas === false) return;
    const window = (this.options.quotas ?? REAL_V2_QUOTAS).overall;
    // Accepted calls only: a throttled request does not consume the bucket.
    const accepted = this.calls.filter(
      (call) => call.status > 0 && call.status !== 429 && call.at > at - window.windowMs,
    );
    if (accepted.length >= window.limit) {
      throw new HttpError(429, 'TooManyRequestsException', 'Too Many Requests', {
        'Retry-After': String(this.options.retryAfterSeconds ?? 1),
      });
    }
  }

  private route(operation: string, path: string, query: Record<string, string>): unknown {
    const segments = path.split('/').filter(Boolean); // v2, apis, {id}, ...
    const apiId = segments[2] ?? '';
    const findApi = (): FakeHttpApi => {
      const api = this.options.apis.find((candidate) => candidate.api.apiId === apiId);
      if (!api) throw new HttpError(404, 'NotFoundException', `Invalid API identifier specified ${apiId}`);
      return api;
    };
    switch (operation) {
      case 'GetApis':
        return page(
          this.options.apis.map(({ api }) => ({
            apiEndpoint: `https://${api.apiId}.execute-api.${this.options.region ?? 'us-east-1'}.amazonaws.com`,
            routeSelectionExpression: '$request.method $request.path',
            createdDate: '2024-05-01T10:00:00Z',
            disableExecuteApiEndpoint: false,
            apiKeySelectionExpression: '$request.header.x-api-key',
            ...api,
          })),
          query,
        );
      case 'GetAuthorizers':
        return page(findApi().authorizers, query);
      case 'GetRoutes':
        return page(
          findApi().routes.map((route) => ({ apiKeyRequired: false, authorizationType: 'NONE', ...route })),
          query,
        );
      case 'GetStages':
        return page(
          Object.entries(findApi().stages).map(([stageName, stage]) => ({
            stageName,
            autoDeploy: stage.autoDeploy ?? false,
            createdDate: '2024-05-01T10:00:00Z',
            lastUpdatedDate: '2024-05-01T10:00:00Z',
            defaultRouteSettings: { detailedMetricsEnabled: false },
            routeSettings: {},
            stageVariables: stage.stageVariables ?? {},
            tags: {},
            ...(stage.deploymentId ? { deploymentId: stage.deploymentId } : {}),
          })),
          query,
        );
      case 'ExportApi': {
        const api = findApi();
        if (segments[4] !== 'OAS30') {
          throw new HttpError(400, 'BadRequestException', `Invalid specification ${segments[4] ?? ''}`);
        }
        // Without stageName AWS exports the latest configuration; the reader always names the stage.
        const stageName = query.stageName;
        const stage = stageName === undefined ? undefined : api.stages[stageName];
        if (!stage) throw new HttpError(404, 'NotFoundException', `Invalid stage identifier specified`);
        const doc = stage.exportDocument;
        return typeof doc === 'string' ? doc : JSON.stringify(doc);
      }
      default:
        throw new HttpError(404, 'NotFoundException', `The fake does not implement ${operation} ${path}`);
    }
  }
}

function operationOf(method: string, path: string): string {
  const rules: [string, RegExp, string][] = [
    ['GET', /^\/v2\/apis$/, 'GetApis'],
    ['GET', /^\/v2\/apis\/[^/]+$/, 'GetApi'],
    ['GET', /^\/v2\/apis\/[^/]+\/authorizers$/, 'GetAuthorizers'],
    ['GET', /^\/v2\/apis\/[^/]+\/routes$/, 'GetRoutes'],
    ['GET', /^\/v2\/apis\/[^/]+\/stages$/, 'GetStages'],
    ['GET', /^\/v2\/apis\/[^/]+\/exports\/[^/]+$/, 'ExportApi'],
  ];
  return rules.find(([verb, pattern]) => verb === method && pattern.test(path))?.[2] ?? `${method} ${path}`;
}

/** One page: `items` plus `nextToken` when more remain (opaque to clients; here a base64 offset). */
function page<T>(all: T[], query: Record<string, string>): { items: T[]; nextToken?: string } {
  // `maxResults` is a string in the model; the service parses it.
  const limit = query.maxResults === undefined ? DEFAULT_MAX_RESULTS : Number(query.maxResults);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new HttpError(400, 'BadRequestException', `Invalid maxResults ${query.maxResults ?? ''}`);
  }
  let offset = 0;
  if (query.nextToken !== undefined) {
    offset = Number(Buffer.from(query.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0)
      throw new HttpError(400, 'BadRequestException', 'Invalid nextToken');
  }
  const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : '';
  return { items: all.slice(offset, offset + limit), ...(next ? { nextToken: next } : {}) };
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
    ...headers,
  });
  res.end(text);
}

/**
 * The OpenAPI 3 document ExportApi gives for `api` deployed to `stage` with `includeExtensions`: an oauth2 scheme
 * per JWT authorizer, an apiKey scheme per Lambda authorizer, `sigv4` (awsSigv4) for IAM routes, `$default` as
 * `/$default` with `isDefaultRoute`, and the API's CORS. A test snapshots the current configuration as "deployed"
 * with it, then changes the configuration.
 */
export function httpExportDocumentOf(
  fake: FakeHttpApi,
  stage: string,
  region = 'us-east-1',
): Record<string, unknown> {
  const byId = new Map(fake.authorizers.map((authorizer) => [authorizer.authorizerId, authorizer]));
  const schemes: Record<string, unknown> = {};
  for (const authorizer of fake.authorizers) {
    const identitySource = (authorizer.identitySource ?? []).join(',');
    if (authorizer.authorizerType === 'JWT') {
      schemes[authorizer.name] = {
        type: 'oauth2',
        flows: {},
        'x-amazon-apigateway-authorizer': {
          identitySource,
          jwtConfiguration: authorizer.jwtConfiguration,
          type: 'jwt',
        },
      };
    } else {
      const header = /^\$request\.header\.(.+)$/.exec(authorizer.identitySource?.[0] ?? '')?.[1];
      schemes[authorizer.name] = {
        type: 'apiKey',
        name: header ?? 'Unused',
        in: 'header',
        'x-amazon-apigateway-authorizer': {
          identitySource,
          authorizerUri: authorizer.authorizerUri,
          authorizerPayloadFormatVersion: authorizer.authorizerPayloadFormatVersion,
          ...(authorizer.authorizerResultTtlInSeconds === undefined
            ? {}
            : { authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds }),
          type: 'request',
          enableSimpleResponses: authorizer.enableSimpleResponses ?? false,
        },
      };
    }
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of fake.routes) {
    const isDefault = route.routeKey === '$default';
    const [verb = 'ANY', path = '/'] = isDefault ? ['ANY', '/$default'] : route.routeKey.split(' ');
    const key = verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase();
    let security: unknown;
    if (route.authorizationType === 'AWS_IAM') {
      security = [{ sigv4: [] }];
      schemes.sigv4 = {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      };
    } else if (route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') {
      security = [{ [byId.get(route.authorizerId ?? '')?.name ?? '?']: route.authorizationScopes ?? [] }];
    }
    paths[path] = {
      ...paths[path],
      [key]: {
        responses: { default: { description: `Default response for ${route.routeKey}` } },
        ...(security ? { security } : {}),
        ...(isDefault ? { isDefaultRoute: true } : {}),
        'x-amazon-apigateway-integration': {
          payloadFormatVersion: '2.0',
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:123456789012:function:orders/invocations`,
          connectionType: 'INTERNET',
        },
      },
    };
  }
  return {
    openapi: '3.0.1',
    info: { title: fake.api.name, version: '2024-05-01 10:00:00UTC' },
    servers: [
      {
        url: `https://${fake.api.apiId}.execute-api.${region}.amazonaws.com/{basePath}`,
        variables: { basePath: { default: stage === '$default' ? '' : stage } },
      },
    ],
    paths,
    components: { securitySchemes: schemes },
    ...(fake.api.corsConfiguration ? { 'x-amazon-apigateway-cors': fake.api.corsConfiguration } : {}),
    'x-amazon-apigateway-importexport-version': '1.0',
  };
}
