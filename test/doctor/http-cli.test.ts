import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../support/in-process-cli.js';

// `apigw-authz doctor` on the bundled HTTP API example, in-process: the export, its config and its handler.
const EXPORT = fileURLToPath(new URL('../../examples/orders-http.openapi.json', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/orders-http.config.yaml', import.meta.url));
const HANDLER = fileURLToPath(new URL('../../examples/authorizers/http-simple.mjs', import.meta.url));

const dir = mkdtempSync(path.join(tmpdir(), 'apigw-authz-doctor-http-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doctor = (...args: string[]) => runMain(['doctor', ...args], { cwd: dir });

const rulesOf = (stdout: string): string[] =>
  (
    JSON.parse(stdout) as { findings: Array<{ severity: string; rule: string; subject: string }> }
  ).findings.map((f) => `${f.severity} ${f.rule} ${f.subject}`);

describe('apigw-authz doctor on an HTTP API', () => {
  it('the bundled example: warnings only (exit 0), route keys as subjects, the handler proven', async () => {
    const { code, stdout } = await doctor(EXPORT, '--config', CONFIG, '--json');
    expect(code).toBe(0);
    expect(rulesOf(stdout)).toEqual([
      'warning cors-preflight-behind-authorizer $default',
      'warning cors-preflight-behind-authorizer ANY /inventory/{proxy+}',
      'warning jwt-route-without-scopes CognitoJwt',
    ]);
    const text = await doctor(EXPORT, '--config', CONFIG);
    expect(text.stdout).toContain('WARNING $default [cors-preflight-behind-authorizer]');
    expect(text.stdout).toContain('doctor: 0 errors, 3 warnings, 0 notes.');
  });

  it("reads the config's discovery document: an issuer differing by its trailing slash is an error (exit 1)", async () => {
    writeFileSync(
      path.join(dir, 'partner-discovery.json'),
      JSON.stringify({
        issuer: 'https://login.partner.example',
        id_token_signing_alg_values_supported: ['ES256'],
      }),
    );
    const config = readFileSync(CONFIG, 'utf8')
      .replace('./authorizers/http-simple.mjs', HANDLER)
      .replace('    oidc:\n', '    oidc:\n      discoveryDocument: ./partner-discovery.json\n');
    writeFileSync(path.join(dir, 'config.yaml'), config);
    const { code, stdout } = await doctor(EXPORT, '--config', 'config.yaml', '--json');
    expect(code).toBe(1);
    expect(rulesOf(stdout)).toEqual([
      'error jwt-issuer-trailing-slash PartnerJwt',
      'warning cors-preflight-behind-authorizer $default',
      'warning cors-preflight-behind-authorizer ANY /inventory/{proxy+}',
      'warning jwt-route-without-scopes CognitoJwt',
      'info jwt-algorithms PartnerJwt',
    ]);
  });
});
