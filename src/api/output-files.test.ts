import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeJson } from '../render/index.js';
import { generate } from './generate.js';
import { jsonChunks } from './json-chunks.js';
import { jsonFile, staleFiles, textFile, writeFilesAtomically } from './output-files.js';

const repo = path.resolve(import.meta.dirname, '../..');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-output-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A value deeper than the serializer splits, with every JSON edge it must write as JSON.stringify does. */
function awkwardValue(): unknown {
  const leaf = {
    text: 'line one\nline two "quoted" \u2028 é 🚀',
    number: -1.5e-7,
    flags: [true, false, null],
    empty: {},
    none: [],
    skipped: undefined,
    listWithHoles: [undefined, () => 1, 'kept'],
  };
  return {
    info: { name: 'awkward', skipped: undefined },
    item: [
      { name: 'folder', item: [{ name: 'request', deeper: { deeper: { leaf } } }, leaf], event: [] },
      [],
      {},
      'string at depth 2',
      0,
    ],
    variable: [],
  };
}

describe('jsonChunks', () => {
  it.each([
    ['an awkward nested value', awkwardValue()],
    ['an empty object', {}],
    ['an empty array', []],
    ['a string', 'plain'],
    ['null', null],
    [
      'long arrays at the depth whose elements are serialized whole',
      {
        item: [
          {
            item: Array.from({ length: 150 }, (_, i) =>
              i % 7 === 0 ? undefined : i % 11 === 0 ? (): number => i : { i, nested: { list: [i, 'x\ny'] } },
            ),
          },
          { item: [[[1, [2]]], 'one', { toJSON: () => ({ replaced: true }) }] },
        ],
      },
    ],
  ])('writes %s exactly as serializeJson does', (_name, value) => {
    expect([...jsonChunks(value)].join('')).toBe(serializeJson(value));
  });

  it('writes the example collection exactly as serializeJson does, in several pieces', async () => {
    const result = await generate({
      source: { file: path.join(repo, 'examples/petstore-authz.openapi.yaml') },
      configFile: path.join(repo, 'examples/apigw-authz.config.yaml'),
      outDir: work,
      cwd: repo,
    });
    const collection = result.files[0]!;
    const text = collection.content;
    expect(JSON.parse(text)).toMatchObject({ info: { schema: expect.any(String) as string } });
    expect(text).toBe(serializeJson(JSON.parse(text)));
    const many = { item: Array.from({ length: 40 }, () => JSON.parse(text) as unknown) };
    const pieces = [...jsonChunks(many)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(serializeJson(many));
  });
});

describe('writing and checking output files', () => {
  it('writes each file whole and --check finds it up to date', async () => {
    const value = awkwardValue();
    const files = [
      jsonFile(path.join(work, 'a', 'value.json'), value),
      textFile(path.join(work, 'a', 'b.txt'), 'b\n'),
    ];
    await writeFilesAtomically(files);
    expect(await readFile(files[0]!.path, 'utf8')).toBe(serializeJson(value));
    expect(await readFile(files[1]!.path, 'utf8')).toBe('b\n');
    expect(await readdir(path.join(work, 'a'))).toEqual(['b.txt', 'value.json']); // no temporary files left
    expect(await staleFiles(files)).toEqual([]);
  });

  it('finds a file stale when one byte differs, when it is shorter or longer, and when it is missing', async () => {
    const file = jsonFile(path.join(work, 'c', 'value.json'), awkwardValue());
    await writeFilesAtomically([file]);
    const text = file.content;
    for (const changed of [`${text.slice(0, -2)}X\n`, text.slice(0, -1), `${text} `]) {
      await writeFile(file.path, changed);
      expect(await staleFiles([file])).toEqual([file.path]);
    }
    const missing = textFile(path.join(work, 'c', 'missing.json'), '{}\n');
    expect(await staleFiles([missing])).toEqual([missing.path]);
  });
});
