/**
 * `apigw-authz/doctor`: the troubleshooting guides as static checks over a model, as `apigw-authz doctor` runs
 * them. `loadSource` reads the model and the config (pass `lenient: true` to get what generate refuses).
 *
 * @example
 * import { diagnose, formatFindings, loadSource } from 'apigw-authz/doctor';
 */
export * from '../../doctor/index.js';
export { loadSource } from '../load-source.js';
export type { LoadedSource, LoadOptions, SourceOptions } from '../load-source.js';
