/**
 * `apigw-authz run` as a user runs it (the built CLI, a separate process): the output contract (verdict on
 * stdout, logs on stderr, `--json` one object, no ANSI without a colour terminal, quiet on a closed pipe), the
 * pre-flight exits, `--folder` names that match nothing, and `report merge` input validation.
 */

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli } from '../cli/cli-helpers.js';
import { closedPort, startHttpServer } from '../support/http.js';
import type { TestServer } from '../support/http.js';

// eslint-disable-next-line no-control-regex -- what must not appear
const ANSI = /\u001b\[/;

function item(name: string, path: string, headers: Record<string, string>, expected: number) {
  return {
    name,
    request: {
      method: 'GET',
      header: Object.entries(headers).map(([key, value]) => ({ key, value })),
      url: `{{baseUrl}}${path}`,
      auth: { type: 'noauth' },
    },
    event: [
      {
        listen: 'test',
        script: {
          exec: [
            `pm.test(${JSON.stringify(name)}, function () { pm.expect(pm.response.code, ${JSON.stringify(`${name} Hint: check the header`)}).to.equal(${expected}); });`,
          ],
        },
      },
    ],
  };
}

const collection = {
  info: { name: 'cli', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      name: 'TokenAuth',
      item: [
        item(
          '[GET] /pets - allow: valid token',
          '/pets',
          { 'X-Auth-Token': '{{TokenAuth.validToken}}' },
          200,
        ),
        item('[GET] /pets - deny: no token', '/pets', {}, 200), // fails: the API answers 401
      ],
    },
    { name: 'Other', item: [item('[GET] /health - public', '/health', {}, 200)] },
  ],
};

const environment = {
  name: 'cli',
  values: [
    { key: 'baseUrl', value: '', enabled: true, description: 'Required. The stage URL.' },
    {
      key: 'TokenAuth.validToken',
      value: '',
      type: 'secret',
      enabled: true,
      description: 'Required. A token.',
    },
  ],
};

describe('apigw-authz run (CLI)', () => {
  let server: TestServer;
  let dir: string;
  let collectionFile: string;
  let environmentFile: string;
  let requests = 0;

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      requests += 1;
      const ok = req.url === '/health' || req.headers['x-auth-token'] === 'allow-alice';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: ok ? 'ok' : 'Unauthorized' }));
    });
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-run-cli-'));
    collectionFile = join(dir, 'c.postman_collection.json');
    environmentFile = join(dir, 'c.postman_environment.json');
    await writeFile(collectionFile, JSON.stringify(collection));
    await writeFile(environmentFile, JSON.stringify(environment));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const args = (...extra: string[]): string[] => [
    'run',
    collectionFile,
    '--environment',
    environmentFile,
    '--env-var',
    `baseUrl=${server.url}`,
    ...extra,
  ];

  it('puts the verdict and summary on stdout, Newman`s log on stderr, and no ANSI code without a colour TTY', async () => {
    const result = await runCli(args('--parallel', '1'), {
      env: { NO_COLOR: '1', FORCE_COLOR: '1', APIGW_AUTHZ_TOKENAUTH_VALIDTOKEN: 'allow-alice' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED: 2 of 3 cases passed; 3 requests/);
    expect(result.stdout).toContain('[TokenAuth] [GET] /pets - deny: no token');
    expect(result.stdout).toContain('Hint: check the header');
    expect(result.stderr).toContain('↳ [GET] /pets - deny: no token'); // Newman's own log, on stderr
    expect(result.stdout + result.stderr).not.toMatch(ANSI);
    expect(result.stdout + result.stderr).not.toContain('allow-alice');
  });

  it('prints one JSON result object with --json, on N workers', async () => {
    const result = await runCli(args('--json', '--parallel', '2'), {
      env: { APIGW_AUTHZ_TOKENAUTH_VALIDTOKEN: 'allow-alice' },
    });
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as {
      format: string;
      cases: { name: string; outcome: string }[];
    };
    expect(parsed.format).toBe('apigw-authz-run/1');
    expect(parsed.cases.map((c) => [c.name, c.outcome])).toEqual([
      ['[GET] /pets - allow: valid token', 'passed'],
      ['[GET] /pets - deny: no token', 'failed'],
      ['[GET] /health - public', 'passed'],
    ]);
  });

  it('refuses to start without a required variable: exit 2, the names, and not one request sent', async () => {
    requests = 0;
    const result = await runCli(args());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing required variable TokenAuth.validToken; nothing was sent');
    expect(result.stderr).toContain('APIGW_AUTHZ_TOKENAUTH_VALIDTOKEN');
    expect(requests).toBe(0);
  });

  it('stops with exit 3 and the URL when baseUrl refuses connections', async () => {
    const port = await closedPort();
    const result = await runCli([...args(), '--env-var', `baseUrl=http://127.0.0.1:${port}/prod`], {
      env: { APIGW_AUTHZ_TOKENAUTH_VALIDTOKEN: 'allow-alice' },
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      `baseUrl http://127.0.0.1:${port}/prod refuses connections (ECONNREFUSED)`,
    );
    expect(result.stdout).toMatch(/^ENVIRONMENT FAILURE/);
  });

  it('lists the folders that exist when --folder matches nothing (exit 2)', async () => {
    const result = await runCli(args('--folder', 'Nope'), {
      env: { APIGW_AUTHZ_TOKENAUTH_VALIDTOKEN: 'allow-alice' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--folder "Nope" matches no folder or request of the collection');
    expect(result.stderr).toContain('its folders are: "TokenAuth", "Other"');
  });

  it('exits quietly when stdout is a closed pipe', async () => {
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [binPath, ...args('--json', '--parallel', '1')], {
        env: { ...process.env, APIGW_AUTHZ_TOKENAUTH_VALIDTOKEN: 'allow-alice' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.destroy(); // the reader is gone, as after `| head -c 10`
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(outcome.stderr).not.toMatch(/EPIPE|Error:|at .*\.js:\d+/);
    expect([0, 1]).toContain(outcome.code);
  });

  it('report merge: one clear line and exit 2 for a file that is not a run result', async () => {
    const bad = join(dir, 'newman-report.json');
    await writeFile(bad, JSON.stringify({ run: { stats: {} } }));
    const result = await runCli(['report', 'merge', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${bad}: #/format: not an apigw-authz run result`);
  });
});
