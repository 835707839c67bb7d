/**
 * Builds the AuthModel of an HTTP API from what the API Gateway v2 control plane returns (GetApis, GetStages,
 * GetAuthorizers, GetRoutes). Pure: the I/O is in `reader.ts`. The parts end in `buildHttpApiModel`, the one
 * builder every HTTP API source shares, so that the live API and its export give one model.
 */

import type {
  Api as SdkApi,
  Authorizer as SdkAuthorizer,
  Route as SdkRoute,
  Stage as SdkStage,
} from '@aws-sdk/client-apigatewayv2';
import { UnsupportedAuthorizerError } from '../../errors.js';
import { DEFAULT_ROUTE_PATH, type AuthModel } from '../../model/types.js';
import { urlSuffixOf } from '../../model/parse.js';
import { buildHttpApiModel, type FailAt, type HttpApiParts } from '../http-api-model.js';

/** Everything read from the v2 control plane for one HTTP API and stage. */
export interface RawHttpApi {
  api: SdkApi & { ApiId: string };
  region: string;
  stage: SdkStage & { StageName: string };
  authorizers: SdkAuthorizer[];
  routes: SdkRoute[];
}

/**
 * The stage URL clients call: the API's endpoint, plus `/<stage>` unless the stage is `$default` (served at the
 * root).
 */
export function stageBaseUrl(api: SdkApi & { ApiId: string }, region: string, stageName: string): string {
  const endpoint = (
    api.ApiEndpoint ?? `https://${api.ApiId}.execute-api.${region}.${urlSuffixOf(region)}`
  ).replace(/\/+$/, '');
  return stageName === DEFAULT_ROUTE_PATH ? endpoint : `${endpoint}/${encodeURIComponent(stageName)}`;
}

/** The API's parts in the builder's shape: authorizer ids resolved to names, every item located for errors. */
export function httpApiParts(raw: RawHttpApi): HttpApiParts {
  const names = new Map(raw.authorizers.map((a) => [a.AuthorizerId ?? '', a.Name ?? a.AuthorizerId ?? '']));
  return {
    name: raw.api.Name ?? raw.api.ApiId,
    id: raw.api.ApiId,
    region: raw.region,
    stage: {
      name: raw.stage.StageName,
      baseUrl: stageBaseUrl(raw.api, raw.region, raw.stage.StageName),
      variables: { ...(raw.stage.StageVariables ?? {}) },
      ...(raw.stage.DeploymentId ? { deploymentId: raw.stage.DeploymentId } : {}),
    },
    authorizers: raw.authorizers.map((sdk) => ({
      name: sdk.Name ?? sdk.AuthorizerId ?? '',
      path: ['authorizers', sdk.AuthorizerId ?? sdk.Name ?? '?'],
      authorizerType: sdk.AuthorizerType,
      identitySource: sdk.IdentitySource,
      jwtConfiguration: sdk.JwtConfiguration,
      authorizerUri: sdk.AuthorizerUri,
      authorizerPayloadFormatVersion: sdk.AuthorizerPayloadFormatVersion,
      enableSimpleResponses: sdk.EnableSimpleResponses,
      authorizerResultTtlInSeconds: sdk.AuthorizerResultTtlInSeconds,
    })),
    routes: raw.routes.map((sdk) => ({
      routeKey: sdk.RouteKey ?? '',
      path: ['routes', sdk.RouteId ?? sdk.RouteKey ?? '?'],
      authorizationType: sdk.AuthorizationType,
      // An id GetAuthorizers did not return stays an id: the builder then names it as undefined.
      ...(sdk.AuthorizerId === undefined
        ? {}
        : { authorizer: names.get(sdk.AuthorizerId) ?? sdk.AuthorizerId }),
      authorizationScopes: sdk.AuthorizationScopes,
    })),
    ...(raw.api.CorsConfiguration === undefined ? {} : { cors: raw.api.CorsConfiguration }),
  };
}

/**
 * The current (not necessarily deployed) configuration of an HTTP API as an AuthModel.
 *
 * @throws UnsupportedAuthorizerError (exit 2) for an authorizer, route key or authorization type the builder
 *   cannot read, located as `apis/<id>: authorizers/<authorizerId>/jwtConfiguration/issuer`
 */
export function buildModelFromHttpApi(raw: RawHttpApi): AuthModel {
  const fail: FailAt = (path, message, fix) => {
    const text = message.charAt(0).toUpperCase() + message.slice(1);
    throw new UnsupportedAuthorizerError(/[.!?]$/.test(text) ? text : `${text}.`, {
      file: `apis/${raw.api.ApiId}`,
      location: path.map(String).join('/'),
      fix,
    });
  };
  return buildHttpApiModel(httpApiParts(raw), fail);
}
