import { UsageError } from '../errors.js';

/** Where the authorization configuration comes from: an export file, or the live API in AWS. */
export type SourceOptions =
  { exportFile: string } | { restApi: string; stage: string; region?: string; profile?: string };

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
