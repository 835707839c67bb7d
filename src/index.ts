/**
 * apigw-authz as a library: the same functions the CLI calls.
 * Errors: see `apigw-authz/errors` (`InputError` -> bad input, `EnvironmentError` -> AWS/network).
 */
export type * from './model/types.js';
export type * from './config/types.js';
export type * from './cases/types.js';
export { generate } from './api/generate.js';
export type { GenerateOptions, GenerateResult, GenerateSummary } from './api/generate.js';
export { loadSource } from './api/load-source.js';
export { sourceFromFlags } from './api/source-flags.js';
export type { SourceOptions, LoadedSource } from './api/load-source.js';
export { writeFilesAtomically, staleFiles } from './api/output-files.js';
export { loadExportFile, parseExportText } from './sources/openapi/export-file.js';
export { loadConfig, resolveConfig, applyModelDefaults } from './config/load-config.js';
export { derivePlan } from './cases/index.js';
export { renderCollection, renderEnvironment, serializeJson } from './render/index.js';
export { runCollection, exitCodeFor, formatRunSummary } from './run/index.js';
export { startGateway } from './emulator/index.js';
export { diagnose, formatFindings } from './doctor/index.js';
export { loadRestApi } from './sources/aws-rest/reader.js';
export { probeAuthorizers } from './probe/index.js';
