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
export { writeFilesAtomically, staleFiles, jsonFile, textFile } from './api/output-files.js';
export type { OutputFile } from './api/output-files.js';
export { loadExportFile, parseExportText } from './sources/openapi/export-file.js';
export { readSource } from './sources/detect.js';
export type { DetectedSource, ReadSourceOptions, SourceKind } from './sources/detect.js';
export { readTerraformJson } from './sources/terraform/index.js';
export type { TerraformReadOptions } from './sources/terraform/index.js';
export { AWS_RESPONSE_TEXTS } from './aws-responses.js';
export type { AwsResponseId, AwsResponseText } from './aws-responses.js';
export { loadConfig, resolveConfig, applyModelDefaults } from './config/load-config.js';
export { derivePlan } from './cases/index.js';
export { renderCollection, renderEnvironment, serializeJson } from './render/index.js';
export { exitCodeFor, formatRunSummary } from './run/result.js';
export { startGateway } from './emulator/index.js';
export { checkHandlerPolicies, diagnose, formatFindings } from './doctor/index.js';
export type { Finding, HandlerCheck, HandlerCheckOptions } from './doctor/index.js';

// Newman and the AWS SDK take most of a cold start: they load on the first call of the function that needs them,
// not with the library (the CLI does the same).
import type { runCollection as RunCollection } from './run/index.js';
import type { loadRestApi as LoadRestApi } from './sources/aws-rest/reader.js';
import type { loadHttpApi as LoadHttpApi } from './sources/aws-http/reader.js';
import type { probeAuthorizers as ProbeAuthorizers } from './probe/index.js';

/** Runs a collection with Newman (see `run/index.ts`); Newman is loaded on the first call. */
export async function runCollection(
  ...args: Parameters<typeof RunCollection>
): ReturnType<typeof RunCollection> {
  const run = await import('./run/index.js');
  return run.runCollection(...args);
}

/** Reads a live REST API (see `sources/aws-rest/reader.ts`); the AWS SDK is loaded on the first call. */
export async function loadRestApi(...args: Parameters<typeof LoadRestApi>): ReturnType<typeof LoadRestApi> {
  const reader = await import('./sources/aws-rest/reader.js');
  return reader.loadRestApi(...args);
}

/** Reads a live HTTP API (see `sources/aws-http/reader.ts`); the AWS SDK is loaded on the first call. */
export async function loadHttpApi(...args: Parameters<typeof LoadHttpApi>): ReturnType<typeof LoadHttpApi> {
  const reader = await import('./sources/aws-http/reader.js');
  return reader.loadHttpApi(...args);
}

/** Runs the Lambda authorizer cases through TestInvokeAuthorizer (see `probe/probe.ts`); loads the AWS SDK. */
export async function probeAuthorizers(
  ...args: Parameters<typeof ProbeAuthorizers>
): ReturnType<typeof ProbeAuthorizers> {
  const probe = await import('./probe/index.js');
  return probe.probeAuthorizers(...args);
}
