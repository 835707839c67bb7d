/**
 * The Terraform source through the CLI: `generate plan.json` detects the kind from the content, writes the same
 * collection as the export, names the unknown stage URL in its summary, and refuses a plan of something else with
 * exit 2 and one line. Needs `npx tsc -p tsconfig.build.json` first (dist/).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleConfig, generateExampleArgs, repoRoot, runCli } from '../../cli/cli-helpers.js';

const fixtures = path.join(repoRoot, 'test/fixtures/terraform');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-terraform-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('generate from a Terraform plan', () => {
  it("writes the export's collection byte for byte and names the stage URL unknown before apply", async () => {
    const fromExport = path.join(work, 'export');
    const fromPlan = path.join(work, 'plan');
    expect((await runCli(generateExampleArgs(fromExport))).code).toBe(0);
    const plan = path.join(fixtures, 'petstore-resources.plan.json');
    const result = await runCli(['generate', plan, '--config', exampleConfig, '--out', fromPlan, '--json']);
    expect(result.code).toBe(0);

    const summary = JSON.parse(result.stdout) as { api: string; baseUrl: string; warnings: string[] };
    expect(summary.api).toBe('petstore-authz');
    expect(summary.baseUrl).toBe(
      'https://${aws_api_gateway_rest_api.petstore.id}.execute-api.us-east-1.amazonaws.com/prod',
    );
    expect(summary.warnings).toContainEqual(
      expect.stringMatching(/: the stage URL is known only after apply/),
    );
    const name = 'petstore-authz.postman_collection.json';
    expect(await readFile(path.join(fromPlan, name), 'utf8')).toBe(
      await readFile(path.join(fromExport, name), 'utf8'),
    );
  });

  it('--api picks the REST API by its Terraform address', async () => {
    const plan = path.join(fixtures, 'petstore-body.plan.json');
    const out = path.join(work, 'by-address');
    const result = await runCli([
      'generate',
      plan,
      '--api',
      'aws_api_gateway_rest_api.petstore',
      '--config',
      exampleConfig,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(await readdir(out)).toContain('petstore-authz.postman_collection.json');
  });
});

describe('bad Terraform input', () => {
  it('a plan of something else: exit 2, one line naming the file, the place and the fix, nothing written', async () => {
    const plan = path.join(fixtures, 'not-api-gateway.plan.json');
    const out = path.join(work, 'bad');
    const result = await runCli(['generate', plan, '--out', out]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `${plan}: #/planned_values/root_module: This Terraform plan manages no API Gateway REST API`,
    );
    expect(lines[0]).toContain('found only aws_cloudfront_distribution, aws_s3_bucket');
    expect(lines[0]).toMatch(/Fix: .*terraform show -json/);
    expect(result.stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('--api naming nothing lists the candidates', async () => {
    const plan = path.join(fixtures, 'petstore-resources.plan.json');
    const result = await runCli(['generate', plan, '--api', 'billing', '--out', path.join(work, 'none')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      '--api billing names no REST API in this Terraform plan. Candidates: aws_api_gateway_rest_api.petstore (petstore-authz).',
    );
  });
});
