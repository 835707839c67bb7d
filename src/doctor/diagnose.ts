import type { ProjectConfig } from '../config/types.js';
import { compare } from '../model/parse.js';
import type { AuthModel } from '../model/types.js';
import { RULES } from './rules.js';
import type { DiagnoseOptions, Finding, Severity } from './types.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Runs every doctor rule over the model: the AWS troubleshooting guides for authorizer 401s and 403s as static
 * checks. Pure.
 *
 * @param model - from an export or the live API
 * @param config - the project config (public routes, hosted-UI domains)
 * @param options - `drift` from the live reader adds the undeployed-changes findings; `handlerChecks` from
 *   `checkHandlerPolicies` proves or clears the Lambda cache-scope finding
 * @returns findings sorted by severity, then subject, then rule
 */
export function diagnose(model: AuthModel, config: ProjectConfig, options: DiagnoseOptions = {}): Finding[] {
  return RULES.flatMap((rule) => rule(model, config, options)).sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compare(a.subject, b.subject) ||
      compare(a.rule, b.rule) ||
      compare(a.message, b.message),
  );
}
