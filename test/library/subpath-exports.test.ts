/**
 * Subpath exports (issue 11 part 6): `apigw-authz/generate`, `/run`, `/serve`, `/doctor` import through the
 * package's own "exports" (self-reference by package name, as a user's `import` resolves them), each in a fresh
 * Node process. Importing the generator must not load Newman, the AWS SDK or the emulator. The controls show the
 * recording sees both kinds of module: `/run` loads Newman (CommonJS), the live reader loads the AWS SDK.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const hooks = pathToFileURL(path.join(import.meta.dirname, 'record-resolutions.mjs')).href;
const work = mkdtempSync(path.join(os.tmpdir(), 'apigw-authz-subpaths-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Loaded {
  exports: string[];
  /** Every module URL the import resolved (ESM and CommonJS entry points) and every CommonJS file it required. */
  modules: string[];
}

let runs = 0;

/** Imports `specifier` in a fresh Node process whose working directory is the package, and lists what loaded. */
function importFresh(specifier: string): Loaded {
  runs += 1;
  const log = path.join(work, `resolutions-${runs}.txt`);
  const script = [
    "import { createRequire, register } from 'node:module';",
    `register(${JSON.stringify(hooks)});`,
    `const loaded = await import(${JSON.stringify(specifier)});`,
    'const cjs = Object.keys(createRequire(import.meta.url).cache);',
    'console.log(JSON.stringify({ exports: Object.keys(loaded), cjs }));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, APIGW_AUTHZ_RESOLUTIONS: log },
  });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  const { exports, cjs } = JSON.parse(child.stdout) as { exports: string[]; cjs: string[] };
  const resolved = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { exports, modules: [...resolved, ...cjs.map((file) => pathToFileURL(file).href)] };
}

const NEWMAN = /\/node_modules\/newman\//;
const AWS_SDK = /\/node_modules\/@aws-sdk\//;
const EMULATOR = /\/dist\/emulator\//;

function matching(loaded: Loaded, pattern: RegExp): string[] {
  return loaded.modules.filter((url) => pattern.test(url));
}

describe('subpath exports', () => {
  it('apigw-authz/generate loads neither Newman, the AWS SDK nor the emulator', () => {
    const loaded = importFresh('apigw-authz/generate');
    expect(loaded.exports).toEqual(
      expect.arrayContaining(['generate', 'writeFilesAtomically', 'derivePlan', 'renderCollection']),
    );
    // the import resolved through the package's exports to the built entry module
    expect(loaded.modules).toContain(pathToFileURL(path.join(repo, 'dist/api/entries/generate.js')).href);
    expect(matching(loaded, NEWMAN)).toEqual([]);
    expect(matching(loaded, AWS_SDK)).toEqual([]);
    expect(matching(loaded, EMULATOR)).toEqual([]);
  });

  it('control: apigw-authz/run loads Newman, and the recording sees it', () => {
    const loaded = importFresh('apigw-authz/run');
    expect(loaded.exports).toEqual(expect.arrayContaining(['runCollection', 'exitCodeFor']));
    expect(matching(loaded, NEWMAN).length).toBeGreaterThan(0);
  });

  it('control: the live reader loads the AWS SDK, and the recording sees it', () => {
    const loaded = importFresh(pathToFileURL(path.join(repo, 'dist/sources/aws-rest/reader.js')).href);
    expect(matching(loaded, AWS_SDK).length).toBeGreaterThan(0);
  });

  it('apigw-authz/serve and apigw-authz/doctor export their command functions and loadSource', () => {
    const serve = importFresh('apigw-authz/serve');
    expect(serve.exports).toEqual(expect.arrayContaining(['startGateway', 'loadSource']));
    expect(matching(serve, NEWMAN)).toEqual([]);
    const doctor = importFresh('apigw-authz/doctor');
    expect(doctor.exports).toEqual(
      expect.arrayContaining(['diagnose', 'formatFindings', 'checkHandlerPolicies', 'loadSource']),
    );
    expect(matching(doctor, NEWMAN)).toEqual([]);
    expect(matching(doctor, AWS_SDK)).toEqual([]);
  });

  it('every export names built JavaScript and its type declarations', () => {
    const manifest = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    for (const subpath of ['./generate', './run', './serve', './doctor']) {
      const entry = manifest.exports[subpath];
      expect(typeof entry, subpath).toBe('object');
      if (typeof entry !== 'object') continue;
      expect(existsSync(path.join(repo, entry.default)), entry.default).toBe(true);
      expect(existsSync(path.join(repo, entry.types)), entry.types).toBe(true);
    }
  });
});
