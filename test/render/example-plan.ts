/** The real TestPlan of the bundled example (export + config), built by the other stages. */

import { fileURLToPath } from 'node:url';

import type { TestPlan } from '../../src/cases/types.js';
import { derivePlan } from '../../src/cases/index.js';
import { applyModelDefaults, loadConfig } from '../../src/config/load-config.js';
import type { Depth } from '../../src/config/types.js';
import { loadExportFile } from '../../src/sources/openapi/export-file.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

export async function examplePlan(depth?: Depth): Promise<TestPlan> {
  const model = await loadExportFile(`${examples}petstore-authz.openapi.yaml`);
  const config = applyModelDefaults(await loadConfig(`${examples}apigw-authz.config.yaml`, examples), model);
  return derivePlan(model, depth === undefined ? config : { ...config, depth });
}
