/**
 * Pure parsers for the strings API Gateway stores in authorizers, methods and gateway responses. Shared by the
 * export reader and the live AWS reader so that both sources turn the same configuration into the same model.
 */

import {
  DEFAULT_ROUTE_PATH,
  HTTP_METHODS,
  JWT_ALGORITHMS,
  PAYLOAD_FORMATS,
  type AuthModel,
  type Authorizer,
  type GatewayResponse,
  type GatewayResponseHeader,
  type IdentitySource,
  type IdentitySourceLocation,
  type JwtAlgorithm,
  type PayloadFormat,
  type Route,
  type RouteMethod,
  type UserPoolRef,
} from './types.js';

/** API Gateway's default `authorizerResultTtlInSeconds` when an authorizer does not set one. */
export const DEFAULT_TTL_SECONDS = 300;
/** The largest TTL API Gateway accepts for a Lambda authorizer. */
export const MAX_TTL_SECONDS = 3600;

/**
 * Splits an `identitySource` list (`"method.request.header.A, method.request.querystring.b"`) into expressions.
 *
 * @param list - the comma-separated string as API Gateway stores it
 * @returns the trimmed expressions, empty entries dropped, in source order
 */
export function splitIdentitySources(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

// Order matters only for readability: the prefixes do not overlap. `multivalueheader`/`multivaluequerystring`
// are integration mapping expressions, not documented identity sources, so they are deliberately absent.
const IDENTITY_SOURCE_PREFIXES: ReadonlyArray<[string, IdentitySourceLocation]> = [
  ['method.request.header.', 'header'],
  ['method.request.querystring.', 'querystring'],
  ['stageVariables.', 'stageVariable'],
  ['context.', 'context'],
];

// A name is one token: no whitespace, no comma (a comma means the caller did not split the list).
const IDENTITY_NAME = /^[^\s,]+$/;

/**
 * Parses one identity source expression.
 *
 * @param expression - e.g. `method.request.header.Authorization`, `stageVariables.authStage`, `context.path`
 * @returns the typed source, or undefined when the expression is not a documented identity source (path
 *   parameters, multi-value headers, typos)
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 */
export function parseIdentitySource(expression: string): IdentitySource | undefined {
  return parsePrefixed(expression, IDENTITY_SOURCE_PREFIXES);
}

/** The REST and HTTP forms differ only in their prefixes: the first prefix that matches decides the location. */
function parsePrefixed(
  expression: string,
  prefixes: ReadonlyArray<[string, IdentitySourceLocation]>,
): IdentitySource | undefined {
  const trimmed = expression.trim();
  for (const [prefix, location] of prefixes) {
    if (!trimmed.startsWith(prefix)) continue;
    const name = trimmed.slice(prefix.length);
    return IDENTITY_NAME.test(name) ? { location, name, expression: trimmed } : undefined;
  }
  return undefined;
}

// HTTP APIs (v2): `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`.
const HTTP_IDENTITY_SOURCE_PREFIXES: ReadonlyArray<[string, IdentitySourceLocation]> = [
  ['$request.header.', 'header'],
  ['$request.querystring.', 'querystring'],
  ['$stageVariables.', 'stageVariable'],
  ['$context.', 'context'],
];

/**
 * Parses one HTTP API identity source expression.
 *
 * @param expression - e.g. `$request.header.Authorization`, `$context.routeKey`, `$stageVariables.tier`
 * @returns the typed source, or undefined when the expression is not an HTTP API identity source
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function parseHttpIdentitySource(expression: string): IdentitySource | undefined {
  return parsePrefixed(expression, HTTP_IDENTITY_SOURCE_PREFIXES);
}

/** An identity source list as the sources write it: a comma-separated string (exports) or an array (SAM, v2 API). */
export function identitySourceList(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? splitIdentitySources(value) : value.flatMap(splitIdentitySources);
}

const ROUTE_METHODS: ReadonlySet<string> = new Set<string>([...HTTP_METHODS, 'ANY']);
// A path starts with `/`, has no whitespace, and a greedy `{name+}` only as its last segment.
const ROUTE_PATH = /^\/[^\s]*$/;

/**
 * Parses an HTTP API route key.
 *
 * @param routeKey - `GET /pets/{petId}`, `ANY /{proxy+}`, or `$default`
 * @returns method and path (`ANY` + `DEFAULT_ROUTE_PATH` for `$default`), or undefined when it does not parse
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */
export function parseRouteKey(routeKey: string): { method: RouteMethod; path: string } | undefined {
  const trimmed = routeKey.trim();
  if (trimmed === DEFAULT_ROUTE_PATH) return { method: 'ANY', path: DEFAULT_ROUTE_PATH };
  const match = /^(\S+) (\S+)$/.exec(trimmed);
  if (!match) return undefined;
  const method = match[1]?.toUpperCase() ?? '';
  const path = match[2] ?? '';
  if (!ROUTE_METHODS.has(method) || !ROUTE_PATH.test(path)) return undefined;
  const greedy = path.indexOf('+}');
  if (greedy !== -1 && greedy !== path.length - 2) return undefined;
  return { method: method as RouteMethod, path };
}

/** The route key of a route: `GET /pets`, or `$default`. */
export function routeKeyOf(route: Pick<Route, 'method' | 'path'>): string {
  return route.path === DEFAULT_ROUTE_PATH ? DEFAULT_ROUTE_PATH : `${route.method} ${route.path}`;
}

/** Whether `value` is a JWT algorithm a REST JWT authorizer may allow. */
export function isJwtAlgorithm(value: unknown): value is JwtAlgorithm {
  return typeof value === 'string' && (JWT_ALGORITHMS as readonly string[]).includes(value);
}

/** Whether `value` is an HTTP Lambda authorizer payload format (`1.0` or `2.0`; numbers as YAML writes them too). */
export function parsePayloadFormat(value: unknown): PayloadFormat | undefined {
  const text = typeof value === 'number' ? value.toFixed(1) : value;
  return (PAYLOAD_FORMATS as readonly unknown[]).includes(text) ? (text as PayloadFormat) : undefined;
}

/** One named placeholder, `${Name}` (Fn::Sub syntax): a value a template leaves unknown before deploy. */
const PLACEHOLDER = /\$\{[^{}]+\}/;
const WHOLE_PLACEHOLDER = /^\$\{[^{}]+\}$/;

/**
 * Whether a value read from a source is, or contains, a named placeholder (`${UserPool}`, `${AWS::Region}`,
 * `${stageVariables.pool}`) rather than a known fact.
 *
 * @param value - any string from the model, e.g. a user pool's region or id
 */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

// arn:aws:cognito-idp:{region}:{account_id}:userpool/{user_pool_id}; other partitions (aws-cn, aws-us-gov) too.
// The pool id may be a stage variable, which the current docs allow inside the ARN; in a template any part may be
// a named placeholder (`${AWS::Region}`, `${UserPool}`).
const ARN_PLACEHOLDER = String.raw`\$\{[^{}]+\}`;
const USER_POOL_ARN = new RegExp(
  String.raw`^arn:(?:aws(?:-[a-z]+)*|${ARN_PLACEHOLDER}):cognito-idp:([a-z]{2}(?:-[a-z]+)+-\d+|${ARN_PLACEHOLDER}):` +
    String.raw`(\d{12}|${ARN_PLACEHOLDER}):userpool\/([\w-]+_[0-9A-Za-z]+|${ARN_PLACEHOLDER})$`,
);

/**
 * Parses a Cognito user pool ARN from an authorizer's `providerARNs`.
 *
 * A part a template leaves unknown stays a named placeholder in the result (`${AWS::Region}`), and a whole ARN
 * that is one placeholder (`${UserPool.Arn}`) gives that placeholder for every part: check with `isPlaceholder`
 * before using a part as a fact (`fillUserPools` completes them from the config).
 *
 * @param arn - `arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`, or `${Name}`
 * @returns the region, account and pool id, or undefined when it is not a user pool ARN
 */
export function parseUserPoolArn(arn: string): UserPoolRef | undefined {
  const trimmed = arn.trim();
  if (WHOLE_PLACEHOLDER.test(trimmed)) {
    return { arn: trimmed, region: trimmed, accountId: trimmed, userPoolId: trimmed };
  }
  const match = USER_POOL_ARN.exec(trimmed);
  if (!match) return undefined;
  const [, region, accountId, userPoolId] = match;
  if (region === undefined || accountId === undefined || userPoolId === undefined) return undefined;
  return { arn: trimmed, region, accountId, userPoolId };
}

/** What the config knows about one Cognito authorizer's user pool (`authorizers.NAME.cognito`). */
export interface UserPoolFacts {
  userPoolId?: string;
  region?: string;
  /** `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` gives both, when the other keys are absent. */
  issuer?: string;
}

const COGNITO_ISSUER =
  /^https:\/\/cognito-idp\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?\/([\w-]+_[0-9A-Za-z]+)\/?$/;

/**
 * Completes user pools whose region or id a template left as placeholders, from what the config knows. The first
 * such pool of an authorizer takes the facts (an authorizer with several templated pools needs them in the source).
 *
 * @param model - any model; it is not modified
 * @param facts - per authorizer name
 * @returns the model with filled pools (ARN rebuilt when it had placeholders), and one warning per authorizer
 *   whose pool stays unknown
 */
export function fillUserPools(
  model: AuthModel,
  facts: Readonly<Record<string, UserPoolFacts | undefined>>,
): { model: AuthModel; warnings: string[] } {
  const warnings: string[] = [];
  const authorizers = model.authorizers.map((authorizer) => {
    if (authorizer.kind !== 'COGNITO_USER_POOLS') return authorizer;
    const known = facts[authorizer.name] ?? {};
    const fromIssuer = known.issuer === undefined ? undefined : COGNITO_ISSUER.exec(known.issuer.trim());
    const region = known.region ?? fromIssuer?.[1];
    const userPoolId = known.userPoolId ?? fromIssuer?.[2];
    let used = false;
    const userPools = authorizer.userPools.map((given) => {
      // `userpool/${stageVariables.pool}` (allowed by API Gateway): the stage's variable, when the source has it.
      const variable = /^\$\{stageVariables\.([\w.-]+)\}$/.exec(given.userPoolId)?.[1];
      const staged = variable === undefined ? undefined : model.stage.variables[variable];
      const pool =
        staged === undefined
          ? given
          : { ...given, userPoolId: staged, arn: given.arn.replace(given.userPoolId, staged) };
      if (!isPlaceholder(pool.region) && !isPlaceholder(pool.userPoolId)) return pool;
      const filled: UserPoolRef = {
        ...pool,
        region: !used && region !== undefined && isPlaceholder(pool.region) ? region : pool.region,
        userPoolId:
          !used && userPoolId !== undefined && isPlaceholder(pool.userPoolId) ? userPoolId : pool.userPoolId,
      };
      used = true;
      const unknown = [
        isPlaceholder(filled.userPoolId) ? 'userPoolId' : undefined,
        isPlaceholder(filled.region) ? 'region' : undefined,
      ].filter((k) => k !== undefined);
      if (unknown.length > 0) {
        // A configured issuer (a local stand-in's) is what serve checks tokens against: the pool is not needed.
        if (known.issuer !== undefined) return filled;
        warnings.push(
          `The user pool of Cognito authorizer "${authorizer.name}" is a template value (${pool.arn}): its ` +
            `${unknown.join(' and ')} ${unknown.length > 1 ? 'are' : 'is'} unknown, so tokens cannot be fetched ` +
            `from it nor checked against it. Set authorizers.${authorizer.name}.cognito.${unknown.join(' and .')} ` +
            '(or cognito.issuer) in the config.',
        );
        return filled;
      }
      // The ARN is rebuilt only when every part is known; else it keeps naming the template's value.
      if (isPlaceholder(filled.accountId)) return filled;
      const partition = /^arn:(aws(?:-[a-z]+)*):/.exec(pool.arn)?.[1] ?? 'aws';
      return {
        ...filled,
        arn: `arn:${partition}:cognito-idp:${filled.region}:${filled.accountId}:userpool/${filled.userPoolId}`,
      };
    });
    return { ...authorizer, userPools };
  });
  return { model: { ...model, authorizers }, warnings };
}

const GATEWAY_RESPONSE_HEADER_PREFIX = 'gatewayresponse.header.';

/**
 * Reads the headers of a gateway response from its `responseParameters`.
 *
 * @param responseParameters - `gatewayresponse.header.Name` -> `'static value'` or a `method.request.*` reference;
 *   keys that do not set a header are ignored
 * @returns the headers sorted by name; static values lose their single quotes
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseParameters.html
 */
export function parseGatewayResponseHeaders(
  responseParameters: Record<string, string>,
): GatewayResponseHeader[] {
  const headers: GatewayResponseHeader[] = [];
  for (const [key, raw] of Object.entries(responseParameters)) {
    if (!key.startsWith(GATEWAY_RESPONSE_HEADER_PREFIX)) continue;
    const name = key.slice(GATEWAY_RESPONSE_HEADER_PREFIX.length);
    if (name === '') continue;
    const value = staticValue(raw);
    headers.push(value === undefined ? { name, reference: raw.trim() } : { name, value });
  }
  return headers.sort((a, b) => compare(a.name, b.name));
}

/**
 * The value of a static mapping (`'*'` -> `*`), or undefined when the mapping is a reference.
 *
 * @param raw - a `responseParameters` value as API Gateway stores it
 */
export function staticValue(raw: string): string | undefined {
  const trimmed = raw.trim();
  return trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")
    ? trimmed.slice(1, -1)
    : undefined;
}

/**
 * Whether `value` is an acceptable `authorizerResultTtlInSeconds`: unset, or an integer from 0 to 3600 (as a
 * number or a string of digits).
 */
export function isValidTtl(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_TTL_SECONDS;
}

/**
 * The effective cache TTL of a Lambda authorizer.
 *
 * @param value - `authorizerResultTtlInSeconds` as found in the source; unset means API Gateway's default
 * @returns 300 when unset, else the value (0 disables caching)
 * @throws RangeError when the value is not valid (check with `isValidTtl` first to report it with a location)
 */
export function resolveTtl(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_TTL_SECONDS;
  if (!isValidTtl(value)) throw new RangeError(`Invalid authorizerResultTtlInSeconds: ${String(value)}`);
  return Number(value);
}

/** Plain code-unit comparison: the same order on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Puts a model in its canonical order so that equal configurations give byte-equal output: authorizers by name,
 * routes by path then method, gateway responses by type (and their headers by name).
 *
 * @param model - any model; it is not modified
 * @returns a copy with sorted arrays
 */
export function canonicalizeModel(model: AuthModel): AuthModel {
  const authorizers: Authorizer[] = [...model.authorizers].sort((a, b) => compare(a.name, b.name));
  const routes: Route[] = [...model.routes].sort(
    (a, b) => compare(a.path, b.path) || compare(a.method, b.method),
  );
  const gatewayResponses: GatewayResponse[] = [...model.gatewayResponses]
    .sort((a, b) => compare(a.type, b.type))
    .map((response) => ({
      ...response,
      headers: [...response.headers].sort((a, b) => compare(a.name, b.name)),
    }));
  // One key order for `api` whichever source built it, so that serialized models compare byte for byte.
  const { kind, name, id, region, apiKeySource } = model.api;
  const api: AuthModel['api'] = {
    ...(kind === undefined ? {} : { kind }),
    name,
    ...(id === undefined ? {} : { id }),
    ...(region === undefined ? {} : { region }),
    ...(apiKeySource === undefined ? {} : { apiKeySource }),
  };
  return { ...model, api, authorizers, routes, gatewayResponses };
}

/**
 * The file-name slug of an API: `Pet Store (v2)` -> `pet-store-v2`.
 *
 * @param name - the API name (`info.title` or the RestApi name)
 * @returns lowercase letters, digits and single dashes; `api` when nothing is left
 */
export function apiSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'api' : slug;
}

/** The AWS partition of a region (`aws-cn` for China, `aws-us-gov` for GovCloud), as `AWS::Partition` gives it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The domain suffix of a region's endpoints, as `AWS::URLSuffix` gives it; `amazonaws.com` when unknown. */
export function urlSuffixOf(region: string | undefined): string {
  return region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The fix for a validation regex that does not compile, whichever source it came from. */
export const INVALID_REGEX_FIX =
  'Correct the pattern, and anchor it with ^...$ so it means the same under full and partial matching.';

/**
 * Why an authorizer's validation regex does not compile: generate refuses such a pattern, doctor reports it.
 *
 * @param pattern - the expression as the source writes it
 * @returns the engine's reason (`Unterminated group`), or undefined when it compiles
 */
export function regexSyntaxError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (err) {
    return err instanceof Error
      ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')
      : String(err);
  }
}

/**
 * The name API Gateway exports give the IAM security scheme (`"sigv4": {"x-amazon-apigateway-authtype": "awsSigv4"}`).
 * AWS_IAM is not an authorizer resource in AWS, so a reader of the live API names its pseudo-authorizer this way
 * to produce the same model as the export of the same deployment.
 */
export const AWS_IAM_AUTHORIZER_NAME = 'sigv4';

/** The IAM pseudo-authorizer a reader lists when a method uses AWS_IAM (a new object on each call). */
export function iamAuthorizer(): Authorizer {
  return {
    name: AWS_IAM_AUTHORIZER_NAME,
    kind: 'AWS_IAM',
    identitySources: [],
    ttlSeconds: 0,
    userPools: [],
  };
}

/** A JSON object (not null, not an array): what every source reader checks before it reads keys. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
