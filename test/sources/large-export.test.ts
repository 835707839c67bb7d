import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidJsonError } from '../../src/errors.js';
import { loadExportFile, parseExportText } from '../../src/sources/openapi/export-file.js';
// @ts-expect-error plain ESM script without types
import { syntheticExport } from '../../scripts/synthetic-export.mjs';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-large-source-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

// Above 4 MiB a JSON export is streamed through the pruner; the model must not change, and errors must still
// point into the original text.
describe('a large JSON export', () => {
  const text = JSON.stringify(syntheticExport(400, { padBytes: 12_000 }), null, 2);

  it('gives the same model as parsing the whole text', async () => {
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    const file = path.join(work, 'large.json');
    await writeFile(file, text);
    expect(await loadExportFile(file)).toEqual(parseExportText(text, file));
  });

  it('truncated: InvalidJsonError at the line where the original text breaks', async () => {
    const truncated = text.slice(0, text.length - 5_000);
    const file = path.join(work, 'truncated.json');
    await writeFile(file, truncated);
    const error = await loadExportFile(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InvalidJsonError);
    const lines = truncated.split('\n').length;
    expect((error as InvalidJsonError).location).toMatch(
      new RegExp(`^line (${lines}|${lines - 1}|${lines + 1}),`),
    );
  });
});
