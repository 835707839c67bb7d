/**
 * CloudFormation template (long form, already parsed) -> the REST APIs it defines -> one AuthModel.
 *
 * Pipeline: AWS::Include expansion -> SAM expansion (when the template has the SAM transform) -> parameters,
 * conditions, mappings -> circular-reference check -> nested stacks -> the API's `Body` (through the OpenAPI
 * reader) and its `AWS::ApiGateway::*` resources. Values known only after deploy stay named placeholders
 * (intrinsics.ts). File access goes through `TemplateIo`, so this module stays testable without a disk.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_ApiGateway.html
 */

import path from 'node:path';
import { InvalidTemplateError, UnsupportedAuthorizerError } from '../../errors.js';
import { toPointer } from '../../model/json-pointer.js';
import {
  AWS_IAM_AUTHORIZER_NAME,
  canonicalizeModel,
  compare,
  iamAuthorizer,
  INVALID_REGEX_FIX,
  isObject,
  isValidTtl,
  parseGatewayResponseHeaders,
  parseIdentitySource,
  parseUserPoolArn,
  regexSyntaxError,
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
  type Route,
  type RouteMethod,
  type UserPoolRef,
} from '../../model/types.js';
import { readOpenApiDocument } from '../openapi/build-model.js';
import { restJwtSettings } from '../http-api-model.js';
import { readHttpApiDocument } from '../openapi/http-api.js';
import { buildHttpApiTemplateModel, isHttpApiResource, templateFailAt } from './http-api.js';
import { TemplateApiBuilder, quiet } from './api-builder.js';
import {
  NO_VALUE,
  escape,
  evaluate,
  evaluateCondition,
  getAttParts,
  hasPlaceholder,
  intrinsicName,
  referencedIds,
  type EvalContext,
} from './intrinsics.js';
import type { TemplateText } from './template-text.js';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Reads the files a template points at (AWS::Include snippets, nested stack templates). */
export interface TemplateIo {
  /** Parses a file (YAML with CFN tags or JSON); throws InputNotFoundError when it is missing. */
  readTemplateFile(file: string): TemplateText;
  /**
   * The local file of an S3 object key a packager uploads (CDK: `cdk.out/*.assets.json` maps `objectKey` to a
   * `source.path`), so that a SpecRestApi's `BodyS3Location` asset is read; undefined when unknown.
   */
  localAsset?(objectKey: string): string | undefined;
  /** SAM expansion (H5b), loaded by the caller because it is only needed for SAM templates. */
  expandSam?: (
    template: Record<string, unknown>,
    ctx: { file: string; warn(message: string): void; evaluate(value: unknown, pointer: string): unknown },
  ) => Record<string, unknown>;
}

export interface TemplateOptions {
  /** `--parameter KEY=VALUE` overrides. */
  parameters?: Record<string, string>;
  region?: string;
  account?: string;
  stackName?: string;
  /** `--api`: a logical id, a `Stack/LogicalId` path or the API's name. */
  api?: string;
  /** `--stage`: which stage when the API has several. */
  stage?: string;
  /** doctor: an OpenAPI body keeps a validation regex that does not compile, for doctor to report. */
  lenient?: boolean;
  warn(message: string): void;
}

/** One REST API found in a template or one of its nested stacks. */
export interface ApiCandidate {
  /** `LogicalId`, or `NestedStack/LogicalId` for an API in a nested stack (CDK: `StackName/LogicalId`). */
  path: string;
  logicalId: string;
  /** The `Name` property when known. */
  name?: string;
  /** `HTTP` for an `AWS::ApiGatewayV2::Api` (http-api.ts builds its model); absent for a REST API. */
  kind?: 'HTTP';
  template: LoadedTemplate;
}

/** A template with its evaluation context, ready to build a model from. */
export interface LoadedTemplate {
  file: string;
  locate: (pointer: string) => string | undefined;
  resources: Record<string, Record<string, unknown>>;
  ctx: EvalContext;
  io: TemplateIo;
}

type Json = Record<string, unknown>;

const MAX_NESTING = 10;

/**
 * Loads a template and the templates of its nested stacks, and lists the REST APIs they define.
 *
 * @param text - the parsed template (long form) and its locator
 * @param file - its path (relative includes and nested templates resolve against its directory)
 * @param prefix - the path of this stack in a parent (`Nested/`), empty at the top
 */
export function findApis(
  text: TemplateText,
  file: string,
  io: TemplateIo,
  options: TemplateOptions,
  prefix = '',
  depth = 0,
  parameterValues?: Record<string, unknown>,
): ApiCandidate[] {
  const template = loadTemplate(text, file, io, options, parameterValues);
  const candidates: ApiCandidate[] = [];
  const ids = Object.keys(template.resources).sort(compare);
  for (const id of ids) {
    const resource = template.resources[id] as Json;
    const http = isHttpApiResource(resource, template.ctx);
    if (resource.Type === 'AWS::ApiGateway::RestApi' || http) {
      const props = isObject(resource.Properties) ? resource.Properties : {};
      const name = props.Name === undefined ? undefined : evaluate(props.Name, quiet(template.ctx), '#');
      candidates.push({
        path: `${prefix}${id}`,
        logicalId: id,
        ...(typeof name === 'string' && !hasPlaceholder(name) ? { name } : {}),
        ...(http ? { kind: 'HTTP' as const } : {}),
        template,
      });
    }
  }
  if (depth >= MAX_NESTING) return candidates;
  for (const id of ids) {
    const resource = template.resources[id] as Json;
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const nested = nestedTemplate(template, id, io, options);
    if (nested === undefined) continue;
    candidates.push(
      ...findApis(nested.text, nested.file, io, options, `${prefix}${id}/`, depth + 1, nested.parameters),
    );
  }
  return candidates;
}

/**
 * Picks the API `--api` names, or the only one.
 *
 * @throws InvalidTemplateError when there is none, or several and `--api` does not pick exactly one
 */
export function pickApi(candidates: ApiCandidate[], file: string, api: string | undefined): ApiCandidate {
  const list = (): string =>
    candidates.map((c) => (c.name === undefined ? c.path : `${c.path} (${c.name})`)).join(', ');
  if (candidates.length === 0) {
    throw new InvalidTemplateError(
      'No API Gateway API in this template: expected an AWS::ApiGateway::RestApi, AWS::Serverless::Api, ' +
        'AWS::ApiGatewayV2::Api (HTTP) or AWS::Serverless::HttpApi resource.',
      {
        file,
        location: '#/Resources',
        fix: 'Pass the template that defines the API (for CDK, the cdk.out folder; for Serverless, .serverless/).',
      },
    );
  }
  if (api === undefined) {
    if (candidates.length === 1) return candidates[0] as ApiCandidate;
    throw new InvalidTemplateError(`This source defines ${candidates.length} REST APIs: ${list()}.`, {
      file,
      location: '#/Resources',
      fix: 'Pick one with --api LOGICAL_ID (or its path or name).',
    });
  }
  const matches = candidates.filter((c) => c.path === api || c.name === api);
  const byId = matches.length > 0 ? matches : candidates.filter((c) => c.logicalId === api);
  if (byId.length === 1) return byId[0] as ApiCandidate;
  throw new InvalidTemplateError(
    byId.length === 0
      ? `--api ${api} names no REST API in this source. Candidates: ${list()}.`
      : `--api ${api} names ${byId.length} REST APIs: ${byId.map((c) => c.path).join(', ')}.`,
    { file, location: '#/Resources', fix: 'Pass one of the candidates to --api (a path is unique).' },
  );
}

// ---- loading: includes, SAM, parameters, conditions, cycles ----

function loadTemplate(
  text: TemplateText,
  file: string,
  io: TemplateIo,
  options: TemplateOptions,
  parameterValues?: Record<string, unknown>,
): LoadedTemplate {
  const data = text.data;
  if (!isObject(data) || !isObject(data.Resources)) {
    throw new InvalidTemplateError('Not a CloudFormation template: expected a "Resources" object.', {
      file,
      location: isObject(data) ? '#/Resources' : '#',
      fix: 'Pass a CloudFormation or SAM template, a cdk.out folder, a .serverless folder or an API Gateway export.',
    });
  }
  let doc = expandIncludes(data, file, io, options.warn) as Json;
  const ctx = buildContext(doc, file, options, parameterValues);
  if (transforms(doc).includes(SAM_TRANSFORM)) {
    if (io.expandSam === undefined) {
      throw new InvalidTemplateError('This SAM template needs the SAM expansion, which is not available.', {
        file,
        location: '#/Transform',
        fix: 'Use a build of apigw-authz that includes src/sources/cloudformation/sam/.',
      });
    }
    doc = io.expandSam(doc, {
      file,
      warn: options.warn,
      evaluate: (value, pointer) => evaluate(value, ctx, pointer),
    });
    ctx.resources = isObject(doc.Resources) ? doc.Resources : {};
  }
  const resources: Record<string, Json> = {};
  for (const [id, resource] of Object.entries(ctx.resources)) {
    if (!isObject(resource)) {
      throw new InvalidTemplateError(`Resource ${id} is not an object.`, {
        file,
        location: toPointer(['Resources', id]),
        fix: 'Give the resource a Type and Properties.',
      });
    }
    if (typeof resource.Condition === 'string') {
      const value = ctx.conditions[resource.Condition];
      if (value === false) continue;
      if (value === undefined && isApiGatewayType(resource.Type)) {
        options.warn(
          `${file}: ${toPointer(['Resources', id, 'Condition'])}: the condition ${resource.Condition} is unknown ` +
            'offline; the resource is read as if it were created (pass --parameter to decide it).',
        );
      }
    }
    resources[id] = resource;
  }
  checkCycles(resources, file);
  const loaded: LoadedTemplate = { file, locate: text.locate, resources, ctx, io };
  ctx.resources = resources;
  // `Fn::GetAtt [Nested, Outputs.X]`: the nested stack's output, evaluated in its own template, when local.
  const outputs = new Map<string, EvalContext | null>();
  ctx.getAtt = (id, attribute) => {
    if (!attribute.startsWith('Outputs.') || resources[id]?.Type !== 'AWS::CloudFormation::Stack')
      return undefined;
    if (!outputs.has(id)) {
      const nested = nestedTemplate(loaded, id, io, options);
      const child = nested && loadTemplate(nested.text, nested.file, io, options, nested.parameters);
      outputs.set(id, child ? child.ctx : null);
      if (child) outputTemplates.set(child.ctx, nested.text.data);
    }
    const child = outputs.get(id);
    const doc = child ? outputTemplates.get(child) : undefined;
    const name = attribute.slice('Outputs.'.length);
    const output = isObject(doc) && isObject(doc.Outputs) ? doc.Outputs[name] : undefined;
    if (child == null || !isObject(output)) return undefined;
    const value = evaluate(output.Value, child, toPointer(['Outputs', name, 'Value']));
    return value === NO_VALUE ? undefined : value;
  };
  return loaded;
}

const outputTemplates = new WeakMap<EvalContext, unknown>();

function isApiGatewayType(type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('AWS::ApiGateway::');
}

function transforms(doc: Json): string[] {
  const t = doc.Transform;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * Replaces every `Fn::Transform: {Name: AWS::Include, Parameters: {Location}}` with the file it names. Copy on
 * write: a template without includes is returned as it is, without allocating.
 */
function expandIncludes(
  value: unknown,
  file: string,
  io: TemplateIo,
  warn: (m: string) => void,
  at = '#',
): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child !== 'object' || child === null) continue;
      const expanded = expandIncludes(child, file, io, warn, `${at}/${i}`);
      if (expanded !== child) (out ??= [...value])[i] = expanded;
    }
    return out ?? value;
  }
  if (!isObject(value)) return value;
  const transform = intrinsicName(value) === 'Fn::Transform' ? value['Fn::Transform'] : undefined;
  if (isObject(transform) && transform.Name === 'AWS::Include') {
    const params = isObject(transform.Parameters) ? transform.Parameters : {};
    const location = params.Location;
    const pointer = `${at}/Fn::Transform/Parameters/Location`;
    if (typeof location !== 'string') {
      throw new InvalidTemplateError('AWS::Include needs Parameters.Location: a file path or an s3:// URI.', {
        file,
        location: pointer,
        fix: 'Set Location to the snippet file, relative to the template.',
      });
    }
    if (/^(s3|https?):\/\//i.test(location)) {
      warn(
        `${file}: ${pointer}: AWS::Include of ${location} is not read (not a local file); its content is unknown. ` +
          'Point Location at the local file to read it.',
      );
      return value;
    }
    return io.readTemplateFile(path.join(path.dirname(file), location)).data;
  }
  let out: Json | undefined;
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (typeof child !== 'object' || child === null) continue;
    const expanded = expandIncludes(child, file, io, warn, `${at}/${escape(key)}`);
    if (expanded !== child) (out ??= { ...value })[key] = expanded;
  }
  return out ?? value;
}

const SSM_TYPE = /^AWS::SSM::Parameter::Value</;

function buildContext(
  doc: Json,
  file: string,
  options: TemplateOptions,
  parameterValues: Record<string, unknown> | undefined,
): EvalContext {
  const declared = isObject(doc.Parameters) ? doc.Parameters : {};
  const parameters: Record<string, unknown> = {};
  const overrides = parameterValues ?? options.parameters ?? {};
  for (const [name, spec] of Object.entries(declared)) {
    const type = isObject(spec) && typeof spec.Type === 'string' ? spec.Type : 'String';
    let value: unknown = Object.prototype.hasOwnProperty.call(overrides, name)
      ? overrides[name]
      : isObject(spec)
        ? spec.Default
        : undefined;
    if (value === undefined) continue;
    // The default of an SSM-typed parameter is the SSM parameter's NAME, not its value (iac trap 15): unknown.
    if (SSM_TYPE.test(type) && !Object.prototype.hasOwnProperty.call(overrides, name)) continue;
    if ((type.startsWith('List<') || type === 'CommaDelimitedList') && typeof value === 'string') {
      value = value.split(',').map((s) => s.trim());
    }
    parameters[name] = value;
  }
  for (const name of Object.keys(options.parameters ?? {})) {
    if (parameterValues === undefined && !Object.prototype.hasOwnProperty.call(declared, name)) {
      options.warn(`${file}: --parameter ${name}: the template declares no parameter ${name}; ignored.`);
    }
  }
  const ctx: EvalContext = {
    parameters,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.account === undefined ? {} : { account: options.account }),
    ...(options.stackName === undefined ? {} : { stackName: options.stackName }),
    conditions: {},
    resources: isObject(doc.Resources) ? doc.Resources : {},
    mappings: isObject(doc.Mappings) ? doc.Mappings : {},
    warn: options.warn,
    file,
    declaredParameters: new Set(Object.keys(declared)),
    warned: new Set(),
  };
  evaluateConditions(isObject(doc.Conditions) ? doc.Conditions : {}, ctx, file);
  return ctx;
}

/** Evaluates the Conditions section in dependency order; a condition chain that loops is bad input. */
function evaluateConditions(conditions: Json, ctx: EvalContext, file: string): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const names = Object.keys(conditions);
  // Every name exists up front (undefined = not yet known), so `Condition: X` lookups never fail on order.
  for (const name of names) ctx.conditions[name] = undefined;
  const visit = (name: string, chain: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const loop = [...chain.slice(chain.indexOf(name)), name];
      throw new InvalidTemplateError(`Circular condition chain: ${loop.join(' -> ')}.`, {
        file,
        location: toPointer(['Conditions', name]),
        fix: 'Break the loop: a condition cannot depend on itself.',
      });
    }
    state.set(name, 'visiting');
    for (const dep of conditionRefs(conditions[name])) {
      if (Object.prototype.hasOwnProperty.call(conditions, dep)) visit(dep, [...chain, name]);
    }
    ctx.conditions[name] = evaluateCondition(conditions[name], ctx, toPointer(['Conditions', name]));
    state.set(name, 'done');
  };
  for (const name of names) visit(name, []);
}

function conditionRefs(expression: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      if (intrinsicName(node) === 'Condition' && typeof node.Condition === 'string') out.push(node.Condition);
      else stack.push(...Object.values(node));
    }
  }
  return out;
}

/**
 * CloudFormation refuses a template whose resources depend on each other in a loop (Ref, Fn::GetAtt, Fn::Sub or
 * DependsOn). So do we, naming the chain.
 */
function checkCycles(resources: Record<string, Json>, file: string): void {
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(resources)) {
    const deps = referencedIds(resource.Properties);
    const dependsOn = resource.DependsOn;
    for (const d of Array.isArray(dependsOn) ? dependsOn : [dependsOn])
      if (typeof d === 'string') deps.add(d);
    edges.set(
      id,
      [...deps].filter((d) => Object.prototype.hasOwnProperty.call(resources, d)),
    );
  }
  const state = new Map<string, number>(); // 1 visiting, 2 done
  for (const start of [...edges.keys()].sort(compare)) {
    if (state.get(start) === 2) continue;
    // Iterative DFS: a 2,000-method template must not overflow the stack.
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const deps = edges.get(frame.id) ?? [];
      if (frame.next >= deps.length) {
        state.set(frame.id, 2);
        stack.pop();
        continue;
      }
      const dep = deps[frame.next++] as string;
      const s = state.get(dep);
      if (s === 1) {
        const ids = stack.map((f) => f.id);
        const loop = [...ids.slice(ids.indexOf(dep)), dep];
        throw new InvalidTemplateError(`Circular dependency between resources: ${loop.join(' -> ')}.`, {
          file,
          location: toPointer(['Resources', loop[0] as string]),
          fix: 'Remove one of the Ref, Fn::GetAtt, Fn::Sub or DependsOn links in the chain.',
        });
      }
      if (s === undefined) {
        state.set(dep, 1);
        stack.push({ id: dep, next: 0 });
      }
    }
  }
}

// ---- nested stacks ----

interface NestedTemplate {
  text: TemplateText;
  file: string;
  parameters: Record<string, unknown>;
}

const nestedCache = new WeakMap<LoadedTemplate['ctx'], Map<string, NestedTemplate | null>>();

/** The local template of a nested stack (CDK `aws:asset:path` metadata, or a relative TemplateURL). */
function nestedTemplate(
  parent: LoadedTemplate,
  id: string,
  io: TemplateIo,
  options: TemplateOptions,
): NestedTemplate | undefined {
  let cache = nestedCache.get(parent.ctx);
  if (cache === undefined) nestedCache.set(parent.ctx, (cache = new Map()));
  const cached = cache.get(id);
  if (cached !== undefined) return cached ?? undefined;
  const resource = parent.resources[id] as Json;
  const props = isObject(resource.Properties) ? resource.Properties : {};
  const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
  const pointer = toPointer(['Resources', id, 'Properties', 'TemplateURL']);
  let local: string | undefined;
  if (typeof metadata['aws:asset:path'] === 'string') local = metadata['aws:asset:path'];
  else {
    const url = evaluate(props.TemplateURL, quiet(parent.ctx), pointer);
    if (typeof url === 'string' && !hasPlaceholder(url) && !/^[a-z0-9]+:\/\//i.test(url)) local = url;
  }
  if (local === undefined) {
    options.warn(
      `${parent.file}: ${pointer}: the nested stack ${id} has no local template (an S3 URL); its APIs are not read.`,
    );
    cache.set(id, null);
    return undefined;
  }
  const file = path.join(path.dirname(parent.file), local);
  const raw = isObject(props.Parameters) ? props.Parameters : {};
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    parameters[key] = evaluate(
      value,
      parent.ctx,
      toPointer(['Resources', id, 'Properties', 'Parameters', key]),
    );
  }
  const nested = { text: io.readTemplateFile(file), file, parameters };
  cache.set(id, nested);
  return nested;
}

// ---- the model ----

/**
 * Builds the AuthModel of one REST API: its OpenAPI `Body` (if any) united with its Method/Authorizer/
 * GatewayResponse resources, and its stage.
 */
export function buildModel(candidate: ApiCandidate, options: TemplateOptions): AuthModel {
  if (candidate.kind === 'HTTP') return buildHttpApiTemplateModel(candidate, options, readHttpApiDocument);
  return new ApiBuilder(candidate, options).build();
}

class ApiBuilder extends TemplateApiBuilder {
  private readonly paths = new Map<string, string | null>();

  constructor(candidate: ApiCandidate, options: TemplateOptions) {
    super(candidate, options);
    this.collectParts(
      Object.keys(this.t.resources),
      (type) =>
        type.startsWith('AWS::ApiGateway::') &&
        type !== 'AWS::ApiGateway::RestApi' &&
        type !== 'AWS::ApiGateway::Resource',
      'RestApiId',
    );
  }

  build(): AuthModel {
    const props = this.props(this.apiId);
    const bodyText = this.bodyDocument(
      'the OpenAPI body is in S3 and is not read; only the Method resources of this API are. Inline it as Body ' +
        '(or with AWS::Include of a local file) to read it.',
    );
    const fromBody =
      bodyText === undefined ? undefined : this.readBodyDocument(readOpenApiDocument, bodyText);

    const authorizers = new Map<string, Authorizer>();
    for (const id of this.mine.get('AWS::ApiGateway::Authorizer') ?? [])
      authorizers.set(id, this.authorizer(id));
    const routes = new Map<string, Route>();
    let usesIam = false;
    for (const id of (this.mine.get('AWS::ApiGateway::Method') ?? []).sort(compare)) {
      const route = this.route(id, authorizers);
      if (route === undefined) continue;
      if (
        route.authorization.type === 'AUTHORIZER' &&
        route.authorization.authorizer === AWS_IAM_AUTHORIZER_NAME
      ) {
        usesIam = true;
      }
      routes.set(`${route.method} ${route.path}`, route);
    }
    const byName = new Map<string, Authorizer>();
    for (const authorizer of authorizers.values()) byName.set(authorizer.name, authorizer);
    if (usesIam && !byName.has(AWS_IAM_AUTHORIZER_NAME)) {
      byName.set(AWS_IAM_AUTHORIZER_NAME, iamAuthorizer());
    }
    const responses = new Map<string, GatewayResponse>();
    for (const id of this.mine.get('AWS::ApiGateway::GatewayResponse') ?? []) {
      const response = this.gatewayResponse(id);
      responses.set(response.type, response);
    }
    let cors = this.cors();

    if (fromBody !== undefined) {
      if (routes.size > 0) {
        this.warn(
          toPointer(['Resources', this.apiId]),
          'the API has both an OpenAPI Body and Method resources; they can drift apart on updates (cfn-lint W3660). ' +
            'Read as their union; a route in both takes the Method resource.',
        );
      }
      for (const route of fromBody.routes) {
        const key = `${route.method} ${route.path}`;
        if (!routes.has(key)) routes.set(key, route);
      }
      for (const authorizer of fromBody.authorizers)
        if (!byName.has(authorizer.name)) byName.set(authorizer.name, authorizer);
      for (const response of fromBody.gatewayResponses)
        if (!responses.has(response.type)) responses.set(response.type, response);
      cors ??= fromBody.cors?.allowOrigin;
    }

    const nameValue =
      props.Name === undefined ? undefined : evaluate(props.Name, this.ctx, this.pointer('Name'));
    let name = typeof nameValue === 'string' && !hasPlaceholder(nameValue) ? nameValue : fromBody?.api.name;
    if (name === undefined || name === '') name = this.apiId;
    const keySource =
      props.ApiKeySourceType === undefined
        ? undefined
        : evaluate(props.ApiKeySourceType, this.ctx, this.pointer('ApiKeySourceType'));
    const apiKeySource =
      keySource === 'HEADER' || keySource === 'AUTHORIZER' ? keySource : fromBody?.api.apiKeySource;

    const model: AuthModel = {
      api: {
        name,
        ...(this.ctx.region === undefined ? {} : { region: this.ctx.region }),
        ...(apiKeySource === undefined ? {} : { apiKeySource }),
      },
      stage: this.stage(),
      authorizers: [...byName.values()],
      routes: [...routes.values()],
      gatewayResponses: [...responses.values()],
      ...(cors === undefined ? {} : { cors: { allowOrigin: cors } }),
    };
    return canonicalizeModel(model);
  }

  // ---- links ----

  /** The path of a resource id link: `/` for the API's RootResourceId, else the Resource chain. */
  private pathOf(value: unknown, at: string): string | undefined {
    const name = intrinsicName(value);
    if (name === 'Fn::GetAtt') {
      const parts = getAttParts((value as Json)[name]);
      if (parts?.[0] === this.apiId && parts[1] === 'RootResourceId') return '/';
    }
    const id = this.targetId(value);
    if (id === undefined || this.t.resources[id]?.Type !== 'AWS::ApiGateway::Resource') {
      this.warn(
        at,
        'the resource this points at is not in the template (a literal id, parameter or import), so the path is unknown; the method is skipped.',
      );
      return undefined;
    }
    const cached = this.paths.get(id);
    if (cached !== undefined) return cached ?? undefined;
    // Walk up the ParentId chain iteratively, then fill the cache top-down.
    const chain: string[] = [];
    let current: string | undefined = id;
    let base: string | undefined;
    while (current !== undefined) {
      const known = this.paths.get(current);
      if (known !== undefined) {
        base = known ?? undefined;
        break;
      }
      chain.push(current);
      const props: Json = isObject(this.t.resources[current]?.Properties)
        ? (this.t.resources[current]?.Properties as Json)
        : {};
      const parent = props.ParentId;
      const parentName = intrinsicName(parent);
      if (parentName === 'Fn::GetAtt') {
        const parts = getAttParts((parent as Json)[parentName]);
        if (parts?.[0] === this.apiId && parts[1] === 'RootResourceId') {
          base = '';
          break;
        }
      }
      const next = this.targetId(parent);
      if (next === undefined || this.t.resources[next]?.Type !== 'AWS::ApiGateway::Resource') {
        this.warn(
          toPointer(['Resources', current, 'Properties', 'ParentId']),
          'the parent resource is not in this template, so the paths below it are unknown; their methods are skipped.',
        );
        base = undefined;
        break;
      }
      current = next;
    }
    let prefix = base;
    for (const rid of chain.reverse()) {
      if (prefix === undefined) {
        this.paths.set(rid, null);
        continue;
      }
      const props = this.t.resources[rid]?.Properties as Json;
      const part = evaluate(
        props.PathPart,
        this.ctx,
        toPointer(['Resources', rid, 'Properties', 'PathPart']),
      );
      if (typeof part !== 'string' || part === '' || hasPlaceholder(part)) {
        this.warn(
          toPointer(['Resources', rid, 'Properties', 'PathPart']),
          'PathPart is not a known string; the methods below it are skipped.',
        );
        prefix = undefined;
        this.paths.set(rid, null);
        continue;
      }
      prefix = `${prefix === '/' ? '' : prefix}/${part}`;
      this.paths.set(rid, prefix);
    }
    return this.paths.get(id) ?? undefined;
  }

  // ---- resources -> model ----

  private authorizer(id: string): Authorizer {
    const at = (key?: string): string =>
      toPointer(['Resources', id, 'Properties', ...(key === undefined ? [] : [key])]);
    const rawName = this.value(id, 'Name');
    const name = typeof rawName === 'string' && rawName !== '' && !hasPlaceholder(rawName) ? rawName : id;
    const type = String(this.value(id, 'Type') ?? '').toUpperCase();
    if (type !== 'TOKEN' && type !== 'REQUEST' && type !== 'COGNITO_USER_POOLS' && type !== 'JWT') {
      throw new UnsupportedAuthorizerError(
        `Authorizer ${id} has Type ${JSON.stringify(this.value(id, 'Type'))}: expected TOKEN, REQUEST, COGNITO_USER_POOLS or JWT.`,
        {
          file: this.t.file,
          location: this.where(at('Type')),
          fix: 'Set Type to one of TOKEN, REQUEST, COGNITO_USER_POOLS, JWT.',
        },
      );
    }
    if (type === 'JWT') return this.jwtAuthorizer(id, name);
    const kind: AuthorizerKind = type;
    const rawSources = this.value(id, 'IdentitySource');
    if (rawSources !== undefined && typeof rawSources !== 'string') {
      throw this.invalid(
        at('IdentitySource'),
        'IdentitySource must be a comma-separated string.',
        'Write e.g. method.request.header.Authorization.',
      );
    }
    let expressions = splitIdentitySources(rawSources ?? '');
    if (expressions.length === 0 && kind !== 'REQUEST') {
      if (kind === 'TOKEN') {
        throw this.invalid(
          at('IdentitySource'),
          'A TOKEN authorizer needs IdentitySource: method.request.header.<Name>.',
          'Add IdentitySource: method.request.header.Authorization.',
        );
      }
      expressions = ['method.request.header.Authorization'];
    }
    const identitySources = expressions.map((expression) => {
      const parsed = parseIdentitySource(expression);
      if (!parsed || (kind !== 'REQUEST' && parsed.location !== 'header')) {
        throw this.invalid(
          at('IdentitySource'),
          `Invalid identity source ${JSON.stringify(expression)}: expected method.request.header.<Name>` +
            (kind === 'REQUEST'
              ? ', method.request.querystring.<Name>, stageVariables.<Name> or context.<Name>.'
              : '.'),
          'Correct the identity source.',
        );
      }
      return parsed;
    });
    const validation = kind === 'REQUEST' ? undefined : this.value(id, 'IdentityValidationExpression');
    const regexError =
      typeof validation === 'string' && validation !== '' ? regexSyntaxError(validation) : undefined;
    // doctor keeps it and reports it (rule regex-invalid), as the OpenAPI reader does for a Body.
    if (regexError !== undefined && !this.options.lenient) {
      throw this.invalid(
        at('IdentityValidationExpression'),
        `IdentityValidationExpression ${JSON.stringify(validation)} is not a valid regular expression (${regexError}).`,
        INVALID_REGEX_FIX,
      );
    }
    const lambda = kind !== 'COGNITO_USER_POOLS';
    const ttlRaw = this.value(id, 'AuthorizerResultTtlInSeconds');
    if (lambda && !isValidTtl(ttlRaw)) {
      throw this.invalid(
        at('AuthorizerResultTtlInSeconds'),
        `Invalid AuthorizerResultTtlInSeconds ${JSON.stringify(ttlRaw)}: expected an integer from 0 to 3600.`,
        'Set a TTL from 0 to 3600 seconds.',
      );
    }
    const uri = lambda ? this.value(id, 'AuthorizerUri') : undefined;
    const userPools: UserPoolRef[] = [];
    if (!lambda) {
      const arns = this.value(id, 'ProviderARNs');
      const list = Array.isArray(arns) ? arns : typeof arns === 'string' ? [arns] : [];
      if (list.length === 0) {
        throw this.invalid(
          at('ProviderARNs'),
          'A COGNITO_USER_POOLS authorizer needs ProviderARNs: a list of user pool ARNs.',
          'Add ProviderARNs: [!GetAtt UserPool.Arn].',
        );
      }
      list.forEach((arn: unknown, i) => userPools.push(this.userPool(arn, `${at('ProviderARNs')}/${i}`)));
    }
    return {
      name,
      kind,
      identitySources,
      ...(typeof validation === 'string' && validation !== '' ? { validationExpression: validation } : {}),
      ttlSeconds: lambda ? resolveTtl(ttlRaw) : 0,
      ...(typeof uri === 'string' ? { lambdaUri: uri } : {}),
      userPools,
    };
  }

  /**
   * A REST JWT authorizer (`Type: JWT`, `JwtConfiguration {DefaultAlgorithms, Issuers[]}`): the token from one
   * header, `method.request.header.Authorization` by default (as for Cognito; the reference infers it).
   */
  private jwtAuthorizer(id: string, name: string): Authorizer {
    const at = (key: string): string => toPointer(['Resources', id, 'Properties', key]);
    const rawSources = this.value(id, 'IdentitySource');
    if (rawSources !== undefined && typeof rawSources !== 'string') {
      throw this.invalid(
        at('IdentitySource'),
        'IdentitySource must be a string.',
        'Write e.g. method.request.header.Authorization.',
      );
    }
    const expressions = splitIdentitySources(rawSources ?? '');
    const parsed = parseIdentitySource(expressions[0] ?? 'method.request.header.Authorization');
    if (expressions.length > 1 || parsed === undefined || parsed.location !== 'header') {
      throw this.invalid(
        at('IdentitySource'),
        `Invalid identity source ${JSON.stringify(rawSources)}: a JWT authorizer reads its token from one header, method.request.header.<Name>.`,
        'Set IdentitySource: method.request.header.Authorization.',
      );
    }
    const jwt = restJwtSettings(
      this.value(id, 'JwtConfiguration'),
      ['Resources', id, 'Properties', 'JwtConfiguration'],
      templateFailAt(this.t),
    );
    return { name, kind: 'JWT', identitySources: [parsed], ttlSeconds: 0, userPools: [], jwt };
  }

  private userPool(arn: unknown, at: string): UserPoolRef {
    const text = typeof arn === 'string' ? arn : JSON.stringify(arn);
    // A part known only after deploy stays a placeholder; the config's cognito.userPoolId/region fill it.
    const pool = parseUserPoolArn(text);
    if (pool) return pool;
    throw this.invalid(
      at,
      `Invalid user pool ARN ${JSON.stringify(arn)}: expected arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}.`,
      'Correct the ARN, or use !GetAtt UserPool.Arn.',
    );
  }

  private route(id: string, authorizers: Map<string, Authorizer>): Route | undefined {
    const props = this.props(id);
    const at = (key: string): string => toPointer(['Resources', id, 'Properties', key]);
    const path = this.pathOf(props.ResourceId, at('ResourceId'));
    if (path === undefined) return undefined;
    const verb = String(this.value(id, 'HttpMethod') ?? '').toUpperCase();
    if (verb !== 'ANY' && !(HTTP_METHODS as readonly string[]).includes(verb)) {
      throw this.invalid(
        at('HttpMethod'),
        `Invalid HttpMethod ${JSON.stringify(this.value(id, 'HttpMethod'))}.`,
        `Use one of ${HTTP_METHODS.join(', ')} or ANY.`,
      );
    }
    const method = verb as RouteMethod;
    const keyRaw = this.value(id, 'ApiKeyRequired');
    const apiKeyRequired = keyRaw === true || keyRaw === 'true';
    const typeRaw = this.value(id, 'AuthorizationType');
    if (typeRaw === undefined) {
      // Open question 1 of the reference: the schema does not require it; API Gateway's own default is NONE.
      this.warn(
        at('AuthorizationType'),
        `${method} ${path} has no AuthorizationType; read as NONE (no authorization).`,
      );
    }
    const type = String(typeRaw ?? 'NONE').toUpperCase();
    if (type === 'NONE') return { method, path, authorization: { type: 'NONE' }, apiKeyRequired };
    if (type === 'AWS_IAM') {
      return {
        method,
        path,
        authorization: { type: 'AUTHORIZER', authorizer: AWS_IAM_AUTHORIZER_NAME, scopes: [] },
        apiKeyRequired,
      };
    }
    if (type !== 'CUSTOM' && type !== 'COGNITO_USER_POOLS' && type !== 'JWT') {
      throw new UnsupportedAuthorizerError(
        `${method} ${path} has AuthorizationType ${JSON.stringify(typeRaw)}.`,
        {
          file: this.t.file,
          location: this.where(at('AuthorizationType')),
          fix: 'Use NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS or JWT.',
        },
      );
    }
    const target = this.targetId(props.AuthorizerId);
    const authorizer = target === undefined ? undefined : authorizers.get(target);
    if (authorizer === undefined) {
      throw this.invalid(
        at('AuthorizerId'),
        `${method} ${path} is ${type} but AuthorizerId does not point at an AWS::ApiGateway::Authorizer of this API.`,
        'Set AuthorizerId: !Ref <the authorizer logical id>.',
      );
    }
    if ((type === 'JWT') !== (authorizer.kind === 'JWT')) {
      throw this.invalid(
        at('AuthorizationType'),
        `${method} ${path} is ${type} but its authorizer ${authorizer.name} is ${authorizer.kind}.`,
        type === 'JWT'
          ? 'Point AuthorizerId at a Type: JWT authorizer, or change AuthorizationType.'
          : 'Set AuthorizationType: JWT for a JWT authorizer.',
      );
    }
    const scopesRaw = this.value(id, 'AuthorizationScopes');
    const scopes =
      (authorizer.kind === 'COGNITO_USER_POOLS' || authorizer.kind === 'JWT') && Array.isArray(scopesRaw)
        ? [...new Set(scopesRaw.map(String))]
        : [];
    return {
      method,
      path,
      authorization: { type: 'AUTHORIZER', authorizer: authorizer.name, scopes },
      apiKeyRequired,
    };
  }

  private gatewayResponse(id: string): GatewayResponse {
    const at = (key: string): string => toPointer(['Resources', id, 'Properties', key]);
    const type = this.value(id, 'ResponseType');
    if (typeof type !== 'string' || !(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) {
      throw this.invalid(
        at('ResponseType'),
        `Unknown gateway response type ${JSON.stringify(type)}.`,
        `Use one of ${GATEWAY_RESPONSE_TYPES.join(', ')}.`,
      );
    }
    const status = this.value(id, 'StatusCode');
    const code = status === undefined ? undefined : Number(status);
    if (code !== undefined && (!Number.isInteger(code) || code < 100 || code > 599)) {
      throw this.invalid(
        at('StatusCode'),
        `Invalid StatusCode ${JSON.stringify(status)}.`,
        'Use a status code from 100 to 599.',
      );
    }
    return {
      type: type as GatewayResponseType,
      ...(code === undefined ? {} : { statusCode: code }),
      headers: parseGatewayResponseHeaders(this.strings(id, 'ResponseParameters')),
      templates: this.strings(id, 'ResponseTemplates'),
    };
  }

  private strings(id: string, key: string): Record<string, string> {
    const raw = this.value(id, key);
    if (raw === undefined) return {};
    if (!isObject(raw))
      throw this.invalid(
        toPointer(['Resources', id, 'Properties', key]),
        `${key} must be a map of strings.`,
        'Write it as Name: value pairs.',
      );
    const out: Record<string, string> = {};
    for (const k of Object.keys(raw).sort(compare)) out[k] = String(raw[k]);
    return out;
  }

  /** CORS as the export reader reads it: a static Access-Control-Allow-Origin in an integration response. */
  private cors(): string | undefined {
    let declared = false;
    const methods = (this.mine.get('AWS::ApiGateway::Method') ?? []).map((id) => {
      const props = this.props(id);
      const path =
        this.paths.get(this.targetId(props.ResourceId) ?? '') ??
        (this.isRoot(props.ResourceId) ? '/' : undefined);
      const verb = String(this.value(id, 'HttpMethod') ?? '').toLowerCase();
      return { id, path, key: verb === 'any' ? 'x-amazon-apigateway-any-method' : verb };
    });
    methods.sort((a, b) => compare(a.path ?? '', b.path ?? '') || compare(a.key, b.key));
    const acao = 'method.response.header.access-control-allow-origin';
    for (const { id, path } of methods) {
      if (path === undefined) continue;
      // Only the response mappings matter here: evaluate those, not the whole integration.
      const rawIntegration = this.props(id).Integration;
      const responses =
        isObject(rawIntegration) && rawIntegration.IntegrationResponses !== undefined
          ? evaluate(
              rawIntegration.IntegrationResponses,
              this.ctx,
              toPointer(['Resources', id, 'Properties', 'Integration', 'IntegrationResponses']),
            )
          : [];
      for (const response of Array.isArray(responses) ? responses : []) {
        const params =
          isObject(response) && isObject(response.ResponseParameters) ? response.ResponseParameters : {};
        for (const [name, value] of Object.entries(params)) {
          if (name.toLowerCase() !== acao || typeof value !== 'string') continue;
          const origin = staticValue(value);
          if (origin !== undefined) return origin;
          declared = true;
        }
      }
      const methodResponses = this.value(id, 'MethodResponses');
      for (const response of Array.isArray(methodResponses) ? methodResponses : []) {
        const params =
          isObject(response) && isObject(response.ResponseParameters) ? response.ResponseParameters : {};
        if (Object.keys(params).some((name) => name.toLowerCase() === acao)) declared = true;
      }
    }
    return declared ? '*' : undefined;
  }

  private isRoot(value: unknown): boolean {
    const name = intrinsicName(value);
    if (name !== 'Fn::GetAtt') return false;
    const parts = getAttParts((value as Json)[name]);
    return parts?.[0] === this.apiId && parts[1] === 'RootResourceId';
  }

  /** The Stage resource (`--stage` picks among several), else the Deployment's StageName. */
  private stage(): AuthModel['stage'] {
    const stages = (this.mine.get('AWS::ApiGateway::Stage') ?? []).map((id) => ({
      id,
      name: this.value(id, 'StageName'),
      variables: this.value(id, 'Variables'),
    }));
    const deployments = (this.mine.get('AWS::ApiGateway::Deployment') ?? []).flatMap((id) => {
      const name = this.value(id, 'StageName');
      const description = this.value(id, 'StageDescription');
      return name === undefined
        ? []
        : [{ id, name, variables: isObject(description) ? description.Variables : undefined }];
    });
    const all = [...stages, ...deployments].filter((s) => typeof s.name === 'string');
    // A Stage resource wins over a Deployment's StageName (SAM's stray "Stage" stage, iac trap 8).
    const chosen = this.chooseStage(all, stages.length > 0 ? stages : deployments);
    let name = typeof chosen?.name === 'string' && !hasPlaceholder(chosen.name) ? chosen.name : undefined;
    if (name === undefined) {
      this.warn(
        toPointer(['Resources', this.apiId]),
        'no stage with a known name (AWS::ApiGateway::Stage or Deployment StageName); assuming "prod".',
      );
      name = 'prod';
    }
    return this.deployedStage(name, `/${name}`, chosen?.variables);
  }
}
