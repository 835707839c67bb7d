/** `apigw-authz probe`: Lambda authorizer cases through TestInvokeAuthorizer. */

import { sourceFromFlags } from '../../api/source-flags.js';
import { ExitCode } from '../exit-codes.js';
import type { SourceFlags } from '../options.js';
import type { Command } from 'commander';
import type { CommandContext } from '../options.js';

export function registerProbe(program: Command, { io, setExitCode }: CommandContext): void {
  program
    .command('probe')
    .description('run the Lambda authorizer cases through TestInvokeAuthorizer, without deploying')
    .requiredOption('--rest-api <idOrName>', 'the live REST API')
    .requiredOption('--stage <name>', 'its stage')
    .option('--region <region>', 'AWS region')
    .option('--profile <name>', 'AWS shared config profile')
    .option('--config <file>', 'apigw-authz config file (valid tokens and identity values)')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz probe --rest-api petstore --stage prod --config apigw-authz.config.yaml\n',
    )
    .action(async (flags: SourceFlags & { restApi: string; stage: string; json?: boolean }) => {
      const { loadSource } = await import('../../api/load-source.js');
      const { createApiGatewayClient } = await import('../../sources/aws-rest/reader.js');
      const { probeAuthorizers, formatProbeResults } = await import('../../probe/index.js');
      const loaded = await loadSource({
        source: sourceFromFlags(flags),
        configFile: flags.config,
        cwd: io.cwd,
        onProgress: flags.json ? undefined : (message) => io.stderr(`${message}\n`),
      });
      const client = createApiGatewayClient({ region: flags.region, profile: flags.profile });
      const results = await probeAuthorizers({
        client,
        restApiId: loaded.model.api.id ?? flags.restApi,
        model: loaded.model,
        config: loaded.config,
      });
      io.stdout(flags.json ? `${JSON.stringify({ results }, null, 2)}\n` : formatProbeResults(results));
      setExitCode(results.some((result) => !result.ok) ? ExitCode.failed : ExitCode.ok);
    });
}
