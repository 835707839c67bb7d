/**
 * One way in, end to end through the built CLI: a cdk.out folder as the positional SOURCE for generate, serve and
 * doctor; `--export` as an alias for any kind; the template flags.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, exampleConfig, repoRoot, runCli } from '../../cli/cli-helpers.js';

const cdkOut = path.join(repoRoot, 'test/fixtures/cdk/petstore.cdk.out');
const template = path.join(repoRoot, 'test/fixtures/cloudformation/petstore-authz.yaml');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-cfn-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('generate SOURCE', () => {
  it('writes the same collection from a cdk.out folder as the committed example output', async () => {
    const out = path.join(work, 'cdk');
    const result = await runCli(['generate', cdkOut, '--config', exampleConfig, '--out', out, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { warnings: string[]; baseUrl: string };
    expect(summary.baseUrl).toBe(
      'https://${PetstoreApi14C2529E}.execute-api.${AWS::Region}.amazonaws.com/prod',
    );
    expect(summary.warnings).toContainEqual(
      expect.stringContaining("the API's URL is known only after deploy"),
    );
    const name = 'petstore-authz.postman_collection.json';
    expect(await readFile(path.join(out, name), 'utf8')).toBe(
      await readFile(path.join(repoRoot, 'generated', name), 'utf8'),
    );
  });

  it('--export is an alias for any kind; --region and --parameter reach the template', async () => {
    const out = path.join(work, 'alias');
    const result = await runCli([
      'generate',
      '--export',
      template,
      '--config',
      exampleConfig,
      '--out',
      out,
      '--region',
      'eu-west-1',
      '--parameter',
      'StageName=live',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { stage: string; baseUrl: string };
    expect(summary.stage).toBe('live');
    expect(summary.baseUrl).toBe('https://${PetstoreApi}.execute-api.eu-west-1.amazonaws.com/live');
  });

  it('--api naming nothing: exit 2, one line listing the candidates, nothing written', async () => {
    const out = path.join(work, 'none');
    const result = await runCli(['generate', cdkOut, '--api', 'NoSuchApi', '--out', out]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `apigw-authz: ${cdkOut}: #/Resources: --api NoSuchApi names no REST API in this source. Candidates: ` +
        'ApiStackNestedStackApiStackNestedStackResource5A2A0065/PetstoreApi14C2529E (petstore-authz). ' +
        'Fix: Pass one of the candidates to --api (a path is unique).',
    );
    await expect(readFile(path.join(out, 'petstore-authz.postman_collection.json'))).rejects.toThrow();
  });
});

describe('serve SOURCE', () => {
  it('serves the API of a cdk.out folder as the gateway', async () => {
    const child = spawn(
      process.execPath,
      [binPath, 'serve', cdkOut, '--config', exampleConfig, '--port', '0'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /^listening on (http:\/\/127\.0\.0\.1:\d+\/prod)$/m.exec(output);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) =>
          reject(new Error(`serve exited with ${code} before listening: ${stderr}`)),
        );
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await fetch(`${url}/orders`)).status).toBe(401);
      expect((await fetch(`${url}/orders`, { headers: { 'X-Auth-Token': 'deny-mallory' } })).status).toBe(
        403,
      );
      expect((await fetch(`${url}/orders`, { headers: { 'X-Auth-Token': 'allow-alice' } })).status).not.toBe(
        403,
      );
      expect((await fetch(`${url}/admin/x`)).status).toBe(403);
      expect(stderr).toContain(`warning: ${cdkOut}`);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('doctor SOURCE', () => {
  it('diagnoses the API of a cdk.out folder like its export', async () => {
    const args = ['--config', exampleConfig];
    const fromCdk = await runCli(['doctor', cdkOut, ...args, '--json']);
    const fromExport = await runCli(['doctor', 'examples/petstore-authz.openapi.yaml', ...args, '--json']);
    expect(fromCdk.code).toBe(0);
    expect(fromCdk.stdout).toBe(fromExport.stdout);
    const text = await runCli(['doctor', cdkOut, ...args]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      (await runCli(['doctor', 'examples/petstore-authz.openapi.yaml', ...args])).stdout,
    );
    // The template's unknowns are named on stderr, the export has none of them.
    expect(text.stderr).toContain("the API's URL is known only after deploy");
  });
});
