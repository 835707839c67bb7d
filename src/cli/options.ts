/** What the command modules share: the CLI's I/O, option parsers and the source flags. */

import { Help, InvalidArgumentError } from 'commander';
import type { Command, HelpConfiguration, Option } from 'commander';
import type { Depth } from '../config/types.js';
import type { CliIo } from './main.js';

export interface CommandContext {
  io: CliIo;
  setExitCode: (code: number) => void;
  /** The user's arguments (argv without node and the script), for messages that repeat the command. */
  args: readonly string[];
}

/**
 * Help as a user reads it: repeatable options start from an empty `{}` or `[]` that commander would print as
 * `(default: {})`; those are no defaults a user can see, so they are left out, and a list default is shown as the
 * user writes it (`cli`, not `["cli"]`). Applied once to the program; every subcommand inherits it.
 */
export const HELP_SETTINGS: HelpConfiguration = {
  optionDescription(this: Help, option: Option): string {
    const value: unknown = option.defaultValue;
    const describe = (): string => Help.prototype.optionDescription.call(this, option);
    if (isEmptyCollection(value)) return withDefault(option, undefined, undefined, describe);
    if (Array.isArray(value) && option.defaultValueDescription === undefined) {
      return withDefault(option, value, value.map(String).join(','), describe);
    }
    return describe();
  },
};

function isEmptyCollection(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** Runs `describe` with the option's default (and its description) temporarily replaced. */
function withDefault(
  option: Option,
  value: unknown,
  description: string | undefined,
  describe: () => string,
): string {
  const saved = { value: option.defaultValue as unknown, description: option.defaultValueDescription };
  option.defaultValue = value;
  option.defaultValueDescription = description;
  try {
    return describe();
  } finally {
    option.defaultValue = saved.value;
    option.defaultValueDescription = saved.description;
  }
}

/**
 * The command line that repeats `args` without some flags (e.g. `--check`), quoted for a POSIX shell, so a
 * message can say exactly what to run: `apigw-authz generate api.yaml --config 'my config.yaml'`.
 */
export function commandLine(args: readonly string[], without: readonly string[] = []): string {
  const kept = args.filter((arg) => !without.includes(arg));
  return ['apigw-authz', ...kept].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  if (word !== '' && /^[\w@%+=:,./{}-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface SourceFlags {
  export?: string;
  api?: string;
  parameter?: Record<string, string>;
  account?: string;
  restApi?: string;
  httpApi?: string;
  stage?: string;
  region?: string;
  profile?: string;
  config?: string;
}

export type GenerateFlags = SourceFlags & { out: string; depth?: Depth; json?: boolean; check?: boolean };

/** The source arguments and flags every model-reading command shares. */
export function withSource(command: Command): Command {
  return command
    .argument(
      '[source]',
      'API Gateway export, CloudFormation/SAM template, cdk.out or .serverless folder, or Terraform plan JSON',
    )
    .option('--export <file>', 'the source, as a flag (any kind; kept for older scripts)')
    .option('--api <nameOrLogicalId>', 'which API, when the source defines several')
    .option('--parameter <key=value>', 'template parameter override (repeatable)', collectPair)
    .option('--rest-api <idOrName>', 'read the live REST API from AWS instead (read-only calls)')
    .option(
      '--http-api <idOrName>',
      'read the live HTTP API (API Gateway v2) from AWS instead (read-only calls)',
    )
    .option(
      '--stage <name>',
      'stage of the live API (--rest-api; --http-api: default its only or $default stage), or of a template API with several',
    )
    .option('--region <region>', 'AWS region; for a template, the AWS::Region pseudo parameter')
    .option('--account <id>', 'for a template, the AWS::AccountId pseudo parameter')
    .option('--profile <name>', 'AWS shared config profile')
    .option('--config <file>', 'apigw-authz config file (YAML or JSON)');
}

export function collectPair(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, got "${value}".`);
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseReporters(value: string): ('cli' | 'junit' | 'json')[] {
  const known = ['cli', 'junit', 'json'] as const;
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(known as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown reporter "${name}". Expected some of: ${known.join(', ')}.`);
    }
  }
  return names as ('cli' | 'junit' | 'json')[];
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new InvalidArgumentError('expected a positive integer.');
  return number;
}

export function parsePort(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    throw new InvalidArgumentError('expected a port from 0 to 65535.');
  }
  return number;
}
