import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { syntheticConfig, syntheticExport } from '../../scripts/synthetic-export.mjs';
// @ts-expect-error plain ESM script without types
import { GENERATE_TARGET } from '../../scripts/bench-limits.mjs';
import { repoRoot } from './cli-helpers.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-large-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Peak RSS of a whole `generate` process, reported by the process itself at exit (scripts/bench-child.mjs). */
function peakMegabytesOfGenerate(
  args: string[],
): Promise<{ code: number; megabytes: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/bench-child.mjs', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let report = '';
    let stderr = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => (report += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const parsed = JSON.parse(report.trim() || '{"maxRssKb":0}') as { maxRssKb: number };
      resolve({ code: code ?? -1, megabytes: parsed.maxRssKb / 1024, stderr });
    });
  });
}

describe('a large export', () => {
  it(`a valid 50 MB export generates within the benchmark's memory bound (${GENERATE_TARGET.peakMegabytes} MB)`, async () => {
    const exportFile = path.join(work, 'large.json');
    const configFile = path.join(work, 'config.json');
    // 5,000 routes carrying ~10 KB of integration detail each: about 50 MB, like a big real export.
    await writeFile(exportFile, JSON.stringify(syntheticExport(5000, { padBytes: 10_400 })));
    await writeFile(configFile, JSON.stringify(syntheticConfig));
    const size = (await stat(exportFile)).size;
    expect(size).toBeGreaterThan(50 * 1024 * 1024);

    const result = await peakMegabytesOfGenerate([
      'generate',
      '--export',
      exportFile,
      '--config',
      configFile,
      '--out',
      path.join(work, 'out'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.megabytes).toBeGreaterThan(0);
    expect(result.megabytes).toBeLessThan(GENERATE_TARGET.peakMegabytes);
  });
});
