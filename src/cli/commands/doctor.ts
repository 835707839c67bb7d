/** `apigw-authz doctor`: the troubleshooting guides as checks. */

import path from 'node:path';
import { sourceFromFlags } from '../../api/source-flags.js';
import { ExitCode } from '../exit-codes.js';
import { withSource } from '../options.js';
import type { SourceFlags } from '../options.js';
import type { Command } from 'commander';
import type { CommandContext } from '../options.js';

type DoctorFlags = SourceFlags & { json?: boolean; deployed?: string };

export function registerDoctor(program: Command, { io, setExitCode }: CommandContext): void {
  withSource(program.command('doctor'))
    .description('check the configuration against the AWS troubleshooting guides')
    .option('--json', 'print the findings as JSON')
    .option(
      '--deployed <stageExport>',
      'an export of the deployed stage: report every route whose authorization differs from SOURCE (not redeployed)',
    )
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz doctor --export api.oas30.yaml --config apigw-authz.config.yaml\n' +
        '  apigw-authz doctor template.yaml --deployed prod-export.oas30.json --stage prod\n',
    )
    .action(async (sourcePath: string | undefined, flags: DoctorFlags) => {
      const { loadSource } = await import('../../api/load-source.js');
      const {
        checkHandlerPolicies,
        diagnose,
        formatFindings,
        loadHandlerModules,
        readDeclarationsFromFile,
        readDiscoveryDocuments,
      } = await import('../../doctor/index.js');
      const source = sourceFromFlags({ ...flags, source: sourcePath });
      const progress = flags.json ? undefined : (message: string) => io.stderr(`${message}\n`);
      const loaded = await loadSource({
        source,
        configFile: flags.config,
        cwd: io.cwd,
        onProgress: progress,
        lenient: true,
      });
      if (!flags.json) for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
      const drift = [...loaded.drift];
      if (flags.deployed !== undefined) {
        const { compareDeployed } = await import('../../drift/index.js');
        drift.push(
          ...(await compareDeployed(loaded.model, path.resolve(io.cwd, flags.deployed), {
            stage: flags.stage,
          })),
        );
      }
      const handlerModules = await loadHandlerModules(loaded.config);
      const handlerChecks = await checkHandlerPolicies(loaded.model, loaded.config, { log: io.stderr });
      const file = 'file' in source ? source.file : 'exportFile' in source ? source.exportFile : undefined;
      const declarations = await readDeclarationsFromFile(
        file === undefined ? undefined : path.resolve(io.cwd, file),
      );
      const findings = diagnose(loaded.model, loaded.config, {
        drift,
        handlerChecks,
        handlerModules,
        discovery: await readDiscoveryDocuments(loaded.config),
        ...(declarations === undefined ? {} : { declarations }),
      });
      io.stdout(flags.json ? `${JSON.stringify({ findings }, null, 2)}\n` : formatFindings(findings));
      setExitCode(findings.some((finding) => finding.severity === 'error') ? ExitCode.failed : ExitCode.ok);
    });
}
