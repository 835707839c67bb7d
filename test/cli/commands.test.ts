import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeApiGateway } from '../aws/fake-apigateway.js';
import { FAKE_ACCESS_KEY } from '../aws/helpers.js';
import { PETSTORE_STAGE, petstoreApi } from '../aws/petstore-fixture.js';
import { closedPort } from '../support/http.js';
import {
  binPath,
  exampleConfig,
  exampleExport,
  generateExampleArgs,
  repoRoot,
  runCli,
} from './cli-helpers.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-commands-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('serve', () => {
  it('prints its URL, answers as the gateway, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [binPath, 'serve', '--export', exampleExport, '--config', exampleConfig, '--port', '0'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /^listening on (http:\/\/127\.0\.0\.1:\d+\/prod)$/m.exec(output);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const unknown = await fetch(`${url}/no-such-route`);
      expect(unknown.status).toBe(403);
      expect(await unknown.json()).toEqual({ message: 'Missing Authentication Token' });
      const denied = await fetch(`${url}/orders`, { headers: { 'X-Auth-Token': 'deny-mallory' } });
      expect(denied.status).toBe(403);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('a bad export: exit 2 and one line, no server', async () => {
    const result = await runCli(['serve', '--export', path.join(work, 'missing.yaml'), '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).not.toContain('listening');
  });
});

describe('doctor', () => {
  it('the example has no findings: its handlers prove the cached policies cover every route', async () => {
    const text = await runCli(['doctor', '--export', exampleExport, '--config', exampleConfig]);
    expect(text).toEqual({ code: 0, stdout: 'doctor: no findings.\n', stderr: '' });
    const json = await runCli(['doctor', '--export', exampleExport, '--config', exampleConfig, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ findings: [] });
  });

  it('without the handlers, the cache-scope pitfall is only a note: exit 0, the same findings with --json', async () => {
    const config = (await readFile(exampleConfig, 'utf8')).replace(/^\s*handler: .*\n/gm, '');
    expect(config).not.toContain('handler:');
    const file = path.join(work, 'no-handlers.config.yaml');
    await writeFile(file, config);
    const text = await runCli(['doctor', '--export', exampleExport, '--config', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('INFO TokenAuth [lambda-cache-policy-scope]');
    expect(text.stdout).toContain('doctor: 0 errors, 0 warnings, 2 notes.');
    const json = await runCli(['doctor', '--export', exampleExport, '--config', file, '--json']);
    expect(json.code).toBe(0);
    const { findings } = JSON.parse(json.stdout) as {
      findings: { rule: string; severity: string; subject: string }[];
    };
    expect(findings.map((f) => [f.rule, f.severity, f.subject])).toEqual([
      ['lambda-cache-policy-scope', 'info', 'RequestAuth'],
      ['lambda-cache-policy-scope', 'info', 'TokenAuth'],
    ]);
  });

  it('an error-level finding (an escaped space in the validation regex) exits 1', async () => {
    const exportText = (await readFile(exampleExport, 'utf8')).replace(
      'identityValidationExpression: ^[a-z][a-z0-9-]{3,63}$',
      'identityValidationExpression: ^Bearer\\ \\w{5}$',
    );
    expect(exportText).toContain('Bearer\\ ');
    const file = path.join(work, 'escaped-space.yaml');
    await writeFile(file, exportText);
    const result = await runCli(['doctor', '--export', file, '--json']);
    expect(result.code).toBe(1);
    const { findings } = JSON.parse(result.stdout) as { findings: { severity: string; subject: string }[] };
    expect(findings).toContainEqual(expect.objectContaining({ severity: 'error', subject: 'TokenAuth' }));
  });
});

describe('run', () => {
  it('a missing collection path: exit 2, one line', async () => {
    const result = await runCli(['run', path.join(work, 'nope.postman_collection.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('nope.postman_collection.json');
  });

  it('a reporter without its file is a usage error', async () => {
    const result = await runCli([
      'run',
      'generated/petstore-authz.postman_collection.json',
      '--reporters',
      'junit',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--junit');
  });

  it('a base URL that refuses connections: exit 3, never a pass', async () => {
    const port = await closedPort();
    const result = await runCli(
      [
        'run',
        'generated/petstore-authz.postman_collection.json',
        '--environment',
        'generated/petstore-authz.postman_environment.json',
        '--env-var',
        `baseUrl=http://127.0.0.1:${port}/prod`,
        '--env-var',
        `CognitoAuth.idpEndpoint=http://127.0.0.1:${port}/`,
        '--env-var',
        `CognitoAuth.tokenUrl=http://127.0.0.1:${port}/oauth2/token`,
        '--timeout-request',
        '2000',
      ],
      {
        // Every required variable is supplied (run's pre-flight refuses missing ones with exit 2): only the
        // network fails here.
        env: {
          AWS_ACCESS_KEY_ID: 'AKIDUNREACHABLE',
          AWS_SECRET_ACCESS_KEY: 'unreachable',
          APIGW_AUTHZ_COGNITOAUTH_USERNAME: 'alice',
          APIGW_AUTHZ_COGNITOAUTH_PASSWORD: 'unreachable',
          APIGW_AUTHZ_COGNITOAUTH_ACCESSTOKENCLIENTSECRET: 'unreachable',
          APIGW_AUTHZ_APIKEY: 'unreachable',
        },
      },
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).not.toMatch(/PASSED/);
  });
});

describe('generate --rest-api (live source through the SDK, against the fake control plane)', () => {
  let fake: FakeApiGateway;
  const awsEnv = (): Record<string, string> => ({
    AWS_ENDPOINT_URL_API_GATEWAY: fake.url,
    AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-tests-only',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/apigw-authz/credentials',
    AWS_CONFIG_FILE: '/nonexistent/apigw-authz/config',
  });

  beforeAll(async () => {
    fake = await FakeApiGateway.start({
      apis: [petstoreApi()],
      quotas: false,
      accessKeys: [FAKE_ACCESS_KEY],
    });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('by name: the same collection and environment as from the export', async () => {
    const live = path.join(work, 'live');
    const fromExport = path.join(work, 'from-export');
    const liveRun = await runCli(
      [
        'generate',
        '--rest-api',
        'petstore-authz',
        '--stage',
        PETSTORE_STAGE,
        '--config',
        exampleConfig,
        '--out',
        live,
      ],
      { env: awsEnv() },
    );
    expect(liveRun.stderr).not.toContain('apigw-authz:');
    expect(liveRun.code).toBe(0);
    const exportRun = await runCli(generateExampleArgs(fromExport));
    expect(exportRun.code).toBe(0);
    for (const name of [
      'petstore-authz.postman_collection.json',
      'petstore-authz.postman_environment.json',
    ]) {
      expect(await readFile(path.join(live, name), 'utf8')).toBe(
        await readFile(path.join(fromExport, name), 'utf8'),
      );
    }
  });

  it('an unknown stage: exit 3 with one line naming the call', async () => {
    const result = await runCli(
      ['generate', '--rest-api', 'petstore-authz', '--stage', 'nope', '--out', path.join(work, 'x')],
      { env: awsEnv() },
    );
    expect(result.code).toBe(3);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/GetStage/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--rest-api without --stage is a usage error', async () => {
    const result = await runCli(['generate', '--rest-api', 'petstore-authz'], { env: awsEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--stage');
  });
});
