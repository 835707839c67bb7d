/**
 * Builds the AuthModel from what the API Gateway control plane returns (GetRestApis, GetAuthorizers,
 * GetResources?embed=methods, GetStage, GetGatewayResponses). Pure: the I/O is in `reader.ts`.
 *
 * The result must equal what the export reader makes of the same deployment, so every string goes through the
 * shared parsers in `model/parse.ts`.
 */

import type {
  Authorizer as SdkAuthorizer,
  GatewayResponse as SdkGatewayResponse,
  Method as SdkMethod,
  Resource as SdkResource,
  Stage as SdkStage,
} from '@aws-sdk/client-api-gateway';
import { UnsupportedAuthorizerError } from '../../errors.js';
import { restJwtSettings } from '../http-api-model.js';
import {
  AWS_IAM_AUTHORIZER_NAME,
  canonicalizeModel,
  compare,
  iamAuthorizer,
  isValidTtl,
  parseGatewayResponseHeaders,
  parseIdentitySource,
  parseUserPoolArn,
  resolveTtl,
  splitIdentitySources,
  staticValue,
} from '../../model/parse.js';
import {
  GATEWAY_RESPONSE_TYPES,
  HTTP_METHODS,
  type AuthModel,
  type Authorizer,
  type AuthorizerKind,
  type GatewayResponse,
  type GatewayResponseType,
  type IdentitySource,
  type JwtSettings,
  type Route,
  type RouteMethod,
  type UserPoolRef,
} from '../../model/types.js';

/**
 * A GetAuthorizers item, with the REST JWT authorizer's `jwtConfiguration`, which the installed SDK's model lacks
 * (the reader adds it from the raw response or the deployed export).
 */
export type RestAuthorizer = SdkAuthorizer & { jwtConfiguration?: unknown };

/** Everything read from the control plane for one API and stage. */
export interface RawRestApi {
  id: string;
  name: string;
  region: string;
  /** RestApi `apiKeySource`: `HEADER` (the default) or `AUTHORIZER`. */
  apiKeySource?: string;
  stage: SdkStage & { stageName: string };
  authorizers: RestAuthorizer[];
  resources: SdkResource[];
  gatewayResponses: SdkGatewayResponse[];
}

const ACAO = 'method.response.header.access-control-allow-origin';

/**
 * The current (not necessarily deployed) configuration as an AuthModel.
 *
 * AWS_IAM is not an authorizer resource in AWS; methods with `authorizationType: AWS_IAM` point to a
 * pseudo-authorizer named `sigv4`, the name API Gateway's exports give the IAM security scheme, so that the live
 * model and the export model of one deployment are equal.
 *
 * @throws UnsupportedAuthorizerError for an authorizer type, identity source or method authorization type we do
 *   not know (never read as "no auth")
 */
export function buildModelFromAws(raw: RawRestApi): AuthModel {
  const file = `restapis/${raw.id}`;
  const byId = new Map<string, Authorizer>();
  for (const sdk of raw.authorizers) {
    byId.set(sdk.id ?? '', toAuthorizer(sdk, file));
  }

  const routes: Route[] = [];
  let usesIam = false;
  for (const resource of raw.resources) {
    const path = resource.path ?? '/';
    for (const [key, method] of Object.entries(resource.resourceMethods ?? {})) {
      const verb = (method.httpMethod ?? key).toUpperCase();
      if (!isRouteMethod(verb)) continue;
      const location = `resources/${resource.id ?? '?'}/methods/${verb}`;
      const route = toRoute(verb, path, method, byId, file, location);
      if (
        route.authorization.type === 'AUTHORIZER' &&
        route.authorization.authorizer === AWS_IAM_AUTHORIZER_NAME
      ) {
        usesIam = true;
      }
      routes.push(route);
    }
  }
  const cors = readCors(raw.resources);

  const authorizers = [...byId.values()];
  if (usesIam && !authorizers.some((authorizer) => authorizer.name === AWS_IAM_AUTHORIZER_NAME)) {
    authorizers.push(iamAuthorizer());
  }

  const model: AuthModel = {
    // HEADER is the default and stays out of the model, as the export reader does, so both models are equal.
    api: {
      name: raw.name,
      id: raw.id,
      region: raw.region,
      ...(raw.apiKeySource === 'AUTHORIZER' ? { apiKeySource: 'AUTHORIZER' as const } : {}),
    },
    stage: {
      name: raw.stage.stageName,
      baseUrl: `https://${raw.id}.execute-api.${raw.region}.amazonaws.com/${raw.stage.stageName}`,
      variables: { ...(raw.stage.variables ?? {}) },
      ...(raw.stage.deploymentId ? { deploymentId: raw.stage.deploymentId } : {}),
    },
    authorizers,
    routes,
    gatewayResponses: raw.gatewayResponses.flatMap((response) => toGatewayResponse(response)),
    ...(cors === undefined ? {} : { cors: { allowOrigin: cors } }),
  };
  return canonicalizeModel(model);
}

function isRouteMethod(verb: string): verb is RouteMethod {
  return verb === 'ANY' || (HTTP_METHODS as readonly string[]).includes(verb);
}

function toAuthorizer(sdk: RestAuthorizer, file: string): Authorizer {
  const name = sdk.name ?? sdk.id ?? '';
  const location = `authorizers/${sdk.id ?? name}`;
  const kind = authorizerKind(sdk.type, file, location);
  // A JWT authorizer reads `Authorization` unless told otherwise, as the export reader assumes.
  const sources =
    kind === 'JWT' && !sdk.identitySource
      ? 'method.request.header.Authorization'
      : (sdk.identitySource ?? '');
  const identitySources: IdentitySource[] = splitIdentitySources(sources).map((expression) => {
    const parsed = parseIdentitySource(expression);
    if (!parsed) {
      throw new UnsupportedAuthorizerError(
        `Authorizer ${name} has an identity source we cannot read: ${expression}.`,
        {
          file,
          location,
          fix: 'use method.request.header.X, method.request.querystring.X, stageVariables.X or context.X.',
        },
      );
    }
    return parsed;
  });
  if (kind === 'JWT' && (identitySources.length !== 1 || identitySources[0]?.location !== 'header')) {
    throw new UnsupportedAuthorizerError(
      `JWT authorizer ${name} must read one header, not ${JSON.stringify(sdk.identitySource)}.`,
      {
        file,
        location,
        fix: 'set identitySource to method.request.header.Authorization (or another header).',
      },
    );
  }
  const lambda = kind === 'TOKEN' || kind === 'REQUEST';
  if (lambda && !isValidTtl(sdk.authorizerResultTtlInSeconds)) {
    throw new UnsupportedAuthorizerError(
      `Authorizer ${name} has an invalid authorizerResultTtlInSeconds: ${String(sdk.authorizerResultTtlInSeconds)}.`,
      { file, location, fix: 'set a TTL from 0 to 3600 seconds.' },
    );
  }
  const userPools: UserPoolRef[] =
    kind === 'COGNITO_USER_POOLS'
      ? (sdk.providerARNs ?? []).map((arn) => {
          const pool = parseUserPoolArn(arn);
          if (!pool) {
            throw new UnsupportedAuthorizerError(
              `Authorizer ${name} has a provider ARN that is not a user pool: ${arn}.`,
              {
                file,
                location,
                fix: 'use arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID.',
              },
            );
          }
          return pool;
        })
      : [];
  return {
    name,
    kind,
    identitySources,
    ...(kind !== 'REQUEST' && kind !== 'JWT' && sdk.identityValidationExpression
      ? { validationExpression: sdk.identityValidationExpression }
      : {}),
    ttlSeconds: lambda ? resolveTtl(sdk.authorizerResultTtlInSeconds) : 0,
    ...(lambda && sdk.authorizerUri ? { lambdaUri: sdk.authorizerUri } : {}),
    userPools,
    ...(kind === 'JWT' ? { jwt: jwtSettingsOf(sdk.jwtConfiguration, name, file, location) } : {}),
  };
}

function jwtSettingsOf(value: unknown, name: string, file: string, at: string): JwtSettings {
  return restJwtSettings(value, ['jwtConfiguration'], (path, message, fix) => {
    throw new UnsupportedAuthorizerError(`JWT authorizer ${name}: ${message}.`, {
      file,
      location: [at, ...path.map(String)].join('/'),
      fix,
    });
  });
}

function authorizerKind(type: string | undefined, file: string, location: string): AuthorizerKind {
  if (type === 'TOKEN' || type === 'REQUEST' || type === 'COGNITO_USER_POOLS' || type === 'JWT') return type;
  throw new UnsupportedAuthorizerError(`Unknown authorizer type: ${String(type)}.`, {
    file,
    location,
    fix: 'apigw-authz reads TOKEN, REQUEST, COGNITO_USER_POOLS and JWT authorizers.',
  });
}

function toRoute(
  verb: RouteMethod,
  path: string,
  method: SdkMethod,
  byId: Map<string, Authorizer>,
  file: string,
  location: string,
): Route {
  const type = (method.authorizationType ?? 'NONE').toUpperCase();
  const apiKeyRequired = method.apiKeyRequired === true;
  if (type === 'NONE') return { method: verb, path, authorization: { type: 'NONE' }, apiKeyRequired };
  if (type === 'AWS_IAM') {
    return {
      method: verb,
      path,
      authorization: { type: 'AUTHORIZER', authorizer: AWS_IAM_AUTHORIZER_NAME, scopes: [] },
      apiKeyRequired,
    };
  }
  if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS' || type === 'JWT') {
    const authorizer = byId.get(method.authorizerId ?? '');
    if (!authorizer) {
      throw new UnsupportedAuthorizerError(
        `${verb} ${path} uses authorizer ${String(method.authorizerId)}, which GetAuthorizers did not return.`,
        { file, location, fix: 'attach an existing authorizer to the method.' },
      );
    }
    if (type === 'JWT' && authorizer.kind !== 'JWT') {
      throw new UnsupportedAuthorizerError(
        `${verb} ${path} has authorizationType JWT, but authorizer ${authorizer.name} is ${authorizer.kind}.`,
        {
          file,
          location,
          fix: 'attach a JWT authorizer, or set the authorization type the authorizer needs.',
        },
      );
    }
    const scopes =
      authorizer.kind === 'COGNITO_USER_POOLS' || authorizer.kind === 'JWT'
        ? [...new Set(method.authorizationScopes ?? [])]
        : [];
    return {
      method: verb,
      path,
      authorization: { type: 'AUTHORIZER', authorizer: authorizer.name, scopes },
      apiKeyRequired,
    };
  }
  throw new UnsupportedAuthorizerError(`${verb} ${path} has an unknown authorizationType: ${type}.`, {
    file,
    location,
    fix: 'apigw-authz reads NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS and JWT.',
  });
}

/**
 * The API's CORS origin, read as the export reader reads it: a static `Access-Control-Allow-Origin` mapped in an
 * integration response (first in path, then export-key order), else `*` when a method or integration response
 * only declares the header, else undefined.
 */
function readCors(resources: SdkResource[]): string | undefined {
  let declared = false;
  const sorted = [...resources].sort((a, b) => compare(a.path ?? '/', b.path ?? '/'));
  for (const resource of sorted) {
    const methods = Object.values(resource.resourceMethods ?? {}).sort((a, b) =>
      compare(exportKey(a.httpMethod ?? ''), exportKey(b.httpMethod ?? '')),
    );
    for (const method of methods) {
      const responses = method.methodIntegration?.integrationResponses ?? {};
      for (const status of Object.keys(responses).sort(compare)) {
        for (const [name, value] of Object.entries(responses[status]?.responseParameters ?? {})) {
          if (name.toLowerCase() !== ACAO) continue;
          const origin = staticValue(value);
          if (origin !== undefined) return origin;
          declared = true;
        }
      }
      for (const response of Object.values(method.methodResponses ?? {})) {
        if (Object.keys(response.responseParameters ?? {}).some((name) => name.toLowerCase() === ACAO))
          declared = true;
      }
    }
  }
  return declared ? '*' : undefined;
}

/** The operation key an export uses for a method, which fixes the order the export reader visits them in. */
function exportKey(httpMethod: string): string {
  return httpMethod.toUpperCase() === 'ANY' ? 'x-amazon-apigateway-any-method' : httpMethod.toLowerCase();
}

function toGatewayResponse(sdk: SdkGatewayResponse): GatewayResponse[] {
  // GetGatewayResponses lists every type; only the customized ones belong in the model (as in an export).
  if (sdk.defaultResponse !== false) return [];
  const type = sdk.responseType;
  if (!type || !(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) return [];
  const status = sdk.statusCode === undefined ? undefined : Number(sdk.statusCode);
  return [
    {
      type: type as GatewayResponseType,
      ...(status !== undefined && Number.isInteger(status) ? { statusCode: status } : {}),
      headers: parseGatewayResponseHeaders(sdk.responseParameters ?? {}),
      templates: sortedRecord(sdk.responseTemplates ?? {}),
    },
  ];
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort(compare)
      .map((key) => [key, record[key] ?? '']),
  );
}
