/**
 * `apigw-authz/generate`: read a source, derive the cases and render the collection, without loading Newman, the
 * AWS SDK or the emulator (a live `--rest-api` source loads the SDK on the call that reads it).
 *
 * @example
 * import { generate, writeFilesAtomically } from 'apigw-authz/generate';
 * const result = await generate({ source: { file: 'api.oas30.json' }, outDir: 'generated', cwd: process.cwd() });
 * await writeFilesAtomically(result.files);
 */
export type * from '../../model/types.js';
export type * from '../../config/types.js';
export type * from '../../cases/types.js';
export { generate } from '../generate.js';
export type { AuthorizerCaseCount, GenerateOptions, GenerateResult, GenerateSummary } from '../generate.js';
export { loadSource } from '../load-source.js';
export type { LoadedSource, LoadOptions, SourceOptions } from '../load-source.js';
export { sourceFromFlags } from '../source-flags.js';
export { jsonFile, staleFiles, textFile, writeFilesAtomically } from '../output-files.js';
export type { OutputFile } from '../output-files.js';
export { jsonChunks } from '../json-chunks.js';
export { readSource } from '../../sources/detect.js';
export type { DetectedSource, ReadSourceOptions, SourceKind } from '../../sources/detect.js';
export { loadConfig, resolveConfig, applyModelDefaults } from '../../config/load-config.js';
export { derivePlan } from '../../cases/index.js';
export { renderCollection, renderEnvironment, serializeJson } from '../../render/index.js';
