#!/usr/bin/env node
// `npm start`: the whole job on the bundled example, offline, everything on 127.0.0.1.
//   1. start the Cognito stand-ins (cognito-local, oauth2-mock-server) and `apigw-authz serve` for the example,
//      read from its SAM template (examples/petstore-authz.sam.yaml);
//   2. `apigw-authz generate` the suite from the export, and again from the SAM template: the collections must be
//      byte-identical (one API, one model, whichever file describes it);
//   3. `apigw-authz run` it with Newman and print the summary;
//   4. stop everything (by PID) and exit with run's exit code.
// The demo credentials below are the stand-ins' fixture values (test/fixtures/cognito), not real secrets; they
// reach the collection only through the process environment, never through a file.
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startStandins } from './standins.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(root, 'dist/cli/bin.js');
const exampleExport = path.join(root, 'examples/petstore-authz.openapi.yaml');
const exampleSam = path.join(root, 'examples/petstore-authz.sam.yaml');
const exampleConfig = path.join(root, 'examples/apigw-authz.config.yaml');

const demoAws = {
  AWS_ACCESS_KEY_ID: 'AKIDAPIGWAUTHZLOCAL01',
  AWS_SECRET_ACCESS_KEY: 'local-demo-secret-key-not-real',
};
// The example's DELETE /orders/{orderId} requires an API key: serve accepts this one, the run sends it as `apiKey`.
const demoApiKey = 'local-demo-api-key-not-real';

function step(text) {
  process.stderr.write(`\n== ${text}\n`);
}

/** Runs the CLI to completion with inherited output; resolves with its exit code. */
function cli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Starts `apigw-authz serve` and resolves once it prints its URL. */
function startServe(configFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'serve', exampleSam, '--config', configFile, '--region', 'us-east-1', '--port', '0'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, ...demoAws, APIGW_AUTHZ_API_KEYS: demoApiKey },
      },
    );
    let output = '';
    const timer = setTimeout(() => reject(new Error('serve did not start within 15 s')), 15_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        process.stderr.write(output);
        resolve({ url: match[1], child });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening`));
    });
  });
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-start-'));
let standins;
let serve;
let exitCode = 1;
try {
  step('starting the Cognito stand-ins (cognito-local, oauth2-mock-server) on 127.0.0.1');
  standins = await startStandins();
  process.stderr.write(
    `cognito-local ${standins.cognitoUrl} (pid ${standins.pids.cognitoLocal}), token endpoint ${standins.tokenUrl}\n`,
  );

  // serve verifies Cognito tokens against the stand-ins instead of AWS: same config, local JWKS and issuer.
  const config = parse(await readFile(exampleConfig, 'utf8'));
  for (const settings of Object.values(config.authorizers)) {
    if (settings.handler) settings.handler = path.resolve(path.dirname(exampleConfig), settings.handler);
    if (settings.cognito)
      Object.assign(settings.cognito, { jwksUrl: standins.jwksUrl, issuer: standins.issuer });
  }
  const serveConfig = path.join(work, 'serve.config.json');
  await writeFile(serveConfig, JSON.stringify(config, null, 2));

  step("apigw-authz serve (the example's SAM template as a local API Gateway)");
  serve = await startServe(serveConfig);

  step('apigw-authz generate');
  const out = path.join(work, 'suite');
  const generated = await cli([
    'generate',
    '--export',
    exampleExport,
    '--config',
    exampleConfig,
    '--out',
    out,
  ]);
  if (generated !== 0) throw new Error(`generate exited with ${generated}`);

  step('apigw-authz generate from the SAM template of the same API');
  const outSam = path.join(work, 'suite-sam');
  const generatedSam = await cli(['generate', exampleSam, '--config', exampleConfig, '--out', outSam]);
  if (generatedSam !== 0) throw new Error(`generate from the SAM template exited with ${generatedSam}`);
  const collectionName = 'petstore-authz.postman_collection.json';
  const [fromExport, fromSam] = await Promise.all([
    readFile(path.join(out, collectionName)),
    readFile(path.join(outSam, collectionName)),
  ]);
  if (!fromExport.equals(fromSam))
    throw new Error('the SAM template gave another collection than the export');
  process.stderr.write(
    `the export and the SAM template give the same collection (${fromExport.length} bytes)\n`,
  );

  step(`apigw-authz run (Newman) against ${serve.url}`);
  exitCode = await cli(
    [
      'run',
      path.join(out, 'petstore-authz.postman_collection.json'),
      '--environment',
      path.join(out, 'petstore-authz.postman_environment.json'),
      '--env-var',
      `baseUrl=${serve.url}`,
      '--env-var',
      `CognitoAuth.idpEndpoint=${standins.idpEndpoint}`,
      '--env-var',
      `CognitoAuth.tokenUrl=${standins.tokenUrl}`,
    ],
    {
      ...demoAws,
      APIGW_AUTHZ_APIKEY: demoApiKey,
      APIGW_AUTHZ_COGNITOAUTH_USERNAME: 'alice',
      APIGW_AUTHZ_COGNITOAUTH_PASSWORD: 'Alice-Test-Passw0rd!',
      APIGW_AUTHZ_COGNITOAUTH_ACCESSTOKENCLIENTSECRET: 'local-test-m2m-secret-not-a-real-credential-0001',
    },
  );
} catch (error) {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = exitCode === 0 ? 1 : exitCode;
} finally {
  step('stopping serve and the stand-ins');
  if (serve) await stopChild(serve.child);
  if (standins) await standins.stop();
  await rm(work, { recursive: true, force: true });
}
process.exitCode = exitCode;
