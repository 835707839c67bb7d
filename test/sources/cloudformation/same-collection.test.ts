/**
 * Issue 8 point 7: the bundled example API written as a CloudFormation template (YAML, short tags, resources and
 * methods), as a CDK cloud assembly (cdk.out with a nested stack) and as a Serverless Framework package gives the
 * same collection as its export, byte for byte, through the same `generate` entry point (the kind is detected from
 * the content). Only the stage URL, unknown before deploy, may differ: the environment is equal once the config
 * supplies `baseUrl`, and a warning names it.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../../src/api/generate.js';
import { derivePlan } from '../../../src/cases/index.js';
import { applyModelDefaults, loadConfig } from '../../../src/config/load-config.js';
import { renderEnvironment, serializeJson } from '../../../src/render/index.js';
import { readSource, type SourceKind } from '../../../src/sources/detect.js';
import { exampleConfig, exampleExport, repoRoot } from '../../cli/cli-helpers.js';

const fixtures = path.join(repoRoot, 'test/fixtures');

const content = (result: GenerateResult, suffix: string): string | undefined =>
  result.files.find((f) => f.path.endsWith(suffix))?.content;

describe.each<[string, SourceKind, string]>([
  ['cloudformation/petstore-authz.yaml', 'cloudformation', 'PetstoreApi'],
  ['cdk/petstore.cdk.out', 'cdk', 'PetstoreApi14C2529E'],
  ['serverless/petstore', 'serverless', 'ApiGatewayRestApi'],
  ['serverless/petstore/.serverless', 'serverless', 'ApiGatewayRestApi'],
])('%s', (fixture, kind, apiLogicalId) => {
  const source = path.join(fixtures, fixture);
  let fromExport: GenerateResult;
  let fromTemplate: GenerateResult;

  beforeAll(async () => {
    const options = { configFile: exampleConfig, outDir: 'out', cwd: repoRoot };
    fromExport = await generate({ ...options, source: { file: exampleExport } });
    fromTemplate = await generate({ ...options, source: { file: source } });
  });

  it(`is detected as ${kind} from its content`, async () => {
    expect((await readSource(source)).kind).toBe(kind);
  });

  it('gives a byte-identical collection', () => {
    const collection = content(fromTemplate, '.postman_collection.json');
    expect(collection).toBeDefined();
    expect(collection).toBe(content(fromExport, '.postman_collection.json'));
    expect(fromTemplate.files.map((f) => path.basename(f.path))).toEqual(
      fromExport.files.map((f) => path.basename(f.path)),
    );
  });

  it('gives a byte-identical environment once baseUrl is configured', async () => {
    const model = (await readSource(source)).model;
    const config = applyModelDefaults(
      { ...(await loadConfig(exampleConfig, repoRoot)), baseUrl: fromExport.summary.baseUrl },
      model,
    );
    expect(serializeJson(renderEnvironment(derivePlan(model, config)))).toBe(
      content(fromExport, '.postman_environment.json'),
    );
  });

  it('names the stage URL as unknown before deploy, as a placeholder', () => {
    expect(fromTemplate.summary.baseUrl).toBe(
      `https://\${${apiLogicalId}}.execute-api.\${AWS::Region}.amazonaws.com/prod`,
    );
    expect(fromTemplate.summary.warnings).toContainEqual(
      expect.stringContaining("the API's URL is known only after deploy"),
    );
  });
});

describe('pseudo parameters from --region', () => {
  it('fill the region of the stage URL and the model', async () => {
    const { model, warnings } = await readSource(path.join(fixtures, 'cloudformation/petstore-authz.yaml'), {
      region: 'eu-west-1',
      account: '123456789012',
    });
    expect(model.api.region).toBe('eu-west-1');
    expect(model.stage.baseUrl).toBe('https://${PetstoreApi}.execute-api.eu-west-1.amazonaws.com/prod');
    expect(model.authorizers.find((a) => a.name === 'TokenAuth')?.lambdaUri).toBe(
      'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:petstore-token-authorizer/invocations',
    );
    expect(warnings.join('\n')).not.toContain('${AWS::Region}');
  });

  it('--parameter overrides a default, and a condition follows it (the dev route appears)', async () => {
    const { model } = await readSource(path.join(fixtures, 'cloudformation/petstore-authz.yaml'), {
      parameters: { Environment: 'dev', StageName: 'dev' },
    });
    expect(model.stage.name).toBe('dev');
    expect(model.routes).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/debug', authorization: { type: 'NONE' } }),
    );
    // The mapping gives TTL "0" for dev: a string TTL is coerced.
    expect(model.authorizers.find((a) => a.name === 'TokenAuth')?.ttlSeconds).toBe(0);
  });
});
