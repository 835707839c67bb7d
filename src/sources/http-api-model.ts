/**
 * The one place an HTTP API (v2) becomes an AuthModel. The export reader, the CloudFormation/SAM reader and the
 * live `apigatewayv2` reader each collect the API's parts in the control plane's own shape (`AuthorizerType`,
 * `IdentitySource`, `JwtConfiguration`, `RouteKey`, ...) and end here, so that one API gives one model, and one
 * collection, whichever source described it.
 */

import {
  AWS_IAM_AUTHORIZER_NAME,
  DEFAULT_TTL_SECONDS,
  canonicalizeModel,
  iamAuthorizer,
  identitySourceList,
  isObject,
  isValidTtl,
  parseHttpIdentitySource,
  parsePayloadFormat,
  parseRouteKey,
  resolveTtl,
} from '../model/parse.js';
import {
  HTTP_JWT_ALGORITHMS,
  JWT_ALGORITHMS,
  type AuthModel,
  type Authorizer,
  type IdentitySource,
  type JwtAlgorithm,
  type JwtClaimRule,
  type JwtIssuer,
  type JwtSettings,
  type Route,
} from '../model/types.js';

/** A place in the source document, as segments below the reader's own root (the reader adds its prefix). */
export type PartPath = ReadonlyArray<string | number>;

/**
 * Reports bad input at `path` and never returns: each reader throws its own InputError subclass with its own
 * file and pointer (`#/components/securitySchemes/Jwt/...`, `Resources.Auth.Properties...`, `GetAuthorizers`).
 */
export type FailAt = (path: PartPath, message: string, fix: string) => never;

/** An HTTP API authorizer as the v2 control plane describes it (`GetAuthorizers` items, `AWS::ApiGatewayV2::Authorizer`). */
export interface HttpAuthorizerParts {
  /** The authorizer name (the security scheme name in an export; the `Name` in AWS). */
  name: string;
  /** Where it was read, for errors. */
  path: PartPath;
  /** `JWT` or `REQUEST` (any case). */
  authorizerType: unknown;
  /** A list (v2 API, CloudFormation, SAM) or a comma-separated string (exports). */
  identitySource?: unknown;
  /** `{Issuer, Audience}` in any key case (`issuer`/`audience` in exports). */
  jwtConfiguration?: unknown;
  authorizerUri?: unknown;
  authorizerPayloadFormatVersion?: unknown;
  enableSimpleResponses?: unknown;
  authorizerResultTtlInSeconds?: unknown;
}

/** An HTTP API route (`GetRoutes` items, `AWS::ApiGatewayV2::Route`, an export operation). */
export interface HttpRouteParts {
  /** `GET /pets/{id}`, `ANY /{proxy+}`, `$default`. */
  routeKey: string;
  path: PartPath;
  /** `NONE` | `AWS_IAM` | `CUSTOM` | `JWT` (any case); absent means `NONE`. */
  authorizationType?: unknown;
  /** The authorizer's name (readers resolve ids to names). */
  authorizer?: string;
  authorizationScopes?: unknown;
}

export interface HttpApiParts {
  name: string;
  id?: string;
  region?: string;
  stage: AuthModel['stage'];
  authorizers: HttpAuthorizerParts[];
  routes: HttpRouteParts[];
  /** `CorsConfiguration` / `x-amazon-apigateway-cors`, keys in any case. */
  cors?: unknown;
}

/** The key of `record` that is `key` case-insensitively, as the source spells it (SAM lowercases, CloudFormation does not). */
export function keyOf(record: Record<string, unknown>, key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.keys(record).find((name) => name.toLowerCase() === lower);
}

/** The value of `key` in `record`, matching the key case-insensitively (see `keyOf`). */
export function valueOf(record: Record<string, unknown>, key: string): unknown {
  const name = keyOf(record, key);
  return name === undefined ? undefined : record[name];
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/**
 * The JWT settings of an HTTP API authorizer's `JwtConfiguration` (`{Issuer, Audience}`).
 *
 * @param value - the configuration, keys in any case
 * @param path - where it was read
 * @param fail - the reader's error reporter
 */
export function httpJwtSettings(value: unknown, path: PartPath, fail: FailAt): JwtSettings {
  if (!isObject(value)) {
    fail(
      path,
      'a JWT authorizer needs jwtConfiguration with issuer and audience',
      'Add jwtConfiguration: {issuer, audience}.',
    );
  }
  const issuer = valueOf(value, 'issuer');
  if (typeof issuer !== 'string' || issuer.trim() === '') {
    fail(
      [...path, 'issuer'],
      'a JWT authorizer needs an issuer URL',
      "Set the JWT configuration's issuer to the URL your tokens carry in `iss`.",
    );
  }
  const audience = valueOf(value, 'audience');
  if (!Array.isArray(audience) || !audience.every((a) => typeof a === 'string')) {
    fail(
      [...path, 'audience'],
      `audience must be a list of strings, not ${JSON.stringify(audience) ?? 'nothing'}`,
      'Write audience as a list, e.g. audience: [my-client-id].',
    );
  }
  return {
    issuers: [{ issuer, audiences: [...(audience as string[])], claims: [] }],
    algorithms: [...HTTP_JWT_ALGORITHMS],
  };
}

/**
 * The JWT settings of a REST API JWT authorizer's `jwtConfiguration` (`{defaultAlgorithms, issuers[]}`), or of
 * the HTTP shape (`{issuer, audience}`) when a REST export writes that one: both are documented.
 */
export function restJwtSettings(value: unknown, path: PartPath, fail: FailAt): JwtSettings {
  if (isObject(value) && valueOf(value, 'issuers') === undefined && valueOf(value, 'issuer') !== undefined) {
    const http = httpJwtSettings(value, path, fail);
    return { ...http, algorithms: ['RS256'] };
  }
  if (!isObject(value)) {
    fail(
      path,
      'a JWT authorizer needs jwtConfiguration with issuers',
      'Add jwtConfiguration: {defaultAlgorithms, issuers}.',
    );
  }
  const issuers = valueOf(value, 'issuers');
  if (!Array.isArray(issuers) || issuers.length === 0) {
    fail(
      [...path, 'issuers'],
      'a JWT authorizer needs at least one issuer',
      'Add issuers: [{issuer, audiences}].',
    );
  }
  const algorithms = stringList(valueOf(value, 'defaultAlgorithms')) ?? ['RS256'];
  for (const [i, alg] of algorithms.entries()) {
    if (!(JWT_ALGORITHMS as readonly string[]).includes(alg)) {
      fail(
        [...path, 'defaultAlgorithms', i],
        `unknown algorithm ${JSON.stringify(alg)}`,
        `Use one of ${JWT_ALGORITHMS.join(', ')}.`,
      );
    }
  }
  return {
    issuers: (issuers as unknown[]).map((entry, i) => restIssuer(entry, [...path, 'issuers', i], fail)),
    algorithms: algorithms as JwtAlgorithm[],
  };
}

function restIssuer(entry: unknown, path: PartPath, fail: FailAt): JwtIssuer {
  if (!isObject(entry))
    fail(path, 'an issuer must be an object {issuer, audiences}', 'Write {issuer: URL, audiences: [...]}.');
  const issuer = valueOf(entry, 'issuer');
  if (typeof issuer !== 'string' || issuer.trim() === '') {
    fail([...path, 'issuer'], 'a JWT issuer needs its URL', 'Set issuer to the token issuer (`iss`).');
  }
  const audiences = valueOf(entry, 'audiences') ?? valueOf(entry, 'audience');
  if (!Array.isArray(audiences) || !audiences.every((a) => typeof a === 'string')) {
    fail(
      [...path, 'audiences'],
      `audiences must be a list of strings, not ${JSON.stringify(audiences) ?? 'nothing'}`,
      'Write audiences: [my-client-id].',
    );
  }
  const rawClaims = valueOf(entry, 'additionalClaims') ?? [];
  if (!Array.isArray(rawClaims))
    fail(
      [...path, 'additionalClaims'],
      'additionalClaims must be a list',
      'Write additionalClaims: [{claimName, format, ...}].',
    );
  const claims = rawClaims.map((claim, i): JwtClaimRule => {
    const at = [...path, 'additionalClaims', i];
    if (!isObject(claim))
      fail(at, 'a claim rule must be an object', 'Write {claimName, format: SINGLE_STRING}.');
    const name = valueOf(claim, 'claimName');
    if (typeof name !== 'string' || name === '')
      fail([...at, 'claimName'], 'a claim rule needs claimName', 'Set claimName.');
    const values = stringList(valueOf(claim, 'expectedValues')) ?? [];
    return { name, values, required: valueOf(claim, 'required') === true };
  });
  return { issuer, audiences: [...(audiences as string[])], claims };
}

function httpIdentitySources(value: unknown, path: PartPath, fail: FailAt): IdentitySource[] {
  if (value === undefined || value === null) return [];
  const list =
    typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      ? identitySourceList(value as string | string[])
      : fail(
          path,
          'identitySource must be a string or a list of strings',
          'Write e.g. $request.header.Authorization.',
        );
  return list.map((expression, i) => {
    const parsed = parseHttpIdentitySource(expression);
    if (parsed === undefined) {
      fail(
        [...path, i],
        `${JSON.stringify(expression)} is not an HTTP API identity source`,
        'Use $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME.',
      );
    }
    return parsed;
  });
}

function authorizerOf(parts: HttpAuthorizerParts, fail: FailAt): Authorizer {
  const type = typeof parts.authorizerType === 'string' ? parts.authorizerType.toUpperCase() : '';
  const identitySources = httpIdentitySources(parts.identitySource, [...parts.path, 'identitySource'], fail);
  if (type === 'JWT') {
    if (
      identitySources.length !== 1 ||
      identitySources[0]?.location === 'context' ||
      identitySources[0]?.location === 'stageVariable'
    ) {
      fail(
        [...parts.path, 'identitySource'],
        'a JWT authorizer reads its token from exactly one header or query parameter',
        'Set identitySource to one entry, e.g. $request.header.Authorization.',
      );
    }
    return {
      name: parts.name,
      kind: 'JWT',
      identitySources,
      ttlSeconds: 0,
      userPools: [],
      jwt: httpJwtSettings(parts.jwtConfiguration, [...parts.path, 'jwtConfiguration'], fail),
    };
  }
  if (type === 'REQUEST') {
    const payloadFormat = parsePayloadFormat(parts.authorizerPayloadFormatVersion);
    if (payloadFormat === undefined) {
      fail(
        [...parts.path, 'authorizerPayloadFormatVersion'],
        `unknown payload format version ${JSON.stringify(parts.authorizerPayloadFormatVersion) ?? '(none)'}`,
        'Set authorizerPayloadFormatVersion to "1.0" or "2.0".',
      );
    }
    const simpleResponses = parts.enableSimpleResponses === true || parts.enableSimpleResponses === 'true';
    if (simpleResponses && payloadFormat === '1.0') {
      fail(
        [...parts.path, 'enableSimpleResponses'],
        'simple responses need payload format 2.0',
        'Set authorizerPayloadFormatVersion to "2.0", or enableSimpleResponses to false.',
      );
    }
    const ttl = parts.authorizerResultTtlInSeconds;
    if (ttl !== undefined && !isValidTtl(ttl)) {
      fail(
        [...parts.path, 'authorizerResultTtlInSeconds'],
        `TTL ${JSON.stringify(ttl)} is not 0-3600 seconds`,
        'Set a whole number of seconds from 0 to 3600.',
      );
    }
    return {
      name: parts.name,
      kind: 'HTTP_LAMBDA',
      identitySources,
      // Undocumented API default; the console and CDK use 300 (see the README).
      ttlSeconds: ttl === undefined ? DEFAULT_TTL_SECONDS : resolveTtl(ttl),
      ...(typeof parts.authorizerUri === 'string' ? { lambdaUri: parts.authorizerUri } : {}),
      userPools: [],
      httpLambda: { payloadFormat, simpleResponses },
    };
  }
  return fail(
    [...parts.path, 'type'],
    `unknown HTTP API authorizer type ${JSON.stringify(parts.authorizerType) ?? '(none)'}`,
    'HTTP API authorizers are of type jwt or request.',
  );
}

function routeOf(parts: HttpRouteParts, authorizers: ReadonlyMap<string, Authorizer>, fail: FailAt): Route {
  const key = parseRouteKey(parts.routeKey);
  if (key === undefined) {
    fail(
      parts.path,
      `route key ${JSON.stringify(parts.routeKey)} does not parse`,
      'Write METHOD /path (e.g. GET /pets/{id}, ANY /{proxy+}) or $default.',
    );
  }
  const type = typeof parts.authorizationType === 'string' ? parts.authorizationType.toUpperCase() : 'NONE';
  const scopes = stringList(parts.authorizationScopes) ?? [];
  // Key order as the REST readers write routes, so that serialized models look alike.
  const route = (authorization: Route['authorization']): Route => ({
    method: key.method,
    path: key.path,
    authorization,
    apiKeyRequired: false,
  });
  if (type === 'NONE') return route({ type: 'NONE' });
  if (type === 'AWS_IAM') {
    return route({ type: 'AUTHORIZER', authorizer: AWS_IAM_AUTHORIZER_NAME, scopes: [] });
  }
  if (type !== 'JWT' && type !== 'CUSTOM') {
    fail(
      [...parts.path, 'authorizationType'],
      `unknown authorization type ${JSON.stringify(parts.authorizationType)}`,
      'Use NONE, AWS_IAM, CUSTOM or JWT.',
    );
  }
  const authorizer = parts.authorizer === undefined ? undefined : authorizers.get(parts.authorizer);
  if (authorizer === undefined) {
    fail(
      [...parts.path, 'authorizerId'],
      `the route uses authorizer ${JSON.stringify(parts.authorizer ?? '(none)')}, which the API does not define`,
      "Point the route at one of the API's authorizers.",
    );
  }
  const expected = type === 'JWT' ? 'JWT' : 'HTTP_LAMBDA';
  if (authorizer.kind !== expected) {
    fail(
      [...parts.path, 'authorizationType'],
      `authorization type ${type} needs a ${type === 'JWT' ? 'JWT' : 'Lambda (REQUEST)'} authorizer, but ${authorizer.name} is not one`,
      type === 'JWT'
        ? 'Use a JWT authorizer, or set the type to CUSTOM.'
        : 'Use a REQUEST authorizer, or set the type to JWT.',
    );
  }
  // Scopes apply to JWT authorizers only; API Gateway ignores them on Lambda routes.
  return route({
    type: 'AUTHORIZER',
    authorizer: authorizer.name,
    scopes: expected === 'JWT' ? [...scopes] : [],
  });
}

function corsOf(value: unknown): AuthModel['cors'] {
  if (!isObject(value)) return undefined;
  const origins = stringList(valueOf(value, 'allowOrigins')) ?? [];
  const first = origins[0];
  if (first === undefined) return undefined;
  const methods = stringList(valueOf(value, 'allowMethods'));
  const headers = stringList(valueOf(value, 'allowHeaders'));
  return {
    allowOrigin: first,
    ...(methods === undefined ? {} : { allowMethods: [...methods] }),
    ...(headers === undefined ? {} : { allowHeaders: [...headers] }),
  };
}

/**
 * Builds the canonical model of an HTTP API from its parts.
 *
 * @param parts - the API as the source read it; authorizer references already resolved to names
 * @param fail - the reader's error reporter (exit 2 with the reader's file and pointer)
 * @returns the canonical model (sorted, `api.kind: 'HTTP'`, IAM routes on the `sigv4` pseudo-authorizer)
 */
export function buildHttpApiModel(parts: HttpApiParts, fail: FailAt): AuthModel {
  const authorizers = new Map<string, Authorizer>();
  for (const entry of parts.authorizers) authorizers.set(entry.name, authorizerOf(entry, fail));
  const routes = parts.routes.map((route) => routeOf(route, authorizers, fail));
  const used = new Set(
    routes.flatMap((r) => (r.authorization.type === 'AUTHORIZER' ? [r.authorization.authorizer] : [])),
  );
  if (used.has(AWS_IAM_AUTHORIZER_NAME)) authorizers.set(AWS_IAM_AUTHORIZER_NAME, iamAuthorizer());
  const cors = corsOf(parts.cors);
  return canonicalizeModel({
    api: {
      kind: 'HTTP',
      name: parts.name,
      ...(parts.id === undefined ? {} : { id: parts.id }),
      ...(parts.region === undefined ? {} : { region: parts.region }),
    },
    stage: parts.stage,
    authorizers: [...authorizers.values()],
    routes,
    gatewayResponses: [],
    ...(cors === undefined ? {} : { cors }),
  });
}
