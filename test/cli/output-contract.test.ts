/**
 * The CLI output contract (issue 9 part 7) for every command but run's own items: help without internal defaults,
 * `--check` naming the command to regenerate, internal errors with where to report them and never a bare stack
 * overflow, a closed pipe ends quietly, no ANSI with NO_COLOR, and no AWS SDK Node-version notice.
 */

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { syntheticConfig, syntheticExport } from '../../scripts/synthetic-export.mjs';
import { describeFailure, ExitCode } from '../../src/cli/exit-codes.js';
import { commandLine } from '../../src/cli/options.js';
import {
  binPath,
  exampleConfig,
  exampleExport,
  generateExampleArgs,
  repoRoot,
  runCli,
} from './cli-helpers.js';

const COMMANDS = ['generate', 'run', 'serve', 'doctor', 'probe'];
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-contract-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('--help', () => {
  it.each(COMMANDS)('%s --help shows no internal defaults such as {} and []', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: apigw-authz ${command}`);
    expect(result.stdout).not.toMatch(/default: (\{\}|\[\])/);
    expect(result.stdout).not.toMatch(/default: \[/);
  });

  it('a real default stays visible, and a list default reads as typed', async () => {
    expect((await runCli(['generate', '--help'])).stdout).toMatch(
      /--out <dir>\s+output directory \(default: "generated"\)/,
    );
    const run = await runCli(['run', '--help']);
    if (run.stdout.includes('--reporters')) expect(run.stdout).not.toContain('["cli"]');
  });
});

describe('generate --check', () => {
  it('names the full command that regenerates, with the flags that were used', async () => {
    const out = path.join(work, 'check out');
    const args = generateExampleArgs(out, '--depth', 'smoke', '--check');
    const stale = await runCli(args);
    expect(stale.code).toBe(ExitCode.failed);
    const expected = commandLine(generateExampleArgs(out, '--depth', 'smoke'));
    expect(expected).toContain(`'${out}'`); // quoted: the folder has a space
    expect(stale.stderr).toContain(`to update, run: ${expected}\n`);
    // Running exactly that command makes --check pass.
    const regenerated = await runCli(generateExampleArgs(out, '--depth', 'smoke'));
    expect(regenerated.code).toBe(0);
    expect(await runCli(args)).toMatchObject({ code: 0, stdout: 'generated files are up to date\n' });
  });

  it('--json carries the same command', async () => {
    const out = path.join(work, 'json-check');
    const result = await runCli(generateExampleArgs(out, '--check', '--json'));
    expect(result.code).toBe(ExitCode.failed);
    expect(JSON.parse(result.stdout).regenerate).toBe(commandLine(generateExampleArgs(out)));
  });
});

describe('internal errors', () => {
  it('one line, exit 70, with the bugs URL of package.json', async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
      bugs: { url: string };
    };
    expect(manifest.bugs.url).toBe('https://github.com/apigw-authz/apigw-authz/issues');
    const failure = describeFailure(new TypeError('x is undefined\n    at somewhere'));
    expect(failure.exitCode).toBe(ExitCode.internal);
    expect(failure.line.split('\n')).toHaveLength(1);
    expect(failure.line).toContain('internal error: TypeError: x is undefined');
    expect(failure.line).toContain(`please report it at ${manifest.bugs.url}`);
    const overflow = describeFailure(new RangeError('Maximum call stack size exceeded'));
    expect(overflow.line).toContain('RangeError: Maximum call stack size exceeded (a recursion');
    expect(overflow.line).toContain(manifest.bugs.url);
  });

  it('a large --depth full generate spreads no unbounded array into a call (no stack overflow)', async () => {
    // 4,000 routes at --depth full give one authorizer ~11,500 cases. Under a small stack (80 KB) a
    // `push(...cases)` of that size overflows, as a 40,000-route API does under the default stack.
    const calibrate = spawnNode(['--stack-size=80', '-e', '[].push(...new Array(11500).fill(0))']);
    expect((await calibrate).code).not.toBe(0);
    const exportFile = path.join(work, 'large.json');
    const configFile = path.join(work, 'large-config.json');
    await writeFile(exportFile, JSON.stringify(syntheticExport(4000)));
    await writeFile(configFile, JSON.stringify(syntheticConfig));
    const result = await spawnNode([
      '--stack-size=80',
      binPath,
      'generate',
      exportFile,
      '--config',
      configFile,
      '--out',
      path.join(work, 'large-out'),
      '--depth',
      'full',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).cases.total).toBeGreaterThan(20_000);
  }, 120_000);
});

describe('a closed pipe', () => {
  it.each([
    ['generate --json', () => [...generateExampleArgs(path.join(work, 'pipe')), '--json']],
    ['doctor', () => ['doctor', exampleExport, '--config', exampleConfig]],
    ['doctor --json', () => ['doctor', exampleExport, '--config', exampleConfig, '--json']],
    ['--help', () => ['generate', '--help']],
  ])('%s into a closed pipe exits quietly', async (_name, args) => {
    const result = await spawnNode([binPath, ...args()], { closeStdout: true });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('NO_COLOR and no TTY', () => {
  it.each([
    ['generate', () => generateExampleArgs(path.join(work, 'color'))],
    ['doctor', () => ['doctor', exampleExport, '--config', exampleConfig]],
    ['generate --help', () => ['generate', '--help']],
    ['a usage error', () => ['generate', '--depth', 'deep']],
  ])('%s prints no ANSI code, even with FORCE_COLOR', async (_name, args) => {
    const result = await runCli(args(), { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(`${result.stdout}${result.stderr}`).not.toMatch(ANSI);
  });
});

describe('the AWS SDK Node-version notice', () => {
  it('a live command does not print it', async () => {
    const result = await runCli(
      ['generate', '--rest-api', 'petstore', '--stage', 'prod', '--region', 'us-east-1'],
      {
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_PROFILE: undefined,
          AWS_CONFIG_FILE: path.join(work, 'none'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'),
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
        },
      },
    );
    expect(result.code).toBe(ExitCode.environment);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

function spawnNode(
  args: string[],
  options: { closeStdout?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the command writes: every write meets EPIPE.
    if (options.closeStdout) child.stdout.destroy();
    let stdout = '';
    let stderr = '';
    if (!options.closeStdout) child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
