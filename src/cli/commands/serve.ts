/** `apigw-authz serve`: the model as a local API Gateway front door. */

import { sourceFromFlags } from '../../api/source-flags.js';
import { parsePort, withSource } from '../options.js';
import type { SourceFlags } from '../options.js';
import { Option, type Command } from 'commander';
import type { CommandContext } from '../options.js';

export function registerServe(program: Command, { io }: CommandContext): void {
  withSource(program.command('serve'))
    .description(
      'serve the API as a local API Gateway front door (REST and HTTP APIs: Lambda, Cognito, JWT, SigV4)',
    )
    .option('--port <n>', 'port (0: any free port)', parsePort, 4010)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .addOption(
      new Option('--log <format>', 'one line per request on stderr: text or JSON lines')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      [
        '',
        'JWT authorizers verify against the issuer named by the API, or the local issuer that config serve.issuers',
        'maps it to (printed at start as "note:" lines).',
        'Every answer carries x-apigw-authz-request-id, and on protected routes x-apigw-authz-authorizer-invoked,',
        'x-apigw-authz-cause and x-apigw-authz-reason. GET /__apigw-authz/explain?last=1 (or ?id=<request id>, or',
        "?method=GET&path=/pets&header=Authorization:%20...) explains a request as 'apigw-authz explain' does.",
        '',
        'Example:',
        '  apigw-authz serve --export api.oas30.yaml --config apigw-authz.config.yaml --port 4010 --log json',
        '',
      ].join('\n'),
    )
    .action(
      async (
        sourcePath: string | undefined,
        flags: SourceFlags & { port: number; host: string; log: 'text' | 'json' },
      ) => {
        const { loadSource } = await import('../../api/load-source.js');
        const { startGateway } = await import('../../emulator/index.js');
        const { explainRequest } = await import('../../explain/index.js');
        const loaded = await loadSource({
          source: sourceFromFlags({ ...flags, source: sourcePath }),
          configFile: flags.config,
          cwd: io.cwd,
          onProgress: (message) => io.stderr(`${message}\n`),
        });
        const gateway = await startGateway({
          model: loaded.model,
          config: loaded.config,
          host: flags.host,
          port: flags.port,
          env: io.env,
          log: io.stderr,
          logFormat: flags.log,
          explain: (input) => explainRequest({ ...input, log: io.stderr }),
        });
        for (const warning of [...loaded.warnings, ...gateway.warnings]) io.stderr(`warning: ${warning}\n`);
        for (const note of gateway.notes) io.stderr(`note: ${note}\n`);
        io.stdout(`listening on ${gateway.url}\n`);
        await io.waitForStop();
        await gateway.stop();
      },
    );
}
