/**
 * Reads a live HTTP API from the API Gateway v2 control plane, read-only: GetApis (name -> id, CORS), GetStages,
 * GetAuthorizers, GetRoutes (every page, `NextToken`), and ExportApi of the stage (the deployed view). The I/O edge
 * of the live HTTP source; the model is built by `model.ts`.
 *
 * @see https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html
 */

import {
  ExportApiCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetRoutesCommand,
  GetStagesCommand,
  type Api as SdkApi,
  type ApiGatewayV2Client,
  type Authorizer as SdkAuthorizer,
  type Route as SdkRoute,
  type Stage as SdkStage,
} from '@aws-sdk/client-apigatewayv2';
import type { ProjectConfig } from '../../config/types.js';
import type { DriftFinding } from '../../drift/types.js';
import { detectDrift } from '../../drift/detect-drift.js';
import { AwsNotFoundError, UsageError } from '../../errors.js';
import { DEFAULT_ROUTE_PATH, type AuthModel } from '../../model/types.js';
import { ensurePacing } from '../aws-rest/client.js';
import { countedCalls, onlyNamed, translateAwsError } from '../aws-rest/errors.js';
import { decodeUtf8, parseDataText } from '../data-text.js';
import { readHttpApiDocument } from '../openapi/http-api.js';
import { createApiGatewayV2Client } from './client.js';
import { buildModelFromHttpApi } from './model.js';

export { createApiGatewayV2Client } from './client.js';
export type { ApiGatewayV2ClientOptions } from './client.js';

/**
 * Items per page. The v2 API documents no maximum (its `MaxResults` is a string); 500 keeps the calls few, as
 * for REST.
 */
export const HTTP_PAGE_SIZE = 500;

export interface LoadHttpApiOptions {
  /** The API id, or its name (resolved through GetApis among HTTP APIs). */
  api: string;
  /** The stage; default the only stage, else `$default`. */
  stage?: string;
  region?: string;
  profile?: string;
  /** A client to use instead of `createApiGatewayV2Client({ region, profile })`; it gets paced too. */
  client?: ApiGatewayV2Client;
  /** Items per page (tests page with 1..N); default {@link HTTP_PAGE_SIZE}. */
  pageSize?: number;
  /** Called after every control-plane call: the call and how many calls were made so far. */
  onProgress?: (progress: { call: string; done: number }) => void;
  /** Accepted for symmetry with the file sources; the read does not depend on it. */
  config?: ProjectConfig;
}

export interface LoadedHttpApi {
  /** The current configuration (GetRoutes + GetAuthorizers + the API's CORS). */
  model: AuthModel;
  /** The deployed stage (ExportApi with the stage name), with the stage's variables and deployment id. */
  deployedModel: AuthModel;
  /** Routes whose current authorization differs from the deployed one. */
  drift: DriftFinding[];
  /** What the export reader assumed about the deployed export. */
  warnings: string[];
  /** Control-plane calls made (pages included, retries not). */
  calls: number;
}

/**
 * Reads a live HTTP API and one of its stages.
 *
 * @throws AwsCredentialsError, AwsNotFoundError, AwsAccessDeniedError or AwsRequestError (exit 3), each with one
 *   line naming the call and the fix; UsageError (exit 2) when a name matches several HTTP APIs, the id is a
 *   WebSocket API, or the API has several stages and no `stage` was given; UnsupportedAuthorizerError (exit 2)
 *   for a configuration the model cannot express
 */
export async function loadHttpApi(options: LoadHttpApiOptions): Promise<LoadedHttpApi> {
  const client =
    options.client ?? createApiGatewayV2Client({ region: options.region, profile: options.profile });
  ensurePacing(client);
  const maxResults = String(options.pageSize ?? HTTP_PAGE_SIZE);
  let region: string | undefined = options.region;
  // What the error messages name; the id replaces a name once it is resolved, the stage once it is chosen.
  const target: { httpApi: string; stage?: string } = { httpApi: options.api, stage: options.stage };
  const { send, calls } = countedCalls(
    (call) => ({ call, region, httpApi: target.httpApi, stage: target.stage }),
    options.onProgress,
  );
  /** Every page of a `NextToken` listing. */
  const all = async <T>(
    call: string,
    page: (nextToken: string | undefined) => Promise<{ Items?: T[]; NextToken?: string }>,
  ): Promise<T[]> => {
    const items: T[] = [];
    for (let nextToken: string | undefined, n = 1; n === 1 || nextToken; n += 1) {
      const token: string | undefined = nextToken;
      const out = await send(call, `${call} page ${n}`, () => page(token));
      items.push(...(out.Items ?? []));
      nextToken = out.NextToken;
    }
    return items;
  };

  try {
    region = await client.config.region();
  } catch (error) {
    throw translateAwsError(error, { call: 'GetApis', httpApi: options.api });
  }

  const api = await resolveHttpApi(options.api, region, (nextToken, n) =>
    send('GetApis', `GetApis page ${n}`, () =>
      client.send(new GetApisCommand({ MaxResults: maxResults, NextToken: nextToken })),
    ),
  );
  const apiId = api.ApiId;
  target.httpApi = apiId;

  const stages = await all<SdkStage>('GetStages', (NextToken) =>
    client.send(new GetStagesCommand({ ApiId: apiId, MaxResults: maxResults, NextToken })),
  );
  const stage = pickStage(stages, options.stage, apiId, region);
  target.stage = stage.StageName;

  const authorizers = await all<SdkAuthorizer>('GetAuthorizers', (NextToken) =>
    client.send(new GetAuthorizersCommand({ ApiId: apiId, MaxResults: maxResults, NextToken })),
  );
  const routes = await all<SdkRoute>('GetRoutes', (NextToken) =>
    client.send(new GetRoutesCommand({ ApiId: apiId, MaxResults: maxResults, NextToken })),
  );
  const exported = await send('ExportApi', 'ExportApi', () =>
    client.send(
      new ExportApiCommand({
        ApiId: apiId,
        Specification: 'OAS30',
        OutputType: 'JSON',
        IncludeExtensions: true,
        StageName: stage.StageName,
      }),
    ),
  );

  const model = buildModelFromHttpApi({ api, region, stage, authorizers, routes });
  const exportFile = `ExportApi apis/${apiId} stage ${stage.StageName}`;
  const parsed = parseDataText(decodeUtf8(exported.body ?? new Uint8Array(), exportFile), exportFile);
  const fromExport = readHttpApiDocument(parsed.data, { file: exportFile, locate: parsed.locate });
  // The export names the stage in its servers URL but carries neither its variables nor its deployment.
  const deployedModel: AuthModel = {
    ...fromExport.model,
    stage: { ...model.stage },
  };
  return {
    model,
    deployedModel,
    drift: detectDrift(model, deployedModel, stage.StageName),
    warnings: fromExport.warnings,
    calls: calls(),
  };
}

/**
 * Finds the HTTP API by id, else by name, paging through GetApis (the first page that has the id ends the
 * search). WebSocket APIs share the listing; they are not HTTP APIs.
 */
async function resolveHttpApi(
  idOrName: string,
  region: string,
  page: (nextToken: string | undefined, n: number) => Promise<{ Items?: SdkApi[]; NextToken?: string }>,
): Promise<SdkApi & { ApiId: string }> {
  const apis: (SdkApi & { ApiId: string })[] = [];
  for (let nextToken: string | undefined, n = 1; n === 1 || nextToken; n += 1) {
    const out = await page(nextToken, n);
    const items = (out.Items ?? []).filter((api): api is SdkApi & { ApiId: string } => !!api.ApiId);
    const byId = items.find((api) => api.ApiId === idOrName);
    if (byId) {
      if (byId.ProtocolType !== undefined && byId.ProtocolType !== 'HTTP') {
        throw new UsageError(`API ${idOrName} in ${region} is a ${byId.ProtocolType} API, not an HTTP API.`, {
          fix: 'pass an HTTP API to --http-api (a REST API to --rest-api; WebSocket APIs are not supported).',
        });
      }
      return byId;
    }
    apis.push(...items);
    nextToken = out.NextToken;
  }
  const http = apis.filter((api) => (api.ProtocolType ?? 'HTTP') === 'HTTP');
  const named = http.filter((api) => api.Name === idOrName);
  const one = onlyNamed(named, (api) => api.ApiId, 'HTTP', idOrName, region);
  if (one) return one;
  throw new AwsNotFoundError(`GetApis (${region}): no HTTP API with the id or name "${idOrName}".`, {
    fix: `check the id or name, and that --region (${region}) is the region the API lives in (${http.length} HTTP APIs found there); a REST API is read with --rest-api.`,
  });
}

/** `wanted`, else the only stage, else `$default`; otherwise the user must choose. */
function pickStage(
  stages: SdkStage[],
  wanted: string | undefined,
  apiId: string,
  region: string,
): SdkStage & { StageName: string } {
  const named = stages.filter((stage): stage is SdkStage & { StageName: string } => !!stage.StageName);
  const list = named.map((stage) => stage.StageName).join(', ');
  if (wanted !== undefined) {
    const found = named.find((stage) => stage.StageName === wanted);
    if (found) return found;
    throw new AwsNotFoundError(
      `GetStages (HTTP API ${apiId}, ${region}): the API has no stage "${wanted}" (${list === '' ? 'no stages' : `stages: ${list}`}).`,
      { fix: named.length === 0 ? 'deploy the API to a stage first.' : `pass --stage with one of: ${list}.` },
    );
  }
  if (named.length === 1 && named[0]) return named[0];
  const fallback = named.find((stage) => stage.StageName === DEFAULT_ROUTE_PATH);
  if (fallback) return fallback;
  if (named.length === 0) {
    throw new AwsNotFoundError(`GetStages (HTTP API ${apiId}, ${region}): the API has no stage.`, {
      fix: 'deploy the API to a stage (or create the $default stage with auto-deploy), then retry.',
    });
  }
  throw new UsageError(`HTTP API ${apiId} has ${named.length} stages and no $default stage.`, {
    fix: `pass --stage with one of: ${list}.`,
  });
}
