import type { TestPlan } from '../cases/types.js';
import { apiSlug } from './naming.js';
import type { PostmanEnvironment } from './postman-types.js';
import { uuidV5 } from './uuid-v5.js';
import { allVariables } from './variables.js';

/**
 * Renders the environment file: every variable the collection reads, with defaults from the model and config
 * and a description each. Secrets are `secret` variables with empty values, supplied at run time.
 */
export function renderEnvironment(plan: TestPlan): PostmanEnvironment {
  const slug = apiSlug(plan);
  return {
    id: uuidV5(`${slug}/environment`),
    name: `${plan.model.api.name} (apigw-authz)`,
    values: allVariables(plan).map((v) => ({
      key: v.key,
      value: v.secret ? '' : v.value,
      type: v.secret ? 'secret' : 'default',
      enabled: true,
      description: v.required ? `Required. ${v.description}` : v.description,
    })),
    _postman_variable_scope: 'environment',
  };
}
