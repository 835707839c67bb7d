/** `apigw-authz generate`: writes the collection and environment. */

import path from 'node:path';
import { Option } from 'commander';
import { DEPTHS } from '../../config/types.js';
import { sourceFromFlags } from '../../api/source-flags.js';
import { ExitCode } from '../exit-codes.js';
import { formatGenerateSummary } from '../format.js';
import { commandLine, withSource } from '../options.js';
import type { GenerateFlags } from '../options.js';
import type { Command } from 'commander';
import type { CommandContext } from '../options.js';

export function registerGenerate(program: Command, { io, setExitCode, args }: CommandContext): void {
  withSource(program.command('generate'))
    .description('write the Postman collection and environment that prove every route’s authorization')
    .option('--out <dir>', 'output directory', 'generated')
    .addOption(new Option('--depth <depth>', 'how many negative cases').choices([...DEPTHS]))
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('--check', 'write nothing; exit 1 when the files in --out are stale')
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz generate api.oas30.yaml --config apigw-authz.config.yaml --out generated\n' +
        '  apigw-authz generate cdk.out --api MyApi --parameter Stage=prod --region eu-west-1\n' +
        '  serverless package && apigw-authz generate .serverless/\n',
    )
    .action(async (sourcePath: string | undefined, flags: GenerateFlags) => {
      // Each command loads only its own modules: Newman, the AWS SDK and the emulator are slow to import.
      const { generate } = await import('../../api/generate.js');
      const { staleFiles, writeFilesAtomically } = await import('../../api/output-files.js');
      const progress = flags.json ? undefined : (message: string) => io.stderr(`${message}\n`);
      const result = await generate({
        source: sourceFromFlags({ ...flags, source: sourcePath }),
        configFile: flags.config,
        outDir: flags.out,
        depth: flags.depth,
        cwd: io.cwd,
        onProgress: progress,
      });
      // Config mistakes the run survives (a stage variable nothing sets, a publicRoutes entry matching no route):
      // one warning each, with the config key and the fix; doctor reports the same as findings.
      const { checkConfigAgainstModel } = await import('../../config/check-config.js');
      const where = result.plan.config.file ? `${path.relative(io.cwd, result.plan.config.file)}: ` : '';
      const summary = {
        ...result.summary,
        warnings: [
          ...result.summary.warnings,
          ...checkConfigAgainstModel(result.plan.model, result.plan.config).map(
            (problem) => `${where}${problem.key}: ${problem.message} Fix: ${problem.fix}`,
          ),
        ],
      };
      if (flags.check) {
        const stale = await staleFiles(result.files);
        // The same command without --check (and --json) rewrites exactly the files that were compared.
        const regenerate = commandLine(args, ['--check', '--json']);
        if (flags.json) {
          const report = { ...summary, stale, ...(stale.length > 0 ? { regenerate } : {}) };
          io.stdout(`${JSON.stringify(report, null, 2)}\n`);
        }
        for (const file of stale) io.stderr(`stale: ${path.relative(io.cwd, file)}\n`);
        if (stale.length > 0) io.stderr(`to update, run: ${regenerate}\n`);
        if (!flags.json && stale.length === 0) io.stdout('generated files are up to date\n');
        setExitCode(stale.length > 0 ? ExitCode.failed : ExitCode.ok);
        return;
      }
      await writeFilesAtomically(result.files);
      io.stdout(
        flags.json ? `${JSON.stringify(summary, null, 2)}\n` : formatGenerateSummary(summary, io.cwd),
      );
    });
}
