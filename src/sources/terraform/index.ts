/**
 * The Terraform source: `terraform show -json` output of a plan or a state -> AuthModel.
 *
 * @see ./build-model.ts for what is read, ./references.ts for how resources are linked before apply
 */

export { readTerraformJson, type TerraformReadOptions } from './build-model.js';
export { looksLikeTerraformJson } from './plan.js';
