/**
 * Reads the collection and environment given to `run`, failing with exit-code-2 errors before Newman starts:
 * Newman itself runs `{"foo":1}` happily and reports a missing file as an ordinary failure.
 */

import { readFile } from 'node:fs/promises';
import { InputNotFoundError, InputUnreadableError, InvalidJsonError } from '../errors.js';
import type { VariableEntry } from './variables.js';
import { isObject } from '../model/parse.js';

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputNotFoundError(`${what} file not found`, { file: path, cause: err });
    }
    throw new InputUnreadableError(`cannot read the ${what} file (${code ?? 'unknown error'})`, {
      file: path,
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InvalidJsonError(`the ${what} file is not valid JSON: ${(err as Error).message}`, {
      file: path,
      cause: err,
    });
  }
}

function entriesOf(list: unknown): VariableEntry[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((v): VariableEntry[] => {
    if (!isObject(v) || typeof v.key !== 'string') return [];
    const value = typeof v.value === 'string' ? v.value : v.value === undefined ? '' : String(v.value);
    return [{ key: v.key, value, ...(typeof v.type === 'string' ? { type: v.type } : {}) }];
  });
}

/** A Postman collection v2.1: its JSON and its collection-level variables. */
export async function loadCollection(
  input: string | object,
): Promise<{ json: Record<string, unknown>; variables: VariableEntry[] }> {
  const file = typeof input === 'string' ? input : undefined;
  const json = file === undefined ? input : await readJsonFile(file, 'collection');
  if (!isObject(json) || !isObject(json.info) || !Array.isArray(json.item)) {
    throw new InvalidJsonError('not a Postman collection v2.1 (expected an object with "info" and "item")', {
      ...(file === undefined ? {} : { file }),
      fix: 'pass the *.postman_collection.json file written by `apigw-authz generate`',
    });
  }
  return { json, variables: entriesOf(json.variable) };
}

/** A Postman environment: its JSON and its `values`. */
export async function loadEnvironment(
  input: string | object,
): Promise<{ json: Record<string, unknown>; variables: VariableEntry[] }> {
  const file = typeof input === 'string' ? input : undefined;
  const json = file === undefined ? input : await readJsonFile(file, 'environment');
  if (!isObject(json) || !Array.isArray(json.values)) {
    throw new InvalidJsonError('not a Postman environment (expected an object with "values")', {
      ...(file === undefined ? {} : { file }),
      fix: 'pass the *.postman_environment.json file written by `apigw-authz generate`',
    });
  }
  return { json, variables: entriesOf(json.values) };
}
