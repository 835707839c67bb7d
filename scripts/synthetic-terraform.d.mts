/** Types of scripts/synthetic-terraform.mjs (Terraform JSON documents for tests and the benchmark). */

export interface LinkSpec {
  /** The full address of the target instance. */
  to: string;
  /** `id` (default) or `root_resource_id`. */
  attr?: string;
  /** The configuration's references for the argument, as Terraform lists them. */
  refs: string[];
}

export interface ResourceSpec {
  /** The module instance address, e.g. `module.auth`; absent for the root module. */
  module?: string;
  type: string;
  name: string;
  index?: string | number;
  /** Known at plan time. */
  values?: Record<string, unknown>;
  /** Known only after apply (their values in the state). */
  computed?: Record<string, unknown>;
  links?: Record<string, LinkSpec>;
  /** Configuration expressions that override the ones derived from values and links. */
  expressions?: Record<string, unknown>;
  forEach?: string[];
  count?: string[];
}

export interface ModuleCall {
  source: string;
  expressions: Record<string, unknown>;
  outputs?: Record<string, string[]>;
}

export declare function fakeId(address: string, attr?: string): string;
export declare function addressOf(spec: ResourceSpec): string;
export declare function refsTo(address: string, attr?: string): string[];
export declare function terraformShowJson(
  resources: ResourceSpec[],
  options: {
    kind: 'plan' | 'state';
    region?: string;
    variables?: Record<string, unknown>;
    modules?: Record<string, ModuleCall>;
  },
): Record<string, unknown>;
export declare function syntheticTerraformPlan(routes: number): Record<string, unknown>;
