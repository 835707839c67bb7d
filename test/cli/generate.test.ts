import { mkdtemp, mkdir, readdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleConfig, exampleExport, generateExampleArgs, repoRoot, runCli } from './cli-helpers.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-cli-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const badInputDir = path.join(repoRoot, 'test/fixtures/bad-input');

// Each bad input: exit 2, exactly one line on stderr naming the file (and where in it), no stack trace, and
// nothing written to the output directory.
const badInputs: [name: string, file: () => string, where: RegExp | null][] = [
  ['truncated JSON', () => path.join(badInputDir, 'truncated.json'), /line \d+/],
  ['invalid YAML', () => path.join(badInputDir, 'invalid.yaml'), /line \d+/],
  ['not an OpenAPI document', () => path.join(badInputDir, 'not-openapi.json'), /#\//],
  [
    'an export without API Gateway extensions',
    () => path.join(badInputDir, 'no-extensions.yaml'),
    /line \d+/,
  ],
  ['an unknown authorizer type', () => path.join(badInputDir, 'unknown-authorizer-type.yaml'), /#\/.*type/],
  ['an invalid regex', () => path.join(badInputDir, 'invalid-regex.yaml'), /identityValidationExpression/],
  ['security naming a missing scheme', () => path.join(badInputDir, 'missing-scheme.yaml'), /#\/paths/],
  ['an empty file', () => path.join(badInputDir, 'empty.yaml'), /empty/],
  [
    'an HTTP JWT authorizer without an issuer',
    () => path.join(badInputDir, 'jwt-without-issuer.yaml'),
    /jwtConfiguration\/issuer .*Fix: /,
  ],
  [
    'an HTTP JWT audience that is not a list',
    () => path.join(badInputDir, 'jwt-audience-not-a-list.yaml'),
    /jwtConfiguration\/audience .*Fix: /,
  ],
  [
    'an unknown payload format version',
    () => path.join(badInputDir, 'unknown-payload-format.yaml'),
    /authorizerPayloadFormatVersion .*Fix: /,
  ],
  [
    'an HTTP route key that does not parse',
    () => path.join(badInputDir, 'route-key-does-not-parse.yaml'),
    /#\/paths\/orders~1\{orderId\} .*Fix: /,
  ],
  ['a path that does not exist', () => path.join(work, 'no-such-export.yaml'), null],
  ['a directory given as the export', () => badInputDir, /directory/],
];

describe('generate with bad input', () => {
  it.each(badInputs)('%s: exit 2, one line, no stack, nothing written', async (_name, file, where) => {
    const exportFile = file();
    const out = path.join(work, `out-${path.basename(exportFile)}-${Math.abs(hash(_name))}`);
    const result = await runCli(['generate', '--export', exportFile, '--out', out]);

    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path.basename(exportFile));
    if (where) expect(lines[0]).toMatch(where);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('a bad config file: exit 2 naming the file and key path', async () => {
    const config = path.join(work, 'bad-config.yaml');
    await writeFile(config, 'depth: deep\n');
    const result = await runCli(['generate', '--export', exampleExport, '--config', config, '--out', work]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('bad-config.yaml');
    expect(result.stderr).toContain('depth');
  });

  it('no source at all is a usage error', async () => {
    const result = await runCli(['generate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--export FILE/);
  });

  it('an unknown --depth is a usage error', async () => {
    const result = await runCli(['generate', '--export', exampleExport, '--depth', 'deep']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/smoke, standard, full/);
  });
});

describe('generate on the bundled example', () => {
  it('writes the collection and environment and prints paths, counts and run-time variables', async () => {
    const out = path.join(work, 'example');
    const result = await runCli(generateExampleArgs(out));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('petstore-authz.postman_collection.json');
    expect(result.stdout).toContain('petstore-authz.postman_environment.json');
    expect(result.stdout).toMatch(/\d+ cases for \d+ routes/);
    expect(result.stdout).toContain('CognitoAuth.password');
    expect((await readdir(out)).sort()).toEqual([
      'petstore-authz.postman_collection.json',
      'petstore-authz.postman_environment.json',
    ]);
  });

  it('--json prints one JSON object with the same summary', async () => {
    const out = path.join(work, 'example-json');
    const result = await runCli(generateExampleArgs(out, '--json'));
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      api: string;
      cases: { total: number };
      requiredVariables: { key: string; secret: boolean }[];
    };
    expect(summary.api).toBe('petstore-authz');
    expect(summary.cases.total).toBeGreaterThan(20);
    expect(summary.requiredVariables).toContainEqual(
      expect.objectContaining({ key: 'CognitoAuth.password', secret: true }),
    );
  });

  it('two runs give byte-identical files', async () => {
    const first = path.join(work, 'det-1');
    const second = path.join(work, 'det-2');
    for (const out of [first, second]) {
      const result = await runCli(generateExampleArgs(out));
      expect(result.code).toBe(0);
    }
    for (const name of await readdir(first)) {
      expect(await readFile(path.join(second, name), 'utf8')).toBe(
        await readFile(path.join(first, name), 'utf8'),
      );
    }
  });

  it('--check exits 0 when up to date, 1 when stale, and writes nothing', async () => {
    const out = path.join(work, 'check');
    const args = generateExampleArgs(out);
    expect((await runCli(args)).code).toBe(0);
    expect((await runCli([...args, '--check'])).code).toBe(0);

    const collection = path.join(out, 'petstore-authz.postman_collection.json');
    await writeFile(collection, (await readFile(collection, 'utf8')).replace('CognitoAuth', 'CognitoAuthX'));
    const stale = await runCli([...args, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('stale: ');
    expect(await readFile(collection, 'utf8')).toContain('CognitoAuthX');

    const missing = await runCli([...args.slice(0, -1), path.join(work, 'never-written'), '--check']);
    expect(missing.code).toBe(1);
    await expect(readdir(path.join(work, 'never-written'))).rejects.toThrow(/ENOENT/);
  });

  it('the committed generated/ output is up to date with the example', async () => {
    const result = await runCli(generateExampleArgs('generated', '--check'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('the committed generated/ output is up to date with the HTTP API example', async () => {
    const args = ['generate', path.join(repoRoot, 'examples', 'orders-http.openapi.json')];
    const config = ['--config', path.join(repoRoot, 'examples', 'orders-http.config.yaml')];
    const result = await runCli([...args, ...config, '--out', 'generated', '--check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The check can fail: a changed example is a difference.
    const stale = await runCli([...args, ...config, '--depth', 'full', '--out', 'generated', '--check']);
    expect(stale.code).toBe(1);
  });

  it('never writes a secret it was given through the environment or config directory', async () => {
    const secret = 'S3cr3t-Value-That-Must-Not-Leak-7f3a';
    const dir = path.join(work, 'secrets');
    await mkdir(dir, { recursive: true });
    await copyFile(exampleExport, path.join(dir, 'api.yaml'));
    const out = path.join(dir, 'out');
    const result = await runCli(
      ['generate', '--export', 'api.yaml', '--config', exampleConfig, '--out', 'out'],
      {
        cwd: dir,
        env: {
          AWS_SECRET_ACCESS_KEY: secret,
          AWS_ACCESS_KEY_ID: 'AKIDLEAKCHECK',
          APIGW_AUTHZ_COGNITOAUTH_PASSWORD: secret,
          APIGW_AUTHZ_COGNITOAUTH_CLIENTSECRET: secret,
        },
      },
    );
    expect(result.code).toBe(0);
    for (const name of await readdir(out)) {
      const text = await readFile(path.join(out, name), 'utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toContain('AKIDLEAKCHECK');
    }
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('a secret-looking key in the config is rejected, not copied', async () => {
    const config = path.join(work, 'secret-config.yaml');
    await writeFile(config, 'authorizers:\n  CognitoAuth:\n    cognito:\n      clientSecret: hunter2\n');
    const out = path.join(work, 'secret-config-out');
    const result = await runCli(['generate', '--export', exampleExport, '--config', config, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('clientSecret');
    expect(result.stderr).not.toContain('hunter2');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

describe('help and version', () => {
  it.each(['generate', 'run', 'serve', 'doctor', 'probe'])('%s --help shows an example', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Example:');
  });

  it('--version prints the package version', async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });
});

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) | 0;
  return value;
}
