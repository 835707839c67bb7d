import type { ProjectConfig } from '../config/types.js';
import type { AuthModel } from '../model/types.js';
import { applyModelDefaults, loadConfig } from '../config/load-config.js';
import { loadExportFile } from '../sources/export-file.js';
import { loadRestApi } from '../sources/aws-reader.js';
import type { DriftFinding } from '../drift/types.js';
import { UsageError } from '../errors.js';

/** Where the authorization configuration comes from: an export file, or the live API in AWS. */
export type SourceOptions =
  | { exportFile: string }
  | { restApi: string; stage: string; region?: string; profile?: string };

export interface LoadedSource {
  model: AuthModel;
  config: ProjectConfig;
  /** Live source only: routes whose current configuration differs from the deployed stage. */
  drift: DriftFinding[];
  /** Live source only: how many control-plane calls the read took. */
  awsCalls?: number;
}

export interface LoadOptions {
  source: SourceOptions;
  configFile?: string;
  /** Directory a missing config's relative paths resolve against. */
  cwd: string;
  onProgress?: (message: string) => void;
}

/** Reads the model from its source and the config file, and fills the config defaults the model implies. */
export async function loadSource(options: LoadOptions): Promise<LoadedSource> {
  const config = await loadConfig(options.configFile, options.cwd);
  if ('exportFile' in options.source) {
    const model = await loadExportFile(options.source.exportFile);
    return { model, config: applyModelDefaults(config, model), drift: [] };
  }
  const { restApi, stage, region, profile } = options.source;
  if (!restApi || !stage) {
    throw new UsageError('--rest-api needs --stage.', { fix: 'pass --stage NAME, e.g. --stage prod' });
  }
  const live = await loadRestApi({
    restApi,
    stage,
    region,
    profile,
    config,
    onProgress: options.onProgress
      ? (p) => options.onProgress?.(`reading ${restApi}: ${p.call} (${p.done} so far)`)
      : undefined,
  });
  return {
    model: live.model,
    config: applyModelDefaults(config, live.model),
    drift: live.drift,
    awsCalls: live.calls,
  };
}

/** Turns the mutually exclusive `--export` / `--rest-api` flags into a SourceOptions, or a usage error. */
export function sourceFromFlags(flags: {
  export?: string;
  restApi?: string;
  stage?: string;
  region?: string;
  profile?: string;
}): SourceOptions {
  if (flags.export && flags.restApi) {
    throw new UsageError('--export and --rest-api cannot be used together.', {
      fix: 'read either an export file or the live API',
    });
  }
  if (flags.export) return { exportFile: flags.export };
  if (flags.restApi) {
    if (!flags.stage) {
      throw new UsageError('--rest-api needs --stage.', { fix: 'pass --stage NAME, e.g. --stage prod' });
    }
    return { restApi: flags.restApi, stage: flags.stage, region: flags.region, profile: flags.profile };
  }
  throw new UsageError('no source given.', {
    fix: 'pass --export FILE (an API Gateway export) or --rest-api ID_OR_NAME --stage NAME',
  });
}
