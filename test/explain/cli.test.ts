/** `apigw-authz explain` through `main`: text and JSON, exit codes, --token-var, bad usage in one line. */

import { describe, expect, it } from 'vitest';
import { exampleConfig, exampleExport, repoRoot } from '../cli/cli-helpers.js';
import { runMain } from '../support/in-process-cli.js';

const cli = (args: string[], env: Record<string, string> = {}) => runMain(args, { cwd: repoRoot, env });

const base = ['explain', exampleExport, '--config', exampleConfig];

describe('apigw-authz explain', () => {
  it('prints the verdict, the root cause and the fix; exit 1 when refused', async () => {
    const r = await cli([...base, 'GET /orders', '--header', 'Authorization: allow-alice']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^GET \/orders -> 401 "Unauthorized"/);
    expect(r.stdout).toContain('Root cause [header-name-mismatch]');
    expect(r.stdout).toContain('Fix: ');
    expect(r.stdout + r.stderr).not.toContain('allow-alice');
  });

  it('reads the token from --token-var, takes a stage URL, prints JSON; exit 0 when allowed', async () => {
    const r = await cli(
      [
        ...base,
        'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders',
        '--token-var',
        'MY_TOKEN',
        '--json',
      ],
      { MY_TOKEN: 'allow-alice' },
    );
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { verdict: { status: number }; rootCause: { cause: string } };
    expect(e.verdict.status).toBe(200);
    expect(e.rootCause.cause).toBe('allowed');
    expect(r.stdout).not.toContain('allow-alice');
  });

  it('bad usage is one line and exit 2', async () => {
    for (const args of [
      [...base],
      [...base, 'FETCH /x'],
      [...base, 'GET /orders', '--token-var', 'UNSET_VAR'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
