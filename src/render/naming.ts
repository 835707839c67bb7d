import type { TestPlan } from '../cases/types.js';

/** File-name-safe slug of the API name: `Pet Store (v2)` -> `pet-store-v2`; `api` when nothing is left. */
export function apiSlug(plan: TestPlan): string {
  const slug = plan.model.api.name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'api' : slug;
}

/** The file names `generate` writes: `<api-slug>.postman_collection.json` and `.postman_environment.json`. */
export function collectionFileNames(plan: TestPlan): { collection: string; environment: string } {
  const slug = apiSlug(plan);
  return { collection: `${slug}.postman_collection.json`, environment: `${slug}.postman_environment.json` };
}

/** The one JSON layout of generated files: two-space indent and a final newline. */
export function serializeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
