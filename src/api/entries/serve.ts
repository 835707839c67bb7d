/**
 * `apigw-authz/serve`: the local API Gateway front door (the emulator) built from a model and a config, as
 * `apigw-authz serve` starts it. `loadSource` reads both.
 *
 * @example
 * import { loadSource, startGateway } from 'apigw-authz/serve';
 * const { model, config } = await loadSource({ source: { file: 'api.oas30.json' }, cwd: process.cwd() });
 */
export * from '../../emulator/index.js';
export { loadSource } from '../load-source.js';
export type { LoadedSource, LoadOptions, SourceOptions } from '../load-source.js';
