/**
 * Keeps the README's tour true: every `console` block command of `generate` and `doctor` is run against the bundled
 * example, and its output must match the block line for line. A line `…` in the block stands for any number of
 * lines (the README abridges); blank lines are ignored, and the files `generate` wrote are compared by name only.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../cli/cli-helpers.js';

interface TourCommand {
  args: string[];
  expected: string[];
}

/** The `$ npx apigw-authz generate|doctor …` commands of the README's console blocks, with their shown output. */
function tourCommands(readme: string): TourCommand[] {
  const commands: TourCommand[] = [];
  for (const block of readme.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = (block[1] ?? '').split('\n');
    let current: TourCommand | undefined;
    for (let index = 0; index < lines.length; index++) {
      let line = lines[index] ?? '';
      if (line.startsWith('$ ')) {
        while (line.endsWith('\\')) line = `${line.slice(0, -1)} ${(lines[++index] ?? '').trim()}`;
        const words = line.slice(2).trim().split(/\s+/);
        current =
          words[0] === 'npx' && words[1] === 'apigw-authz' && ['generate', 'doctor'].includes(words[2] ?? '')
            ? { args: words.slice(2), expected: [] }
            : undefined;
        if (current) commands.push(current);
      } else if (current && line !== '') {
        current.expected.push(line);
      }
    }
  }
  return commands;
}

/** Whether `actual` matches `expected`, where an expected `…` line matches any run of lines. */
function matchesAbridged(actual: string[], expected: string[]): boolean {
  const [head, ...rest] = expected;
  if (head === undefined) return actual.length === 0;
  if (head === '…') {
    for (let skip = 0; skip <= actual.length; skip++) {
      if (matchesAbridged(actual.slice(skip), rest)) return true;
    }
    return false;
  }
  return actual[0] === head && matchesAbridged(actual.slice(1), rest);
}

describe('README tour', () => {
  let out: string;
  let readme: string;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'apigw-authz-readme-'));
    readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  });
  afterAll(async () => rm(out, { recursive: true, force: true }));

  it('shows generate and doctor commands', () => {
    const commands = tourCommands(readme).map((command) => command.args[0]);
    expect(commands).toContain('generate');
    expect(commands).toContain('doctor');
  });

  it('matches the abridged-line rule used below', () => {
    expect(matchesAbridged(['a', 'b', 'c'], ['a', '…', 'c'])).toBe(true);
    expect(matchesAbridged(['a', 'b', 'c'], ['a', 'c'])).toBe(false);
    expect(matchesAbridged(['a', 'x'], ['a', '…', 'c'])).toBe(false);
  });

  it('every generate and doctor block shows what the command prints', async () => {
    for (const command of tourCommands(readme)) {
      // Write into a temporary folder, never over the committed generated/.
      const args = command.args[0] === 'generate' ? [...command.args, '--out', out] : command.args;
      const result = await runCli(args, { cwd: repoRoot });
      const actual = `${result.stdout}${result.stderr}`
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.replace(/^wrote .*[/\\]([^/\\]+)$/, 'wrote generated/$1'));
      expect(
        matchesAbridged(actual, command.expected),
        `README block for \`${command.args.join(' ')}\` differs from its output:\n${actual.join('\n')}`,
      ).toBe(true);
    }
  });
});
