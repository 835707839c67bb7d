/**
 * Runs SAM fixtures through `expandSam`, the CloudFormation evaluator and the OpenAPI reader: the path a SAM
 * template's REST API takes to its AuthModel, without the file-level pipeline.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parseDocument } from 'yaml';

import { evaluate, type EvalContext } from '../../../src/sources/cloudformation/intrinsics.js';
import { expandSam } from '../../../src/sources/cloudformation/sam/expand-sam.js';
import { readOpenApiDocument } from '../../../src/sources/openapi/build-model.js';
import { isObject } from '../../../src/model/parse.js';
import type { AuthModel } from '../../../src/model/types.js';

type Json = Record<string, unknown>;

export const FIXTURES = fileURLToPath(new URL('../../fixtures/sam/', import.meta.url));

/** A fixture template in long form (`Ref:`, `Fn::GetAtt:`), parsed; a short tag would be lost, so it fails. */
export function loadFixture(name: string): Json {
  const doc = parseDocument(readFileSync(`${FIXTURES}${name}`, 'utf8'));
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new Error(`${name}: ${problem.message}`);
  return doc.toJS() as Json;
}

function evalContext(
  template: Json,
  file: string,
  warnings: string[],
  conditions: Record<string, boolean> = {},
): EvalContext {
  const declared = isObject(template.Parameters) ? template.Parameters : {};
  const parameters: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(declared)) {
    if (isObject(parameter) && parameter.Default !== undefined) parameters[name] = parameter.Default;
  }
  return {
    parameters,
    conditions,
    resources: isObject(template.Resources) ? template.Resources : {},
    mappings: {},
    warn: (message) => warnings.push(message),
    file,
    declaredParameters: new Set(Object.keys(declared)),
  };
}

/** `expandSam` on a parsed template, collecting its warnings. */
export function expand(template: Json, file = 'template.yaml'): { template: Json; warnings: string[] } {
  const warnings: string[] = [];
  const ctx = evalContext(template, file, warnings);
  const out = expandSam(template, {
    file,
    warn: (message) => warnings.push(message),
    evaluate: (value, pointer) => evaluate(value, ctx, pointer),
  });
  return { template: out, warnings };
}

/** The expanded resources of one type, by logical id. */
export function resourcesOfType(template: Json, type: string): Record<string, Json> {
  const resources = template.Resources as Record<string, Json>;
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === type));
}

/** The `Body` of the expanded RestApi `apiId`. */
export function bodyOf(template: Json, apiId: string): Json {
  const api = (template.Resources as Record<string, Json>)[apiId];
  if (api?.Type !== 'AWS::ApiGateway::RestApi') throw new Error(`no RestApi ${apiId}`);
  return (api.Properties as Json).Body as Json;
}

/**
 * Expands a fixture and reads the model of one API from its evaluated body.
 *
 * @param conditions - the values of the template's conditions (the full reader evaluates them)
 */
export function samModel(
  name: string,
  apiId: string,
  conditions: Record<string, boolean> = {},
): { model: AuthModel; body: Json; warnings: string[] } {
  const file = name;
  const { template, warnings } = expand(loadFixture(name), file);
  const body = bodyOf(template, apiId);
  const pointer = `#/Resources/${apiId}/Properties/Body`;
  const evaluated = evaluate(body, evalContext(template, file, warnings, conditions), pointer);
  const read = readOpenApiDocument(evaluated, { file, pointer });
  return { model: read.model, body, warnings: [...warnings, ...read.warnings] };
}
