/**
 * An index over `terraform show -json` output (a plan or a state): every managed resource instance with its
 * values, what is unknown until apply, and the configuration expressions that link resources whose ids do not
 * exist yet. Pure.
 *
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */

import { InvalidTemplateError } from '../../errors.js';
import { toPointer } from '../../model/json-pointer.js';
import { isObject } from '../../model/parse.js';

export type Json = Record<string, unknown>;

/** One resource instance (`module.api.aws_api_gateway_method.get["x"]`) as planned, or as in the state. */
export interface Instance {
  /** The full address Terraform prints, module path and index included. */
  address: string;
  /** The module instance it lives in: `` for the root, else e.g. `module.api` or `module.api["eu"]`. */
  moduleAddress: string;
  /** Module call names from the root, without instance keys: the path of its configuration block. */
  configModule: string[];
  /** `configModule` joined with dots: the key of `TerraformIndex.configModules`. */
  configKey: string;
  type: string;
  name: string;
  /** `type.name`: the key of its configuration block in its module. */
  block: string;
  /** The `count` index or `for_each` key. */
  index?: string | number;
  values: Json;
  /** `after_unknown` of the planned change: `true` on values known only after apply. */
  unknown: Json;
  /** Where the instance is in the document, for errors. */
  pointer: string;
}

/** `expressions.<arg>` of a configuration block: a constant, or the references it was computed from. */
export interface Expression {
  constant_value?: unknown;
  references?: string[];
}

/** A module block of the configuration (the root, or a module call's `module`). */
export interface ConfigModule {
  resources: Map<string, Json>;
  moduleCalls: Json;
  outputs: Json;
}

/** What the reader knows of one `terraform show -json` document. */
export interface TerraformIndex {
  kind: 'plan' | 'state';
  /** Managed resource instances of the kept types, in document order. */
  instances: Instance[];
  /** Every managed resource type in the document, kept or not (for errors). */
  types: Set<string>;
  /** Instances by `moduleAddress|type.name`. */
  byResource: Map<string, Instance[]>;
  /** Configuration modules by their call path (`` for the root, `api`, `api.inner`). */
  configModules: Map<string, ConfigModule>;
  /** Root input variables with their planned values. */
  variables: Json;
  /** `configuration.provider_config`. */
  providerConfig: Json;
}

/** Whether a parsed JSON value looks like `terraform show -json` output (a plan or a state). */
export function looksLikeTerraformJson(doc: unknown): boolean {
  if (!isObject(doc) || typeof doc.format_version !== 'string') return false;
  return ['planned_values', 'values', 'resource_changes', 'configuration', 'terraform_version'].some(
    (key) => key in doc,
  );
}

/**
 * Indexes a plan or state document.
 *
 * @param doc - the parsed `terraform show -json` output
 * @param file - the file name, for errors
 * @param keep - the resource types to index (all when absent): a plan's other resources cost time, not meaning
 * @throws InvalidTemplateError when the document is not Terraform JSON or has an unsupported format major version
 */
export function indexTerraformJson(
  doc: unknown,
  file: string,
  keep: (type: string) => boolean = () => true,
): TerraformIndex {
  if (!looksLikeTerraformJson(doc) || !isObject(doc)) {
    throw new InvalidTemplateError(
      'Not Terraform JSON: expected the output of `terraform show -json` (a "format_version" and "planned_values" or "values").',
      {
        file,
        location: '#',
        fix: 'Run `terraform plan -out=tfplan && terraform show -json tfplan > plan.json` and pass plan.json.',
      },
    );
  }
  const major = String(doc.format_version).split('.')[0];
  if (major !== '1') {
    // The format's own rule: reject an unsupported major version, accept any minor.
    throw new InvalidTemplateError(
      `Unsupported Terraform JSON format_version ${JSON.stringify(doc.format_version)}: expected 1.x.`,
      {
        file,
        location: '#/format_version',
        fix: 'Produce the file with Terraform 1.x (`terraform show -json`), or report the new format.',
      },
    );
  }
  const plan = isObject(doc.planned_values);
  const rootKey = plan ? 'planned_values' : 'values';
  const unknownByAddress = new Map<string, Json>();
  if (Array.isArray(doc.resource_changes)) {
    for (const change of doc.resource_changes) {
      if (!isObject(change) || typeof change.address !== 'string' || !isObject(change.change)) continue;
      if (typeof change.type !== 'string' || !keep(change.type)) continue;
      const afterUnknown = change.change.after_unknown;
      if (isObject(afterUnknown)) unknownByAddress.set(change.address, afterUnknown);
    }
  }

  const instances: Instance[] = [];
  const types = new Set<string>();
  const root = isObject(doc[rootKey]) ? doc[rootKey].root_module : undefined;
  if (isObject(root))
    collectInstances(root, [rootKey, 'root_module'], { unknownByAddress, keep, types }, instances);

  const byResource = new Map<string, Instance[]>();
  for (const instance of instances) {
    const key = resourceKey(instance.moduleAddress, instance.block);
    const list = byResource.get(key);
    if (list) list.push(instance);
    else byResource.set(key, [instance]);
  }

  const configModules = new Map<string, ConfigModule>();
  const configuration = isObject(doc.configuration) ? doc.configuration : {};
  if (isObject(configuration.root_module)) collectConfig(configuration.root_module, [], configModules);

  return {
    kind: plan ? 'plan' : 'state',
    instances,
    types,
    byResource,
    configModules,
    variables: isObject(doc.variables) ? doc.variables : {},
    providerConfig: isObject(configuration.provider_config) ? configuration.provider_config : {},
  };
}

/** The key of `byResource`. */
export function resourceKey(moduleAddress: string, typeAndName: string): string {
  return `${moduleAddress}|${typeAndName}`;
}

interface CollectContext {
  unknownByAddress: Map<string, Json>;
  keep: (type: string) => boolean;
  types: Set<string>;
}

function collectInstances(
  module: Json,
  segments: Array<string | number>,
  context: CollectContext,
  out: Instance[],
): void {
  const moduleAddress = typeof module.address === 'string' ? module.address : '';
  const configModule = moduleCallNames(moduleAddress);
  const configKey = configModule.join('.');
  // Escaped once per module: plans of thousands of resources would spend more on pointers than on reading.
  const base = toPointer([...segments, 'resources']);
  if (Array.isArray(module.resources)) {
    module.resources.forEach((resource: unknown, i) => {
      if (!isObject(resource) || resource.mode !== 'managed') return;
      const { address, type, name } = resource;
      if (typeof address !== 'string' || typeof type !== 'string' || typeof name !== 'string') return;
      context.types.add(type);
      if (!context.keep(type)) return;
      const index = resource.index;
      out.push({
        address,
        moduleAddress,
        configModule,
        configKey,
        type,
        name,
        block: `${type}.${name}`,
        ...(typeof index === 'string' || typeof index === 'number' ? { index } : {}),
        values: isObject(resource.values) ? resource.values : {},
        unknown: context.unknownByAddress.get(address) ?? {},
        pointer: `${base}/${i}`,
      });
    });
  }
  if (Array.isArray(module.child_modules)) {
    module.child_modules.forEach((child: unknown, i) => {
      if (isObject(child)) collectInstances(child, [...segments, 'child_modules', i], context, out);
    });
  }
}

/** `module.a["x"].module.b[0]` -> `["a", "b"]`. */
export function moduleCallNames(moduleAddress: string): string[] {
  const names: string[] = [];
  const pattern = /module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/g;
  for (const match of moduleAddress.matchAll(pattern)) if (match[1] !== undefined) names.push(match[1]);
  return names;
}

function collectConfig(module: Json, path: string[], out: Map<string, ConfigModule>): void {
  const resources = new Map<string, Json>();
  if (Array.isArray(module.resources)) {
    for (const resource of module.resources) {
      if (!isObject(resource) || resource.mode === 'data') continue;
      if (typeof resource.type === 'string' && typeof resource.name === 'string')
        resources.set(`${resource.type}.${resource.name}`, resource);
    }
  }
  const moduleCalls = isObject(module.module_calls) ? module.module_calls : {};
  out.set(path.join('.'), {
    resources,
    moduleCalls,
    outputs: isObject(module.outputs) ? module.outputs : {},
  });
  for (const [name, call] of Object.entries(moduleCalls)) {
    if (isObject(call) && isObject(call.module)) collectConfig(call.module, [...path, name], out);
  }
}

/** The configuration expression of an argument of an instance's resource block, when the plan has one. */
export function expressionOf(index: TerraformIndex, instance: Instance, arg: string): Expression | undefined {
  const module = index.configModules.get(instance.configKey);
  const block = module?.resources.get(instance.block);
  const expressions = block && isObject(block.expressions) ? block.expressions : undefined;
  const expression = expressions?.[arg];
  return isObject(expression) ? (expression as Expression) : undefined;
}

/**
 * An argument of an instance: `{ known: true, value }` (value undefined or null when unset) or `{ known: false }`
 * when Terraform knows it only after apply.
 */
export function attribute(
  instance: Instance,
  key: string,
): { known: true; value: unknown } | { known: false } {
  const unknown = instance.unknown[key];
  const value = instance.values[key];
  if (unknown === true && (value === undefined || value === null)) return { known: false };
  return { known: true, value };
}
