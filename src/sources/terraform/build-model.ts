/**
 * Terraform plan or state JSON (`terraform show -json`) -> AuthModel, for one `aws_api_gateway_rest_api`.
 *
 * Reads the REST API's `body` (an OpenAPI string) through the OpenAPI reader and the separate resources
 * (`aws_api_gateway_resource`, `_method`, `_authorizer`, `_gateway_response`, `_stage`, `_deployment`,
 * `_method_response`, `_integration_response`), in the root module and in child modules. Ids that exist only
 * after apply are linked through the configuration's references; other values known only after apply become
 * named placeholders (`${aws_lambda_function.token.invoke_arn}`) with a warning. Pure.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method
 */

import {
  InvalidTemplateError,
  UnsupportedAuthorizerError,
  type ApigwAuthzError,
  type ErrorDetails,
} from '../../errors.js';
import {
  AWS_IAM_AUTHORIZER_NAME,
  canonicalizeModel,
  compare,
  iamAuthorizer,
  INVALID_REGEX_FIX,
  isObject,
  isPlaceholder,
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
  type IdentitySource,
  type Route,
  type RouteMethod,
  type Stage,
  type UserPoolRef,
} from '../../model/types.js';
import { parseDataText } from '../data-text.js';
import { readOpenApiDocument } from '../openapi/build-model.js';
import { attribute, expressionOf, indexTerraformJson, type Instance, type TerraformIndex } from './plan.js';
import { Linker, type Link } from './references.js';

/** Options of `readTerraformJson`. */
export interface TerraformReadOptions {
  /** The file name, for errors and warnings. */
  file: string;
  /** `--api`: the REST API's `name`, its address (`module.api.aws_api_gateway_rest_api.this`) or `type.name`. */
  api?: string;
  /** `--stage`: which stage when the API has several (else the first by name, with a warning). */
  stage?: string;
  /** doctor: keep a validation regex that does not compile, for doctor to report, instead of refusing. */
  lenient?: boolean;
  /** Called once per kind of warning, after reading (the first case named, the others counted). */
  warn(message: string): void;
}

type ErrorClass = new (message: string, details?: ErrorDetails) => ApigwAuthzError;

const REST_API = 'aws_api_gateway_rest_api';
const PLAN_FIX =
  'Pass the plan or state of the workspace that defines the REST API: ' +
  '`terraform plan -out=tfplan && terraform show -json tfplan > plan.json`.';
const ACAO = 'method.response.header.access-control-allow-origin';
const DEFAULT_IDENTITY_SOURCE = 'method.request.header.Authorization';
const DEFAULT_STAGE = 'prod';
/** The types this reader uses: a plan also has an integration per method, which authorization ignores. */
const READ_TYPES: ReadonlySet<string> = new Set(
  [
    'rest_api',
    'resource',
    'method',
    'authorizer',
    'gateway_response',
    'stage',
    'deployment',
    'method_response',
    'integration_response',
  ].map((type) => `aws_api_gateway_${type}`),
);

/** The resources of one REST API (or of an API this document does not manage, named by its placeholder). */
interface ApiGroup {
  key: string;
  api?: Instance;
  members: Instance[];
}

/**
 * Reads one REST API of a Terraform plan or state into the model.
 *
 * @param doc - the parsed `terraform show -json` output
 * @param options - the file name, `--api`, and where warnings go
 * @returns the canonical model and the warnings (each also passed to `options.warn`)
 * @throws InvalidTemplateError when the document is not Terraform JSON or manages no API Gateway REST API
 * @throws InvalidTemplateError when it manages several REST APIs and `api` picks none of them
 * @throws UnsupportedAuthorizerError for an authorizer or authorization type API Gateway REST APIs do not have
 */
export function readTerraformJson(
  doc: unknown,
  options: TerraformReadOptions,
): { model: AuthModel; warnings: string[] } {
  // One warning per kind, naming the first case and counting the others, as the OpenAPI reader does.
  const notes = new Map<string, { message: string; more: number }>();
  const warn = (message: string, kind = message): void => {
    const seen = notes.get(kind);
    if (seen) seen.more += 1;
    else notes.set(kind, { message, more: 0 });
  };
  const index = indexTerraformJson(doc, options.file, (type) => READ_TYPES.has(type));
  const reader = new TerraformReader(index, options.file, warn, options.stage, options.lenient === true);
  const model = reader.read(options.api);
  const warnings = [...notes.values()].map(({ message, more }) => {
    const text = message.startsWith(options.file) ? message : `${options.file}: ${message}`;
    return more === 0 ? text : `${text.replace(/\.$/, '')} (and ${more} more like it).`;
  });
  for (const warning of warnings) options.warn(warning);
  return { model, warnings };
}

class TerraformReader {
  private readonly linker: Linker;
  private readonly paths = new Map<Instance, string>();

  constructor(
    private readonly index: TerraformIndex,
    private readonly file: string,
    private readonly warn: (message: string, kind?: string) => void,
    private readonly stage: string | undefined,
    private readonly lenient: boolean,
  ) {
    this.linker = new Linker(index);
  }

  read(wanted: string | undefined): AuthModel {
    const gateway = this.index.instances;
    if (!gateway.some((i) => i.type === REST_API || i.type === 'aws_api_gateway_method')) {
      throw this.nothingToRead();
    }
    const group = this.pickApi(this.groupByApi(gateway), wanted);
    return this.buildModel(group);
  }

  private nothingToRead(): ApigwAuthzError {
    const types = [...this.index.types].sort(compare);
    const v2 = types.some((t) => t.startsWith('aws_apigatewayv2_'));
    const found = types.length === 0 ? 'no managed resources' : `only ${summarize(types)}`;
    return new InvalidTemplateError(
      `This Terraform ${this.index.kind} manages no API Gateway REST API: expected aws_api_gateway_rest_api ` +
        `and aws_api_gateway_method resources, found ${found}.`,
      {
        file: this.file,
        location: this.index.kind === 'plan' ? '#/planned_values/root_module' : '#/values/root_module',
        fix: v2
          ? 'HTTP APIs (aws_apigatewayv2_*) are not read from Terraform yet; export the API with `aws apigatewayv2 export-api` instead.'
          : PLAN_FIX,
      },
    );
  }

  // ---- APIs ----

  private groupByApi(gateway: Instance[]): ApiGroup[] {
    const groups = new Map<string, ApiGroup>();
    for (const api of gateway.filter((i) => i.type === REST_API)) {
      groups.set(api.address, { key: api.address, api, members: [] });
    }
    for (const member of gateway) {
      if (member.type === REST_API) continue;
      const link = this.linker.link(member, 'rest_api_id', [REST_API]);
      const key = link.kind === 'instance' ? link.instance.address : this.externalApiKey(link);
      const group = groups.get(key) ?? { key, members: [] };
      group.members.push(member);
      groups.set(key, group);
    }
    return [...groups.values()].filter(
      (g) => g.api !== undefined || g.members.some((m) => m.type === 'aws_api_gateway_method'),
    );
  }

  private externalApiKey(link: Link): string {
    return link.kind === 'unresolved' ? link.placeholder : '?';
  }

  private pickApi(groups: ApiGroup[], wanted: string | undefined): ApiGroup {
    const location = this.index.kind === 'plan' ? '#/planned_values/root_module' : '#/values/root_module';
    if (wanted !== undefined) {
      const matches = groups.filter((g) => this.apiNames(g).includes(wanted));
      if (matches.length === 1 && matches[0]) return matches[0];
      throw new InvalidTemplateError(
        matches.length === 0
          ? `--api ${wanted} names no REST API in this Terraform ${this.index.kind}. Candidates: ${this.candidates(groups)}.`
          : `--api ${wanted} names ${matches.length} REST APIs: ${this.candidates(matches)}.`,
        { file: this.file, location, fix: 'Pass one of the candidates to --api (an address is unique).' },
      );
    }
    if (groups.length === 1 && groups[0]) return groups[0];
    throw new InvalidTemplateError(
      `This Terraform ${this.index.kind} defines ${groups.length} REST APIs: ${this.candidates(groups)}.`,
      { file: this.file, location, fix: 'Pick one with --api ADDRESS (or its name).' },
    );
  }

  private apiNames(group: ApiGroup): string[] {
    const api = group.api;
    if (!api) return [group.key];
    const name = api.values.name;
    return [
      api.address,
      `${api.type}.${api.name}`,
      api.name,
      ...(typeof name === 'string' && name !== '' ? [name] : []),
    ];
  }

  /** `address (name)`, sorted by address, as the CloudFormation reader lists logical ids. */
  private candidates(groups: ApiGroup[]): string {
    return groups
      .map((g) => {
        const name = g.api?.values.name;
        return typeof name === 'string' && name !== '' ? `${g.key} (${name})` : g.key;
      })
      .sort(compare)
      .join(', ');
  }

  // ---- the model ----

  private buildModel(group: ApiGroup): AuthModel {
    const api = group.api;
    const byType = new Map<string, Instance[]>();
    for (const member of group.members) {
      const list = byType.get(member.type);
      if (list) list.push(member);
      else byType.set(member.type, [member]);
    }
    const members = (type: string): Instance[] => byType.get(`aws_api_gateway_${type}`) ?? [];
    const region = this.region(group);
    const body = api ? this.readBody(api, region) : undefined;

    const authorizers = new Map<string, Authorizer>();
    for (const authorizer of body?.authorizers ?? []) authorizers.set(authorizer.name, authorizer);
    const byInstance = new Map<Instance, Authorizer>();
    for (const instance of members('authorizer')) {
      const authorizer = this.readAuthorizer(instance);
      if (authorizers.has(authorizer.name) && body) {
        this.warn(
          `authorizer ${authorizer.name} is defined both in ${api?.address ?? ''}.body and as ` +
            `${instance.address}; the resource wins.`,
          'authorizer-in-body-and-resource',
        );
      }
      authorizers.set(authorizer.name, authorizer);
      byInstance.set(instance, authorizer);
    }

    const routes = new Map<string, Route>();
    for (const route of body?.routes ?? []) routes.set(`${route.method} ${route.path}`, route);
    const methods = members('method');
    if (body && methods.length > 0 && (body.routes.length ?? 0) > 0) {
      this.warn(
        `${api?.address ?? ''} has both a body and aws_api_gateway_method resources; API Gateway ` +
          'may drop one set on the next body update (put_rest_api_mode). Both are read; a method resource wins.',
      );
    }
    let usesIam = false;
    for (const method of methods) {
      const route = this.readMethod(method, byInstance);
      if (
        route.authorization.type === 'AUTHORIZER' &&
        route.authorization.authorizer === AWS_IAM_AUTHORIZER_NAME
      )
        usesIam = true;
      routes.set(`${route.method} ${route.path}`, route);
    }
    if (usesIam && !authorizers.has(AWS_IAM_AUTHORIZER_NAME)) {
      // AWS_IAM is not an authorizer resource: name it as exports and the live reader do.
      authorizers.set(AWS_IAM_AUTHORIZER_NAME, iamAuthorizer());
    }

    const gatewayResponses = new Map<string, GatewayResponse>();
    for (const response of body?.gatewayResponses ?? []) gatewayResponses.set(response.type, response);
    for (const instance of members('gateway_response')) {
      const response = this.readGatewayResponse(instance);
      gatewayResponses.set(response.type, response);
    }

    const cors =
      this.readCors(members('method_response'), members('integration_response')) ?? body?.cors?.allowOrigin;
    const { id, stage } = this.readStage(group, region);
    const apiKeySource = api ? this.apiKeySource(api) : undefined;

    if (routes.size === 0) {
      throw new InvalidTemplateError(
        `${group.api?.address ?? group.key} has no methods this ${this.index.kind} shows: no aws_api_gateway_method ` +
          'resources and no readable body.',
        {
          file: this.file,
          location: group.api?.pointer ?? '#',
          fix: 'Make the body known at plan time (no inputs computed during apply), or read the state after `terraform apply` (`terraform show -json`).',
        },
      );
    }

    return canonicalizeModel({
      api: {
        name: this.apiName(group),
        ...(id === undefined ? {} : { id }),
        ...(region === undefined ? {} : { region }),
        ...(apiKeySource === undefined ? {} : { apiKeySource }),
      },
      stage,
      authorizers: [...authorizers.values()],
      routes: [...routes.values()],
      gatewayResponses: [...gatewayResponses.values()],
      ...(cors === undefined ? {} : { cors: { allowOrigin: cors } }),
    });
  }

  private apiName(group: ApiGroup): string {
    const api = group.api;
    if (!api) {
      this.warn(`the REST API ${group.key} is not managed by this ${this.index.kind}; named "api".`);
      return 'api';
    }
    const name = attribute(api, 'name');
    if (name.known && typeof name.value === 'string' && name.value !== '') return name.value;
    this.warn(`${api.address}.name is unknown until apply; the collection is named "${api.name}".`);
    return api.name;
  }

  /** `AUTHORIZER` only: absent means `HEADER`, the default every source leaves out. */
  private apiKeySource(api: Instance): 'AUTHORIZER' | undefined {
    const value = attribute(api, 'api_key_source');
    return value.known && value.value === 'AUTHORIZER' ? 'AUTHORIZER' : undefined;
  }

  /** The provider's region (a constant or a root variable), else the region in a known ARN or URL. */
  private region(group: ApiGroup): string | undefined {
    const owner = group.api ?? group.members[0];
    if (owner) {
      const module = this.index.configModules.get(owner.configKey);
      const block = module?.resources.get(owner.block);
      const key = typeof block?.provider_config_key === 'string' ? block.provider_config_key : 'aws';
      const fromProvider = this.providerRegion(key) ?? this.providerRegion('aws');
      if (fromProvider) return fromProvider;
    }
    for (const instance of [...(group.api ? [group.api] : []), ...group.members]) {
      for (const key of ['invoke_url', 'execution_arn', 'arn', 'authorizer_uri']) {
        const value = instance.values[key];
        if (typeof value !== 'string') continue;
        const match =
          /\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com/.exec(value) ??
          /^arn:aws[a-z-]*:(?:apigateway|execute-api):([a-z]{2}(?:-[a-z]+)+-\d+):/.exec(value);
        if (match?.[1]) return match[1];
      }
    }
    return undefined;
  }

  private providerRegion(key: string): string | undefined {
    const provider = this.index.providerConfig[key];
    const expressions = isObject(provider) && isObject(provider.expressions) ? provider.expressions : {};
    const region = expressions.region;
    if (!isObject(region)) return undefined;
    if (typeof region.constant_value === 'string') return region.constant_value;
    const refs = Array.isArray(region.references) ? region.references : [];
    for (const ref of refs) {
      if (typeof ref !== 'string' || !ref.startsWith('var.')) continue;
      const variable = this.index.variables[ref.slice(4)];
      if (isObject(variable) && typeof variable.value === 'string') return variable.value;
    }
    return undefined;
  }

  // ---- body ----

  private readBody(api: Instance, region: string | undefined): AuthModel | undefined {
    const body = attribute(api, 'body');
    if (!body.known) {
      this.warn(
        `${api.address}.body is known only after apply (it interpolates values computed during apply), ` +
          'so the routes it defines are missing; read the state after `terraform apply` to see them.',
      );
      return undefined;
    }
    if (typeof body.value !== 'string' || body.value.trim() === '') return undefined;
    const where = `${this.file} (${api.address}.body)`;
    const parsed = parseDataText(body.value, where);
    const result = readOpenApiDocument(parsed.data, {
      file: where,
      locate: parsed.locate,
      lenient: this.lenient,
      ...(region === undefined ? {} : { region }),
    });
    for (const warning of result.warnings) this.warn(warning);
    return result.model;
  }

  // ---- authorizers ----

  private readAuthorizer(instance: Instance): Authorizer {
    const name = this.authorizerName(instance);
    const type = this.known(instance, 'type');
    const kind = authorizerKind(type === undefined || type === null ? 'TOKEN' : type);
    if (kind === undefined) {
      throw this.error(
        UnsupportedAuthorizerError,
        `Authorizer ${name} has an unknown type ${JSON.stringify(type)}: expected TOKEN, REQUEST or COGNITO_USER_POOLS.`,
        instance,
        'type',
        'Use a REST API authorizer type; HTTP API authorizers are aws_apigatewayv2_authorizer.',
      );
    }
    const identitySources = this.identitySources(instance, name, kind);
    const regex = kind === 'REQUEST' ? undefined : this.known(instance, 'identity_validation_expression');
    const validationExpression =
      typeof regex === 'string' && regex !== '' ? this.checkRegex(regex, instance) : undefined;
    const lambda = kind === 'TOKEN' || kind === 'REQUEST';
    let ttlSeconds = 0;
    let lambdaUri: string | undefined;
    let userPools: UserPoolRef[] = [];
    if (lambda) {
      const ttl = this.known(instance, 'authorizer_result_ttl_in_seconds');
      if (!isValidTtl(ttl)) {
        throw this.error(
          InvalidTemplateError,
          `Authorizer ${name} has an invalid authorizer_result_ttl_in_seconds ${JSON.stringify(ttl)}: expected 0 to 3600.`,
          instance,
          'authorizer_result_ttl_in_seconds',
          'set a TTL from 0 to 3600 seconds.',
        );
      }
      ttlSeconds = resolveTtl(ttl);
      lambdaUri = this.stringOrPlaceholder(instance, 'authorizer_uri');
    } else {
      userPools = this.userPools(instance, name);
    }
    return {
      name,
      kind,
      identitySources,
      ...(validationExpression === undefined ? {} : { validationExpression }),
      ttlSeconds,
      ...(lambdaUri === undefined ? {} : { lambdaUri }),
      userPools,
    };
  }

  private authorizerName(instance: Instance): string {
    const name = attribute(instance, 'name');
    if (name.known && typeof name.value === 'string' && name.value !== '') return name.value;
    this.warn(
      `${instance.address}.name is unknown until apply; the authorizer is named "${instance.name}" ` +
        '(config keys use this name).',
      'authorizer-name-unknown',
    );
    return instance.name;
  }

  private identitySources(instance: Instance, name: string, kind: AuthorizerKind): IdentitySource[] {
    const raw = this.known(instance, 'identity_source');
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      throw this.error(
        InvalidTemplateError,
        'identity_source must be a string.',
        instance,
        'identity_source',
      );
    }
    // The provider's default (planned values show it; a state of an old provider may not).
    const list = splitIdentitySources(
      raw === undefined || raw === null || raw === ''
        ? kind === 'REQUEST'
          ? ''
          : DEFAULT_IDENTITY_SOURCE
        : raw,
    );
    const parsed = list.map((expression) => {
      const source = parseIdentitySource(expression);
      if (!source) {
        throw this.error(
          InvalidTemplateError,
          `Authorizer ${name} has an identity source we cannot read: ${JSON.stringify(expression)}.`,
          instance,
          'identity_source',
          'use method.request.header.X, method.request.querystring.X, stageVariables.X or context.X, separated by commas.',
        );
      }
      return source;
    });
    if (kind !== 'REQUEST' && (parsed.length !== 1 || parsed[0]?.location !== 'header')) {
      throw this.error(
        InvalidTemplateError,
        `Authorizer ${name} (${kind}) must read one header, written method.request.header.<Name>; got ${JSON.stringify(raw)}.`,
        instance,
        'identity_source',
      );
    }
    return parsed;
  }

  private checkRegex(regex: string, instance: Instance): string {
    const reason = regexSyntaxError(regex);
    // doctor keeps it and reports it (rule regex-invalid)
    if (reason === undefined || this.lenient) return regex;
    throw this.error(
      InvalidTemplateError,
      `identity_validation_expression ${JSON.stringify(regex)} is not a valid regular expression (${reason}).`,
      instance,
      'identity_validation_expression',
      INVALID_REGEX_FIX,
    );
  }

  private userPools(instance: Instance, name: string): UserPoolRef[] {
    const value = attribute(instance, 'provider_arns');
    const unknownElements = instance.unknown.provider_arns;
    const arns: string[] = [];
    if (!value.known) {
      arns.push(this.linker.placeholder(instance, 'provider_arns'));
    } else if (Array.isArray(value.value)) {
      value.value.forEach((arn: unknown, i) => {
        const unknown = Array.isArray(unknownElements) && unknownElements[i] === true;
        arns.push(
          typeof arn === 'string' && !unknown ? arn : this.linker.placeholder(instance, 'provider_arns'),
        );
      });
      if (Array.isArray(unknownElements)) {
        for (let i = value.value.length; i < unknownElements.length; i += 1)
          if (unknownElements[i] === true) arns.push(this.linker.placeholder(instance, 'provider_arns'));
      }
    }
    if (arns.length === 0) {
      throw this.error(
        InvalidTemplateError,
        `Cognito authorizer ${name} has no provider_arns.`,
        instance,
        'provider_arns',
        'set provider_arns to the user pool ARNs.',
      );
    }
    return arns.map((arn) => {
      // A placeholder ARN stays one (all its parts are the placeholder); the config supplies the pool.
      const pool = parseUserPoolArn(arn);
      if (pool && isPlaceholder(arn)) {
        this.warn(
          `${instance.address}.provider_arns is known only after apply; kept as ${arn}. Set userPoolId and region ` +
            `in the config (authorizers.${name}.cognito) or read the state after apply.`,
          'provider-arns-unknown',
        );
      }
      if (pool) return pool;
      throw this.error(
        InvalidTemplateError,
        `Invalid user pool ARN ${JSON.stringify(arn)}: expected arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}.`,
        instance,
        'provider_arns',
      );
    });
  }

  // ---- methods and paths ----

  private readMethod(instance: Instance, authorizers: Map<Instance, Authorizer>): Route {
    const verb = String(this.known(instance, 'http_method') ?? '').toUpperCase();
    if (!isRouteMethod(verb)) {
      throw this.error(
        InvalidTemplateError,
        `http_method ${JSON.stringify(instance.values.http_method)} is not an HTTP method API Gateway accepts.`,
        instance,
        'http_method',
        `use one of ${[...HTTP_METHODS, 'ANY'].join(', ')}.`,
      );
    }
    const path = this.methodPath(instance);
    const apiKeyRequired = this.known(instance, 'api_key_required') === true;
    const type = this.known(instance, 'authorization');
    if (typeof type !== 'string') {
      throw this.error(
        InvalidTemplateError,
        `${verb} ${path}: authorization is ${type === undefined ? 'known only after apply' : 'missing'}.`,
        instance,
        'authorization',
        'set authorization to NONE, CUSTOM, AWS_IAM or COGNITO_USER_POOLS from values known at plan time.',
      );
    }
    const upper = type.toUpperCase();
    if (upper === 'NONE') return { method: verb, path, authorization: { type: 'NONE' }, apiKeyRequired };
    if (upper === 'AWS_IAM') {
      return {
        method: verb,
        path,
        authorization: { type: 'AUTHORIZER', authorizer: AWS_IAM_AUTHORIZER_NAME, scopes: [] },
        apiKeyRequired,
      };
    }
    if (upper !== 'CUSTOM' && upper !== 'COGNITO_USER_POOLS') {
      throw this.error(
        UnsupportedAuthorizerError,
        `${verb} ${path} has an unknown authorization ${JSON.stringify(type)}.`,
        instance,
        'authorization',
        'use NONE, CUSTOM, AWS_IAM or COGNITO_USER_POOLS.',
      );
    }
    const link = this.linker.link(instance, 'authorizer_id', ['aws_api_gateway_authorizer']);
    const authorizer = link.kind === 'instance' ? authorizers.get(link.instance) : undefined;
    if (!authorizer) {
      const target =
        link.kind === 'instance'
          ? link.instance.address
          : link.kind === 'unresolved'
            ? link.placeholder
            : '?';
      throw this.error(
        InvalidTemplateError,
        `${verb} ${path} uses authorizer ${target}, which is not an aws_api_gateway_authorizer of this REST API in the ${this.index.kind}.`,
        instance,
        'authorizer_id',
        'point authorizer_id at an aws_api_gateway_authorizer resource (e.g. aws_api_gateway_authorizer.NAME.id) of the same API.',
      );
    }
    const scopes = this.known(instance, 'authorization_scopes');
    const list =
      authorizer.kind === 'COGNITO_USER_POOLS' && Array.isArray(scopes)
        ? [...new Set(scopes.filter((s): s is string => typeof s === 'string'))]
        : [];
    return {
      method: verb,
      path,
      authorization: { type: 'AUTHORIZER', authorizer: authorizer.name, scopes: list },
      apiKeyRequired,
    };
  }

  private methodPath(instance: Instance): string {
    const link = this.linker.link(instance, 'resource_id', ['aws_api_gateway_resource'], true);
    return this.linkPath(link, instance, 'resource_id', []);
  }

  private linkPath(link: Link, from: Instance, arg: string, chain: Instance[]): string {
    if (link.kind === 'root') return '/';
    if (link.kind === 'instance') return this.resourcePath(link.instance, chain);
    this.warn(
      `${from.address}.${arg} points at ${link.placeholder}, which this ${this.index.kind} does not ` +
        'resolve; the path keeps it as a placeholder.',
      'path-link-unresolved',
    );
    return `/${link.placeholder}`;
  }

  /** A resource's full path: its known `path`, else its parent's path plus `path_part` (memoized). */
  private resourcePath(instance: Instance, chain: Instance[]): string {
    const memo = this.paths.get(instance);
    if (memo !== undefined) return memo;
    if (chain.includes(instance)) {
      throw this.error(
        InvalidTemplateError,
        `Circular parent_id chain: ${[...chain, instance].map((i) => i.address).join(' -> ')}.`,
        instance,
        'parent_id',
        'point parent_id at the parent resource or at the API root_resource_id.',
      );
    }
    const known = this.known(instance, 'path');
    let path: string;
    if (typeof known === 'string' && known.startsWith('/')) {
      path = known;
    } else {
      const parent = this.linkPath(
        this.linker.link(instance, 'parent_id', ['aws_api_gateway_resource'], true),
        instance,
        'parent_id',
        [...chain, instance],
      );
      const part = this.stringOrPlaceholder(instance, 'path_part') ?? '';
      path = parent === '/' ? `/${part}` : `${parent}/${part}`;
    }
    this.paths.set(instance, path);
    return path;
  }

  // ---- gateway responses, CORS ----

  private readGatewayResponse(instance: Instance): GatewayResponse {
    const type = this.known(instance, 'response_type');
    if (typeof type !== 'string' || !(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) {
      throw this.error(
        InvalidTemplateError,
        `Unknown gateway response type ${JSON.stringify(type)}.`,
        instance,
        'response_type',
        `use one of ${GATEWAY_RESPONSE_TYPES.join(', ')}.`,
      );
    }
    const status = this.known(instance, 'status_code');
    const code = typeof status === 'string' && /^\d{3}$/.test(status) ? Number(status) : status;
    if (
      code !== undefined &&
      code !== null &&
      code !== '' &&
      (typeof code !== 'number' || code < 100 || code > 599)
    ) {
      throw this.error(
        InvalidTemplateError,
        `Invalid status_code ${JSON.stringify(status)}.`,
        instance,
        'status_code',
      );
    }
    return {
      type: type as GatewayResponseType,
      ...(typeof code === 'number' ? { statusCode: code } : {}),
      headers: parseGatewayResponseHeaders(this.stringMap(instance, 'response_parameters')),
      templates: this.stringMap(instance, 'response_templates'),
    };
  }

  /**
   * The CORS origin, by the export reader's rule: the first static `Access-Control-Allow-Origin` of an integration
   * response (by path, operation key and status), else `*` when a method or integration response declares it.
   */
  private readCors(methodResponses: Instance[], integrationResponses: Instance[]): string | undefined {
    let best: { key: string; origin: string } | undefined;
    let declared = false;
    for (const instance of integrationResponses) {
      for (const [name, value] of Object.entries(this.stringMap(instance, 'response_parameters'))) {
        if (name.toLowerCase() !== ACAO) continue;
        const origin = staticValue(value);
        if (origin === undefined) {
          declared = true;
          continue;
        }
        const key = [
          this.methodPath(instance),
          exportKey(String(instance.values.http_method ?? '')),
          String(instance.values.status_code ?? ''),
        ].join('\u0000');
        if (best === undefined || compare(key, best.key) < 0) best = { key, origin };
      }
    }
    if (best) return best.origin;
    for (const instance of methodResponses) {
      const params = instance.values.response_parameters;
      if (isObject(params) && Object.keys(params).some((name) => name.toLowerCase() === ACAO))
        declared = true;
    }
    return declared ? '*' : undefined;
  }

  // ---- stage ----

  private readStage(group: ApiGroup, region: string | undefined): { id?: string; stage: Stage } {
    const api = group.api;
    const idValue = api ? attribute(api, 'id') : undefined;
    const id =
      idValue?.known && typeof idValue.value === 'string' && idValue.value !== '' ? idValue.value : undefined;
    const stages: Array<{ name: string; instance: Instance }> = [];
    for (const instance of group.members) {
      if (instance.type !== 'aws_api_gateway_stage' && instance.type !== 'aws_api_gateway_deployment')
        continue;
      const name = this.known(instance, 'stage_name');
      if (typeof name === 'string' && name !== '') stages.push({ name, instance });
    }
    // A stage resource over the deprecated deployment stage_name of the same name.
    stages.sort((a, b) => compare(a.name, b.name) || compare(b.instance.type, a.instance.type));
    let chosen = stages[0];
    if (this.stage !== undefined) {
      chosen = stages.find((s) => s.name === this.stage);
      if (!chosen) {
        throw new InvalidTemplateError(
          `--stage ${this.stage} is not a stage of ${group.api?.address ?? group.key}. Stages: ${[...new Set(stages.map((s) => s.name))].join(', ') || '(none)'}.`,
          {
            file: this.file,
            location: group.api?.pointer ?? '#',
            fix: 'Pass one of the stages, or omit --stage.',
          },
        );
      }
    } else if (new Set(stages.map((s) => s.name)).size > 1) {
      const names = [...new Set(stages.map((s) => s.name))];
      this.warn(
        `the REST API has stages ${names.join(', ')}; reading ${chosen?.name ?? ''} (pick one with --stage).`,
      );
    }
    const name = chosen?.name ?? DEFAULT_STAGE;
    if (!chosen) this.warn(`no aws_api_gateway_stage for the REST API; assumed stage "${DEFAULT_STAGE}".`);
    const variables: Record<string, string> = {};
    const rawVariables = chosen ? chosen.instance.values.variables : undefined;
    if (isObject(rawVariables)) {
      for (const key of Object.keys(rawVariables).sort(compare)) {
        const value = rawVariables[key];
        if (typeof value === 'string') variables[key] = value;
      }
    }
    const invokeUrl = chosen ? this.known(chosen.instance, 'invoke_url') : undefined;
    let baseUrl: string;
    if (typeof invokeUrl === 'string' && invokeUrl.startsWith('https://')) {
      baseUrl = invokeUrl.replace(/\/+$/, '');
    } else {
      const host = id ?? (api ? this.linker.placeholder(api, 'id') : group.key);
      baseUrl = `https://${host}.execute-api.${region ?? '${region}'}.amazonaws.com/${name}`;
      if (id === undefined || region === undefined) {
        this.warn(
          `the stage URL is known only after apply (${baseUrl}); set baseUrl in the config or ` +
            'pass --env-var baseUrl=https://... at run time.',
        );
      }
    }
    const deployment = chosen
      ? this.known(chosen.instance, chosen.instance.type === 'aws_api_gateway_stage' ? 'deployment_id' : 'id')
      : undefined;
    return {
      ...(id === undefined ? {} : { id }),
      stage: {
        name,
        baseUrl,
        variables,
        ...(typeof deployment === 'string' && deployment !== '' ? { deploymentId: deployment } : {}),
      },
    };
  }

  // ---- values ----

  /** A value known at plan time; undefined when unset or known only after apply. */
  private known(instance: Instance, key: string): unknown {
    const value = attribute(instance, key);
    return value.known ? value.value : undefined;
  }

  /** A string argument, its named placeholder (with a warning) when known only after apply, or undefined. */
  private stringOrPlaceholder(instance: Instance, key: string): string | undefined {
    const value = attribute(instance, key);
    if (value.known) return typeof value.value === 'string' && value.value !== '' ? value.value : undefined;
    const placeholder = this.linker.placeholder(instance, key);
    this.warn(
      `${instance.address}.${key} is known only after apply; kept as ${placeholder}.`,
      `unknown:${key}`,
    );
    return placeholder;
  }

  private stringMap(instance: Instance, key: string): Record<string, string> {
    const raw = instance.values[key];
    const out: Record<string, string> = {};
    if (!isObject(raw)) return out;
    for (const name of Object.keys(raw).sort(compare)) {
      const value = raw[name];
      if (typeof value === 'string') out[name] = value;
    }
    return out;
  }

  private error(
    Class: ErrorClass,
    message: string,
    instance: Instance,
    arg: string,
    fix?: string,
  ): ApigwAuthzError {
    const expression = expressionOf(this.index, instance, arg);
    const hint = expression?.references?.[0];
    return new Class(message, {
      file: this.file,
      location: `${instance.address}.${arg} (${instance.pointer}/values/${arg})`,
      fix: fix ?? (hint ? `check ${hint}.` : PLAN_FIX),
    });
  }
}

function authorizerKind(type: unknown): AuthorizerKind | undefined {
  if (typeof type !== 'string') return undefined;
  const upper = type.toUpperCase();
  return upper === 'TOKEN' || upper === 'REQUEST' || upper === 'COGNITO_USER_POOLS' ? upper : undefined;
}

function isRouteMethod(verb: string): verb is RouteMethod {
  return verb === 'ANY' || (HTTP_METHODS as readonly string[]).includes(verb);
}

/** The operation key an export uses for a method: the CORS origin is picked in export order. */
function exportKey(httpMethod: string): string {
  return httpMethod.toUpperCase() === 'ANY' ? 'x-amazon-apigateway-any-method' : httpMethod.toLowerCase();
}

function summarize(types: string[]): string {
  return types.length <= 5
    ? types.join(', ')
    : `${types.slice(0, 5).join(', ')} and ${types.length - 5} more types`;
}
