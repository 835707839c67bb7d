/**
 * Keeps the README true (issue 9 part 8): every ```console block is run, command by command, against the bundled
 * example in a scratch folder (a copy of examples/, and generated/ written there), and where the block shows output
 * the command's output must match it (`…` lines and `…` inside a line are wildcards; see doc-blocks.ts for the
 * markers). `serve` and commands ending in `&` run in the background until their block ends, stopped by PID. A
 * command that does not exist, fails, or prints something else fails the test.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot } from '../cli/cli-helpers.js';
import { M2M_CLIENT_SECRET, PASSWORD } from '../support/standins.js';
import { AWS_TEST_IDENTITY, TEST_API_KEY } from '../support/suite.js';
import {
  ELIDED,
  matchesAbridged,
  normalizeOutput,
  parseReadme,
  portsIn,
  remapPorts,
  type DocBlock,
  type DocCommand,
} from './doc-blocks.js';

// DOC_TEST_README=draft.md tries a README draft before it replaces README.md.
const README = readFileSync(path.resolve(repoRoot, process.env.DOC_TEST_README ?? 'README.md'), 'utf8');
const parsed = parseReadme(README);

/** What `VAR=…` stands for in the README: the test fixtures' values (never real secrets). */
const ELIDED_VALUES: Record<string, string> = {
  APIGW_AUTHZ_API_KEYS: TEST_API_KEY,
  APIGW_AUTHZ_APIKEY: TEST_API_KEY,
  APIGW_AUTHZ_COGNITOAUTH_PASSWORD: PASSWORD,
  APIGW_AUTHZ_COGNITOAUTH_ACCESSTOKENCLIENTSECRET: M2M_CLIENT_SECRET,
  AWS_ACCESS_KEY_ID: AWS_TEST_IDENTITY.accessKeyId,
  AWS_SECRET_ACCESS_KEY: AWS_TEST_IDENTITY.secretAccessKey,
  APIGW_AUTHZ_AWSACCESSKEYID: AWS_TEST_IDENTITY.accessKeyId,
  APIGW_AUTHZ_AWSSECRETACCESSKEY: AWS_TEST_IDENTITY.secretAccessKey,
};

const COMMAND_TIMEOUT_MS = 300_000;
const READY_TIMEOUT_MS = 60_000;

let work: string;
const ports = new Map<number, number>();

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'apigw-authz-readme-'));
  await cp(path.join(repoRoot, 'examples'), path.join(work, 'examples'), { recursive: true });
  for (const shared of ['node_modules', 'dist', 'test']) {
    await symlink(path.join(repoRoot, shared), path.join(work, shared));
  }
  const texts = [
    ...parsed.blocks.flatMap((block) => block.commands.flatMap((c) => [c.text, ...c.expected])),
    ...parsed.files.map((file) => file.content),
  ];
  for (const port of portsIn(texts.join('\n'))) ports.set(port, await freePort());
  for (const file of parsed.files) {
    const target = path.join(work, file.name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, remapPorts(file.content, ports));
  }
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('README doc test', () => {
  it('parses: every marker valid, every command runnable as written', () => {
    expect(parsed.errors).toEqual([]);
  });

  it('shows every command a user needs: generate, doctor, serve, run, explain, report merge, the stand-ins', () => {
    const shown = parsed.blocks.flatMap((block) => block.commands);
    const has = (test: (command: DocCommand) => boolean): boolean => shown.some(test);
    const cli =
      (...words: string[]) =>
      (c: DocCommand) =>
        c.program === 'apigw-authz' && words.every((word, i) => c.args[i] === word);
    const missing = Object.entries({
      generate: has(cli('generate')),
      doctor: has(cli('doctor')),
      serve: has(cli('serve')),
      run: has(cli('run')),
      explain: has(cli('explain')),
      'report merge': has(cli('report', 'merge')),
      'the stand-ins (npm run … / node scripts/standins.mjs)': has(
        (c) => c.args.some((arg) => /standins/.test(arg)) || (c.program === 'npm' && c.args[0] === 'start'),
      ),
    })
      .filter(([, present]) => !present)
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('the matching rules: … lines and … inside a line', () => {
    expect(matchesAbridged(['a', 'b', 'c'], ['a', '…', 'c'])).toBe(true);
    expect(matchesAbridged(['a', 'b', 'c'], ['a', 'c'])).toBe(false);
    expect(matchesAbridged(['a', 'x'], ['a', '…', 'c'])).toBe(false);
    expect(
      matchesAbridged(['GET /x [403 Forbidden, 571B, 8ms]'], ['GET /x [403 Forbidden, 12B, 900ms]']),
    ).toBe(true);
    expect(matchesAbridged(['took 3 s to read api.yaml'], ['took … to read …'])).toBe(true);
    expect(matchesAbridged(['took 3 s to read api.yaml'], ['took … to write …'])).toBe(false);
  });

  it('a skip without a reason, an unknown marker, an abridged or unknown command are errors', () => {
    const bad = parseReadme(
      [
        '<!-- doc-test: skip -->',
        '```console',
        '$ npx apigw-authz generate x',
        '```',
        '<!-- doc-test: sikp (typo) -->',
        '```console',
        '$ npx apigw-authz run x.json --env-var a=b …',
        '$ curl http://127.0.0.1:4010/prod/pets',
        '```',
      ].join('\n'),
    );
    expect(bad.errors).toHaveLength(4);
    expect(bad.errors.join('\n')).toMatch(
      /needs a reason[\s\S]*unknown doc-test marker[\s\S]*abridged[\s\S]*curl/,
    );
  });

  const runnable = parsed.blocks.filter((block) => block.commands.length > 0);
  for (const block of runnable) {
    const name = `README line ${block.line}: ${block.commands.map((c) => c.text.split(' ').slice(0, 4).join(' ')).join('; ')}`;
    if (block.skip !== undefined) {
      it.skip(`${name} (skipped: ${block.skip})`, () => undefined);
      continue;
    }
    it(name, async () => runBlock(block), COMMAND_TIMEOUT_MS * 2);
  }
});

async function runBlock(block: DocBlock): Promise<void> {
  const background: ChildProcess[] = [];
  try {
    for (const [index, command] of block.commands.entries()) {
      const last = index === block.commands.length - 1;
      const expectedCode = last && block.exitCode !== undefined ? block.exitCode : 0;
      const expected = command.expected.map((line) => remapPorts(line, ports));
      if (command.background) {
        const { child, stdout } = await startBackground(command);
        background.push(child);
        if (expected.length > 0) {
          expect(matchesAbridged(normalizeOutput(stdout), expected), shown(command, stdout)).toBe(true);
        }
        continue;
      }
      const result = await runForeground(command);
      expect(result.code, shown(command, `${result.stdout}${result.stderr}`)).toBe(expectedCode);
      if (expected.length === 0) continue;
      const orders = [`${result.stdout}\n${result.stderr}`, `${result.stderr}\n${result.stdout}`];
      expect(
        orders.some((text) => matchesAbridged(normalizeOutput(text), expected)),
        shown(command, orders[0] ?? ''),
      ).toBe(true);
    }
  } finally {
    await Promise.all(background.map(stopByPid));
  }
}

function shown(command: DocCommand, output: string): string {
  return `README line ${command.line}: \`${command.text}\` printed:\n${output}`;
}

function spawnCommand(command: DocCommand): ChildProcess {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  // Only what the README says: no credentials of the machine running the test leak into a command.
  for (const key of Object.keys(env)) {
    if (/^(AWS_|APIGW_AUTHZ_)/.test(key)) delete env[key];
  }
  for (const [key, value] of Object.entries(command.env)) {
    if (value === ELIDED && ELIDED_VALUES[key] === undefined) {
      throw new Error(
        `README line ${command.line}: no test value for ${key}=${ELIDED}; add it to ELIDED_VALUES.`,
      );
    }
    env[key] = value === ELIDED ? ELIDED_VALUES[key] : remapPorts(value, ports);
  }
  // `--port 4010` is two words: remap the number after a port flag as well as host:port inside a word.
  const args = command.args.map((arg, i) =>
    /^--[\w-]*port$/.test(command.args[i - 1] ?? '') && /^\d+$/.test(arg)
      ? String(ports.get(Number(arg)) ?? arg)
      : remapPorts(arg, ports),
  );
  const [file, argv, cwd] =
    command.program === 'apigw-authz'
      ? [process.execPath, [binPath, ...args], work]
      : command.program === 'node'
        ? // the repository's script itself (a script run through a symlink does not see itself as the main module)
          [process.execPath, [path.join(repoRoot, args[0] ?? ''), ...args.slice(1)], work]
        : ['npm', args, repoRoot];
  return spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function runForeground(command: DocCommand): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCommand(command);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `README line ${command.line}: \`${command.text}\` did not finish in ${COMMAND_TIMEOUT_MS} ms`,
        ),
      );
    }, COMMAND_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Starts a background command; ready when serve prints its URL, or any other command its first stdout line. */
function startBackground(command: DocCommand): Promise<{ child: ChildProcess; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCommand(command);
    const serve = command.program === 'apigw-authz' && command.args[0] === 'serve';
    let stdout = '';
    let stderr = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stopByPid(child);
      reject(new Error(`README line ${command.line}: \`${command.text}\` ${why}:\n${stdout}${stderr}`));
    };
    const timer = setTimeout(() => fail(`was not ready in ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (serve ? /^listening on /m.test(stdout) : stdout.includes('\n')) {
        clearTimeout(timer);
        resolve({ child, stdout });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code) => fail(`exited with ${code} before it was ready`));
  });
}

/** SIGTERM by PID, SIGKILL after 5 s; resolves when the process has exited. */
function stopByPid(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    process.kill(child.pid as number, 'SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
