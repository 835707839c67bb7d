import { UsageError } from '../errors.js';

/**
 * Where the authorization configuration comes from: a source file or folder (an export, a CloudFormation or SAM
 * template, a cdk.out or .serverless folder, a Terraform plan JSON; the kind is detected from the content), or the
 * live API in AWS. `exportFile` is the older name of `file` and means the same.
 */
export type SourceOptions =
  | ({ file: string } & FileSourceOptions)
  | ({ exportFile: string } & FileSourceOptions)
  | { restApi: string; stage: string; region?: string; profile?: string }
  | { httpApi: string; stage?: string; region?: string; profile?: string };

/** What a template source needs besides its path (an export uses only region and account). */
export interface FileSourceOptions {
  /** `--api`: the logical id, `Stack/LogicalId` path or name of the API, when the source defines several. */
  api?: string;
  /** `--parameter KEY=VALUE`: template parameter overrides. */
  parameters?: Record<string, string>;
  /** `--region` / `--account`: the AWS::Region and AWS::AccountId pseudo parameters. */
  region?: string;
  account?: string;
  /** `--stage`: which stage, when the API has several. */
  stage?: string;
}

/**
 * Turns the source flags into a SourceOptions, or a usage error: a positional SOURCE or `--export FILE` (an alias
 * for any kind), or `--rest-api ID --stage NAME` / `--http-api ID [--stage NAME]` for the live API.
 */
export function sourceFromFlags(flags: {
  source?: string;
  export?: string;
  restApi?: string;
  httpApi?: string;
  stage?: string;
  region?: string;
  profile?: string;
  api?: string;
  parameter?: Record<string, string>;
  account?: string;
}): SourceOptions {
  if (flags.source && flags.export && flags.source !== flags.export) {
    throw new UsageError(`two sources given: ${flags.source} and --export ${flags.export}.`, {
      fix: 'pass the source once, as SOURCE or --export FILE',
    });
  }
  const file = flags.source ?? flags.export;
  if (flags.restApi && flags.httpApi) {
    throw new UsageError('--rest-api and --http-api cannot be used together.', {
      fix: 'read one live API: --rest-api for a REST API, --http-api for an HTTP API',
    });
  }
  if (file && (flags.restApi || flags.httpApi)) {
    throw new UsageError(
      `a source file and ${flags.restApi ? '--rest-api' : '--http-api'} cannot be used together.`,
      {
        fix: 'read either a file (export, template, cdk.out, .serverless, Terraform plan) or the live API',
      },
    );
  }
  const parameters = flags.parameter ?? {};
  if (file) {
    return {
      file,
      ...(flags.api === undefined ? {} : { api: flags.api }),
      ...(Object.keys(parameters).length === 0 ? {} : { parameters }),
      ...(flags.region === undefined ? {} : { region: flags.region }),
      ...(flags.account === undefined ? {} : { account: flags.account }),
      ...(flags.stage === undefined ? {} : { stage: flags.stage }),
    };
  }
  if (flags.api !== undefined || flags.account !== undefined || Object.keys(parameters).length > 0) {
    throw new UsageError('--api, --parameter and --account apply to a source file or folder.', {
      fix: 'pass the template, cdk.out or .serverless folder as SOURCE',
    });
  }
  if (flags.restApi) {
    if (!flags.stage) {
      throw new UsageError('--rest-api needs --stage.', { fix: 'pass --stage NAME, e.g. --stage prod' });
    }
    return { restApi: flags.restApi, stage: flags.stage, region: flags.region, profile: flags.profile };
  }
  if (flags.httpApi) {
    // The stage is optional: an HTTP API usually has one stage, or `$default`.
    return {
      httpApi: flags.httpApi,
      ...(flags.stage === undefined ? {} : { stage: flags.stage }),
      region: flags.region,
      profile: flags.profile,
    };
  }
  throw new UsageError('no source given.', {
    fix:
      'pass SOURCE or --export FILE (an API Gateway export, a CloudFormation/SAM template, a cdk.out or ' +
      '.serverless folder, a Terraform plan JSON), --rest-api ID_OR_NAME --stage NAME or --http-api ID_OR_NAME',
  });
}
