/**
 * Reads a live REST API from the API Gateway control plane, read-only: GetRestApis (name -> id), GetStage,
 * GetAuthorizers, GetResources?embed=methods (every page of 500), GetGatewayResponses, and GetExport of the stage
 * (the deployed view). The I/O edge of the live source; the model is built by `aws-model.ts`.
 */

import {
  GetAuthorizersCommand,
  GetExportCommand,
  GetGatewayResponsesCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
  type APIGatewayClient,
  type GatewayResponse as SdkGatewayResponse,
  type Resource as SdkResource,
  type RestApi,
} from '@aws-sdk/client-api-gateway';
import type { ProjectConfig } from '../../config/types.js';
import type { DriftFinding } from '../../drift/types.js';
import { detectDrift } from '../../drift/detect-drift.js';
import { AwsNotFoundError } from '../../errors.js';
import { buildModelFromExport } from '../openapi/build-model.js';
import type { AuthModel } from '../../model/types.js';
import { createApiGatewayClient, ensurePacing } from './client.js';
import { countedCalls, onlyNamed, translateAwsError, type Send } from './errors.js';
import { buildModelFromAws, type RestAuthorizer } from './model.js';
import { apiGatewayClientVersion, captureRawJwtConfigurations, rawJwtConfigurations } from './raw-jwt.js';
import { parseDataText } from '../data-text.js';
import { isObject } from '../../model/parse.js';

export { createApiGatewayClient } from './client.js';
export type { ApiGatewayClientOptions } from './client.js';

/** The largest page API Gateway serves. */
export const PAGE_LIMIT = 500;

export interface LoadRestApiOptions {
  /** RestApi id or name. */
  restApi: string;
  stage: string;
  region?: string;
  profile?: string;
  /** A client to use instead of `createApiGatewayClient({ region, profile })`; it gets paced too. */
  client?: APIGatewayClient;
  /** Called after every control-plane call: the call and how many calls were made so far. */
  onProgress?: (progress: { call: string; done: number }) => void;
  /** Accepted for symmetry with the export source; the read does not depend on it. */
  config?: ProjectConfig;
}

export interface LoadedRestApi {
  /** The current configuration (GetResources + GetAuthorizers), which is what the export of a fresh deployment gives. */
  model: AuthModel;
  /** The deployed stage (GetExport), with the stage's variables and deployment id. */
  deployedModel: AuthModel;
  /** Routes whose current authorization differs from the deployed one. */
  drift: DriftFinding[];
  /** What the reader could not read from the current configuration (a JWT authorizer read from the export). */
  warnings: string[];
  /** Control-plane calls made (pages included, retries not). */
  calls: number;
}

/**
 * Reads a live REST API and stage.
 *
 * @throws AwsCredentialsError, AwsNotFoundError, AwsAccessDeniedError or AwsRequestError (exit 3), each with one
 *   line naming the call and the fix; UsageError when a name matches several APIs
 */
export async function loadRestApi(options: LoadRestApiOptions): Promise<LoadedRestApi> {
  const client =
    options.client ?? createApiGatewayClient({ region: options.region, profile: options.profile });
  ensurePacing(client);
  captureRawJwtConfigurations(client);
  let region: string | undefined = options.region;
  // What the error messages name; the id replaces a name once it is resolved.
  const target = { restApi: options.restApi };
  const { send, calls } = countedCalls(
    (call) => ({ call, region, restApi: target.restApi, stage: options.stage }),
    options.onProgress,
  );

  try {
    region = await client.config.region();
  } catch (error) {
    throw translateAwsError(error, { call: 'GetRestApis', restApi: options.restApi });
  }

  const api = await resolveRestApi(client, options.restApi, region, send);
  const id = api.id ?? options.restApi;
  target.restApi = id;

  const stage = await send('GetStage', 'GetStage', () =>
    client.send(new GetStageCommand({ restApiId: id, stageName: options.stage })),
  );
  const authorizers: RestAuthorizer[] = [];
  for (let position: string | undefined, page = 1; page === 1 || position; page += 1) {
    const command = new GetAuthorizersCommand({ restApiId: id, limit: PAGE_LIMIT, position });
    const out = await send('GetAuthorizers', `GetAuthorizers page ${page}`, () => client.send(command));
    // A client whose model has jwtConfiguration returns it; else take it from the page's raw body.
    const raw = rawJwtConfigurations(command);
    for (const item of (out.items ?? []) as RestAuthorizer[]) {
      const jwt = item.jwtConfiguration ?? raw.get(item.id ?? '');
      authorizers.push(jwt === undefined ? item : { ...item, jwtConfiguration: jwt });
    }
    position = out.position;
  }
  const resources: SdkResource[] = [];
  for (let position: string | undefined, page = 1; page === 1 || position; page += 1) {
    const out = await send('GetResources', `GetResources page ${page}`, () =>
      client.send(
        new GetResourcesCommand({ restApiId: id, embed: ['methods'], limit: PAGE_LIMIT, position }),
      ),
    );
    resources.push(...(out.items ?? []));
    position = out.position;
  }
  const gatewayResponses: SdkGatewayResponse[] = [];
  for (let position: string | undefined, page = 1; page === 1 || position; page += 1) {
    const out = await send('GetGatewayResponses', 'GetGatewayResponses', () =>
      client.send(new GetGatewayResponsesCommand({ restApiId: id, limit: PAGE_LIMIT, position })),
    );
    gatewayResponses.push(...(out.items ?? []));
    position = out.position;
  }
  const exported = await send('GetExport', 'GetExport', () =>
    client.send(
      new GetExportCommand({
        restApiId: id,
        stageName: options.stage,
        exportType: 'oas30',
        parameters: { extensions: 'authorizers' },
        accepts: 'application/json',
      }),
    ),
  );

  const exportFile = `GetExport restapis/${id}/stages/${options.stage}`;
  const parsed = parseDataText(exported.body?.transformToString() ?? '', exportFile);
  const warnings = fillJwtFromExport(authorizers, parsed.data);

  const model = buildModelFromAws({
    id,
    name: api.name ?? id,
    region,
    ...(api.apiKeySource === undefined ? {} : { apiKeySource: api.apiKeySource }),
    stage: { ...stage, stageName: stage.stageName ?? options.stage },
    authorizers,
    resources,
    gatewayResponses,
  });
  // An API without authorizers exports no x-amazon-apigateway-* key at all, which the export reader (rightly, for
  // files) refuses as "not an API Gateway export". This document comes from API Gateway itself: say so.
  const document =
    typeof parsed.data === 'object' && parsed.data !== null && !Array.isArray(parsed.data)
      ? { 'x-amazon-apigateway-source': 'GetExport', ...parsed.data }
      : parsed.data;
  const fromExport = buildModelFromExport(document, { file: exportFile, locate: parsed.locate });
  const deployedModel: AuthModel = {
    ...fromExport,
    stage: {
      ...fromExport.stage,
      variables: { ...model.stage.variables },
      ...(model.stage.deploymentId ? { deploymentId: model.stage.deploymentId } : {}),
    },
  };
  return {
    model,
    deployedModel,
    drift: detectDrift(model, deployedModel, options.stage),
    warnings,
    calls: calls(),
  };
}

/**
 * JWT authorizers whose `jwtConfiguration` neither the client nor the raw response gave: take it from the deployed
 * export's security scheme of the same name (so a change since the last deployment is not seen), and say so once.
 */
function fillJwtFromExport(authorizers: RestAuthorizer[], exported: unknown): string[] {
  const missing = authorizers.filter((a) => String(a.type) === 'JWT' && a.jwtConfiguration === undefined);
  if (missing.length === 0) return [];
  const schemes =
    isObject(exported) && isObject(exported.components) && isObject(exported.components.securitySchemes)
      ? exported.components.securitySchemes
      : {};
  for (const authorizer of missing) {
    const scheme = schemes[authorizer.name ?? ''];
    const config = isObject(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    if (isObject(config) && config.jwtConfiguration !== undefined)
      authorizer.jwtConfiguration = config.jwtConfiguration;
  }
  const names = missing.map((a) => a.name ?? a.id ?? '?').join(', ');
  return [
    `@aws-sdk/client-api-gateway ${apiGatewayClientVersion()} does not return jwtConfiguration; read the deployed ` +
      `export instead (JWT authorizer ${names}: a change since the last deployment is not seen).`,
  ];
}

/** Finds the RestApi by id, else by name, paging through GetRestApis. */
async function resolveRestApi(
  client: APIGatewayClient,
  idOrName: string,
  region: string,
  send: Send,
): Promise<RestApi> {
  const apis: RestApi[] = [];
  for (let position: string | undefined, page = 1; page === 1 || position; page += 1) {
    const out = await send('GetRestApis', `GetRestApis page ${page}`, () =>
      client.send(new GetRestApisCommand({ limit: PAGE_LIMIT, position })),
    );
    const items = out.items ?? [];
    const byId = items.find((api) => api.id === idOrName);
    if (byId) return byId;
    apis.push(...items);
    position = out.position;
  }
  const named = apis.filter((api) => api.name === idOrName);
  const one = onlyNamed(named, (api) => api.id, 'REST', idOrName, region);
  if (one) return one;
  throw new AwsNotFoundError(`GetRestApis (${region}): no REST API with the id or name "${idOrName}".`, {
    fix: `check the id or name, and that --region (${region}) is the region the API lives in (${apis.length} REST APIs found there).`,
  });
}
