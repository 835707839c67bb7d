/** `apigw-authz doctor`: the troubleshooting guides as checks. */

import { sourceFromFlags } from '../../api/source-flags.js';
import { ExitCode } from '../exit-codes.js';
import { withSource } from '../options.js';
import type { SourceFlags } from '../options.js';
import type { Command } from 'commander';
import type { CommandContext } from '../options.js';

export function registerDoctor(program: Command, { io, setExitCode }: CommandContext): void {
  withSource(program.command('doctor'))
    .description('check the configuration against the AWS troubleshooting guides')
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz doctor --export api.oas30.yaml --config apigw-authz.config.yaml\n',
    )
    .action(async (sourcePath: string | undefined, flags: SourceFlags & { json?: boolean }) => {
      const { loadSource } = await import('../../api/load-source.js');
      const { checkHandlerPolicies, diagnose, formatFindings } = await import('../../doctor/index.js');
      const loaded = await loadSource({
        source: sourceFromFlags({ ...flags, source: sourcePath }),
        configFile: flags.config,
        cwd: io.cwd,
        onProgress: flags.json ? undefined : (message) => io.stderr(`${message}\n`),
        lenient: true,
      });
      if (!flags.json) for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
      const handlerChecks = await checkHandlerPolicies(loaded.model, loaded.config, { log: io.stderr });
      const findings = diagnose(loaded.model, loaded.config, { drift: loaded.drift, handlerChecks });
      io.stdout(flags.json ? `${JSON.stringify({ findings }, null, 2)}\n` : formatFindings(findings));
      setExitCode(findings.some((finding) => finding.severity === 'error') ? ExitCode.failed : ExitCode.ok);
    });
}
