/**
 * Drift without AWS (issue 9 part 6): `doctor --deployed STAGE_EXPORT` compares an export of the deployed stage with
 * the current definition (export or template) and reports every route whose authorization differs, each with
 * "redeploy to stage X". The deployed exports are the bundled example with one change each, written here.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Finding } from '../../src/doctor/index.js';
import { exampleConfig, exampleExport, repoRoot, runCli } from '../cli/cli-helpers.js';

const exampleSam = path.join(repoRoot, 'examples/petstore-authz.sam.yaml');

type Doc = {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: {
    securitySchemes: Record<string, { 'x-amazon-apigateway-authorizer'?: Record<string, unknown> }>;
  };
  servers: { variables: { basePath: { default: string } } }[];
};

let work: string;
let example: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-deployed-'));
  example = await readFile(exampleExport, 'utf8');
});
afterAll(async () => rm(work, { recursive: true, force: true }));

/** The example export as the deployed stage still serves it: `change` turns the current doc into the old one. */
async function deployedExport(name: string, change: (doc: Doc) => void): Promise<string> {
  const doc = parse(example) as Doc;
  change(doc);
  const file = path.join(work, `${name}.oas30.yaml`);
  await writeFile(file, stringify(doc));
  return file;
}

const authorizer = (doc: Doc, name: string): Record<string, unknown> =>
  doc.components.securitySchemes[name]!['x-amazon-apigateway-authorizer']!;

async function drift(current: string, deployed: string, ...extra: string[]): Promise<Finding[]> {
  const result = await runCli([
    'doctor',
    current,
    '--config',
    exampleConfig,
    '--deployed',
    deployed,
    '--json',
    ...extra,
  ]);
  expect(result.code, result.stderr).toBe(0); // drift is a warning: the definition itself is fine
  return (JSON.parse(result.stdout) as { findings: Finding[] }).findings.filter(
    (finding) => finding.rule === 'undeployed-changes',
  );
}

const subjects = (findings: Finding[]): string[] => findings.map((finding) => finding.subject).sort();

describe('doctor --deployed', () => {
  it('the same definition deployed: no drift (export against export, and SAM template against export)', async () => {
    const same = await deployedExport('same', () => undefined);
    expect(await drift(exampleExport, same)).toEqual([]);
    expect(await drift(exampleSam, same, '--region', 'us-east-1')).toEqual([]);
  });

  it.each<[string, (doc: Doc) => void, string[], RegExp]>([
    [
      'the token regex',
      (doc) => {
        authorizer(doc, 'TokenAuth').identityValidationExpression = '^\\w{5}$';
      },
      ['ANY /files/{proxy+}', 'DELETE /orders/{orderId}', 'GET /orders'],
      /authorizer TokenAuth validation expression \^\\w\{5\}\$ -> \^\[a-z\]/,
    ],
    [
      'the cache TTL',
      (doc) => {
        authorizer(doc, 'RequestAuth').authorizerResultTtlInSeconds = 0;
      },
      ['GET /reports', 'GET /reports/{reportId}'],
      /authorizer RequestAuth TTL 0 -> 300/,
    ],
    [
      'the identity source',
      (doc) => {
        authorizer(doc, 'TokenAuth').identitySource = 'method.request.header.Authorization';
      },
      ['ANY /files/{proxy+}', 'DELETE /orders/{orderId}', 'GET /orders'],
      /identity sources method\.request\.header\.Authorization -> method\.request\.header\.X-Auth-Token/,
    ],
    [
      'the scopes of a method',
      (doc) => {
        doc.paths['/pets']!.post!.security = [{ CognitoAuth: ['pets/admin'] }];
      },
      ['POST /pets'],
      /scopes pets\/admin -> /,
    ],
    [
      'the authorizer of a method',
      (doc) => {
        doc.paths['/health']!.get!.security = [{ TokenAuth: [] }];
      },
      ['GET /health'],
      /authorization TokenAuth -> NONE/,
    ],
    [
      'a route added since',
      (doc) => {
        delete doc.paths['/admin/{proxy+}'];
      },
      ['ANY /admin/{proxy+}'],
      /the route is not deployed/,
    ],
  ])('a changed %s: every affected route, with the redeploy fix', async (name, change, routes, what) => {
    const deployed = await deployedExport(name.replace(/\W+/g, '-'), change);
    const findings = await drift(exampleExport, deployed);
    expect(subjects(findings)).toEqual(routes);
    for (const finding of findings) {
      expect(finding.severity).toBe('warning');
      expect(finding.message).toMatch(what);
      expect(finding.fix).toMatch(
        /^Redeploy the API to stage prod \(aws apigateway create-deployment --rest-api-id a1b2c3d4e5 --stage-name prod\)/,
      );
    }
  });

  it('the stage is the export’s own (its basePath), or --stage', async () => {
    const deployed = await deployedExport('staging', (doc) => {
      doc.servers[0]!.variables.basePath.default = 'staging';
      authorizer(doc, 'RequestAuth').authorizerResultTtlInSeconds = 0;
    });
    const own = await drift(exampleExport, deployed);
    expect(own.map((finding) => finding.fix.slice(0, 36))).toEqual(
      own.map(() => 'Redeploy the API to stage staging (a'),
    );
    const named = await drift(exampleExport, deployed, '--stage', 'canary');
    expect(named.length).toBe(own.length);
    for (const finding of named) expect(finding.fix).toContain('stage canary');
  });

  it('a deployed export that does not exist: exit 2, one line', async () => {
    const result = await runCli([
      'doctor',
      exampleExport,
      '--config',
      exampleConfig,
      '--deployed',
      path.join(work, 'nope.json'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('nope.json');
  });
});
