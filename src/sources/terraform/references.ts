/**
 * Linking Terraform resources. A known id joins by value (state, or resources that already exist); an id known only
 * after apply joins through the configuration's `references` (`aws_api_gateway_authorizer.cognito.id`), following
 * `var.x` into the parent module call and `module.m.out` into the child's outputs. Pure.
 */

import {
  attribute,
  expressionOf,
  resourceKey,
  type Instance,
  type Json,
  type TerraformIndex,
} from './plan.js';
import { isObject } from '../../model/parse.js';

/** What an id-valued argument points at. */
export type Link =
  | { kind: 'instance'; instance: Instance }
  /** The root resource (`/`) of a REST API: its `root_resource_id`. */
  | { kind: 'root'; api: Instance }
  /** Not in this document, or not resolvable: a named placeholder (`${aws_api_gateway_rest_api.shared.id}`). */
  | { kind: 'unresolved'; placeholder: string };

/** Where a reference is evaluated: a module instance, and the `count`/`for_each` key of the referring object. */
interface Scope {
  moduleAddress: string;
  configModule: string[];
  key?: string | number;
}

interface ParsedRef {
  type: string;
  name: string;
  rawIndex: string | undefined;
  rest: string | undefined;
}

// `type.name`, an optional index (`[0]`, `["k"]`, `[each.key]`) and the rest (`.id`).
const RESOURCE_REF = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?(?:\.(.+))?$/;
const MAX_DEPTH = 32;

/** Resolves id-valued arguments of resources, by value and by reference. */
export class Linker {
  private readonly byId = new Map<string, Instance>();
  private readonly rootById = new Map<string, Instance>();
  private readonly byModuleCall = new Map<string, string[]>();
  /** Instances of one resource block by their count index or for_each key, built on first use. */
  private readonly byInstanceKey = new Map<string, Map<string | number, Instance>>();
  /** Parsed resource references: a plan repeats the same few thousands of times. */
  private readonly refs = new Map<string, ParsedRef | null>();

  constructor(private readonly index: TerraformIndex) {
    for (const instance of index.instances) {
      const id = instance.values.id;
      if (typeof id === 'string' && id !== '') this.byId.set(`${instance.type}|${id}`, instance);
      const root = instance.values.root_resource_id;
      if (instance.type === 'aws_api_gateway_rest_api' && typeof root === 'string' && root !== '')
        this.rootById.set(root, instance);
      // Module instances by their parent and call name, to follow `module.m.out` into the right one.
      const match = /^(.*?)(?:\.)?(module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)$/.exec(instance.moduleAddress);
      if (match) {
        const key = `${match[1] ?? ''}|${(match[2] ?? '').replace(/\[[^\]]*\]$/, '')}`;
        const list = this.byModuleCall.get(key) ?? [];
        if (!list.includes(instance.moduleAddress)) list.push(instance.moduleAddress);
        this.byModuleCall.set(key, list);
      }
    }
  }

  /**
   * What `instance.arg` points at.
   *
   * @param types - the resource types it may point at (`aws_api_gateway_resource`)
   * @param allowRoot - whether the root resource of an API is a valid target (`resource_id`, `parent_id`)
   */
  link(instance: Instance, arg: string, types: readonly string[], allowRoot = false): Link {
    const value = attribute(instance, arg);
    if (value.known) {
      if (typeof value.value !== 'string' || value.value === '')
        return { kind: 'unresolved', placeholder: this.placeholder(instance, arg) };
      const id = value.value;
      if (allowRoot) {
        const api = this.rootById.get(id);
        if (api) return { kind: 'root', api };
      }
      for (const type of types) {
        const target = this.byId.get(`${type}|${id}`);
        if (target) return { kind: 'instance', instance: target };
      }
      // A literal id of something this document does not manage (an API in another stack).
      return { kind: 'unresolved', placeholder: id };
    }
    const refs = expressionOf(this.index, instance, arg)?.references ?? [];
    const scope: Scope = {
      moduleAddress: instance.moduleAddress,
      configModule: instance.configModule,
      ...(instance.index === undefined ? {} : { key: instance.index }),
    };
    return (
      this.follow(refs, scope, types, allowRoot, 0) ?? {
        kind: 'unresolved',
        placeholder: this.placeholder(instance, arg),
      }
    );
  }

  /**
   * The named placeholder of an argument known only after apply: the most specific configuration reference
   * (`${aws_lambda_function.token.invoke_arn}`, module-qualified), else `${<address>.<arg>}`.
   */
  placeholder(instance: Instance, arg: string): string {
    const refs = expressionOf(this.index, instance, arg)?.references ?? [];
    // Terraform lists `a.b.attr` before its prefix `a.b`: the first entry is the most specific.
    const ref = refs[0];
    if (ref === undefined) return `\${${instance.address}.${arg}}`;
    return `\${${instance.moduleAddress === '' ? '' : `${instance.moduleAddress}.`}${ref}}`;
  }

  private follow(
    refs: readonly string[],
    scope: Scope,
    types: readonly string[],
    allowRoot: boolean,
    depth: number,
  ): Link | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const usesKey = refs.some(
      (ref) => ref === 'each.key' || ref === 'count.index' || ref.startsWith('each.value'),
    );
    for (const ref of refs) {
      if (ref.startsWith('var.')) {
        const found = this.followVariable(ref.slice(4).split('.')[0] ?? '', scope, types, allowRoot, depth);
        if (found) return found;
        continue;
      }
      if (ref.startsWith('module.')) {
        const found = this.followOutput(ref, scope, types, allowRoot, depth);
        if (found) return found;
        continue;
      }
      const parsed = this.parseRef(ref);
      if (!parsed) continue;
      const { type, name, rawIndex, rest } = parsed;
      const wantsRoot = type === 'aws_api_gateway_rest_api' && rest === 'root_resource_id';
      if (wantsRoot ? !allowRoot : !types.includes(type)) continue;
      const key = resourceKey(scope.moduleAddress, `${type}.${name}`);
      const target = this.pickInstance(key, rawIndex, usesKey ? scope.key : undefined);
      if (!target) continue;
      return wantsRoot ? { kind: 'root', api: target } : { kind: 'instance', instance: target };
    }
    return undefined;
  }

  private parseRef(ref: string): ParsedRef | null {
    let parsed = this.refs.get(ref);
    if (parsed === undefined) {
      const match = RESOURCE_REF.exec(ref);
      parsed = match
        ? { type: match[1] ?? '', name: match[2] ?? '', rawIndex: match[3], rest: match[4] }
        : null;
      this.refs.set(ref, parsed);
    }
    return parsed;
  }

  /** The instance a reference names: by its literal index, by the referrer's own key, or the only one. */
  private pickInstance(
    resource: string,
    rawIndex: string | undefined,
    key: string | number | undefined,
  ): Instance | undefined {
    const candidates = this.index.byResource.get(resource) ?? [];
    const literal = rawIndex === undefined ? undefined : parseIndex(rawIndex);
    if (literal === undefined && candidates.length === 1) return candidates[0];
    // `aws_api_gateway_resource.this[each.key].id` is listed as `aws_api_gateway_resource.this` plus `each.key`.
    const wanted = literal ?? key;
    if (wanted === undefined) return undefined;
    let byKey = this.byInstanceKey.get(resource);
    if (!byKey) {
      byKey = new Map();
      for (const candidate of candidates)
        if (candidate.index !== undefined) byKey.set(candidate.index, candidate);
      this.byInstanceKey.set(resource, byKey);
    }
    return byKey.get(wanted);
  }

  /** `var.x` inside a module: the references of the module call's argument `x`, in the parent module. */
  private followVariable(
    name: string,
    scope: Scope,
    types: readonly string[],
    allowRoot: boolean,
    depth: number,
  ): Link | undefined {
    if (scope.configModule.length === 0) return undefined;
    const parentConfig = scope.configModule.slice(0, -1);
    const callName = scope.configModule[scope.configModule.length - 1] ?? '';
    const call = this.index.configModules.get(parentConfig.join('.'))?.moduleCalls[callName];
    const expressions = isObject(call) && isObject(call.expressions) ? call.expressions : {};
    const expression = expressions[name];
    const refs = isObject(expression) && Array.isArray(expression.references) ? expression.references : [];
    const parsed = /^(.*?)\.?module\.[A-Za-z0-9_-]+(\[[^\]]*\])?$/.exec(scope.moduleAddress);
    const key = parsed?.[2] === undefined ? undefined : parseIndex(parsed[2]);
    return this.follow(
      refs.filter((r): r is string => typeof r === 'string'),
      {
        moduleAddress: parsed?.[1] ?? '',
        configModule: parentConfig,
        ...(key === undefined ? {} : { key }),
      },
      types,
      allowRoot,
      depth + 1,
    );
  }

  /** `module.m.out`: the references of output `out` in module `m`'s configuration, inside its one instance. */
  private followOutput(
    ref: string,
    scope: Scope,
    types: readonly string[],
    allowRoot: boolean,
    depth: number,
  ): Link | undefined {
    const match = /^module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\.([A-Za-z0-9_-]+)/.exec(ref);
    if (!match) return undefined;
    const [, callName = '', rawIndex, output = ''] = match;
    const childConfig = [...scope.configModule, callName];
    const outputs = this.index.configModules.get(childConfig.join('.'))?.outputs ?? {};
    const declared = outputs[output];
    const expression: Json | undefined =
      isObject(declared) && isObject(declared.expression) ? declared.expression : undefined;
    const refs = Array.isArray(expression?.references) ? expression.references : [];
    const instances = this.byModuleCall.get(`${scope.moduleAddress}|module.${callName}`) ?? [];
    const wanted =
      rawIndex === undefined
        ? undefined
        : `${scope.moduleAddress === '' ? '' : `${scope.moduleAddress}.`}module.${callName}${rawIndex}`;
    const moduleAddress = wanted ?? (instances.length === 1 ? instances[0] : undefined);
    if (moduleAddress === undefined) return undefined;
    return this.follow(
      refs.filter((r): r is string => typeof r === 'string'),
      { moduleAddress, configModule: childConfig },
      types,
      allowRoot,
      depth + 1,
    );
  }
}

/** `[0]` -> 0, `["a"]` -> `a`; an expression index (`[each.key]`) -> undefined. */
function parseIndex(raw: string): string | number | undefined {
  const inner = raw.slice(1, -1);
  if (/^\d+$/.test(inner)) return Number(inner);
  if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) {
    try {
      return JSON.parse(inner) as string;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
