/**
 * The CI examples in templates/ci/ are copied into pipelines as they are: every apigw-authz command they show must
 * exist with every flag it uses, and each file must be valid YAML.
 */

import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CI_DIR = join(import.meta.dirname, '../../templates/ci');
const BIN = join(import.meta.dirname, '../../dist/cli/bin.js');
/** Sub-commands that take a sub-command of their own. */
const GROUPS = new Set(['report']);

/** Every string value in a parsed YAML document. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** `npx apigw-authz ...` commands: the words up to the end of the command (`||`, `&&`, `;`, a newline). */
function apigwAuthzCommands(text: string): string[][] {
  const commands: string[][] = [];
  for (const match of text.matchAll(/npx apigw-authz ([^|;&\n]*(?:\n(?!\s*-)[^|;&\n]*)*)/g)) {
    commands.push(match[1]!.split(/\s+/).filter((word) => word !== ''));
  }
  return commands;
}

async function helpOf(words: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...words, '--help'], { env: { NO_COLOR: '1' } });
  return stdout;
}

describe('CI templates', async () => {
  const files = (await readdir(CI_DIR)).filter((name) => /\.ya?ml$/.test(name)).sort();

  it('has a GitHub Actions and a GitLab example', () => {
    expect(files).toEqual(expect.arrayContaining(['github-actions.yml', 'gitlab-ci.yml']));
  });

  for (const file of files) {
    it(`${file}: every apigw-authz command and flag exists`, async () => {
      const document = yaml.load(await readFile(join(CI_DIR, file), 'utf8'));
      const commands = strings(document).flatMap(apigwAuthzCommands);
      expect(commands.length).toBeGreaterThan(0);
      for (const words of commands) {
        const command = GROUPS.has(words[0]!) ? words.slice(0, 2) : words.slice(0, 1);
        const help = await helpOf(command);
        for (const flag of words.filter((word) => word.startsWith('--'))) {
          const name = flag.split('=')[0]!;
          expect(help, `${file}: apigw-authz ${command.join(' ')} ${name}`).toContain(`${name} `);
        }
      }
    });
  }

  it('shards the suite and merges the shards in both systems', async () => {
    for (const file of ['github-actions.yml', 'gitlab-ci.yml']) {
      const text = await readFile(join(CI_DIR, file), 'utf8');
      expect(text, file).toMatch(/--shard /);
      expect(text, file).toMatch(/apigw-authz report merge /);
    }
  });
});
