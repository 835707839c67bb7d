/**
 * The CLI reads a live HTTP API (`--http-api`) as a user runs it: the built bin in its own process, the SDK's
 * default chain pointed at the fake v2 control plane through AWS_ENDPOINT_URL_APIGATEWAYV2. Needs `npm run build`.
 */

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../cli/cli-helpers.js';
import { FakeApiGatewayV2 } from './fake-apigatewayv2.js';
import { FAKE_ACCESS_KEY } from './helpers.js';
import { HTTP_EXAMPLE_FILE, httpExampleApiWithExampleExport, syntheticHttpApi } from './http-fixture.js';

const CONFIG = path.resolve(path.dirname(HTTP_EXAMPLE_FILE), 'orders-http.config.yaml');

describe('apigw-authz --http-api against the fake v2 control plane', () => {
  let fake: FakeApiGatewayV2;
  let dir: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    fake = await FakeApiGatewayV2.start({
      apis: [
        httpExampleApiWithExampleExport(),
        syntheticHttpApi(1, 'twin00000a', 'twin'),
        syntheticHttpApi(1, 'twin00000b', 'twin'),
      ],
      quotas: false,
    });
    dir = await mkdtemp(path.join(tmpdir(), 'apigw-authz-http-cli-'));
    env = {
      AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-tests-only',
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/apigw-authz/credentials',
      AWS_CONFIG_FILE: '/nonexistent/apigw-authz/config',
      AWS_ENDPOINT_URL: undefined,
      AWS_ENDPOINT_URL_APIGATEWAYV2: fake.url,
    };
  });
  afterAll(async () => {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]): Promise<CliResult> => runCli(args, { env });
  /** The error: one line after the progress lines (`reading ...`), no stack, no SDK notice. */
  const oneLine = (result: CliResult): string => {
    const lines = result.stderr.trim().split('\n');
    const errors = lines.filter((line) => !/^reading \S+: \w+( page \d+)? \(\d+ so far\)$/.test(line));
    expect(errors, result.stderr).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\s+at\s+\S+\s+\(|NodeVersionSupportWarning/);
    return errors[0] ?? '';
  };

  it('generate writes the same files, byte for byte, as generate on the bundled export', async () => {
    const live = path.join(dir, 'live');
    const file = path.join(dir, 'file');
    const fromLive = await cli('generate', '--http-api', 'orders-http', '--config', CONFIG, '--out', live);
    expect(fromLive.code, fromLive.stderr).toBe(0);
    const fromFile = await cli('generate', HTTP_EXAMPLE_FILE, '--config', CONFIG, '--out', file);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const names = (await readdir(live)).sort();
    expect(names).toEqual((await readdir(file)).sort());
    expect(names).toContain('orders-http.postman_collection.json');
    for (const name of names) {
      expect(await readFile(path.join(live, name), 'utf8'), name).toBe(
        await readFile(path.join(file, name), 'utf8'),
      );
    }
  });

  it('doctor reads the live API too', async () => {
    const result = await cli('doctor', '--http-api', 'h1t2p3a4p5', '--config', CONFIG, '--json');
    expect([0, 1]).toContain(result.code);
    expect(result.stderr).not.toMatch(/Error|at .*\(/);
    expect(JSON.parse(result.stdout)).toBeTypeOf('object');
  });

  it('a name two HTTP APIs share: exit 2, one line listing the ids', async () => {
    const result = await cli('generate', '--http-api', 'twin', '--out', path.join(dir, 'twin'));
    expect(result.code).toBe(2);
    expect(oneLine(result)).toMatch(
      /2 HTTP APIs in us-east-1 are named "twin"\. Fix: pass the id instead: twin00000a, twin00000b\./,
    );
  });

  it('an unknown API: exit 3, one line naming GetApis and --region', async () => {
    const result = await cli('generate', '--http-api', 'nothing-here', '--out', path.join(dir, 'none'));
    expect(result.code).toBe(3);
    expect(oneLine(result)).toMatch(
      /GetApis \(us-east-1\): no HTTP API with the id or name "nothing-here".*--region/,
    );
  });

  it('--http-api with --rest-api or with a file: exit 2 before any call', async () => {
    const before = fake.calls.length;
    const both = await cli('generate', '--http-api', 'x', '--rest-api', 'y', '--stage', 'prod');
    expect(both.code).toBe(2);
    expect(oneLine(both)).toMatch(/--rest-api and --http-api cannot be used together/);
    const file = await cli('generate', HTTP_EXAMPLE_FILE, '--http-api', 'x');
    expect(file.code).toBe(2);
    expect(oneLine(file)).toMatch(/a source file and --http-api cannot be used together/);
    expect(fake.calls.length).toBe(before);
  });
});
