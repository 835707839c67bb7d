/**
 * A local fake of the API Gateway v2 (HTTP API) control plane for tests: an HTTP server on 127.0.0.1 that speaks
 * the rest-json wire format the real service sends to `@aws-sdk/client-apigatewayv2` (`/v2/apis...` paths,
 * camelCase JSON keys, `items` pages with `nextToken`, `x-amzn-ErrorType` errors, ExportApi's raw document body),
 * so the SDK's own serialization, signing, pagination, deserialization and retries all run. Point a client at it
 * with `endpoint: fake.url` or `AWS_ENDPOINT_URL_APIGATEWAYV2`.
 *
 * It enforces the account quota both control planes share (10 requests per second; past it: 429
 * TooManyRequestsException with Retry-After), records every call, and injects faults on demand, with the core it
 * shares with the v1 fake (fake-control-plane.ts). Only `node:` modules.
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

export interface FakeV2Options extends ControlPlaneOptions {
  apis: FakeHttpApi[];
  /** Default: the real quota (10 requests per second); `false` turns enforcement off. */
  quotas?: { overall: QuotaWindow } | false;
}

export const REAL_V2_QUOTAS = { overall: { limit: 10, windowMs: 1000 } };

/** The service's default page size when `maxResults` is absent (undocumented; 25 as on v1). */
const DEFAULT_MAX_RESULTS = 25;

/** The fake v2 control plane. `await FakeApiGatewayV2.start(options)`; always `await fake.stop()`. */
export class FakeApiGatewayV2 extends FakeControlPlane<FakeV2Options> {
  protected readonly errorTypeSuffix = '';
  protected readonly operations = OPERATIONS;

  static start(options: FakeV2Options): Promise<FakeApiGatewayV2> {
    return new FakeApiGatewayV2(options).listen();
  }

  /** SigV4 for service `apigateway` (both control planes sign with it). */
  protected override isSigned(authorization: string): boolean {
    return super.isSigned(authorization) && /\/apigateway\/aws4_request/.test(authorization);
  }

  protected accessDeniedMessage(operation: string, path: string): string {
    return `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:${this.options.region ?? 'us-east-1'}::${path.replace(/^\/v2/, '')} (${operation})`;
  }

  protected quotaRules(): QuotaRule[] {
    return this.options.quotas === false ? [] : [(this.options.quotas ?? REAL_V2_QUOTAS).overall];
  }

  protected route(operation: string, path: string, query: Record<string, string>): FakeReply {
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
        return { text: typeof doc === 'string' ? doc : JSON.stringify(doc) };
      }
      default:
        throw new HttpError(404, 'NotFoundException', `The fake does not implement ${operation} ${path}`);
    }
  }
}

const OPERATIONS: OperationRule[] = [
  ['GET', /^\/v2\/apis$/, 'GetApis'],
  ['GET', /^\/v2\/apis\/[^/]+$/, 'GetApi'],
  ['GET', /^\/v2\/apis\/[^/]+\/authorizers$/, 'GetAuthorizers'],
  ['GET', /^\/v2\/apis\/[^/]+\/routes$/, 'GetRoutes'],
  ['GET', /^\/v2\/apis\/[^/]+\/stages$/, 'GetStages'],
  ['GET', /^\/v2\/apis\/[^/]+\/exports\/[^/]+$/, 'ExportApi'],
];

/** One page: `items` plus `nextToken` when more remain (opaque to clients; here a base64 offset). */
function page<T>(all: T[], query: Record<string, string>): FakeReply {
  // `maxResults` is a string in the model; the service parses it.
  const limit = query.maxResults === undefined ? DEFAULT_MAX_RESULTS : Number(query.maxResults);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new HttpError(400, 'BadRequestException', `Invalid maxResults ${query.maxResults ?? ''}`);
  }
  const offset = pageOffset(query.nextToken, 'Invalid nextToken');
  const next = nextPageToken(offset, limit, all.length);
  return { body: { items: all.slice(offset, offset + limit), ...(next ? { nextToken: next } : {}) } };
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
