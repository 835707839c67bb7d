/** Small value helpers shared by the SAM expansion (expand-sam.ts for REST APIs, http-api.ts for HTTP APIs). */

import { InvalidTemplateError } from '../../../errors.js';
import { toPointer } from '../../../model/json-pointer.js';
import { isObject } from '../../../model/parse.js';

export type Json = Record<string, unknown>;

export const SAM_DOCS = 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/';

/** The translator's own words for an API with both definitions. */
export const BOTH_DEFINITIONS = "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.";

/** Whether a value is one intrinsic function object (`{"Ref": …}`, `{"Fn::GetAtt": …}`). */
export function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}

/**
 * `{"Ref": "<template parameter>"}` anywhere in `value` -> its value; every other intrinsic stays (the translator
 * resolves only parameters).
 *
 * @param parameters - the template's parameter names
 * @param evaluate - the CloudFormation evaluator
 */
export function resolveParameterRefs(
  value: unknown,
  at: Array<string | number>,
  parameters: ReadonlySet<string>,
  evaluate: (value: unknown, pointer: string) => unknown,
): unknown {
  if (Array.isArray(value))
    return value.map((item, i) => resolveParameterRefs(item, [...at, i], parameters, evaluate));
  if (!isObject(value)) return value;
  if (isIntrinsic(value)) {
    const ref = value.Ref;
    return typeof ref === 'string' && parameters.has(ref) ? evaluate(value, toPointer(at)) : value;
  }
  const out: Json = {};
  for (const [key, child] of Object.entries(value))
    out[key] = resolveParameterRefs(child, [...at, key], parameters, evaluate);
  return out;
}

/**
 * An API's `Auth` (parameter references resolved): a map with only the keys SAM knows for the resource type.
 *
 * @param keys - the `Auth` keys of `AWS::Serverless::Api` or `AWS::Serverless::HttpApi`
 * @param fail - the expander's error at a pointer
 */
export function samAuthMap(
  auth: unknown,
  at: Array<string | number>,
  keys: ReadonlySet<string>,
  fail: (at: Array<string | number>, message: string, fix?: string) => Error,
): Json {
  if (!isObject(auth)) throw fail(at, "Invalid value for 'Auth' property: expected a map.");
  const unknown = Object.keys(auth).find((key) => !keys.has(key));
  if (unknown !== undefined) {
    throw fail(
      [...at, unknown],
      `Invalid value for 'Auth' property: SAM does not know the key '${unknown}'.`,
      `Use ${[...keys].join(', ')}.`,
    );
  }
  return auth;
}

/** The part of a `Globals` section a resource takes: `IgnoreGlobals: '*'` or a list of property names opts out. */
export function applicableGlobals(globals: Json, ignore: unknown): Json {
  if (ignore === '*') return {};
  return Object.fromEntries(
    Object.entries(globals).filter(([key]) => !(Array.isArray(ignore) && ignore.includes(key))),
  );
}

/** `Globals` merge (globals.py `_do_merge`): maps merge, lists concatenate global-first, otherwise the resource wins. */
export function mergeGlobal(global: unknown, local: unknown): unknown {
  const g = kindOf(global);
  if (g !== kindOf(local) || g === 'primitive') return local;
  if (g === 'list') return [...(global as unknown[]), ...(local as unknown[])];
  const out: Json = { ...(global as Json) };
  for (const [key, value] of Object.entries(local as Json))
    out[key] = key in out ? mergeGlobal(out[key], value) : value;
  return out;
}

function kindOf(value: unknown): 'map' | 'list' | 'primitive' {
  if (Array.isArray(value)) return 'list';
  return isObject(value) && !isIntrinsic(value) ? 'map' : 'primitive';
}

/** `DefinitionUri` -> `BodyS3Location`: `s3://bucket/key?versionId=v`, a map, or a local file kept as a path. */
export function bodyS3Location(uri: unknown): unknown {
  if (typeof uri !== 'string') return uri;
  const match = /^s3:\/\/([^/]+)\/([^?]+)(?:\?versionId=(.+))?$/.exec(uri);
  if (!match) return uri; // a local file, as `sam package` reads it: the reader resolves it next to the template
  return { Bucket: match[1], Key: match[2], ...(match[3] === undefined ? {} : { Version: match[3] }) };
}

/**
 * A refusal of the translator, at a pointer of the template.
 *
 * @param page - the SAM resource page the default fix points at, e.g. `sam-resource-api.html`
 */
export function samError(
  file: string,
  at: Array<string | number>,
  message: string,
  fix: string | undefined,
  page: string,
): InvalidTemplateError {
  return new InvalidTemplateError(message, {
    file,
    location: toPointer(at),
    fix: fix ?? `See ${SAM_DOCS}${page}.`,
  });
}
