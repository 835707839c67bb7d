/**
 * Edits of the OpenAPI `Body` that the SAM translator makes for an `AWS::Serverless::Api`: paths and Lambda
 * integrations from function events, CORS preflight methods, security schemes and per-operation `security`.
 * Each function mirrors one step of samtranslator's `SwaggerEditor` (swagger/swagger.py, open_api/base_editor.py),
 * including its quirks, because the deployed API is what that code writes, not what its documentation implies.
 *
 * Pure: the caller owns the body object and these functions mutate it in place.
 */

import type { Json } from './values.js';
import { isObject } from '../../../model/parse.js';

export const ANY_METHOD = 'x-amazon-apigateway-any-method';
const INTEGRATION = 'x-amazon-apigateway-integration';
const GATEWAY_RESPONSES = 'x-amazon-apigateway-gateway-responses';
/** Path item keys that are not methods. */
const NON_METHOD_FIELDS = new Set(['summary', 'description', 'parameters']);
const ALL_HTTP_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];
/** The name SAM gives the IAM scheme (`DefaultAuthorizer: AWS_IAM`, `Authorizer: AWS_IAM`). */
export const SAM_IAM = 'AWS_IAM';
/** The marker an event's `Authorizer: NONE` writes; it survives in the deployed body (iac trap 5). */
export const SAM_NONE = 'NONE';
const API_KEY = 'api_key';
const API_KEY_FALSE = 'api_key_false';

/** A body that SAM cannot edit; the caller names the resource. */
export class SamBodyError extends Error {}

/** The empty Swagger 2.0 document SAM starts from when an API has no `DefinitionBody` (`gen_skeleton`). */
export function swaggerSkeleton(): Json {
  return { swagger: '2.0', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
}

/** Whether SAM accepts `doc` as an OpenAPI document it can edit (`SwaggerEditor.is_valid`). */
export function isEditableBody(doc: unknown): doc is Json {
  if (!isObject(doc) || !isObject(doc.paths)) return false;
  if (doc.swagger !== undefined && doc.swagger !== null && doc.swagger !== '' && doc.swagger !== false)
    return true;
  return isOpenApi3Version(doc.openapi);
}

/** `3.0`, `3.0.1`: what SAM accepts as an OpenAPI 3 version (`_OPENAPI_VERSION_3_REGEX`). */
export function isOpenApi3Version(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && /^3(\.\d)(\.\d)?$/.test(String(value));
}

/** `get` -> `get`, `ANY` -> `x-amazon-apigateway-any-method`. */
export function normalizeMethod(method: string): string {
  const lower = method.toLowerCase();
  return lower === 'any' ? ANY_METHOD : lower;
}

/** The branches of an `Fn::If` (without `AWS::NoValue`), or the item itself. */
export function conditionalContents(item: unknown): unknown[] {
  if (isObject(item) && 'Fn::If' in item) {
    const args = item['Fn::If'];
    if (!Array.isArray(args)) throw new SamBodyError('The value of Fn::If must be a list.');
    return args.slice(1).filter((branch) => !(isObject(branch) && branch.Ref === 'AWS::NoValue'));
  }
  return [item];
}

function makeConditional(condition: string, value: unknown): Json {
  return { 'Fn::If': [condition, value, { Ref: 'AWS::NoValue' }] };
}

function paths(doc: Json): Json {
  return doc.paths as Json;
}

function pathItems(doc: Json, path: string): Json[] {
  return conditionalContents(paths(doc)[path]).map((item) => {
    if (!isObject(item)) throw new SamBodyError(`The value of path "${path}" must be an object.`);
    return item;
  });
}

function methodDefinitions(raw: unknown, path: string, method: string): Json[] {
  return conditionalContents(raw).map((definition) => {
    if (!isObject(definition))
      throw new SamBodyError(`The definition of method "${method}" for path "${path}" must be an object.`);
    return definition;
  });
}

function hasIntegrationKey(definition: Json): boolean {
  const integration = definition[INTEGRATION];
  return (
    integration !== undefined &&
    integration !== null &&
    !(isObject(integration) && Object.keys(integration).length === 0)
  );
}

/** Every (normalized method, definition) of a path, inside conditions too; by default only integrated ones. */
export function methodsOfPath(doc: Json, path: string, onlyIntegrated = true): Array<[string, Json]> {
  const out: Array<[string, Json]> = [];
  for (const item of pathItems(doc, path)) {
    for (const [name, raw] of Object.entries(item)) {
      if (NON_METHOD_FIELDS.has(name)) continue;
      for (const definition of methodDefinitions(raw, path, name)) {
        if (onlyIntegrated && !hasIntegrationKey(definition)) continue;
        out.push([normalizeMethod(name), definition]);
      }
    }
  }
  return out;
}

/** The integrated definitions of one method of a path (`iter_on_method_definitions_for_path_at_method`). */
function definitionsAt(doc: Json, path: string, method: string): Json[] {
  const name = normalizeMethod(method);
  const out: Json[] = [];
  if (paths(doc)[path] === undefined) return out;
  for (const item of pathItems(doc, path)) {
    if (item[name] === undefined) continue;
    for (const definition of methodDefinitions(item[name], path, method)) {
      if (hasIntegrationKey(definition)) out.push(definition);
    }
  }
  return out;
}

/** Whether every branch of the path has the method with an integration (`has_integration`). */
export function hasIntegration(doc: Json, path: string, method: string): boolean {
  const name = normalizeMethod(method);
  if (paths(doc)[path] === undefined) return false;
  const items = pathItems(doc, path);
  if (items.some((item) => item[name] === undefined)) return false;
  return items.every((item) => methodDefinitions(item[name], path, method).some(hasIntegrationKey));
}

/** Adds an empty method object to the path (`add_path`). */
export function addPath(doc: Json, path: string, method: string): void {
  const name = normalizeMethod(method);
  const all = paths(doc);
  all[path] ??= {};
  if (!isObject(all[path])) throw new SamBodyError(`The value of path "${path}" must be an object.`);
  for (const item of pathItems(doc, path)) item[name] ??= {};
}

/** What an event adds: its integration, wrapped in the function's condition (`add_lambda_integration`). */
export interface IntegrationSpec {
  integration: Json;
  /** The function's `Condition`: SAM wraps the whole method in `Fn::If`. */
  condition?: string;
}

/** Adds a method with an integration; a method that already has one is an error the caller reports. */
export function addIntegration(doc: Json, path: string, method: string, spec: IntegrationSpec): void {
  const name = normalizeMethod(method);
  addPath(doc, path, method);
  for (const item of pathItems(doc, path)) {
    const definition = item[name];
    if (!isObject(definition)) continue;
    definition[INTEGRATION] = structuredClone(spec.integration);
    definition.responses ??= {};
    if (spec.condition !== undefined) item[name] = makeConditional(spec.condition, definition);
  }
}

/** The `Cors` property of an API, resolved to the translator's CorsProperties. */
export interface CorsSettings {
  allowOrigin: unknown;
  allowHeaders?: unknown;
  allowMethods?: unknown;
  maxAge?: unknown;
  allowCredentials?: boolean;
}

/** Adds a MOCK `options` method answering CORS to a path that has none (`add_cors`). */
export function addCors(doc: Json, path: string, cors: CorsSettings): void {
  for (const item of pathItems(doc, path)) {
    if (item.options !== undefined) continue;
    const allowMethods = cors.allowMethods || `'${corsMethodsOf(item)}'`;
    const parameters: Json = { 'method.response.header.Access-Control-Allow-Origin': cors.allowOrigin };
    const headers: Json = { 'Access-Control-Allow-Origin': { type: 'string' } };
    if (cors.allowHeaders) {
      parameters['method.response.header.Access-Control-Allow-Headers'] = cors.allowHeaders;
      headers['Access-Control-Allow-Headers'] = { type: 'string' };
    }
    parameters['method.response.header.Access-Control-Allow-Methods'] = allowMethods;
    headers['Access-Control-Allow-Methods'] = { type: 'string' };
    if (cors.maxAge !== undefined && cors.maxAge !== null) {
      parameters['method.response.header.Access-Control-Max-Age'] = cors.maxAge;
      headers['Access-Control-Max-Age'] = { type: 'integer' };
    }
    if (cors.allowCredentials === true) {
      parameters['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
      headers['Access-Control-Allow-Credentials'] = { type: 'string' };
    }
    item.options = {
      summary: 'CORS support',
      consumes: ['application/json'],
      produces: ['application/json'],
      [INTEGRATION]: {
        type: 'mock',
        requestTemplates: { 'application/json': '{\n  "statusCode" : 200\n}\n' },
        responses: {
          default: {
            statusCode: '200',
            responseParameters: parameters,
            responseTemplates: { 'application/json': '{}\n' },
          },
        },
      },
      responses: { '200': { description: 'Default response for CORS method', headers } },
    };
  }
}

/** `GET,OPTIONS,POST`: the path's methods plus OPTIONS, sorted; every method for ANY. */
function corsMethodsOf(item: Json): string {
  const names = Object.keys(item);
  const methods = names.includes(ANY_METHOD) ? ALL_HTTP_METHODS : [...names, 'options'];
  return [...new Set(methods.map((m) => m.toUpperCase()))].sort().join(',');
}

function securityOf(definition: Json, path: string, method: string): Json[] {
  const security = definition.security ?? [];
  if (!Array.isArray(security))
    throw new SamBodyError(`The security of method "${method}" for path "${path}" must be a list.`);
  return security.map((requirement) => {
    if (!isObject(requirement))
      throw new SamBodyError(
        `A security requirement of method "${method}" for path "${path}" is not an object.`,
      );
    return requirement;
  });
}

function securityDefinitions(doc: Json): Json {
  const current = doc.securityDefinitions;
  if (current === undefined || current === null) {
    const created: Json = {};
    doc.securityDefinitions = created;
    return created;
  }
  if (!isObject(current)) throw new SamBodyError('securityDefinitions must be an object.');
  return current;
}

/** Adds (or replaces) the security schemes of the API's authorizers (`add_authorizers_security_definitions`). */
export function addSecuritySchemes(doc: Json, schemes: ReadonlyArray<[string, Json]>): void {
  const definitions = securityDefinitions(doc);
  for (const [name, scheme] of schemes) definitions[name] = scheme;
}

/** The IAM scheme, added once; a user's own `AWS_IAM` scheme is kept (`add_awsiam_security_definition`). */
export function addIamScheme(doc: Json): void {
  const definitions = securityDefinitions(doc);
  definitions[SAM_IAM] ??= {
    'x-amazon-apigateway-authtype': 'awsSigv4',
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
  };
}

/** The API key scheme (`x-api-key` header), added once (`add_apikey_security_definition`). */
export function addApiKeyScheme(doc: Json): void {
  const definitions = securityDefinitions(doc);
  definitions[API_KEY] ??= { type: 'apiKey', name: 'x-api-key', in: 'header' };
}

/** An event's `Auth` as SAM reads it. */
export interface MethodAuth {
  authorizer?: string;
  scopes?: unknown[];
  apiKeyRequired?: boolean;
}

/**
 * Writes an event's authorizer and API key setting onto its method (`add_auth_to_method`): the authorizer's own
 * `AuthorizationScopes` unless the event names scopes; scopes only for authorizers the API defines.
 */
export function addAuthToMethod(
  doc: Json,
  path: string,
  method: string,
  auth: MethodAuth,
  apiAuthorizers: Json | undefined,
): void {
  if (auth.authorizer !== undefined) {
    const name = auth.authorizer;
    for (const definition of definitionsAt(doc, path, method)) {
      let scopes: unknown = [];
      if (name !== SAM_NONE && apiAuthorizers !== undefined) {
        const configured = apiAuthorizers[name];
        if (configured !== undefined && configured !== null && !isObject(configured))
          throw new SamBodyError(`The authorizer "${name}" must be an object.`);
        const own = isObject(configured) ? configured.AuthorizationScopes : undefined;
        const chosen = auth.scopes ?? own;
        if (configured !== undefined && chosen !== undefined && chosen !== null) scopes = chosen;
      }
      const security = [...securityOf(definition, path, method), { [name]: scopes }];
      definition.security = security;
      if (isObject(security[0]) && SAM_IAM in security[0]) addIamScheme(doc);
    }
  }
  if (auth.apiKeyRequired !== undefined) {
    for (const definition of definitionsAt(doc, path, method)) {
      const marker = auth.apiKeyRequired ? API_KEY : API_KEY_FALSE;
      if (auth.apiKeyRequired) addApiKeyScheme(doc);
      definition.security = [...securityOf(definition, path, method), { [marker]: [] }];
    }
  }
}

/**
 * Applies the API's `DefaultAuthorizer` to every integrated method of a path (`set_path_default_authorizer`):
 * a method's own authorizer wins; a `NONE` marker blocks the default and stays when it is all there is;
 * `options` is skipped only when `AddDefaultAuthorizerToCorsPreflight` is false.
 *
 * @param defaultScopes - the default authorizer's `AuthorizationScopes` (empty when unset)
 * @param authorizerNames - `AWS_IAM` and the API's authorizer names: requirements naming them are "authorizers"
 */
export function setPathDefaultAuthorizer(
  doc: Json,
  path: string,
  defaultAuthorizer: string,
  defaultScopes: unknown[],
  authorizerNames: ReadonlySet<string>,
  addToPreflight: boolean,
): void {
  for (const [method, definition] of methodsOfPath(doc, path)) {
    if (!addToPreflight && method === 'options') continue;
    const others: Json[] = [];
    const authorizers: Json[] = [];
    for (const requirement of securityOf(definition, path, method)) {
      if (Object.keys(requirement).some((key) => authorizerNames.has(key))) authorizers.push(requirement);
      else others.push(requirement);
    }
    let chosen: Json[] = [];
    const none = others.findIndex((requirement) => SAM_NONE in requirement);
    if (none > -1) others.splice(none, 1);
    else if (authorizers.length > 0) chosen = authorizers;
    else chosen = [{ [defaultAuthorizer]: [...defaultScopes] }];
    const security = [...others, ...chosen];
    if (security.length === 0) continue;
    definition.security = security;
    if (isObject(security[0]) && SAM_IAM in security[0]) addIamScheme(doc);
  }
}

/**
 * Applies the API's `ApiKeyRequired` to every integrated method of a path (`set_path_default_apikey_required`):
 * an event's `ApiKeyRequired: false` marker opts out and is removed; `options` loses the requirement when
 * `AddApiKeyRequiredToCorsPreflight` is false.
 */
export function setPathDefaultApiKeyRequired(doc: Json, path: string, onPreflight: boolean): void {
  for (const [method, definition] of methodsOfPath(doc, path)) {
    const existing = securityOf(definition, path, method);
    const others = existing.filter((r) => !(API_KEY in r) && !(API_KEY_FALSE in r));
    const keys = existing.filter((r) => API_KEY in r || API_KEY_FALSE in r);
    const optOut = keys.findIndex((r) => API_KEY_FALSE in r);
    let required: Json[] = [];
    if (optOut > -1) keys.splice(optOut, 1);
    else required = [{ [API_KEY]: [] }];
    const security = method === 'options' && !onPreflight ? others : [...others, ...required];
    if (JSON.stringify(security) !== JSON.stringify(existing)) definition.security = security;
  }
}

/** Adds (or replaces) gateway responses (`add_gateway_responses`). */
export function addGatewayResponses(doc: Json, responses: ReadonlyArray<[string, Json]>): void {
  const current = doc[GATEWAY_RESPONSES];
  const target: Json = isObject(current) ? current : {};
  for (const [type, response] of responses) target[type] = response;
  doc[GATEWAY_RESPONSES] = target;
}

/**
 * OpenAPI 3 bodies (`openapi: 3.x`, or `OpenApiVersion` 3.x without a `swagger` key): SAM moves
 * `securityDefinitions` to `components.securitySchemes` and fixes the CORS `options` methods (`_openapi_postprocess`).
 */
export function openApi3Postprocess(doc: Json, openApiVersion: unknown): Json {
  if (doc.swagger !== undefined && doc.swagger !== null) return doc;
  const version = doc.openapi !== undefined && openApiVersion === undefined ? doc.openapi : openApiVersion;
  if (!isOpenApi3Version(version)) return doc;
  if (isObject(doc.securityDefinitions) && Object.keys(doc.securityDefinitions).length > 0) {
    const components = isObject(doc.components) ? doc.components : {};
    components.securitySchemes = doc.securityDefinitions;
    doc.components = components;
    delete doc.securityDefinitions;
  }
  if (isObject(doc.definitions) && Object.keys(doc.definitions).length > 0) {
    const components = isObject(doc.components) ? doc.components : {};
    components.schemas = doc.definitions;
    doc.components = components;
    delete doc.definitions;
  }
  if (!isObject(doc.paths)) return doc;
  for (const item of Object.values(doc.paths)) {
    if (!isObject(item) || !isObject(item.options)) continue;
    const options = item.options;
    delete options.produces;
    delete options.consumes;
    const ok = isObject(options.responses) ? options.responses['200'] : undefined;
    if (!isObject(ok) || !isObject(ok.headers)) continue;
    for (const [header, value] of Object.entries(ok.headers)) ok.headers[header] = { schema: value };
  }
  return doc;
}
