/**
 * Issue 8 point 7: the bundled example API written as Terraform (a plan of resources and methods with a module of
 * authorizers, the state after applying it, and a plan of a REST API with an OpenAPI `body`) gives the same
 * collection as its export, byte for byte. Only the stage URL, unknown before apply, may differ: the environment
 * is equal once the config supplies `baseUrl`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../../src/api/generate.js';
import { derivePlan } from '../../../src/cases/index.js';
import { applyModelDefaults, loadConfig } from '../../../src/config/load-config.js';
import type { AuthModel } from '../../../src/model/types.js';
import { renderCollection, renderEnvironment, serializeJson } from '../../../src/render/index.js';
import { readTerraformJson } from '../../../src/sources/terraform/index.js';
import { exampleConfig, exampleExport, repoRoot } from '../../cli/cli-helpers.js';

const fixtures = path.join(repoRoot, 'test/fixtures/terraform');

async function readFixture(name: string): Promise<{ model: AuthModel; warnings: string[] }> {
  const file = path.join(fixtures, name);
  return readTerraformJson(JSON.parse(await readFile(file, 'utf8')), { file, warn: () => undefined });
}

/** What `generate --config examples/apigw-authz.config.yaml` renders from a model (the library pipeline). */
async function render(
  model: AuthModel,
  baseUrl?: string,
): Promise<{ collection: string; environment: string }> {
  const loaded = await loadConfig(exampleConfig, repoRoot);
  const config = applyModelDefaults(baseUrl === undefined ? loaded : { ...loaded, baseUrl }, model);
  const plan = derivePlan(model, config);
  return {
    collection: serializeJson(renderCollection(plan)),
    environment: serializeJson(renderEnvironment(plan)),
  };
}

describe.each([
  ['petstore-resources.plan.json', true],
  ['petstore-resources.state.json', false],
  ['petstore-body.plan.json', true],
])('%s', (fixture, planned) => {
  let fromExport: GenerateResult;
  let fromTerraform: { model: AuthModel; warnings: string[] };

  beforeAll(async () => {
    fromExport = await generate({
      source: { exportFile: exampleExport },
      configFile: exampleConfig,
      outDir: 'out',
      cwd: repoRoot,
    });
    fromTerraform = await readFixture(fixture);
  });

  it('gives a byte-identical collection', async () => {
    const exportCollection = fromExport.files.find((f) => f.path.endsWith('.postman_collection.json'));
    const { collection } = await render(fromTerraform.model);
    expect(collection).toBe(exportCollection?.content);
  });

  it('gives a byte-identical environment once baseUrl is configured', async () => {
    const exportEnvironment = fromExport.files.find((f) => f.path.endsWith('.postman_environment.json'));
    const { environment } = await render(fromTerraform.model, fromExport.summary.baseUrl);
    expect(environment).toBe(exportEnvironment?.content);
  });

  it('names the stage URL as the only value unknown before apply', () => {
    const { model, warnings } = fromTerraform;
    expect(model.api).toMatchObject({ name: 'petstore-authz', region: 'us-east-1' });
    if (planned) {
      expect(model.api.id).toBeUndefined();
      expect(model.stage.baseUrl).toBe(
        'https://${aws_api_gateway_rest_api.petstore.id}.execute-api.us-east-1.amazonaws.com/prod',
      );
      expect(warnings).toEqual([
        `${path.join(fixtures, fixture)}: ${`the stage URL is known only after apply (${model.stage.baseUrl}); set baseUrl in the config or pass --env-var baseUrl=https://... at run time.`}`,
      ]);
    } else {
      expect(model.api.id).toBe('a1b2c3d4e5');
      expect(model.stage.baseUrl).toBe('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod');
      expect(warnings).toEqual([]);
    }
    expect(model.stage.variables).toEqual({ authStage: 'prod-auth' });
  });
});
