import type { ProjectConfig } from '../config/types.js';
import type { AuthModel } from '../model/types.js';
import { applyModelDefaults, loadConfig, userPoolFacts } from '../config/load-config.js';
import { readSource } from '../sources/detect.js';
import { fillUserPools } from '../model/parse.js';
import type { DriftFinding } from '../drift/types.js';

import type { SourceOptions } from './source-flags.js';

export type { SourceOptions } from './source-flags.js';

export interface LoadedSource {
  model: AuthModel;
  config: ProjectConfig;
  /** Live source only: routes whose current configuration differs from the deployed stage. */
  drift: DriftFinding[];
  /**
   * What the source reader assumed or could not know (a placeholder it kept, a field it ignored), each once.
   * generate prints them in its summary; serve and doctor on stderr.
   */
  warnings: string[];
  /** Live source only: how many control-plane calls the read took. */
  awsCalls?: number;
}

export interface LoadOptions {
  source: SourceOptions;
  configFile?: string;
  /** Directory a missing config's relative paths resolve against. */
  cwd: string;
  onProgress?: (message: string) => void;
  /** doctor: what generate refuses but doctor reports (a regex that does not compile, config names the API lacks). */
  lenient?: boolean;
}

/** Reads the model from its source and the config file, and fills the config defaults the model implies. */
export async function loadSource(options: LoadOptions): Promise<LoadedSource> {
  const config = await loadConfig(options.configFile, options.cwd);
  if ('exportFile' in options.source || 'file' in options.source) {
    // Any file or folder: the kind (export, CloudFormation, SAM, cdk.out, .serverless, Terraform) comes from its content.
    const { file, exportFile, ...flags } = { file: undefined, exportFile: undefined, ...options.source };
    const read = await readSource((file ?? exportFile) as string, { ...flags, lenient: options.lenient });
    // A templated user pool takes its id and region from the config (authorizers.NAME.cognito).
    const { model, warnings } = fillUserPools(read.model, userPoolFacts(config));
    return {
      model,
      config: applyModelDefaults(config, model, options),
      drift: [],
      warnings: [...read.warnings, ...warnings],
    };
  }
  // The AWS SDK is only loaded for the live source: it costs a noticeable share of a generate run's start-up.
  if ('httpApi' in options.source) {
    const { httpApi, stage, region, profile } = options.source;
    const { loadHttpApi } = await import('../sources/aws-http/reader.js');
    const live = await loadHttpApi({
      api: httpApi,
      ...(stage === undefined ? {} : { stage }),
      region,
      profile,
      config,
      onProgress: liveProgress(httpApi, options.onProgress),
    });
    return fromLiveApi(live, config, options);
  }
  const { restApi, stage, region, profile } = options.source;
  const { loadRestApi } = await import('../sources/aws-rest/reader.js');
  const live = await loadRestApi({
    restApi,
    stage,
    region,
    profile,
    config,
    onProgress: liveProgress(restApi, options.onProgress),
  });
  return fromLiveApi(live, config, options);
}

/** A live reader's progress (one control-plane call) as the line `onProgress` shows. */
function liveProgress(
  api: string,
  onProgress: LoadOptions['onProgress'],
): ((progress: { call: string; done: number }) => void) | undefined {
  return onProgress ? (p) => onProgress(`reading ${api}: ${p.call} (${p.done} so far)`) : undefined;
}

/** What a live reader (REST or HTTP) read, as a LoadedSource. */
function fromLiveApi(
  live: { model: AuthModel; drift: DriftFinding[]; warnings: string[]; calls: number },
  config: ProjectConfig,
  options: LoadOptions,
): LoadedSource {
  return {
    model: live.model,
    config: applyModelDefaults(config, live.model, options),
    drift: live.drift,
    warnings: live.warnings,
    awsCalls: live.calls,
  };
}
