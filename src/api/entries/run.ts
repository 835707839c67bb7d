/**
 * `apigw-authz/run`: run a generated collection with Newman (loaded with this module) and build its results and
 * reports, as `apigw-authz run` does.
 *
 * @example
 * import { runCollection, exitCodeFor } from 'apigw-authz/run';
 * const result = await runCollection({ collection: 'generated/api.postman_collection.json', envVars: {}, processEnv: process.env, reporters: [] });
 * process.exitCode = exitCodeFor(result);
 */
export * from '../../run/index.js';
