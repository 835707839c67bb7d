/**
 * The bundled HTTP API example as a SAM template (examples/orders-http.sam.yaml): it reads to the example's model
 * (test/support/models.ts `httpExampleModel`) but for what exists only after deploy, and gives the export's
 * collection byte for byte.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generate, type GenerateResult } from '../../../src/api/generate.js';
import { readSource } from '../../../src/sources/detect.js';
import { repoRoot } from '../../cli/cli-helpers.js';
import { httpExampleModel } from '../../support/models.js';

const exampleSam = path.join(repoRoot, 'examples/orders-http.sam.yaml');
const exampleExport = path.join(repoRoot, 'examples/orders-http.openapi.json');
const exampleConfig = path.join(repoRoot, 'examples/orders-http.config.yaml');

describe('examples/orders-http.sam.yaml', () => {
  it('reads to httpExampleModel() except the API id and the stage URL, which exist only after deploy', async () => {
    const { kind, model, warnings } = await readSource(exampleSam, { region: 'us-east-1' });
    expect(kind).toBe('sam');
    const expected = httpExampleModel();
    const { id: _id, ...api } = expected.api;
    expect(model).toEqual({
      ...expected,
      api,
      stage: { ...expected.stage, baseUrl: 'https://${OrdersHttpApi}.execute-api.us-east-1.amazonaws.com' },
    });
    expect(warnings).toContainEqual(expect.stringContaining("the API's URL is known only after deploy"));
  });

  describe('against the export', () => {
    let fromExport: GenerateResult;
    let fromSam: GenerateResult;
    let work: string;
    beforeAll(async () => {
      // The stage URL is known only after deploy: the config gives it, as a user does after `sam deploy`.
      work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-sam-http-'));
      const configFile = path.join(work, 'orders-http.config.yaml');
      const text = await readFile(exampleConfig, 'utf8');
      const handlers = path.join(repoRoot, 'examples/authorizers/');
      await writeFile(
        configFile,
        `${text.replaceAll('./authorizers/', handlers)}\nbaseUrl: ${httpExampleModel().stage.baseUrl}\n`,
      );
      const options = { configFile, outDir: 'out', cwd: repoRoot };
      fromExport = await generate({ ...options, source: { file: exampleExport } });
      fromSam = await generate({ ...options, source: { file: exampleSam, region: 'us-east-1' } });
    });

    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('gives a byte-identical collection and environment, file names included', () => {
      expect(fromSam.files.map((f) => path.basename(f.path))).toEqual(
        fromExport.files.map((f) => path.basename(f.path)),
      );
      expect(fromSam.files.length).toBeGreaterThan(0);
      for (const [i, file] of fromSam.files.entries())
        expect(file.content).toBe(fromExport.files[i]?.content);
    });
  });
});
