/**
 * CloudFormation `AWS::ApiGatewayV2::*` (an HTTP API) -> one AuthModel, through `buildHttpApiModel`.
 *
 * Reads the `AWS::ApiGatewayV2::Api` (ProtocolType HTTP; its inline OpenAPI `Body` through the HTTP API export
 * reader; quick create's `Target`/`RouteKey`; `CorsConfiguration`), and the `Authorizer`, `Route` and `Stage`
 * resources whose `ApiId` points at it. Values known only after deploy stay named placeholders (intrinsics.ts),
 * each warned once. SAM's `AWS::Serverless::HttpApi` arrives here already expanded (sam/http-api.ts).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_ApiGatewayV2.html
 */

import { InvalidTemplateError } from '../../errors.js';
import { toPointer } from '../../model/json-pointer.js';
import { canonicalizeModel, compare, isObject, urlSuffixOf } from '../../model/parse.js';
import type { AuthModel } from '../../model/types.js';
import {
  buildHttpApiModel,
  type FailAt,
  type HttpAuthorizerParts,
  type HttpRouteParts,
  type PartPath,
} from '../http-api-model.js';
import {
  NO_VALUE,
  evaluate,
  getAttParts,
  hasPlaceholder,
  intrinsicName,
  type EvalContext,
} from './intrinsics.js';
import type { ApiCandidate, LoadedTemplate, TemplateOptions } from './read-template.js';

type Json = Record<string, unknown>;

/** The resource types of an HTTP API that `ApiId` ties to their API. */
const API_PARTS = ['AWS::ApiGatewayV2::Authorizer', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Stage'];

/** The default stage (`$default`): its URL has no stage path. */
const DEFAULT_STAGE = '$default';

/**
 * Whether a resource is an HTTP API: `AWS::ApiGatewayV2::Api` with ProtocolType `HTTP`, or with an OpenAPI body
 * and no ProtocolType (only HTTP APIs import OpenAPI; WebSocket APIs are not read).
 */
export function isHttpApiResource(resource: Json, ctx: EvalContext): boolean {
  if (resource.Type !== 'AWS::ApiGatewayV2::Api') return false;
  const props = isObject(resource.Properties) ? resource.Properties : {};
  if (props.ProtocolType === undefined) return props.Body !== undefined || props.BodyS3Location !== undefined;
  const protocol = evaluate(props.ProtocolType, { ...ctx, warn: () => undefined }, '#');
  return typeof protocol === 'string' && protocol.toUpperCase() === 'HTTP';
}

/**
 * The `FailAt` of a template reader: `buildHttpApiModel` and the JWT settings parsers name fields as the v2 API does
 * (`jwtConfiguration`, `issuer`); a template writes them as CloudFormation does (`JwtConfiguration`, `Issuer`). The
 * first segment below `Properties` takes the property's own spelling in the resource (`JWTConfiguration` too).
 *
 * @param t - the template, for the file, the resources and line numbers
 */
export function templateFailAt(t: Pick<LoadedTemplate, 'file' | 'locate' | 'resources'>): FailAt {
  return (path, message, fix) => {
    const sentence = `${message.charAt(0).toUpperCase()}${message.slice(1)}`;
    throw new InvalidTemplateError(sentence.endsWith('.') ? sentence : `${sentence}.`, {
      file: t.file,
      location: where(t, toPointer(templateSegments(t, path))),
      fix,
    });
  };
}

function templateSegments(t: Pick<LoadedTemplate, 'resources'>, path: PartPath): Array<string | number> {
  const out = [...path];
  const at = out.indexOf('Properties');
  if (out[0] !== 'Resources' || at !== 2) return out;
  const props = t.resources[String(out[1])]?.Properties;
  for (let i = at + 1; i < out.length; i++) {
    const segment = out[i];
    if (typeof segment !== 'string') continue;
    const wanted = segment === 'type' ? 'authorizertype' : segment.toLowerCase();
    const own =
      i === at + 1 && isObject(props)
        ? Object.keys(props).find((k) => k.toLowerCase() === wanted)
        : undefined;
    out[i] =
      own ??
      (segment === 'type' ? 'AuthorizerType' : `${segment.charAt(0).toUpperCase()}${segment.slice(1)}`);
  }
  return out;
}

function where(t: Pick<LoadedTemplate, 'locate'>, pointer: string): string {
  const line = t.locate(pointer);
  return line === undefined ? pointer : `${pointer} (${line})`;
}

/**
 * Builds the model of one HTTP API of a template: its OpenAPI `Body` united with its Route/Authorizer resources
 * (AWS refuses that combination, so it is warned), and its stage.
 *
 * @param candidate - the `AWS::ApiGatewayV2::Api` that `findApis` found
 * @param options - `--stage`, `lenient`, the warning sink
 * @param readBody - the HTTP API OpenAPI reader for an inline `Body` (undefined: bodies are not read, with a warning)
 */
export function buildHttpApiTemplateModel(
  candidate: ApiCandidate,
  options: TemplateOptions,
  readBody?: HttpBodyReader,
): AuthModel {
  return new HttpApiBuilder(candidate, options, readBody).build();
}

/** Reads an HTTP API OpenAPI document found inside a template (a `Body`, or a CDK asset file). */
export type HttpBodyReader = (
  doc: unknown,
  source: {
    file: string;
    locate: (pointer: string) => string | undefined;
    pointer: string;
    lenient?: boolean;
    region?: string;
    account?: string;
  },
) => { model: AuthModel; warnings: string[] };

class HttpApiBuilder {
  private readonly t: LoadedTemplate;
  private readonly ctx: EvalContext;
  private readonly apiId: string;
  private readonly fail: FailAt;
  /** This API's resources of each part type, sorted by logical id. */
  private readonly mine = new Map<string, string[]>();

  constructor(
    private readonly candidate: ApiCandidate,
    private readonly options: TemplateOptions,
    private readonly readBody: HttpBodyReader | undefined,
  ) {
    this.t = candidate.template;
    this.ctx = candidate.template.ctx;
    this.apiId = candidate.logicalId;
    this.fail = templateFailAt(this.t);
    for (const id of Object.keys(this.t.resources).sort(compare)) {
      const resource = this.t.resources[id] as Json;
      if (typeof resource.Type !== 'string' || !API_PARTS.includes(resource.Type)) continue;
      const props = isObject(resource.Properties) ? resource.Properties : {};
      if (this.targetId(props.ApiId) !== this.apiId) continue;
      const list = this.mine.get(resource.Type) ?? [];
      list.push(id);
      this.mine.set(resource.Type, list);
    }
  }

  build(): AuthModel {
    const fromBody = this.bodyModel();
    const authorizerIds = this.mine.get('AWS::ApiGatewayV2::Authorizer') ?? [];
    const names = new Map<string, string>();
    const authorizers: HttpAuthorizerParts[] = authorizerIds.map((id) => {
      const parts = this.authorizer(id);
      names.set(id, parts.name);
      return parts;
    });
    const routes = (this.mine.get('AWS::ApiGatewayV2::Route') ?? []).flatMap((id) => this.route(id, names));
    routes.push(...this.quickCreateRoute());
    if (fromBody !== undefined && (authorizerIds.length > 0 || routes.length > 0)) {
      this.warn(
        this.pointer(),
        'the HTTP API has both an OpenAPI Body and Route/Authorizer resources, a combination API Gateway does not ' +
          'support (the Body overwrites them on update). Read as their union; a route in both takes the Route resource.',
      );
    }
    const cors = this.value(this.apiId, 'CorsConfiguration');
    const model = buildHttpApiModel(
      {
        name: this.name(fromBody),
        ...(this.ctx.region === undefined ? {} : { region: this.ctx.region }),
        stage: this.stage(),
        authorizers,
        routes,
        ...(cors === undefined ? {} : { cors }),
      },
      this.fail,
    );
    if (fromBody === undefined) return model;
    const routeKeys = new Set(model.routes.map((r) => `${r.method} ${r.path}`));
    const authorizerNames = new Set(model.authorizers.map((a) => a.name));
    return canonicalizeModel({
      ...model,
      authorizers: [
        ...model.authorizers,
        ...fromBody.authorizers.filter((a) => !authorizerNames.has(a.name)),
      ],
      routes: [...model.routes, ...fromBody.routes.filter((r) => !routeKeys.has(`${r.method} ${r.path}`))],
      ...(model.cors === undefined && fromBody.cors !== undefined ? { cors: fromBody.cors } : {}),
    });
  }

  // ---- the API ----

  private name(fromBody: AuthModel | undefined): string {
    const name = this.value(this.apiId, 'Name');
    if (typeof name === 'string' && name !== '' && !hasPlaceholder(name)) return name;
    const title = fromBody?.api.name;
    return title !== undefined && title !== '' && !hasPlaceholder(title) ? title : this.apiId;
  }

  private bodyModel(): AuthModel | undefined {
    const props = this.props(this.apiId);
    const pointer = this.pointer('Body');
    let body:
      { data: unknown; file: string; locate: (p: string) => string | undefined; at: string } | undefined;
    if (props.Body !== undefined) {
      body = {
        data: evaluate(props.Body, quiet(this.ctx), pointer),
        file: this.t.file,
        locate: this.t.locate,
        at: pointer,
      };
    } else if (props.BodyS3Location !== undefined) {
      const location = evaluate(props.BodyS3Location, quiet(this.ctx), this.pointer('BodyS3Location'));
      const key = isObject(location) && typeof location.Key === 'string' ? location.Key : undefined;
      const local = key === undefined ? undefined : this.t.io.localAsset?.(key);
      if (local === undefined) {
        this.warn(
          this.pointer('BodyS3Location'),
          'the OpenAPI body is in S3 and is not read; only the Route and Authorizer resources of this API are. ' +
            'Inline it as Body (or with AWS::Include of a local file) to read it.',
        );
        return undefined;
      }
      const asset = this.t.io.readTemplateFile(local);
      body = { data: evaluate(asset.data, quiet(this.ctx), '#'), file: local, locate: asset.locate, at: '#' };
    }
    if (body === undefined) return undefined;
    if (this.readBody === undefined) {
      this.warn(body.at, 'the HTTP API OpenAPI reader is not available in this build; the Body is not read.');
      return undefined;
    }
    const read = this.readBody(body.data, {
      file: body.file,
      locate: body.locate,
      pointer: body.at,
      ...(this.options.lenient === undefined ? {} : { lenient: this.options.lenient }),
      ...(this.ctx.region === undefined ? {} : { region: this.ctx.region }),
      ...(this.ctx.account === undefined ? {} : { account: this.ctx.account }),
    });
    for (const warning of read.warnings) this.options.warn(warning);
    return read.model;
  }

  /** Quick create (`Target`, optional `RouteKey`): API Gateway creates that route (default `$default`), open. */
  private quickCreateRoute(): HttpRouteParts[] {
    const props = this.props(this.apiId);
    if (props.Target === undefined && props.RouteKey === undefined) return [];
    const key = this.value(this.apiId, 'RouteKey') ?? DEFAULT_STAGE;
    if (typeof key !== 'string' || hasPlaceholder(key)) {
      this.warn(
        this.pointer('RouteKey'),
        'the quick-create RouteKey is not a known string; the route is skipped.',
      );
      return [];
    }
    return [
      { routeKey: key, path: ['Resources', this.apiId, 'Properties', 'RouteKey'], authorizationType: 'NONE' },
    ];
  }

  // ---- authorizers and routes ----

  private authorizer(id: string): HttpAuthorizerParts {
    const props = this.props(id);
    const rawName = this.value(id, 'Name');
    const name = typeof rawName === 'string' && rawName !== '' && !hasPlaceholder(rawName) ? rawName : id;
    const jwtKey = Object.keys(props).find((k) => k.toLowerCase() === 'jwtconfiguration');
    if (jwtKey !== undefined && jwtKey !== 'JwtConfiguration') {
      this.warn(
        toPointer(['Resources', id, 'Properties', jwtKey]),
        `CloudFormation refuses ${jwtKey} ("Encountered unsupported properties"); read as JwtConfiguration. ` +
          'Spell it JwtConfiguration.',
      );
    }
    const parts: HttpAuthorizerParts = {
      name,
      path: ['Resources', id, 'Properties'],
      authorizerType: this.value(id, 'AuthorizerType'),
      identitySource: this.value(id, 'IdentitySource'),
    };
    const optional: Array<[keyof HttpAuthorizerParts, string]> = [
      ['jwtConfiguration', jwtKey ?? 'JwtConfiguration'],
      ['authorizerUri', 'AuthorizerUri'],
      ['authorizerPayloadFormatVersion', 'AuthorizerPayloadFormatVersion'],
      ['enableSimpleResponses', 'EnableSimpleResponses'],
      ['authorizerResultTtlInSeconds', 'AuthorizerResultTtlInSeconds'],
    ];
    for (const [field, key] of optional) {
      const value = this.value(id, key);
      if (value !== undefined) (parts as unknown as Json)[field] = value;
    }
    return parts;
  }

  private route(id: string, names: ReadonlyMap<string, string>): HttpRouteParts[] {
    const at = (key: string): string => toPointer(['Resources', id, 'Properties', key]);
    const key = this.value(id, 'RouteKey');
    if (typeof key !== 'string' || hasPlaceholder(key)) {
      if (key === undefined) {
        throw this.invalid(
          at('RouteKey'),
          'A Route needs a RouteKey.',
          'Set RouteKey, e.g. "GET /pets" or $default.',
        );
      }
      this.warn(at('RouteKey'), 'RouteKey is not a known string; the route is skipped.');
      return [];
    }
    const type = this.value(id, 'AuthorizationType');
    const needsAuthorizer = typeof type === 'string' && ['JWT', 'CUSTOM'].includes(type.toUpperCase());
    const target = this.targetId(this.props(id).AuthorizerId);
    const authorizer = target === undefined ? undefined : names.get(target);
    if (needsAuthorizer && authorizer === undefined) {
      throw this.invalid(
        at('AuthorizerId'),
        `${key} is ${String(type)} but AuthorizerId does not point at an AWS::ApiGatewayV2::Authorizer of this API.`,
        'Set AuthorizerId: !Ref <the authorizer logical id>.',
      );
    }
    const scopes = this.value(id, 'AuthorizationScopes');
    return [
      {
        routeKey: key,
        path: ['Resources', id, 'Properties', 'RouteKey'],
        ...(type === undefined ? {} : { authorizationType: type }),
        ...(needsAuthorizer && authorizer !== undefined ? { authorizer } : {}),
        ...(scopes === undefined ? {} : { authorizationScopes: scopes }),
      },
    ];
  }

  // ---- the stage ----

  /** The Stage resource (`--stage` picks among several); none: `$default`, with a warning. */
  private stage(): AuthModel['stage'] {
    const stages = (this.mine.get('AWS::ApiGatewayV2::Stage') ?? []).map((id) => ({
      id,
      name: this.value(id, 'StageName'),
      variables: this.value(id, 'StageVariables'),
    }));
    const known = stages.filter((s) => typeof s.name === 'string');
    const apiPointer = toPointer(['Resources', this.apiId]);
    let chosen: (typeof known)[number] | undefined;
    if (this.options.stage !== undefined) {
      chosen = known.find((s) => s.name === this.options.stage);
      if (chosen === undefined) {
        throw new InvalidTemplateError(
          `--stage ${this.options.stage} is not a stage of ${this.candidate.path}. Stages: ${known.map((s) => String(s.name)).join(', ') || '(none)'}.`,
          { file: this.t.file, location: apiPointer, fix: 'Pass one of the stages, or omit --stage.' },
        );
      }
    } else {
      const sorted = [...known].sort((a, b) => compare(String(a.name), String(b.name)));
      chosen = sorted.find((s) => s.name === DEFAULT_STAGE) ?? sorted[0];
      if (sorted.length > 1) {
        this.warn(
          apiPointer,
          `the API has ${sorted.length} stages (${sorted.map((s) => String(s.name)).join(', ')}); reading ${String(chosen?.name)} (pick one with --stage).`,
        );
      }
    }
    const quickCreate = this.props(this.apiId).Target !== undefined;
    let name = typeof chosen?.name === 'string' && !hasPlaceholder(chosen.name) ? chosen.name : undefined;
    if (name === undefined) {
      if (!quickCreate) {
        this.warn(apiPointer, 'no AWS::ApiGatewayV2::Stage with a known StageName; assuming "$default".');
      }
      name = DEFAULT_STAGE;
    }
    const variables: Record<string, string> = {};
    const raw = isObject(chosen?.variables) ? chosen.variables : {};
    for (const key of Object.keys(raw).sort(compare)) variables[key] = String(raw[key]);
    const region = this.ctx.region ?? '${AWS::Region}';
    const host = `https://\${${this.apiId}}.execute-api.${region}.${urlSuffixOf(this.ctx.region)}`;
    const baseUrl = name === DEFAULT_STAGE ? host : `${host}/${name}`;
    this.options.warn(
      `${this.t.file}: ${apiPointer}: the API's URL is known only after deploy (${baseUrl}); set baseUrl in the config.`,
    );
    return { name, baseUrl, variables };
  }

  // ---- helpers ----

  /** The logical id a link points at (`Ref X`, `Fn::GetAtt [X, ...]`); undefined for a literal or a parameter. */
  private targetId(value: unknown): string | undefined {
    const name = intrinsicName(value);
    if (name === undefined) return undefined;
    const arg = (value as Json)[name];
    if (name === 'Ref') {
      return typeof arg === 'string' && Object.prototype.hasOwnProperty.call(this.t.resources, arg)
        ? arg
        : undefined;
    }
    if (name === 'Fn::GetAtt') return getAttParts(arg)?.[0];
    if (name === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string') {
      const c = this.ctx.conditions[arg[0]];
      return c === undefined ? undefined : this.targetId(c ? arg[1] : arg[2]);
    }
    return undefined;
  }

  private props(id: string): Json {
    const props = this.t.resources[id]?.Properties;
    return isObject(props) ? props : {};
  }

  private value(id: string, key: string): unknown {
    const props = this.props(id);
    if (props[key] === undefined) return undefined;
    const v = evaluate(props[key], this.ctx, toPointer(['Resources', id, 'Properties', key]));
    return v === NO_VALUE ? undefined : v;
  }

  private pointer(...rest: string[]): string {
    return toPointer(['Resources', this.apiId, 'Properties', ...rest]);
  }

  private warn(pointer: string, message: string): void {
    this.options.warn(`${this.t.file}: ${pointer}: ${message}`);
  }

  private invalid(pointer: string, message: string, fix: string): InvalidTemplateError {
    return new InvalidTemplateError(message, { file: this.t.file, location: where(this.t, pointer), fix });
  }
}

function quiet(ctx: EvalContext): EvalContext {
  return { ...ctx, warn: () => undefined };
}
