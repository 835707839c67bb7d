/** What the command modules share: the CLI's I/O, option parsers and the source flags. */

import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { Depth } from '../config/types.js';
import type { CliIo } from './main.js';

export interface CommandContext {
  io: CliIo;
  setExitCode: (code: number) => void;
}

export interface SourceFlags {
  export?: string;
  api?: string;
  parameter?: Record<string, string>;
  account?: string;
  restApi?: string;
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
    .option('--parameter <key=value>', 'template parameter override (repeatable)', collectPair, {})
    .option('--rest-api <idOrName>', 'read the live REST API from AWS instead (read-only calls)')
    .option('--stage <name>', 'stage of the live API (with --rest-api), or of a template API with several')
    .option('--region <region>', 'AWS region; for a template, the AWS::Region pseudo parameter')
    .option('--account <id>', 'for a template, the AWS::AccountId pseudo parameter')
    .option('--profile <name>', 'AWS shared config profile')
    .option('--config <file>', 'apigw-authz config file (YAML or JSON)');
}

export function collectPair(value: string, previous: Record<string, string>): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, got "${value}".`);
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

export function collectList(value: string, previous: string[]): string[] {
  return [...previous, value];
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
