/**
 * SAM (`Transform: AWS::Serverless-2016-10-31`) -> plain CloudFormation, for the REST API subset, as the SAM
 * translator (aws/serverless-application-model, samtranslator) behaves. Pure: a template in, a template out.
 *
 * What it does, in the translator's order (translator.py `prepare_plugins`, `_get_resources_to_iterate`):
 * 1. an `AWS::Serverless::Api` without `DefinitionBody`/`DefinitionUri` gets an empty Swagger 2.0 body that
 *    function events may fill;
 * 2. events of type `Api` without `RestApiId` create the implicit `ServerlessRestApi` (stage `Prod`);
 * 3. `Globals.Api` / `Globals.Function` merge into each resource (maps merge, lists concatenate, the resource wins);
 * 4. function events add their paths, integrations and per-event `Auth` to the body (only to bodies SAM manages,
 *    or with `MergeDefinitions`; an explicit `DefinitionBody` takes event `Auth` only with `OverrideApiAuth`);
 * 5. each API applies `Cors` (a MOCK `options` per path), then `Auth` (security schemes, `DefaultAuthorizer` on
 *    every integrated method, `options` included unless `AddDefaultAuthorizerToCorsPreflight: false`, `NONE`
 *    markers kept, `ApiKeyRequired`), then `GatewayResponses`, and becomes an `AWS::ApiGateway::RestApi` with that
 *    `Body`, an `AWS::ApiGateway::Deployment` (with the translator's stray `Stage` stage) and an
 *    `AWS::ApiGateway::Stage`.
 * Intrinsics stay in the output for the evaluator (function and user pool ARNs are never invented); only references
 * to template parameters inside `Auth`, `Cors` and event properties are resolved, as the translator does.
 *
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
 */

import { createHash } from 'node:crypto';

import type { InvalidTemplateError } from '../../../errors.js';
import { toPointer } from '../../../model/json-pointer.js';

import { readAuthorizers, type Segments, type SamAuthorizer } from './authorizers.js';
import { expandHttpApis } from './http-api.js';
import {
  SamBodyError,
  SAM_IAM,
  addApiKeyScheme,
  addAuthToMethod,
  addCors,
  addGatewayResponses,
  addIntegration,
  addPath,
  addSecuritySchemes,
  hasIntegration,
  isEditableBody,
  isOpenApi3Version,
  normalizeMethod,
  openApi3Postprocess,
  setPathDefaultApiKeyRequired,
  setPathDefaultAuthorizer,
  swaggerSkeleton,
  type CorsSettings,
  type MethodAuth,
} from './swagger-body.js';
import {
  BOTH_DEFINITIONS,
  applicableGlobals,
  bodyS3Location,
  isIntrinsic,
  mergeGlobal,
  resolveParameterRefs,
  samAuthMap,
  samError,
  type Json,
} from './values.js';
import { isObject } from '../../../model/parse.js';

/** The transform that marks a SAM template. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
/** The logical id of the API that events without `RestApiId` create. */
export const IMPLICIT_API_ID = 'ServerlessRestApi';
/** The stage of the implicit API; `Globals` cannot change it. */
export const IMPLICIT_API_STAGE = 'Prod';

const SERVERLESS_API = 'AWS::Serverless::Api';
const SERVERLESS_FUNCTION = 'AWS::Serverless::Function';
const SERVERLESS_STATE_MACHINE = 'AWS::Serverless::StateMachine';

/** What `expandSam` needs from its caller (the CloudFormation reader). */
export interface SamContext {
  /** The template file, for messages. */
  file: string;
  warn(message: string): void;
  /** The CloudFormation evaluator; used only for references to template parameters. */
  evaluate(value: unknown, pointer: string): unknown;
}

const API_GLOBALS = new Set([
  'Auth',
  'Name',
  'DefinitionUri',
  'CacheClusterEnabled',
  'CacheClusterSize',
  'MergeDefinitions',
  'Variables',
  'EndpointConfiguration',
  'MethodSettings',
  'BinaryMediaTypes',
  'MinimumCompressionSize',
  'Cors',
  'GatewayResponses',
  'AccessLogSetting',
  'CanarySetting',
  'TracingEnabled',
  'OpenApiVersion',
  'Domain',
  'AlwaysDeploy',
  'PropagateTags',
  'SecurityPolicy',
  'EndpointAccessMode',
]);
const AUTH_KEYS = new Set([
  'Authorizers',
  'DefaultAuthorizer',
  'InvokeRole',
  'AddDefaultAuthorizerToCorsPreflight',
  'AddApiKeyRequiredToCorsPreflight',
  'ApiKeyRequired',
  'ResourcePolicy',
  'UsagePlan',
]);
const CORS_KEYS = new Set(['AllowMethods', 'AllowHeaders', 'AllowOrigin', 'MaxAge', 'AllowCredentials']);
const GATEWAY_RESPONSE_KEYS = new Set(['ResponseParameters', 'ResponseTemplates', 'StatusCode']);
const GATEWAY_RESPONSE_PARAMETERS: ReadonlyArray<[string, string]> = [
  ['Headers', 'gatewayresponse.header.'],
  ['Paths', 'gatewayresponse.path.'],
  ['QueryStrings', 'gatewayresponse.querystring.'],
];
/** Resource attributes SAM copies to the resources it generates. */
const PASSTHROUGH_ATTRIBUTES = ['Condition', 'DeletionPolicy', 'UpdateReplacePolicy'];

/**
 * Expands the SAM resources of a template into the CloudFormation the SAM translator writes for REST APIs.
 *
 * @param template - the template in long form (YAML tags converted), before intrinsic evaluation
 * @param ctx - the file name, the warning sink and the evaluator for parameter references
 * @returns a new template: `AWS::Serverless::Api` (and the implicit `ServerlessRestApi`) as
 *   `AWS::ApiGateway::RestApi` with an OpenAPI `Body` + `Deployment` + `Stage`; functions as `AWS::Lambda::Function`;
 *   `Globals` and the SAM transform removed. The input is not modified.
 * @throws InvalidTemplateError where the translator refuses the template, naming the resource and the fix
 */
export function expandSam(template: Record<string, unknown>, ctx: SamContext): Record<string, unknown> {
  return new SamExpander(template, ctx).expand();
}

/** An `Api` event of a function or state machine, after the implicit-API step. */
interface ApiEvent {
  owner: string;
  ownerType: string;
  id: string;
  at: Segments;
  properties: Json;
  apiId: string;
  path: string;
  /** Lower case, as SAM writes it. */
  method: string;
}

class SamExpander {
  private readonly out: Json;
  private readonly resources: Json;
  private readonly parameters: Set<string>;
  /** APIs whose body SAM generates (no DefinitionBody of their own): events add paths to them. */
  private readonly managed = new Set<string>();
  private readonly events: ApiEvent[] = [];
  /** `AWS::Serverless::HttpApi` logical id -> the `AWS::ApiGatewayV2::*` resources that replace it (http-api.ts). */
  private httpApis = new Map<string, Json>();

  constructor(
    template: Record<string, unknown>,
    private readonly ctx: SamContext,
  ) {
    this.out = structuredClone(template);
    if (!isObject(this.out.Resources)) {
      throw this.fail(['Resources'], 'A SAM template needs a Resources map.', 'Add the Resources section.');
    }
    this.resources = this.out.Resources;
    this.parameters = new Set(isObject(this.out.Parameters) ? Object.keys(this.out.Parameters) : []);
  }

  expand(): Json {
    this.httpApis = expandHttpApis(this.out, this.ctx);
    const globals = this.readGlobals();
    this.addDefaultBodies();
    this.collectEvents();
    this.applyGlobals(globals);
    for (const event of this.events) this.addEventToApi(event);
    this.replaceResources();
    delete this.out.Globals;
    this.dropTransform();
    return this.out;
  }

  // ---- Globals ----

  private readGlobals(): { api: Json; fn: Json } {
    const raw = this.out.Globals;
    const none = { api: {}, fn: {} };
    if (raw === undefined || raw === null) return none;
    if (!isObject(raw)) throw this.fail(['Globals'], 'Globals must be a map of resource kind to properties.');
    const api = raw.Api ?? {};
    const fn = raw.Function ?? {};
    if (!isObject(api)) throw this.fail(['Globals', 'Api'], 'Globals.Api must be a map of properties.');
    if (!isObject(fn))
      throw this.fail(['Globals', 'Function'], 'Globals.Function must be a map of properties.');
    for (const key of Object.keys(api)) {
      if (key === 'DefinitionBody' || key === 'StageName') {
        throw this.fail(
          ['Globals', 'Api', key],
          `Globals.Api cannot set ${key}: SAM refuses it (the implicit API's stage is always Prod).`,
          `Move ${key} to each AWS::Serverless::Api resource.`,
        );
      }
      if (!API_GLOBALS.has(key)) {
        this.warn(
          ['Globals', 'Api', key],
          `Globals.Api.${key} is not a property SAM accepts in Globals; ignored.`,
        );
        delete api[key];
      }
    }
    return { api, fn };
  }

  private applyGlobals(globals: { api: Json; fn: Json }): void {
    for (const [id, resource] of Object.entries(this.resources)) {
      if (!isObject(resource)) continue;
      const scope =
        resource.Type === SERVERLESS_API
          ? globals.api
          : resource.Type === SERVERLESS_FUNCTION
            ? globals.fn
            : undefined;
      if (scope === undefined) continue;
      const applicable = applicableGlobals(scope, resource.IgnoreGlobals);
      if (Object.keys(applicable).length > 0) {
        const local = isObject(resource.Properties) ? resource.Properties : {};
        resource.Properties = mergeGlobal(structuredClone(applicable), local);
      }
      if (resource.Type !== SERVERLESS_API || !this.managed.has(id)) continue;
      // OpenApiVersion 3.x turns SAM's generated Swagger 2.0 into an OpenAPI 3 document.
      const properties = resource.Properties as Json;
      if (isOpenApi3Version(properties.OpenApiVersion) && isObject(properties.DefinitionBody)) {
        const body = properties.DefinitionBody;
        body.openapi = String(properties.OpenApiVersion);
        delete body.swagger;
      }
    }
  }

  // ---- APIs and events ----

  private addDefaultBodies(): void {
    for (const [id, resource] of this.resourcesOfType(SERVERLESS_API)) {
      const properties = this.propertiesOf(id, resource);
      if (properties.DefinitionBody !== undefined || properties.DefinitionUri !== undefined) continue;
      properties.DefinitionBody = swaggerSkeleton();
      this.managed.add(id);
    }
  }

  /** Reads every `Api` event, creating the implicit API for those without `RestApiId`. */
  private collectEvents(): void {
    const existing = this.resources[IMPLICIT_API_ID];
    const implicitBody = swaggerSkeleton();
    this.resources[IMPLICIT_API_ID] = {
      Type: SERVERLESS_API,
      Properties: { StageName: IMPLICIT_API_STAGE, DefinitionBody: implicitBody },
    };
    const implicitWasManaged = this.managed.has(IMPLICIT_API_ID);
    this.managed.add(IMPLICIT_API_ID);
    for (const [owner, resource] of Object.entries(this.resources)) {
      if (!isObject(resource)) continue;
      if (resource.Type !== SERVERLESS_FUNCTION && resource.Type !== SERVERLESS_STATE_MACHINE) continue;
      const properties = isObject(resource.Properties) ? resource.Properties : {};
      const events = properties.Events;
      if (!isObject(events)) continue;
      for (const [id, event] of Object.entries(events)) {
        if (!isObject(event) || event.Type !== 'Api') continue;
        const at: Segments = ['Resources', owner, 'Properties', 'Events', id, 'Properties'];
        const raw = event.Properties;
        if (raw === undefined || raw === null) continue;
        if (!isObject(raw)) throw this.fail(at, `Event "${id}" must have a Properties map.`);
        raw.RestApiId ??= { Ref: IMPLICIT_API_ID };
        this.events.push(this.readEvent(owner, String(resource.Type), id, at, raw));
      }
    }
    if (Object.keys(implicitBody.paths as Json).length > 0) return;
    // No event used the implicit API: it does not exist (a resource of the user with that id comes back).
    if (existing === undefined) delete this.resources[IMPLICIT_API_ID];
    else this.resources[IMPLICIT_API_ID] = existing;
    if (!implicitWasManaged) this.managed.delete(IMPLICIT_API_ID);
  }

  private readEvent(owner: string, ownerType: string, id: string, at: Segments, raw: Json): ApiEvent {
    const path = this.resolveParameters(raw.Path, [...at, 'Path']);
    const method = this.resolveParameters(raw.Method, [...at, 'Method']);
    for (const [name, value] of [
      ['Path', path],
      ['Method', method],
    ] as const) {
      if (typeof value !== 'string' || value === '') {
        throw this.fail(
          [...at, name],
          `Event "${id}" needs ${name} as a string, got ${JSON.stringify(value)}.`,
          `Set ${name} (e.g. ${name === 'Path' ? '/pets/{petId}' : 'get'}) literally: SAM reads it before deploy.`,
        );
      }
    }
    const apiRef = raw.RestApiId;
    const apiId = isObject(apiRef) && typeof apiRef.Ref === 'string' ? apiRef.Ref : apiRef;
    const target = typeof apiId === 'string' ? this.resources[apiId] : undefined;
    if (typeof apiId !== 'string' || !isObject(target) || target.Type !== SERVERLESS_API) {
      throw this.fail(
        [...at, 'RestApiId'],
        `RestApiId of event "${id}" must be a valid reference to an '${SERVERLESS_API}' resource in the same ` +
          'template.',
        'Use RestApiId: !Ref <your AWS::Serverless::Api>, or remove it to use the implicit ServerlessRestApi.',
      );
    }
    const event: ApiEvent = {
      owner,
      ownerType,
      id,
      at,
      properties: raw,
      apiId,
      path: path as string,
      method: (method as string).toLowerCase(),
    };
    if (this.managed.has(apiId)) {
      const body = this.propertiesOf(apiId, target).DefinitionBody;
      if (isEditableBody(body)) this.bodyStep(apiId, () => addPath(body, event.path, event.method));
    }
    return event;
  }

  /** Step 4: an event's integration and `Auth` in its API's body (push.py `Api.to_cloudformation`). */
  private addEventToApi(event: ApiEvent): void {
    const resource = this.resources[event.apiId] as Json;
    const api = this.propertiesOf(event.apiId, resource);
    const rawAuth = event.properties.Auth;
    const auth =
      rawAuth === undefined || rawAuth === null
        ? undefined
        : this.resolveParameters(rawAuth, [...event.at, 'Auth']);
    if (auth !== undefined && !isObject(auth))
      throw this.fail([...event.at, 'Auth'], `Auth of event "${event.id}" must be a map.`);
    const merge = truthy(api.MergeDefinitions) && event.ownerType === SERVERLESS_FUNCTION;
    if (this.managed.has(event.apiId) || merge) this.addIntegration(event, api, auth ?? {}, merge);
    if (event.ownerType !== SERVERLESS_FUNCTION) return;
    const body = api.DefinitionBody;
    if (body !== undefined && auth !== undefined && truthy(auth.OverrideApiAuth)) {
      if (!(auth.Authorizer || auth.ApiKeyRequired || auth.ResourcePolicy)) {
        throw this.fail(
          [...event.at, 'Auth', 'OverrideApiAuth'],
          'OverrideApiAuth needs one of Authorizer, ApiKeyRequired or ResourcePolicy in the same Auth.',
          'Name the authorizer (or NONE) this route should use.',
        );
      }
      if (!isEditableBody(body)) {
        this.warn(
          [...event.at, 'Auth'],
          'OverrideApiAuth cannot be applied: the API body is not an inline OpenAPI document.',
        );
        return;
      }
      this.bodyStep(event.apiId, () => this.addAuthToSwagger(event, api, auth, body));
    } else if (
      !this.managed.has(event.apiId) &&
      !merge &&
      auth !== undefined &&
      (auth.Authorizer || auth.ApiKeyRequired !== undefined)
    ) {
      this.warn(
        [...event.at, 'Auth'],
        `ignored: API "${event.apiId}" has its own DefinitionBody (or DefinitionUri), and SAM applies an event's ` +
          "Auth to it only with OverrideApiAuth: true (the document decides this route's authorization).",
      );
    }
  }

  private addIntegration(event: ApiEvent, api: Json, auth: Json, merge: boolean): void {
    const body = api.DefinitionBody;
    if (body === undefined) return;
    if (isIntrinsic(body)) {
      this.warn(
        event.at,
        `not added to API "${event.apiId}": its DefinitionBody is ${Object.keys(body as Json).join(', ')} (an include the ` +
          'reader could not expand?), so SAM cannot merge the route into it.',
      );
      return;
    }
    if (!isEditableBody(body)) {
      throw this.fail(
        ['Resources', event.apiId, 'Properties', 'DefinitionBody'],
        'SAM cannot add the route of event ' +
          `"${event.owner}.${event.id}": DefinitionBody is not an inline OpenAPI document (swagger or openapi, and paths).`,
        'Inline the OpenAPI document, or declare the route in the document itself.',
      );
    }
    const target = merge ? swaggerSkeleton() : body;
    this.bodyStep(event.apiId, () => {
      if (hasIntegration(target, event.path, event.method)) {
        throw this.fail(
          event.at,
          `API method "${event.method}" defined multiple times for path "${event.path}".`,
          'Keep one event per path and method on an API.',
        );
      }
      const owner = this.resources[event.owner] as Json;
      const condition = typeof owner.Condition === 'string' ? owner.Condition : undefined;
      addIntegration(target, event.path, event.method, {
        integration: this.integrationOf(event, api, auth),
        ...(condition === undefined ? {} : { condition }),
      });
      if (Object.keys(auth).length > 0) this.addAuthToSwagger(event, api, auth, target);
      if (merge) this.mergeInto(event, body, target);
    });
  }

  private integrationOf(event: ApiEvent, api: Json, auth: Json): Json {
    if (event.ownerType === SERVERLESS_STATE_MACHINE) {
      return {
        type: 'aws',
        httpMethod: 'POST',
        uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:states:action/StartExecution' },
      };
    }
    const integration: Json = {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: {
        'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${event.owner}.Arn}/invocations`,
      },
    };
    // AWS_IAM routes call the function with the caller's credentials unless InvokeRole says otherwise.
    const apiAuth = isObject(api.Auth) ? api.Auth : {};
    if (
      auth.Authorizer === SAM_IAM ||
      (apiAuth.DefaultAuthorizer === SAM_IAM && Object.keys(auth).length === 0)
    ) {
      // An InvokeRole key that is present but empty means NONE; the event's wins over the API's.
      const roleOf = (settings: Json): unknown =>
        settings.InvokeRole || ('InvokeRole' in settings ? 'NONE' : undefined);
      const role = roleOf(auth) || roleOf(apiAuth);
      const credentials = role && role !== 'CALLER_CREDENTIALS' ? role : 'arn:aws:iam::*:user/*';
      if (credentials !== 'NONE') integration.credentials = credentials;
    }
    return integration;
  }

  /** `MergeDefinitions`: the generated method replaces the user's keys one by one (push.py `_get_merged_definitions`). */
  private mergeInto(event: ApiEvent, body: Json, generated: Json): void {
    if (!isObject(body.paths)) {
      this.warn(
        ['Resources', event.apiId, 'Properties', 'DefinitionBody'],
        `the body has no paths object, so SAM's MergeDefinitions drops the route of event "${event.owner}.${event.id}".`,
      );
      return;
    }
    const paths = body.paths;
    const item = paths[event.path];
    if (item !== undefined && !isObject(item))
      throw new SamBodyError(`The value of path "${event.path}" must be an object.`);
    const existing = isObject(item) ? item[event.method] : undefined;
    if (existing !== undefined && !isObject(existing)) {
      throw new SamBodyError(`DefinitionBody.paths.${event.path}.${event.method} must be an object.`);
    }
    const generatedItem = (generated.paths as Json)[event.path] as Json;
    const merged = { ...(existing ?? {}), ...(generatedItem[normalizeMethod(event.method)] as Json) };
    // The translator writes the event's method as given (`any`, not x-amazon-apigateway-any-method) here.
    if (event.method === 'any') {
      this.warn(
        event.at,
        "with MergeDefinitions, SAM writes Method any under a literal 'any' key, which is not an OpenAPI method: " +
          'this route is not read. Declare ANY routes as x-amazon-apigateway-any-method in the DefinitionBody.',
      );
    }
    if (isObject(item)) item[event.method] = merged;
    else paths[event.path] = { [event.method]: merged };
    // Schemes the event needs (api_key, AWS_IAM) were added to the generated document, which the merge drops.
    const own = isObject(body.securityDefinitions) ? body.securityDefinitions : {};
    const lost = Object.keys(
      isObject(generated.securityDefinitions) ? generated.securityDefinitions : {},
    ).filter((name) => !(name in own));
    if (lost.length > 0) {
      this.warn(
        event.at,
        `with MergeDefinitions, SAM does not copy the ${lost.join(', ')} security scheme this event uses into the ` +
          "DefinitionBody: define it in the body's securityDefinitions.",
      );
    }
  }

  /** An event's `Auth` on its method, with the translator's checks (push.py `add_auth_to_swagger`). */
  private addAuthToSwagger(event: ApiEvent, api: Json, auth: Json, body: Json): void {
    const at = [...event.at, 'Auth'];
    const where = `on API method [${event.method}] for path [${event.path}]`;
    const authorizer = auth.Authorizer;
    const apiAuthRaw =
      api.Auth === undefined || api.Auth === null
        ? undefined
        : this.resolveParameters(api.Auth, ['Resources', event.apiId, 'Properties', 'Auth']);
    const apiAuth = isObject(apiAuthRaw) ? apiAuthRaw : undefined;
    const apiAuthorizers = apiAuth?.Authorizers;
    if (apiAuthorizers !== undefined && apiAuthorizers !== null && !isObject(apiAuthorizers)) {
      throw this.fail(
        ['Resources', event.apiId, 'Properties', 'Auth', 'Authorizers'],
        'Auth.Authorizers must be a map.',
      );
    }
    if (authorizer) {
      if (typeof authorizer !== 'string') {
        throw this.fail([...at, 'Authorizer'], `Unable to set Authorizer ${where}: it must be a string.`);
      }
      if (authorizer === 'NONE') {
        if (!apiAuth?.DefaultAuthorizer) {
          throw this.fail(
            [...at, 'Authorizer'],
            `Unable to set Authorizer ${where} because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`,
            'Remove Authorizer: NONE (routes without an authorizer are already open), or set Auth.DefaultAuthorizer on the API.',
          );
        }
      } else if (authorizer !== SAM_IAM) {
        if (!isObject(apiAuthorizers) || Object.keys(apiAuthorizers).length === 0) {
          throw this.fail(
            [...at, 'Authorizer'],
            `Unable to set Authorizer [${authorizer}] ${where} because the related API does not define any Authorizers.`,
            `Define "${authorizer}" under Auth.Authorizers of API "${event.apiId}".`,
          );
        }
        if (!apiAuthorizers[authorizer]) {
          throw this.fail(
            [...at, 'Authorizer'],
            `Unable to set Authorizer [${authorizer}] ${where} because it wasn't defined in the API's Authorizers ` +
              `(${Object.keys(apiAuthorizers).join(', ')}).`,
            `Use one of the API's authorizers, AWS_IAM or NONE, or define "${authorizer}" under Auth.Authorizers.`,
          );
        }
      }
    }
    const scopes = auth.AuthorizationScopes;
    if (scopes) {
      if (!Array.isArray(scopes))
        throw this.fail([...at, 'AuthorizationScopes'], 'AuthorizationScopes must be a list.');
      if (!authorizer) {
        throw this.fail(
          [...at, 'AuthorizationScopes'],
          'AuthorizationScopes works only when Authorizer is set.',
          'Name the (Cognito) authorizer the scopes belong to in the same Auth.',
        );
      }
    }
    const apiKey = auth.ApiKeyRequired;
    if (apiKey !== undefined && apiKey !== null && !truthy(apiKey) && !truthy(apiAuth?.ApiKeyRequired)) {
      throw this.fail(
        [...at, 'ApiKeyRequired'],
        `Unable to set ApiKeyRequired [False] ${where} because the related API does not specify any ApiKeyRequired.`,
        'Remove ApiKeyRequired: false (API keys are not required by default).',
      );
    }
    if (authorizer || (apiKey !== undefined && apiKey !== null)) {
      const methodAuth: MethodAuth = {};
      if (authorizer) methodAuth.authorizer = authorizer as string;
      if (Array.isArray(scopes)) methodAuth.scopes = scopes;
      if (apiKey !== undefined && apiKey !== null) methodAuth.apiKeyRequired = truthy(apiKey);
      addAuthToMethod(
        body,
        event.path,
        event.method,
        methodAuth,
        isObject(apiAuthorizers) ? apiAuthorizers : undefined,
      );
    }
    if (auth.ResourcePolicy) {
      this.warn(
        [...at, 'ResourcePolicy'],
        'a resource policy is not modelled: requests it denies are not tested.',
      );
    }
  }

  // ---- resources ----

  /** Rebuilds Resources in template order with SAM resources replaced by what the translator generates. */
  private replaceResources(): void {
    const next: Json = {};
    for (const [id, resource] of Object.entries(this.resources)) {
      if (!isObject(resource)) {
        next[id] = resource;
        continue;
      }
      switch (resource.Type) {
        case SERVERLESS_API:
          Object.assign(next, this.translateApi(id, resource));
          break;
        case SERVERLESS_FUNCTION:
          next[id] = translateFunction(resource, 'AWS::Lambda::Function');
          break;
        case SERVERLESS_STATE_MACHINE:
          next[id] = translateFunction(resource, 'AWS::StepFunctions::StateMachine');
          break;
        case 'AWS::Serverless::HttpApi':
          Object.assign(next, this.httpApis.get(id) ?? {});
          break;
        default:
          next[id] = resource;
      }
    }
    this.out.Resources = next;
  }

  /** Step 5 (api_generator.py `_construct_rest_api`, `_construct_deployment`, `_construct_stage`). */
  private translateApi(id: string, resource: Json): Json {
    const at: Segments = ['Resources', id, 'Properties'];
    const properties = this.propertiesOf(id, resource);
    const body = properties.DefinitionBody;
    const uri = properties.DefinitionUri;
    if (body !== undefined && uri !== undefined) {
      throw this.fail(at, BOTH_DEFINITIONS, 'Remove one of them.');
    }
    if (uri !== undefined && truthy(properties.MergeDefinitions)) {
      throw this.fail(
        [...at, 'MergeDefinitions'],
        "Cannot set 'MergeDefinitions' to True when using `DefinitionUri`.",
        'Use DefinitionBody.',
      );
    }
    const stageName = properties.StageName;
    if (stageName === undefined || stageName === null || stageName === '') {
      throw this.fail([...at, 'StageName'], `API "${id}" needs a StageName.`, 'Set StageName, e.g. prod.');
    }
    let finalBody: unknown = body;
    if (isObject(body) && !isIntrinsic(body)) {
      this.bodyStep(id, () => {
        this.applyCors(id, properties, body);
        this.applyAuth(id, properties, body);
        this.applyGatewayResponses(id, properties, body);
        finalBody = openApi3Postprocess(body, properties.OpenApiVersion);
      });
    } else {
      for (const key of ['Cors', 'Auth', 'GatewayResponses']) {
        if (!properties[key]) continue;
        if (body !== undefined) {
          // `DefinitionBody: Fn::Transform AWS::Include`: the reader resolves includes before SAM runs.
          this.warn(
            [...at, key],
            `not applied: DefinitionBody is ${JSON.stringify(Object.keys(body as Json))} (an unresolved include?), ` +
              'so SAM cannot add it.',
          );
          continue;
        }
        throw this.fail(
          [...at, key],
          `${key} works only with inline Swagger specified in 'DefinitionBody' property (this API uses DefinitionUri).`,
          `Write the ${key === 'Cors' ? 'OPTIONS methods' : key === 'Auth' ? 'security schemes and requirements' : 'x-amazon-apigateway-gateway-responses'} ` +
            'into the OpenAPI file, or use DefinitionBody (with Fn::Transform AWS::Include for a local file).',
        );
      }
    }

    const restApi: Json = {};
    if (finalBody !== undefined) restApi.Body = finalBody;
    else restApi.BodyS3Location = bodyS3Location(uri);
    for (const key of [
      'Name',
      'Description',
      'Mode',
      'ApiKeySourceType',
      'Policy',
      'FailOnWarnings',
      'BinaryMediaTypes',
      'MinimumCompressionSize',
    ]) {
      if (properties[key] !== undefined) restApi[key] = properties[key];
    }
    const endpoint = properties.EndpointConfiguration;
    if (typeof endpoint === 'string' || isIntrinsic(endpoint))
      restApi.EndpointConfiguration = { Types: [endpoint] };
    else if (isObject(endpoint) && endpoint.Type !== undefined) {
      restApi.EndpointConfiguration = {
        Types: [endpoint.Type],
        ...(endpoint.VPCEndpointIds === undefined ? {} : { VpcEndpointIds: endpoint.VPCEndpointIds }),
      };
    }

    const attributes: Json = {};
    for (const key of PASSTHROUGH_ATTRIBUTES)
      if (resource[key] !== undefined) attributes[key] = resource[key];
    const hash = sha1(JSON.stringify(restApi.Body ?? restApi.BodyS3Location));
    const deploymentId = `${id}Deployment${hash.slice(0, 10)}`;
    const deployment: Json = { Description: `RestApi deployment id: ${hash}`, RestApiId: { Ref: id } };
    // The translator's Deployment creates a second, stray stage named "Stage" unless OpenApiVersion is set (iac trap 8).
    if (!properties.OpenApiVersion) deployment.StageName = 'Stage';
    const stageId =
      typeof stageName === 'string' && /^[A-Za-z0-9]+$/.test(stageName)
        ? `${id}${stageName}Stage`
        : `${id}Stage${sha1(JSON.stringify(stageName)).slice(0, 10)}`;
    const stage: Json = { DeploymentId: { Ref: deploymentId }, RestApiId: { Ref: id }, StageName: stageName };
    for (const key of [
      'Variables',
      'MethodSettings',
      'TracingEnabled',
      'CacheClusterEnabled',
      'CacheClusterSize',
    ]) {
      if (properties[key] !== undefined) stage[key] = properties[key];
    }
    return {
      [id]: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: restApi,
        ...attributes,
        ...(resource.DependsOn === undefined ? {} : { DependsOn: resource.DependsOn }),
        ...(resource.Metadata === undefined ? {} : { Metadata: resource.Metadata }),
      },
      [deploymentId]: { Type: 'AWS::ApiGateway::Deployment', Properties: deployment, ...attributes },
      [stageId]: { Type: 'AWS::ApiGateway::Stage', Properties: stage, ...attributes },
    };
  }

  private applyCors(id: string, properties: Json, body: Json): void {
    if (!properties.Cors) return;
    const at: Segments = ['Resources', id, 'Properties', 'Cors'];
    const raw = this.resolveParameters(properties.Cors, at);
    let cors: CorsSettings;
    if (typeof raw === 'string' || isIntrinsic(raw)) cors = { allowOrigin: raw };
    else if (isObject(raw)) {
      const unknown = Object.keys(raw).find((key) => !CORS_KEYS.has(key));
      if (unknown !== undefined) {
        throw this.fail(
          [...at, unknown],
          `Invalid key '${unknown}' for 'Cors' property.`,
          `Use ${[...CORS_KEYS].join(', ')}.`,
        );
      }
      cors = {
        allowOrigin: raw.AllowOrigin ?? "'*'",
        allowHeaders: raw.AllowHeaders,
        allowMethods: raw.AllowMethods,
        maxAge: raw.MaxAge,
        allowCredentials: raw.AllowCredentials === true,
      };
    } else
      throw this.fail(
        at,
        "Invalid value for 'Cors' property.",
        'Use a quoted origin ("\'*\'") or a map of Allow* keys.',
      );
    if (!cors.allowOrigin) throw this.fail(at, 'Invalid input. Value for AllowOrigin is required.');
    if (cors.allowCredentials && cors.allowOrigin === "'*'") {
      throw this.fail(
        at,
        "'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set.",
        'Name the allowed origin.',
      );
    }
    this.requireEditable(id, body, 'Cors');
    const seen = new Set<string>();
    for (const path of Object.keys(body.paths as Json)) {
      const normalized = path === '/' ? path : path.replace(/\/+$/, '');
      if (seen.has(normalized)) continue;
      seen.add(normalized);
      addCors(body, path, cors);
    }
  }

  private applyAuth(id: string, properties: Json, body: Json): void {
    if (!properties.Auth) return;
    const at: Segments = ['Resources', id, 'Properties', 'Auth'];
    const auth = samAuthMap(
      this.resolveParameters(properties.Auth, at),
      at,
      AUTH_KEYS,
      (where, message, fix) => this.fail(where, message, fix),
    );
    this.requireEditable(id, body, 'Auth');
    const defaultAuthorizer = auth.DefaultAuthorizer;
    const authorizers = readAuthorizers(
      auth.Authorizers,
      defaultAuthorizer,
      [...at, 'Authorizers'],
      (where, message, fix) => {
        throw this.fail(where, message, fix);
      },
      (where, message) => this.warn(where, message),
    );
    if (authorizers.length > 0) {
      addSecuritySchemes(
        body,
        authorizers.map((a) => [a.name, a.scheme]),
      );
      this.applyDefaultAuthorizer(
        body,
        authorizers,
        defaultAuthorizer,
        auth.AddDefaultAuthorizerToCorsPreflight,
        at,
      );
    } else if (defaultAuthorizer) {
      this.warn(
        [...at, 'DefaultAuthorizer'],
        'ignored: the API defines no Authorizers, and SAM then skips DefaultAuthorizer.',
      );
    }
    if (truthy(auth.ApiKeyRequired)) {
      addApiKeyScheme(body);
      const onPreflight =
        auth.AddApiKeyRequiredToCorsPreflight === undefined
          ? true
          : truthy(auth.AddApiKeyRequiredToCorsPreflight);
      for (const path of Object.keys(body.paths as Json))
        setPathDefaultApiKeyRequired(body, path, onPreflight);
    }
    if (auth.ResourcePolicy) {
      this.warn(
        [...at, 'ResourcePolicy'],
        'a resource policy is not modelled: requests it denies are not tested.',
      );
    }
  }

  private applyDefaultAuthorizer(
    body: Json,
    authorizers: SamAuthorizer[],
    defaultAuthorizer: unknown,
    addToPreflight: unknown,
    at: Segments,
  ): void {
    if (!defaultAuthorizer) return;
    if (typeof defaultAuthorizer !== 'string') {
      throw this.fail(
        [...at, 'DefaultAuthorizer'],
        'DefaultAuthorizer is not a string.',
        'Name one of Auth.Authorizers or AWS_IAM.',
      );
    }
    const chosen = authorizers.find((a) => a.name === defaultAuthorizer);
    if (chosen === undefined && defaultAuthorizer !== SAM_IAM) {
      throw this.fail(
        [...at, 'DefaultAuthorizer'],
        `Unable to set DefaultAuthorizer because '${defaultAuthorizer}' was not defined in 'Authorizers' ` +
          `(${authorizers.map((a) => a.name).join(', ')}).`,
        'Name one of Auth.Authorizers, or AWS_IAM.',
      );
    }
    const names = new Set([SAM_IAM, ...authorizers.map((a) => a.name)]);
    const preflight = addToPreflight === undefined || addToPreflight === null ? true : truthy(addToPreflight);
    for (const path of Object.keys(body.paths as Json)) {
      setPathDefaultAuthorizer(body, path, defaultAuthorizer, chosen?.scopes ?? [], names, preflight);
    }
  }

  private applyGatewayResponses(id: string, properties: Json, body: Json): void {
    const raw = properties.GatewayResponses;
    if (!raw) return;
    const at: Segments = ['Resources', id, 'Properties', 'GatewayResponses'];
    if (!isObject(raw)) throw this.fail(at, 'GatewayResponses must be a map of response type to response.');
    const responses: Array<[string, Json]> = [];
    for (const [type, response] of Object.entries(raw)) {
      const here = [...at, type];
      if (isIntrinsic(response) || !isObject(response)) {
        throw this.fail(
          here,
          `GatewayResponses.${type} must be a GatewayResponse map (intrinsic functions are not supported here).`,
        );
      }
      const unknown = Object.keys(response).find((key) => !GATEWAY_RESPONSE_KEYS.has(key));
      if (unknown !== undefined) {
        throw this.fail(
          [...here, unknown],
          `Invalid property '${unknown}' in 'GatewayResponses' property '${type}'.`,
          'Use ResponseParameters, ResponseTemplates and StatusCode.',
        );
      }
      const parameters = response.ResponseParameters ?? {};
      if (!isObject(parameters))
        throw this.fail([...here, 'ResponseParameters'], 'ResponseParameters must be a map.');
      const prefixed: Json = {};
      for (const key of Object.keys(parameters)) {
        if (!GATEWAY_RESPONSE_PARAMETERS.some(([name]) => name === key)) {
          throw this.fail(
            [...here, 'ResponseParameters', key],
            `Invalid gateway response parameter '${key}'.`,
            'Use Headers, Paths or QueryStrings.',
          );
        }
      }
      for (const [name, prefix] of GATEWAY_RESPONSE_PARAMETERS) {
        const values = parameters[name] ?? {};
        if (!isObject(values))
          throw this.fail([...here, 'ResponseParameters', name], `ResponseParameters.${name} must be a map.`);
        for (const [key, value] of Object.entries(values)) prefixed[`${prefix}${key}`] = value;
      }
      const generated: Json = {
        responseParameters: prefixed,
        responseTemplates: response.ResponseTemplates ?? {},
      };
      const status = response.StatusCode;
      if (status !== undefined && status !== null && status !== '') {
        if (!/^[0-9]{1,3}$/.test(String(status)))
          throw this.fail([...here, 'StatusCode'], "Property 'StatusCode' must be numeric.");
        generated.statusCode = String(status);
      }
      responses.push([type, generated]);
    }
    this.requireEditable(id, body, 'GatewayResponses');
    addGatewayResponses(body, responses);
  }

  // ---- helpers ----

  private requireEditable(id: string, body: Json, what: string): void {
    if (isEditableBody(body)) return;
    throw this.fail(
      ['Resources', id, 'Properties', 'DefinitionBody'],
      `Unable to add ${what} configuration because 'DefinitionBody' does not contain a valid Swagger definition ` +
        '(a swagger or openapi 3 version and a paths map).',
      'Fix the inline OpenAPI document.',
    );
  }

  /** Runs a body edit, turning the editor's errors into template errors naming the API's body. */
  private bodyStep(apiId: string, step: () => void): void {
    try {
      step();
    } catch (err) {
      if (!(err instanceof SamBodyError)) throw err;
      throw this.fail(
        ['Resources', apiId, 'Properties', 'DefinitionBody'],
        err.message,
        'Fix the OpenAPI document.',
      );
    }
  }

  /** `{"Ref": "<template parameter>"}` anywhere in `value` -> its value; every other intrinsic stays. */
  private resolveParameters(value: unknown, at: Segments): unknown {
    return resolveParameterRefs(value, at, this.parameters, (v, pointer) => this.ctx.evaluate(v, pointer));
  }

  private resourcesOfType(type: string): Array<[string, Json]> {
    return Object.entries(this.resources).flatMap(([id, r]) =>
      isObject(r) && r.Type === type ? [[id, r] as [string, Json]] : [],
    );
  }

  private propertiesOf(id: string, resource: Json): Json {
    if (resource.Properties === undefined || resource.Properties === null) resource.Properties = {};
    if (!isObject(resource.Properties))
      throw this.fail(['Resources', id, 'Properties'], 'Properties must be a map.');
    return resource.Properties;
  }

  private dropTransform(): void {
    const transform = this.out.Transform;
    if (transform === SAM_TRANSFORM) delete this.out.Transform;
    else if (Array.isArray(transform)) {
      const rest = transform.filter((t) => t !== SAM_TRANSFORM);
      if (rest.length === 0) delete this.out.Transform;
      else this.out.Transform = rest;
    }
  }

  private warn(at: Segments, message: string): void {
    this.ctx.warn(`${this.ctx.file} ${toPointer(at)}: ${message}`);
  }

  private fail(at: Segments, message: string, fix?: string): InvalidTemplateError {
    return samError(this.ctx.file, at, message, fix, 'sam-resource-api.html');
  }
}

function translateFunction(resource: Json, type: string): Json {
  const properties = isObject(resource.Properties) ? { ...resource.Properties } : {};
  delete properties.Events;
  return { ...resource, Type: type, Properties: properties };
}

function truthy(value: unknown): boolean {
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  return Boolean(value);
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
