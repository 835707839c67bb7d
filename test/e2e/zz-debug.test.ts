import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startStandins } from '../support/standins.js';
import { endpointVars, loadExample, secretProcessEnv, serve, writeSuite } from '../support/suite.js';
it('dbg', async () => {
  const s = await startStandins();
  const dir = await mkdtemp(join(tmpdir(), 'dbg-'));
  const ex = await loadExample(s);
  const suite = await writeSuite(ex, dir);
  const g = await serve(ex);
  try {
    const vars = {
      ...endpointVars(s, g.url),
      'CognitoAuth.password': secretProcessEnv().APIGW_AUTHZ_COGNITOAUTH_PASSWORD!,
      'CognitoAuth.accessTokenClientSecret':
        secretProcessEnv().APIGW_AUTHZ_COGNITOAUTH_ACCESSTOKENCLIENTSECRET!,
      awsAccessKeyId: secretProcessEnv().AWS_ACCESS_KEY_ID!,
      awsSecretAccessKey: secretProcessEnv().AWS_SECRET_ACCESS_KEY!,
    };
    const args = [
      'collection',
      'run',
      suite.collectionFile,
      '-e',
      suite.environmentFile,
      ...Object.entries(vars).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]),
    ];
    const t = Date.now();
    const r = spawnSync('node_modules/.bin/postman', args, {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
      timeout: 120000,
    });
    require('fs').writeFileSync(
      '/tmp/pcli.txt',
      `status ${r.status} ${Date.now() - t}ms\n${r.stdout}\n----\n${r.stderr}`,
    );
  } finally {
    await g.stop();
    await s.stop();
  }
}, 180000);
