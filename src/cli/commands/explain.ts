/** `apigw-authz explain`: one request's verdict, its one root cause and the fix. */

import { InvalidArgumentError } from 'commander';
import { sourceFromFlags } from '../../api/source-flags.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import { collectList, collectPair, withSource } from '../options.js';
import type { SourceFlags } from '../options.js';
import type { Command } from 'commander';
import type { CommandContext } from '../options.js';

type ExplainFlags = SourceFlags & {
  header: string[];
  query: Record<string, string>;
  tokenVar?: string;
  json?: boolean;
  at?: number;
};

function parseHeader(value: string, previous: string[]): string[] {
  if (value.indexOf(':') <= 0)
    throw new InvalidArgumentError(`expected 'Name: value', got a value without a colon.`);
  return collectList(value, previous);
}

function parseInstant(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`expected an ISO time such as 2024-05-01T10:00:00Z.`);
  return ms;
}

export function registerExplain(program: Command, { io, setExitCode }: CommandContext): void {
  withSource(program.command('explain'))
    .description('explain one request: the verdict serve would give, the one root cause and the fix')
    .argument('[request]', "'METHOD /path' or a URL of the stage")
    .option('--header <header>', "a request header 'Name: value' (repeatable)", parseHeader, [])
    .option('--query <key=value>', 'a query-string parameter (repeatable)', collectPair, {})
    .option(
      '--token-var <name>',
      "send the token in this environment variable in the route's token-source header",
    )
    .option('--at <iso-time>', 'check expiry and signatures at this time instead of now', parseInstant)
    .option('--json', 'print the explanation as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 the request is authorized, 1 it is refused, 2 bad usage or input.',
        '',
        'Examples:',
        "  apigw-authz explain api.oas30.yaml 'GET /pets' --config apigw-authz.config.yaml --token-var ID_TOKEN",
        "  apigw-authz explain template.yaml https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders --header 'X-Auth-Token: allow-alice'",
        '',
      ].join('\n'),
    )
    .action(async (first: string | undefined, second: string | undefined, flags: ExplainFlags) => {
      // `explain SOURCE REQUEST`, or `explain --export SOURCE REQUEST` (then the request comes first).
      const [sourcePath, requestText] =
        second === undefined &&
        (flags.export !== undefined || flags.restApi !== undefined || flags.httpApi !== undefined)
          ? [undefined, first]
          : [first, second];
      if (requestText === undefined) {
        throw new UsageError('missing the request to explain.', {
          fix: "add 'METHOD /path' or a URL after the source, e.g. apigw-authz explain api.yaml 'GET /pets'",
        });
      }
      let token: string | undefined;
      if (flags.tokenVar !== undefined) {
        token = io.env[flags.tokenVar];
        if (token === undefined || token === '') {
          throw new UsageError(
            `the environment variable ${flags.tokenVar} (--token-var) is not set or empty.`,
            {
              fix: `export ${flags.tokenVar}=<token> before running explain`,
            },
          );
        }
      }
      const { loadSource } = await import('../../api/load-source.js');
      const { explainRequest, formatExplanation, parseRequestLine } = await import('../../explain/index.js');
      const loaded = await loadSource({
        source: sourceFromFlags({ ...flags, source: sourcePath }),
        configFile: flags.config,
        cwd: io.cwd,
        onProgress: flags.json ? undefined : (message) => io.stderr(`${message}\n`),
        lenient: true,
      });
      if (!flags.json) for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
      const { method, path } = parseRequestLine(requestText, loaded.model.stage.name);
      const headers: Record<string, string> = {};
      for (const header of flags.header) {
        const colon = header.indexOf(':');
        headers[header.slice(0, colon).trim()] = header.slice(colon + 1).replace(/^ /, '');
      }
      const explanation = await explainRequest({
        model: loaded.model,
        config: loaded.config,
        request: { method, path, headers, query: flags.query },
        env: io.env,
        ...(flags.at === undefined ? {} : { now: flags.at }),
        ...(token === undefined ? {} : { token }),
        log: io.stderr,
      });
      io.stdout(flags.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation));
      setExitCode(explanation.verdict.allowed ? ExitCode.ok : ExitCode.failed);
    });
}
