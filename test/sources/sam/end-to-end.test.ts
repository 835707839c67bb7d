/**
 * SAM templates through the whole source: the bundled example's SAM template gives the export's collection byte
 * for byte (issue 8 point 7), and `generate`, `serve` and `doctor` run from SAM templates (the CLI, as a user runs
 * it; tests that spawn it need `npx tsc -p tsconfig.build.json` first).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generate, type GenerateResult } from '../../../src/api/generate.js';
import { readSource } from '../../../src/sources/detect.js';
import { binPath, exampleConfig, exampleExport, repoRoot, runCli } from '../../cli/cli-helpers.js';

import { FIXTURES } from './helpers.js';

const exampleSam = path.join(repoRoot, 'examples/petstore-authz.sam.yaml');
const content = (result: GenerateResult, suffix: string): string | undefined =>
  result.files.find((f) => f.path.endsWith(suffix))?.content;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-sam-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the bundled example as a SAM template', () => {
  let fromExport: GenerateResult;
  let fromSam: GenerateResult;

  beforeAll(async () => {
    const options = { configFile: exampleConfig, outDir: 'out', cwd: repoRoot };
    fromExport = await generate({ ...options, source: { file: exampleExport } });
    fromSam = await generate({ ...options, source: { file: exampleSam, region: 'us-east-1' } });
  });

  it('is detected as SAM from its content', async () => {
    expect((await readSource(exampleSam)).kind).toBe('sam');
  });

  it('gives a byte-identical collection, file names included', () => {
    const collection = content(fromSam, '.postman_collection.json');
    expect(collection).toBeDefined();
    expect(collection).toBe(content(fromExport, '.postman_collection.json'));
    expect(fromSam.files.map((f) => path.basename(f.path))).toEqual(
      fromExport.files.map((f) => path.basename(f.path)),
    );
  });

  it('gives the same model except the values known only after deploy, which the summary names', async () => {
    const sam = (await readSource(exampleSam, { region: 'us-east-1' })).model;
    const exported = (await readSource(exampleExport)).model;
    // The authorizer functions' ARNs exist only after deploy: named placeholders, never invented.
    expect(sam.authorizers.find((a) => a.name === 'TokenAuth')?.lambdaUri).toBe(
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${TokenAuthorizerFunction.Arn}/invocations',
    );
    const withoutUris = (model: typeof sam): typeof sam => ({
      ...model,
      authorizers: model.authorizers.map(({ lambdaUri: _, ...authorizer }) => authorizer),
    });
    const { stage: samStage, api: samApi, ...samRest } = withoutUris(sam);
    const { stage: exportStage, api: exportApi, ...exportRest } = withoutUris(exported);
    expect(samRest).toEqual(exportRest);
    expect(samApi).toEqual({ name: exportApi.name, region: exportApi.region });
    expect(samStage.name).toBe(exportStage.name);
    expect(samStage.baseUrl).toBe('https://${PetStoreApi}.execute-api.us-east-1.amazonaws.com/prod');
    expect(fromSam.summary.warnings).toContainEqual(
      expect.stringContaining("the API's URL is known only after deploy"),
    );
  });

  it('CLI generate with the stage URL in the config writes the export’s files, byte for byte', async () => {
    const config = path.join(work, 'apigw-authz.config.yaml');
    const text = await readFile(exampleConfig, 'utf8');
    const handlers = path.join(repoRoot, 'examples/authorizers/');
    await writeFile(
      config,
      `${text.replaceAll('./authorizers/', handlers)}\nbaseUrl: ${fromExport.summary.baseUrl}\n`,
    );
    const fromTemplate = await runCli([
      'generate',
      exampleSam,
      '--region',
      'us-east-1',
      '--config',
      config,
      '--out',
      path.join(work, 'sam'),
    ]);
    expect(fromTemplate.code).toBe(0);
    const exported = await runCli([
      'generate',
      exampleExport,
      '--config',
      config,
      '--out',
      path.join(work, 'export'),
    ]);
    expect(exported.code).toBe(0);
    for (const name of [
      'petstore-authz.postman_collection.json',
      'petstore-authz.postman_environment.json',
    ]) {
      expect(await readFile(path.join(work, 'sam', name), 'utf8')).toBe(
        await readFile(path.join(work, 'export', name), 'utf8'),
      );
    }
  });
});

/** Starts `serve` on a free port and resolves its stage URL. */
async function startServe(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [binPath, 'serve', ...args, '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+\/\S+)$/m.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${errors}`)));
  });
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('serve from a SAM template', () => {
  it('answers as the gateway the example SAM template deploys', async () => {
    const { url, child } = await startServe([exampleSam, '--config', exampleConfig]);
    try {
      expect(url).toMatch(/\/prod$/);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const missing = await fetch(`${url}/orders`);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ message: 'Unauthorized' });
      expect((await fetch(`${url}/orders`, { headers: { 'X-Auth-Token': 'deny-mallory' } })).status).toBe(
        403,
      );
      expect((await fetch(`${url}/orders`, { headers: { 'X-Auth-Token': 'allow-alice' } })).status).toBe(200);
      expect((await fetch(`${url}/pets`, { method: 'OPTIONS' })).status).toBe(200);
    } finally {
      await stop(child);
    }
  });

  it('rejects an unauthenticated CORS preflight under a default authorizer, as SAM deploys it', async () => {
    const template = path.join(FIXTURES, 'cors-preflight.yaml');
    const guarded = await startServe([template, '--api', 'PreflightAuthApi']);
    try {
      expect(guarded.url).toMatch(/\/dev$/);
      const preflight = await fetch(`${guarded.url}/profile`, { method: 'OPTIONS' });
      expect(preflight.status).toBe(401);
      expect(await preflight.json()).toEqual({ message: 'Unauthorized' });
    } finally {
      await stop(guarded.child);
    }
    const open = await startServe([template, '--api', 'PreflightOpenApi']);
    try {
      expect((await fetch(`${open.url}/profile`, { method: 'OPTIONS' })).status).toBe(200);
      expect((await fetch(`${open.url}/profile`)).status).toBe(401);
    } finally {
      await stop(open.child);
    }
  });
});

describe('doctor from a SAM template', () => {
  it('reports the route an Authorizer: NONE event opened (exit 1)', async () => {
    const result = await runCli(['doctor', path.join(FIXTURES, 'none-override.yaml'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Array<{ rule: string; subject: string }> };
    expect(report.findings).toContainEqual(
      expect.objectContaining({ rule: 'unprotected-route', subject: 'GET /health' }),
    );
    expect(report.findings.some((f) => f.subject === 'GET /cart')).toBe(false);
  });

  it('sees the CORS SAM adds and the preflight under the default authorizer', async () => {
    const result = await runCli([
      'doctor',
      path.join(FIXTURES, 'cors-preflight.yaml'),
      '--api',
      'PreflightAuthApi',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[cors-missing-on-auth-errors]');
    expect(result.stdout).toContain('OPTIONS /profile');
  });

  it('a SAM template the translator refuses: exit 2, one line naming the file, the place and the fix', async () => {
    const source = (await readFile(path.join(FIXTURES, 'none-override.yaml'), 'utf8')).replace(
      'DefaultAuthorizer: ShopCognito',
      'DefaultAuthorizer: ShopCognitoo',
    );
    const file = path.join(work, 'refused.yaml');
    await writeFile(file, source);
    const result = await runCli(['doctor', file]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${file}: #/Resources/ShopApi/Properties/Auth/DefaultAuthorizer`);
    expect(lines[0]).toContain("'ShopCognitoo' was not defined in 'Authorizers'");
    expect(lines[0]).toContain('Fix:');
  });
});
