/**
 * The same rendered collection in the official Postman CLI (a newer sandbox than Newman 6's): the templates
 * must run there too, since the Postman app and the CLI are the other way people run the suite.
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { renderCollection, renderEnvironment, serializeJson } from '../../src/render/index.js';
import { ACCESS_KEY_ID, CC_CLIENT_ID, CLIENT_ID, handPlan } from './plans.js';
import { startStubs } from './stub-servers.js';
import type { Stubs } from './stub-servers.js';

const POSTMAN = fileURLToPath(new URL('../../node_modules/.bin/postman', import.meta.url));
const SECRETS = {
  password: 'Pw-cli-1!',
  clientSecret: 'cs-cli-2',
  ccClientSecret: 'cc-cli-3',
  sak: 'sak-cli-4',
};

function runCli(args: string[], home: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(POSTMAN, args, { env: { ...process.env, HOME: home, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!existsSync(POSTMAN))('Postman CLI runs the rendered collection', () => {
  let dir: string;
  const stubs: Record<'good' | 'wrong', Stubs | undefined> = { good: undefined, wrong: undefined };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apigw-authz-postman-cli-'));
    const options = {
      clientId: CLIENT_ID,
      clientSecret: SECRETS.clientSecret,
      username: 'alice',
      password: SECRETS.password,
      ccClientId: CC_CLIENT_ID,
      ccClientSecret: SECRETS.ccClientSecret,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRETS.sak,
    };
    stubs.good = await startStubs(options);
    stubs.wrong = await startStubs({ ...options, wrong: true });
    const plan = handPlan({
      cognito: { accessTokenFlow: 'client_credentials', accessTokenClientId: CC_CLIENT_ID },
    });
    writeFileSync(join(dir, 'collection.json'), serializeJson(renderCollection(plan)));
    writeFileSync(join(dir, 'environment.json'), serializeJson(renderEnvironment(plan)));
  });
  afterAll(async () => {
    await stubs.good?.close();
    await stubs.wrong?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function args(s: Stubs): string[] {
    const vars = {
      baseUrl: s.baseUrl,
      'CognitoAuth.idpEndpoint': s.idpEndpoint,
      'CognitoAuth.tokenUrl': s.tokenUrl,
      'CognitoAuth.username': 'alice',
      'CognitoAuth.password': SECRETS.password,
      'CognitoAuth.clientSecret': SECRETS.clientSecret,
      'CognitoAuth.accessTokenClientSecret': SECRETS.ccClientSecret,
      'CognitoAuth.expiredToken': s.expiredToken,
      awsAccessKeyId: ACCESS_KEY_ID,
      awsSecretAccessKey: SECRETS.sak,
      'TokenAuth.validToken': 'allow-alice',
    };
    return [
      'collection',
      'run',
      join(dir, 'collection.json'),
      '-e',
      join(dir, 'environment.json'),
      ...Object.entries(vars).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]),
    ];
  }

  it('passes against a gateway that behaves, fetching tokens once', async () => {
    const result = await runCli(args(stubs.good!), dir);
    expect(result.output).not.toMatch(/AssertionError|Error:/);
    expect(result.code, result.output.slice(-3000)).toBe(0);
    expect(stubs.good!.calls).toMatchObject({ initiateAuth: 1, token: 1, gateway: handPlan().cases.length });
  }, 120_000);

  it('fails against a gateway that lets everything through', async () => {
    const result = await runCli(args(stubs.wrong!), dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain('[GET] /orders - deny: explicit deny token');
  }, 120_000);
});
