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
import { canonicalizeModel, compare, isObject } from '../../model/parse.js';
import type { AuthModel } from '../../model/types.js';
import {
  buildHttpApiModel,
  keyOf,
  type FailAt,
  type HttpAuthorizerParts,
  type HttpRouteParts,
  type PartPath,
} from '../http-api-model.js';
import { evaluate, hasPlaceholder, type EvalContext } from './intrinsics.js';
import type { ApiCandidate, LoadedTemplate, TemplateOptions } from './read-template.js';
import { TemplateApiBuilder, where, type BodyReader } from './api-builder.js';

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
    const own = i === at + 1 && isObject(props) ? keyOf(props, wanted) : undefined;
    out[i] =
      own ??
      (segment === 'type' ? 'AuthorizerType' : `${segment.charAt(0).toUpperCase()}${segment.slice(1)}`);
  }
  return out;
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
export type HttpBodyReader = BodyReader;

class HttpApiBuilder extends TemplateApiBuilder {
  private readonly fail: FailAt;

  constructor(
    candidate: ApiCandidate,
    options: TemplateOptions,
    private readonly readBody: HttpBodyReader | undefined,
  ) {
    super(candidate, options);
    this.fail = templateFailAt(this.t);
    this.collectParts(
      Object.keys(this.t.resources).sort(compare),
      (type) => API_PARTS.includes(type),
      'ApiId',
    );
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
    const body = this.bodyDocument(
      'the OpenAPI body is in S3 and is not read; only the Route and Authorizer resources of this API are. ' +
        'Inline it as Body (or with AWS::Include of a local file) to read it.',
    );
    if (body === undefined) return undefined;
    if (this.readBody === undefined) {
      this.warn(body.at, 'the HTTP API OpenAPI reader is not available in this build; the Body is not read.');
      return undefined;
    }
    return this.readBodyDocument(this.readBody, body);
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
    const jwtKey = keyOf(props, 'JwtConfiguration');
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
    const chosen = this.chooseStage(known, known, DEFAULT_STAGE);
    const quickCreate = this.props(this.apiId).Target !== undefined;
    let name = typeof chosen?.name === 'string' && !hasPlaceholder(chosen.name) ? chosen.name : undefined;
    if (name === undefined) {
      if (!quickCreate) {
        this.warn(
          toPointer(['Resources', this.apiId]),
          'no AWS::ApiGatewayV2::Stage with a known StageName; assuming "$default".',
        );
      }
      name = DEFAULT_STAGE;
    }
    return this.deployedStage(name, name === DEFAULT_STAGE ? '' : `/${name}`, chosen?.variables);
  }
}
