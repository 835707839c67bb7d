/**
 * Drift without AWS: the current definition (any source kind) against an export of the deployed stage
 * (`doctor --deployed STAGE_EXPORT`). The I/O edge around `detectDrift`.
 */

import type { AuthModel } from '../model/types.js';
import { readSource } from '../sources/detect.js';
import { detectDrift } from './detect-drift.js';
import type { DriftFinding } from './types.js';

/**
 * @param current - the model of the current definition
 * @param deployedFile - absolute path of the stage's export (`aws apigateway get-export --stage-name prod
 *   --export-type oas30 --parameters extensions=authorizers`), or any other source of the deployed state
 * @param options - `stage`: the stage to name in "redeploy to stage X"; default the export's own stage
 * @throws InputError when the export cannot be read (exit 2)
 */
export async function compareDeployed(
  current: AuthModel,
  deployedFile: string,
  options: { stage?: string } = {},
): Promise<DriftFinding[]> {
  const deployed = await readSource(deployedFile, { lenient: true });
  return detectDrift(current, deployed.model, options.stage ?? deployed.model.stage.name);
}
