/**
 * What the two template API builders share: the REST one (read-template.ts, `AWS::ApiGateway::*`) and the HTTP one
 * (http-api.ts, `AWS::ApiGatewayV2::*`). Both find the resources that link to their API, evaluate properties, read
 * an OpenAPI body (inline or a packager's local asset), pick a stage and word their messages the same way; only the
 * resource types, the link property and the defaults differ.
 */

import { InvalidTemplateError } from '../../errors.js';
import { toPointer } from '../../model/json-pointer.js';
import { compare, isObject, urlSuffixOf } from '../../model/parse.js';
import type { AuthModel } from '../../model/types.js';
import { NO_VALUE, evaluate, getAttParts, intrinsicName, type EvalContext } from './intrinsics.js';
import type { ApiCandidate, LoadedTemplate, TemplateOptions } from './read-template.js';

type Json = Record<string, unknown>;

/** An OpenAPI document found for an API: its data, the file it is in, and its pointer there. */
export interface BodyDocument {
  data: unknown;
  file: string;
  locate: (pointer: string) => string | undefined;
  at: string;
}

/** Reads an OpenAPI document found inside a template (a `Body`, or a CDK asset file). */
export type BodyReader = (
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

/** The evaluation context without warnings: for values whose placeholders another reader names. */
export function quiet(ctx: EvalContext): EvalContext {
  return { ...ctx, warn: () => undefined };
}

/** A pointer with its line, when the template's locator knows it. */
export function where(t: Pick<LoadedTemplate, 'locate'>, pointer: string): string {
  const line = t.locate(pointer);
  return line === undefined ? pointer : `${pointer} (${line})`;
}

export abstract class TemplateApiBuilder {
  protected readonly t: LoadedTemplate;
  protected readonly ctx: EvalContext;
  protected readonly apiId: string;
  /** This API's resources of each part type. */
  protected readonly mine = new Map<string, string[]>();

  constructor(
    protected readonly candidate: ApiCandidate,
    protected readonly options: TemplateOptions,
  ) {
    this.t = candidate.template;
    this.ctx = candidate.template.ctx;
    this.apiId = candidate.logicalId;
  }

  /**
   * Fills `mine`, in the order of `ids`, with the resources of a part type whose `link` property points at this API.
   *
   * @param ids - the logical ids to look at, in the order `mine` keeps
   * @param isPart - whether a resource type is a part of the API
   * @param link - the property that names the API (`RestApiId`, `ApiId`)
   */
  protected collectParts(ids: string[], isPart: (type: string) => boolean, link: string): void {
    for (const id of ids) {
      const resource = this.t.resources[id] as Json;
      if (typeof resource.Type !== 'string' || !isPart(resource.Type)) continue;
      const props = isObject(resource.Properties) ? resource.Properties : {};
      if (this.targetId(props[link]) !== this.apiId) continue;
      const list = this.mine.get(resource.Type) ?? [];
      list.push(id);
      this.mine.set(resource.Type, list);
    }
  }

  /**
   * The logical id a link property points at: `Ref X`, `Fn::GetAtt [X, ...]`, or those under `Fn::If` with a
   * known condition. Undefined for a literal id, a parameter or an import (outside this template).
   */
  protected targetId(value: unknown): string | undefined {
    const name = intrinsicName(value);
    if (name === undefined) return undefined;
    const arg = (value as Json)[name];
    if (name === 'Ref')
      return typeof arg === 'string' && Object.prototype.hasOwnProperty.call(this.t.resources, arg)
        ? arg
        : undefined;
    if (name === 'Fn::GetAtt') return getAttParts(arg)?.[0];
    if (name === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string') {
      const c = this.ctx.conditions[arg[0]];
      return c === undefined ? undefined : this.targetId(c ? arg[1] : arg[2]);
    }
    return undefined;
  }

  protected props(id: string): Json {
    const props = this.t.resources[id]?.Properties;
    return isObject(props) ? props : {};
  }

  /** A property's evaluated value; undefined when absent or `AWS::NoValue`. */
  protected value(id: string, key: string): unknown {
    const props = this.props(id);
    if (props[key] === undefined) return undefined;
    const v = evaluate(props[key], this.ctx, toPointer(['Resources', id, 'Properties', key]));
    return v === NO_VALUE ? undefined : v;
  }

  /** The pointer of a property of this API. */
  protected pointer(...rest: Array<string | number>): string {
    return toPointer(['Resources', this.apiId, 'Properties', ...rest]);
  }

  // ---- the body ----

  /**
   * The API's OpenAPI body: an inline `Body`, or a `BodyS3Location` whose object a packager keeps as a local asset
   * (CDK `ApiDefinition.fromAsset`). Quietly evaluated: the OpenAPI reader names the placeholders that matter
   * (authorizer URIs, pool ARNs), not every integration URI of the body.
   *
   * @param unreadS3 - the warning for a body in S3 with no local copy (what is read instead)
   */
  protected bodyDocument(unreadS3: string): BodyDocument | undefined {
    const props = this.props(this.apiId);
    if (props.Body !== undefined) {
      const at = this.pointer('Body');
      return {
        data: evaluate(props.Body, quiet(this.ctx), at),
        file: this.t.file,
        locate: this.t.locate,
        at,
      };
    }
    if (props.BodyS3Location === undefined) return undefined;
    const location = evaluate(props.BodyS3Location, quiet(this.ctx), this.pointer('BodyS3Location'));
    const key = isObject(location) && typeof location.Key === 'string' ? location.Key : undefined;
    const local = key === undefined ? undefined : this.t.io.localAsset?.(key);
    if (local === undefined) {
      this.warn(this.pointer('BodyS3Location'), unreadS3);
      return undefined;
    }
    const asset = this.t.io.readTemplateFile(local);
    return { data: evaluate(asset.data, quiet(this.ctx), '#'), file: local, locate: asset.locate, at: '#' };
  }

  /** Reads a body with `read`, passing on its warnings. */
  protected readBodyDocument(read: BodyReader, body: BodyDocument): AuthModel {
    const result = read(body.data, {
      file: body.file,
      locate: body.locate,
      pointer: body.at,
      ...(this.options.lenient === undefined ? {} : { lenient: this.options.lenient }),
      ...(this.ctx.region === undefined ? {} : { region: this.ctx.region }),
      ...(this.ctx.account === undefined ? {} : { account: this.ctx.account }),
    });
    for (const warning of result.warnings) this.options.warn(warning);
    return result.model;
  }

  // ---- the stage ----

  /**
   * The stage `--stage` names among `all`; without `--stage`, `preferred` if `pool` has it, else the first of `pool`
   * by name (with a warning when there are several).
   */
  protected chooseStage<S extends { name: unknown }>(all: S[], pool: S[], preferred?: string): S | undefined {
    const apiPointer = toPointer(['Resources', this.apiId]);
    if (this.options.stage !== undefined) {
      const chosen = all.find((s) => s.name === this.options.stage);
      if (chosen === undefined) {
        throw new InvalidTemplateError(
          `--stage ${this.options.stage} is not a stage of ${this.candidate.path}. Stages: ${all.map((s) => String(s.name)).join(', ') || '(none)'}.`,
          { file: this.t.file, location: apiPointer, fix: 'Pass one of the stages, or omit --stage.' },
        );
      }
      return chosen;
    }
    const sorted = [...pool].sort((a, b) => compare(String(a.name), String(b.name)));
    const chosen =
      (preferred === undefined ? undefined : sorted.find((s) => s.name === preferred)) ?? sorted[0];
    if (sorted.length > 1) {
      this.warn(
        apiPointer,
        `the API has ${sorted.length} stages (${sorted.map((s) => String(s.name)).join(', ')}); reading ${String(chosen?.name)} (pick one with --stage).`,
      );
    }
    return chosen;
  }

  /**
   * The model's stage: its name, its variables (sorted, as strings) and the URL, which is known only after deploy
   * (the API id is a placeholder; warned).
   *
   * @param path - the stage's path under the API's host: `/name`, or empty for a stage served at the root
   */
  protected deployedStage(name: string, path: string, rawVariables: unknown): AuthModel['stage'] {
    const variables: Record<string, string> = {};
    const raw = isObject(rawVariables) ? rawVariables : {};
    for (const key of Object.keys(raw).sort(compare)) variables[key] = String(raw[key]);
    const region = this.ctx.region ?? '${AWS::Region}';
    const baseUrl = `https://\${${this.apiId}}.execute-api.${region}.${urlSuffixOf(this.ctx.region)}${path}`;
    this.options.warn(
      `${this.t.file}: ${toPointer(['Resources', this.apiId])}: the API's URL is known only after deploy (${baseUrl}); set baseUrl in the config.`,
    );
    return { name, baseUrl, variables };
  }

  // ---- messages ----

  protected where(pointer: string): string {
    return where(this.t, pointer);
  }

  protected warn(pointer: string, message: string): void {
    this.options.warn(`${this.t.file}: ${pointer}: ${message}`);
  }

  protected invalid(pointer: string, message: string, fix: string): InvalidTemplateError {
    return new InvalidTemplateError(message, { file: this.t.file, location: this.where(pointer), fix });
  }
}
