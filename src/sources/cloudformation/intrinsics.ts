/**
 * Symbolic evaluation of CloudFormation intrinsic functions. Pure.
 *
 * What is known offline (parameter defaults and overrides, pseudo parameters the caller passed, conditions,
 * mappings) is resolved. What is known only after deploy (a resource's id, an attribute, an import) becomes a
 * NAMED PLACEHOLDER in `Fn::Sub` syntax, `${LogicalId}`, `${LogicalId.Attr}`, `${AWS::AccountId}`,
 * `${ImportValue:Name}`, with one warning naming the JSON pointer. Nothing is ever invented.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */

import { InvalidTemplateError } from '../../errors.js';
import { partitionOf, urlSuffixOf } from '../../model/parse.js';
import { isObject } from '../../model/parse.js';

/** What the evaluator knows about the template it is evaluating. */
export interface EvalContext {
  /** Parameter values: overrides, else defaults. A declared parameter without either is absent. */
  parameters: Record<string, unknown>;
  region?: string;
  account?: string;
  stackName?: string;
  /** Evaluated conditions; undefined when a condition depends on something unknown. */
  conditions: Record<string, boolean | undefined>;
  /** The template's resources by logical id (Refs to them become placeholders). */
  resources: Record<string, unknown>;
  mappings: Record<string, unknown>;
  warn(message: string): void;
  /** The template file, for messages. */
  file: string;
  /** Names of declared parameters (also those without a value), so that a Ref to one is not "unknown name". */
  declaredParameters?: ReadonlySet<string>;
  /**
   * Resolves `Fn::GetAtt` when the attribute is known offline (a nested stack's `Outputs.X`); undefined means
   * unknown, which gives the `${LogicalId.Attr}` placeholder.
   */
  getAtt?(logicalId: string, attribute: string): unknown;
  /** Placeholders already warned about: each is warned once (at its first pointer), not at every use. */
  warned?: Set<string>;
}

/** `AWS::NoValue`: the property is removed. Arrays and objects drop entries that evaluate to it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Whether a string holds a placeholder of an unknown value (`${...}`, Fn::Sub syntax). */
export function hasPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /\$\{[^}]*\}/.test(value);
}

const INTRINSICS = new Set([
  'Ref',
  'Condition',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::FindInMap',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::Transform',
  'Fn::If',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
  'Fn::Length',
  'Fn::ToJsonString',
]);

/** The name of the intrinsic a value is (`{"Ref": ...}` -> `Ref`), or undefined. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return INTRINSICS.has(key) ? key : undefined;
}

/**
 * Evaluates a template value: intrinsics resolved where known, placeholders where not.
 *
 * @param value - a template fragment in long form (YAML short tags already converted)
 * @param ctx - parameters, pseudo parameters, conditions, resources, mappings and the warning sink
 * @param pointer - the JSON pointer of `value` in the template, for warnings and errors
 * @returns the value; `NO_VALUE` when the whole value is `Ref: AWS::NoValue`
 * @throws InvalidTemplateError for a malformed intrinsic (wrong arity, unknown mapping)
 */
export function evaluate(value: unknown, ctx: EvalContext, pointer: string): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const v = evaluate(item, ctx, `${pointer}/${i}`);
      if (v !== NO_VALUE) out.push(v);
    });
    return out;
  }
  if (!isObject(value)) return value;
  const name = intrinsicName(value);
  if (name !== undefined) return evaluateIntrinsic(name, value[name], ctx, `${pointer}/${escape(name)}`);
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const v = evaluate(child, ctx, `${pointer}/${escape(key)}`);
    if (v !== NO_VALUE) out[key] = v;
  }
  return out;
}

function evaluateIntrinsic(name: string, arg: unknown, ctx: EvalContext, pointer: string): unknown {
  switch (name) {
    case 'Ref':
      return ref(arg, ctx, pointer);
    case 'Fn::GetAtt':
      return getAtt(arg, ctx, pointer);
    case 'Fn::Sub':
      return sub(arg, ctx, pointer);
    case 'Fn::Join':
      return join(arg, ctx, pointer);
    case 'Fn::Select':
      return select(arg, ctx, pointer);
    case 'Fn::Split':
      return split(arg, ctx, pointer);
    case 'Fn::If':
      return fnIf(arg, ctx, pointer);
    case 'Fn::FindInMap':
      return findInMap(arg, ctx, pointer);
    case 'Fn::ImportValue': {
      const exported = evaluate(arg, ctx, pointer);
      const placeholder = `\${ImportValue:${String(exported)}}`;
      unknown(ctx, pointer, placeholder, 'an export of another stack');
      return placeholder;
    }
    case 'Fn::Base64': {
      const text = evaluate(arg, ctx, pointer);
      if (typeof text === 'string' && !hasPlaceholder(text)) return Buffer.from(text).toString('base64');
      return placeholderOf('Base64', ctx, pointer, 'the Base64 of an unknown value');
    }
    case 'Fn::GetAZs':
      return placeholderOf('GetAZs', ctx, pointer, "the region's availability zones");
    case 'Fn::Cidr':
      return placeholderOf('Cidr', ctx, pointer, 'computed address blocks');
    case 'Fn::Length': {
      const list = evaluate(arg, ctx, pointer);
      return Array.isArray(list)
        ? list.length
        : placeholderOf('Length', ctx, pointer, 'the length of a list');
    }
    case 'Fn::ToJsonString': {
      const json = evaluate(arg, ctx, pointer);
      return JSON.stringify(json);
    }
    case 'Fn::Transform': {
      const transform = isObject(arg) ? String(evaluate(arg.Name, ctx, `${pointer}/Name`)) : '?';
      return placeholderOf(`Transform:${transform}`, ctx, pointer, 'the output of a macro');
    }
    case 'Condition':
    case 'Fn::Equals':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not': {
      const result = evaluateCondition({ [name]: arg }, ctx, pointer.replace(/\/[^/]*$/, ''));
      return result ?? placeholderOf('Condition', ctx, pointer, 'a condition on an unknown value');
    }
    default:
      return arg;
  }
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** A known pseudo parameter's value, or undefined. */
function pseudo(name: string, ctx: EvalContext): unknown {
  switch (name) {
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::AccountId':
      return ctx.account;
    case 'AWS::StackName':
      return ctx.stackName;
    // The partition and URL suffix follow from the region; without one they stay unknown.
    case 'AWS::Partition':
      return ctx.region === undefined ? undefined : partitionOf(ctx.region);
    case 'AWS::URLSuffix':
      return ctx.region === undefined ? undefined : urlSuffixOf(ctx.region);
    default:
      return undefined;
  }
}

/** Resolves a name as `Ref` (and `${Name}` in Fn::Sub) would: a value, or a placeholder string. */
function refValue(
  name: string,
  ctx: EvalContext,
): { known: true; value: unknown } | { known: false; what: string } {
  if (PSEUDO_PARAMETERS.has(name)) {
    const value = pseudo(name, ctx);
    return value === undefined
      ? { known: false, what: `the pseudo parameter ${name} (pass --region/--account)` }
      : { known: true, value };
  }
  if (Object.prototype.hasOwnProperty.call(ctx.parameters, name)) {
    return { known: true, value: ctx.parameters[name] };
  }
  if (ctx.declaredParameters?.has(name)) {
    return {
      known: false,
      what: `the parameter ${name}, which has no value offline (no Default, or an SSM parameter; pass --parameter ${name}=VALUE)`,
    };
  }
  if (Object.prototype.hasOwnProperty.call(ctx.resources, name)) {
    return { known: false, what: `the id of the resource ${name}, known only after deploy` };
  }
  return { known: false, what: `${name}, which is neither a parameter nor a resource of this template` };
}

function ref(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  const name = evaluate(arg, ctx, pointer);
  if (typeof name !== 'string') throw malformed(ctx, pointer, 'Ref', 'a logical id or parameter name');
  const resolved = refValue(name, ctx);
  if (resolved.known) return resolved.value;
  const placeholder = `\${${name}}`;
  unknown(ctx, pointer, placeholder, resolved.what);
  return placeholder;
}

/** The logical id and attribute of an `Fn::GetAtt` (`[A, B]` or `"A.B"`, split at the first dot). */
export function getAttParts(arg: unknown): [string, string] | undefined {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return dot > 0 ? [arg.slice(0, dot), arg.slice(dot + 1)] : undefined;
  }
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') {
    const attribute: unknown = arg[1];
    return typeof attribute === 'string' ? [arg[0], attribute] : undefined;
  }
  return undefined;
}

function getAtt(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  let parts = getAttParts(arg);
  if (parts === undefined && Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') {
    // The attribute name may itself be an intrinsic (`!Ref AttributeParam`).
    const attribute = evaluate(arg[1], ctx, `${pointer}/1`);
    if (typeof attribute === 'string') parts = [arg[0], attribute];
  }
  if (parts === undefined)
    throw malformed(ctx, pointer, 'Fn::GetAtt', '[LogicalId, Attribute] or "LogicalId.Attribute"');
  const [id, attribute] = parts;
  const known = ctx.getAtt?.(id, attribute);
  if (known !== undefined) return known;
  const placeholder = `\${${id}.${attribute}}`;
  unknown(ctx, pointer, placeholder, `the attribute ${attribute} of ${id}, known only after deploy`);
  return placeholder;
}

function sub(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  let template: unknown = arg;
  const variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || !isObject(arg[1])) {
      throw malformed(ctx, pointer, 'Fn::Sub', 'a string, or [string, {Name: value}]');
    }
    template = arg[0];
    const raw = arg[1];
    for (const key of Object.keys(raw))
      variables[key] = evaluate(raw[key], ctx, `${pointer}/1/${escape(key)}`);
  }
  if (typeof template !== 'string')
    throw malformed(ctx, pointer, 'Fn::Sub', 'a string, or [string, {Name: value}]');
  const missing: Array<[string, string]> = [];
  const result = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    // `${!Literal}` is written as `${Literal}` and not substituted.
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.prototype.hasOwnProperty.call(variables, name)) {
      const value = variables[name];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        return String(value);
      missing.push([whole, `the variable ${name}, whose value is not a known string`]);
      return whole;
    }
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) {
      const known = ctx.getAtt?.(name.slice(0, dot), name.slice(dot + 1));
      if (typeof known === 'string' || typeof known === 'number') return String(known);
      missing.push([
        whole,
        `the attribute ${name.slice(dot + 1)} of ${name.slice(0, dot)}, known only after deploy`,
      ]);
      return whole;
    }
    const resolved = refValue(name, ctx);
    if (resolved.known && (typeof resolved.value === 'string' || typeof resolved.value === 'number')) {
      return String(resolved.value);
    }
    if (resolved.known && Array.isArray(resolved.value)) return resolved.value.join(',');
    missing.push([whole, resolved.known ? `${name}, whose value is not a string` : resolved.what]);
    return whole;
  });
  for (const [placeholder, what] of missing) unknown(ctx, pointer, placeholder, what);
  return result;
}

function join(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  if (!Array.isArray(arg) || arg.length !== 2)
    throw malformed(ctx, pointer, 'Fn::Join', '[delimiter, [values]]');
  const delimiter = evaluate(arg[0], ctx, `${pointer}/0`);
  const list = evaluate(arg[1], ctx, `${pointer}/1`);
  if (typeof delimiter !== 'string') throw malformed(ctx, pointer, 'Fn::Join', 'a string delimiter');
  if (!Array.isArray(list)) {
    // A list parameter without a value: its placeholder stands for the whole joined string.
    if (typeof list === 'string') return list;
    throw malformed(ctx, pointer, 'Fn::Join', '[delimiter, [values]]');
  }
  return list
    .map((item) => (isObject(item) || Array.isArray(item) ? JSON.stringify(item) : String(item)))
    .join(delimiter);
}

function select(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  if (!Array.isArray(arg) || arg.length !== 2)
    throw malformed(ctx, pointer, 'Fn::Select', '[index, [values]]');
  const index = Number(evaluate(arg[0], ctx, `${pointer}/0`));
  const list = evaluate(arg[1], ctx, `${pointer}/1`);
  if (Array.isArray(list)) {
    if (!Number.isInteger(index) || index < 0 || index >= list.length) {
      throw malformed(ctx, pointer, 'Fn::Select', `an index from 0 to ${list.length - 1}`);
    }
    return list[index];
  }
  if (typeof list === 'string' && hasPlaceholder(list)) {
    // An element of an unknown list: `${Fn.Arn}` -> `${Fn.Arn[3]}`; its source was warned about where it arose.
    return /^\$\{[^}]*\}$/.test(list) ? `${list.slice(0, -1)}[${index}]}` : `\${Select:${index}:${list}}`;
  }
  throw malformed(ctx, pointer, 'Fn::Select', '[index, [values]]');
}

function split(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  if (!Array.isArray(arg) || arg.length !== 2)
    throw malformed(ctx, pointer, 'Fn::Split', '[delimiter, string]');
  const delimiter = evaluate(arg[0], ctx, `${pointer}/0`);
  const source = evaluate(arg[1], ctx, `${pointer}/1`);
  if (typeof delimiter !== 'string' || typeof source !== 'string') {
    throw malformed(ctx, pointer, 'Fn::Split', '[delimiter, string]');
  }
  // An unknown value may hold the delimiter (an ARN split at ":"): the list is unknown, and the string with its
  // placeholders stands for it (Fn::Select then names an element of it).
  if (hasPlaceholder(source)) return source;
  return source.split(delimiter);
}

function fnIf(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
    throw malformed(ctx, pointer, 'Fn::If', '[ConditionName, valueIfTrue, valueIfFalse]');
  }
  const name = arg[0];
  if (!Object.prototype.hasOwnProperty.call(ctx.conditions, name)) {
    throw new InvalidTemplateError(
      `Fn::If names the condition "${name}", which the Conditions section does not define.`,
      {
        file: ctx.file,
        location: pointer,
        fix: `Define "${name}" under Conditions, or correct the name.`,
      },
    );
  }
  const value = ctx.conditions[name];
  if (value === true) return evaluate(arg[1], ctx, `${pointer}/1`);
  if (value === false) return evaluate(arg[2], ctx, `${pointer}/2`);
  const placeholder = `\${If:${name}}`;
  unknown(
    ctx,
    pointer,
    placeholder,
    `the condition ${name}, which depends on an unknown value (pass --parameter)`,
  );
  return placeholder;
}

function findInMap(arg: unknown, ctx: EvalContext, pointer: string): unknown {
  if (!Array.isArray(arg) || arg.length < 3) {
    throw malformed(ctx, pointer, 'Fn::FindInMap', '[MapName, TopLevelKey, SecondLevelKey]');
  }
  const keys = arg.slice(0, 3).map((key, i) => evaluate(key, ctx, `${pointer}/${i}`));
  const fallback = isObject(arg[3]) && 'DefaultValue' in arg[3] ? arg[3].DefaultValue : undefined;
  if (keys.some((key) => typeof key !== 'string' || hasPlaceholder(key))) {
    if (fallback !== undefined) return evaluate(fallback, ctx, `${pointer}/3/DefaultValue`);
    const placeholder = `\${FindInMap:${keys.map(String).join(':')}}`;
    unknown(ctx, pointer, placeholder, 'a mapping entry chosen by an unknown key');
    return placeholder;
  }
  const [map, top, second] = keys as [string, string, string];
  const level1 = ctx.mappings[map];
  const level2 = isObject(level1) ? level1[top] : undefined;
  const found = isObject(level2) ? level2[second] : undefined;
  if (found !== undefined)
    return evaluate(found, ctx, `/Mappings/${escape(map)}/${escape(top)}/${escape(second)}`);
  if (fallback !== undefined) return evaluate(fallback, ctx, `${pointer}/3/DefaultValue`);
  throw new InvalidTemplateError(`Fn::FindInMap: the mapping ${map} has no entry ${top}.${second}.`, {
    file: ctx.file,
    location: pointer,
    fix: `Add ${top}: {${second}: VALUE} under Mappings.${map}, or correct the keys.`,
  });
}

/**
 * Evaluates a condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`).
 *
 * @returns true or false, or undefined when it depends on a value that is unknown offline
 */
export function evaluateCondition(
  expression: unknown,
  ctx: EvalContext,
  pointer: string,
): boolean | undefined {
  const name = intrinsicName(expression);
  const arg = name === undefined ? undefined : (expression as Record<string, unknown>)[name];
  const at = name === undefined ? pointer : `${pointer}/${escape(name)}`;
  switch (name) {
    case 'Condition':
      if (typeof arg !== 'string' || !Object.prototype.hasOwnProperty.call(ctx.conditions, arg)) {
        throw new InvalidTemplateError(
          `Condition ${JSON.stringify(arg)} is not defined in the Conditions section.`,
          {
            file: ctx.file,
            location: at,
            fix: 'Define the condition, or correct the name.',
          },
        );
      }
      return ctx.conditions[arg];
    case 'Fn::Equals': {
      if (!Array.isArray(arg) || arg.length !== 2) throw malformed(ctx, at, 'Fn::Equals', '[value1, value2]');
      const quiet = { ...ctx, warn: () => undefined };
      const a = evaluate(arg[0], quiet, `${at}/0`);
      const b = evaluate(arg[1], quiet, `${at}/1`);
      if (hasPlaceholder(a) || hasPlaceholder(b)) return undefined;
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case 'Fn::Not': {
      if (!Array.isArray(arg) || arg.length !== 1) throw malformed(ctx, at, 'Fn::Not', '[condition]');
      const v = evaluateCondition(arg[0], ctx, `${at}/0`);
      return v === undefined ? undefined : !v;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(arg) || arg.length < 2)
        throw malformed(ctx, at, name, '[condition, condition, ...]');
      const values = arg.map((c, i) => evaluateCondition(c, ctx, `${at}/${i}`));
      const decisive = name === 'Fn::And' ? false : true;
      if (values.includes(decisive)) return decisive;
      return values.includes(undefined) ? undefined : !decisive;
    }
    default: {
      // A literal true/false (or "true"/"false") is also accepted by CloudFormation in conditions.
      const value = evaluate(expression, ctx, pointer);
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      if (hasPlaceholder(value)) return undefined;
      throw malformed(ctx, pointer, 'a condition', 'Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
    }
  }
}

/** The logical ids a value refers to (Ref, Fn::GetAtt, `${X}` and `${X.Attr}` in Fn::Sub), for dependency order. */
export function referencedIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    if (!isObject(node)) continue;
    const name = intrinsicName(node);
    const arg = name === undefined ? undefined : node[name];
    if (name === 'Ref' && typeof arg === 'string') {
      if (!arg.startsWith('AWS::')) into.add(arg);
      continue;
    }
    if (name === 'Fn::GetAtt') {
      const parts = getAttParts(arg);
      if (parts) into.add(parts[0]);
      else stack.push(arg);
      continue;
    }
    if (name === 'Fn::Sub') {
      const template = Array.isArray(arg) ? arg[0] : arg;
      const variables = Array.isArray(arg) && isObject(arg[1]) ? arg[1] : {};
      if (typeof template === 'string') {
        for (const match of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const inner = (match[1] as string).trim();
          const id = inner.split('.')[0] as string;
          if (!inner.startsWith('AWS::') && !(inner in variables)) into.add(id);
        }
      }
      stack.push(variables);
      continue;
    }
    for (const child of Object.values(node)) stack.push(child);
  }
  return into;
}

function unknown(ctx: EvalContext, pointer: string, placeholder: string, what: string): void {
  if (ctx.warned?.has(placeholder)) return;
  ctx.warned?.add(placeholder);
  ctx.warn(`${ctx.file}: ${pointer}: kept ${placeholder} as a placeholder for ${what}.`);
}

function placeholderOf(label: string, ctx: EvalContext, pointer: string, what: string): string {
  const placeholder = `\${${label}}`;
  unknown(ctx, pointer, placeholder, what);
  return placeholder;
}

function malformed(ctx: EvalContext, pointer: string, name: string, expected: string): InvalidTemplateError {
  return new InvalidTemplateError(`Malformed ${name}: expected ${expected}.`, {
    file: ctx.file,
    location: pointer,
    fix: `Write ${name} as ${expected}.`,
  });
}

/** Escapes a key for a JSON pointer segment. */
export function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
