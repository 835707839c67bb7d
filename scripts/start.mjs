#!/usr/bin/env node
// `npm start`: the whole job on both bundled examples, offline, everything on 127.0.0.1.
//   1. start the stand-ins: cognito-local and its oauth2 token endpoint (Cognito), and the partner OIDC issuer;
//   2. for each example, the REST API (examples/petstore-authz.*) and the HTTP API (examples/orders-http.*):
//      a. `apigw-authz serve` it, read from its SAM template; for the HTTP API the config gains `serve.issuers`,
//         mapping each JWT authorizer's cloud issuer to the stand-in that signs its tokens;
//      b. `apigw-authz generate` the suite from the export, and again from the SAM template: the collections must be
//         byte-identical (one API, one model, whichever file describes it);
//      c. `apigw-authz run` it with Newman and print the summary (HTTP: with the token lab's tokens, so the
//         optional cases run too);
//   3. stop everything (by PID) and exit with the worst of the two runs' exit codes.
// The demo credentials below are the stand-ins' fixture values (test/fixtures/cognito, test/fixtures/oidc), not
// real secrets; they and the lab tokens reach the collections only through the process environment, never a file.
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { issuerStandIns, labProcessEnv, labSubjects, mintLabTokens, startStandins } from './standins.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(root, 'dist/cli/bin.js');
const exampleExport = path.join(root, 'examples/petstore-authz.openapi.yaml');
const exampleSam = path.join(root, 'examples/petstore-authz.sam.yaml');
const exampleConfig = path.join(root, 'examples/apigw-authz.config.yaml');
const httpExport = path.join(root, 'examples/orders-http.openapi.json');
const httpSam = path.join(root, 'examples/orders-http.sam.yaml');
const httpConfig = path.join(root, 'examples/orders-http.config.yaml');

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

/** Starts `apigw-authz serve` for `source` and resolves once it prints its URL. */
function startServe(source, configFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'serve', source, '--config', configFile, '--region', 'us-east-1', '--port', '0'],
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

/** The example's config for serve: handler paths made absolute (the copy lives elsewhere), then `adjust`ed. */
async function serveConfig(configFile, work, name, adjust) {
  const config = parse(await readFile(configFile, 'utf8'));
  for (const settings of Object.values(config.authorizers)) {
    if (settings.handler) settings.handler = path.resolve(path.dirname(configFile), settings.handler);
  }
  adjust(config);
  const file = path.join(work, name);
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

/** generate from the export and from the SAM template into work/<slug>-*; fails unless byte-identical. */
async function generateBoth(work, slug, exportFile, samFile, configFile) {
  step(`apigw-authz generate (${path.relative(root, exportFile)})`);
  const out = path.join(work, `${slug}-suite`);
  const generated = await cli(['generate', exportFile, '--config', configFile, '--out', out]);
  if (generated !== 0) throw new Error(`generate exited with ${generated}`);

  step(`apigw-authz generate from the SAM template of the same API (${path.relative(root, samFile)})`);
  const outSam = path.join(work, `${slug}-suite-sam`);
  // A template names its region only as ${AWS::Region}: the deploy target's region comes from --region.
  const generatedSam = await cli([
    'generate',
    samFile,
    '--config',
    configFile,
    '--region',
    'us-east-1',
    '--out',
    outSam,
  ]);
  if (generatedSam !== 0) throw new Error(`generate from the SAM template exited with ${generatedSam}`);
  const collectionName = `${slug}.postman_collection.json`;
  const [fromExport, fromSam] = await Promise.all([
    readFile(path.join(out, collectionName)),
    readFile(path.join(outSam, collectionName)),
  ]);
  if (!fromExport.equals(fromSam))
    throw new Error('the SAM template gave another collection than the export');
  process.stderr.write(
    `the export and the SAM template give the same collection (${fromExport.length} bytes)\n`,
  );
  return {
    collection: path.join(out, collectionName),
    environment: path.join(out, `${slug}.postman_environment.json`),
  };
}

/** The REST example (petstore-authz): Cognito, Lambda TOKEN and REQUEST, IAM, API keys. */
async function runRest(standins, work) {
  // serve verifies Cognito tokens against the stand-ins instead of AWS: same config, local JWKS and issuer.
  const config = await serveConfig(exampleConfig, work, 'serve-rest.config.json', (c) => {
    for (const settings of Object.values(c.authorizers)) {
      if (settings.cognito)
        Object.assign(settings.cognito, { jwksUrl: standins.jwksUrl, issuer: standins.issuer });
    }
  });
  step("REST: apigw-authz serve (the example's SAM template as a local API Gateway)");
  const serve = await startServe(exampleSam, config);
  try {
    const suite = await generateBoth(work, 'petstore-authz', exampleExport, exampleSam, exampleConfig);
    step(`REST: apigw-authz run (Newman) against ${serve.url}`);
    return await cli(
      [
        'run',
        suite.collection,
        '--environment',
        suite.environment,
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
  } finally {
    await stopChild(serve.child);
  }
}

/** The HTTP example (orders-http): JWT on Cognito and on a generic OIDC issuer, a payload-2.0 Lambda, IAM. */
async function runHttp(standins, work) {
  // The library build reads the API once more, to know which issuers to map and which lab tokens to mint.
  const { readSource } = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);
  const { model } = await readSource(httpExport);
  const rawConfig = parse(await readFile(httpConfig, 'utf8'));
  const issuers = issuerStandIns(model, standins);
  const config = await serveConfig(httpConfig, work, 'serve-http.config.json', (c) => {
    c.serve = { ...c.serve, issuers };
  });
  for (const [cloud, local] of Object.entries(issuers)) {
    process.stderr.write(`issuer ${cloud} -> stand-in ${local.issuer} (keys ${local.jwksUrl})\n`);
  }
  const partnerClient = JSON.parse(await readFile(path.join(root, 'test/fixtures/oidc/clients.json'), 'utf8'))
    .clients['partner-orders-m2m'];
  const labTokens = await mintLabTokens(standins, labSubjects(model, rawConfig));
  process.stderr.write(
    `token lab: ${Object.keys(labTokens).length} tokens, handed to the run by environment\n`,
  );

  step("HTTP: apigw-authz serve (the example's SAM template as a local HTTP API)");
  const serve = await startServe(httpSam, config);
  try {
    const suite = await generateBoth(work, 'orders-http', httpExport, httpSam, httpConfig);
    step(`HTTP: apigw-authz run (Newman) against ${serve.url}`);
    const vars = {
      baseUrl: serve.url,
      'CognitoJwt.idpEndpoint': standins.idpEndpoint,
      'CognitoJwt.tokenUrl': standins.tokenUrl,
      'CognitoJwt.jwksUrl': standins.jwksUrl,
      'PartnerJwt.tokenUrl': standins.partner.tokenUrl,
      'PartnerJwt.jwksUrl': standins.partner.jwksUrl,
    };
    return await cli(
      [
        'run',
        suite.collection,
        '--environment',
        suite.environment,
        ...Object.entries(vars).flatMap(([key, value]) => ['--env-var', `${key}=${value}`]),
      ],
      {
        ...demoAws,
        APIGW_AUTHZ_COGNITOJWT_USERNAME: 'alice',
        APIGW_AUTHZ_COGNITOJWT_PASSWORD: 'Alice-Test-Passw0rd!',
        APIGW_AUTHZ_COGNITOJWT_ACCESSTOKENCLIENTSECRET: 'local-test-m2m-secret-not-a-real-credential-0001',
        APIGW_AUTHZ_PARTNERJWT_CLIENTSECRET: partnerClient.clientSecret,
        ...labProcessEnv(labTokens),
      },
    );
  } finally {
    await stopChild(serve.child);
  }
}

/** Runs one example; a failure before or around the run counts as exit 1 (run's own codes pass through). */
async function runExample(name, fn, standins, work) {
  try {
    return await fn(standins, work);
  } catch (error) {
    process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-start-'));
let standins;
const codes = {};
try {
  step(
    'starting the stand-ins (cognito-local, oauth2-mock-server for Cognito and for the partner OIDC issuer)',
  );
  standins = await startStandins();
  process.stderr.write(
    `cognito-local ${standins.cognitoUrl} (pid ${standins.pids.cognitoLocal}), token endpoint ${standins.tokenUrl}, partner issuer ${standins.partner.issuer}\n`,
  );
  codes.REST = await runExample('REST example', runRest, standins, work);
  codes.HTTP = await runExample('HTTP example', runHttp, standins, work);
} catch (error) {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  codes.start = 1;
} finally {
  step('stopping the stand-ins');
  if (standins) await standins.stop();
  await rm(work, { recursive: true, force: true });
}
step(
  `summary: ${Object.entries(codes)
    .map(([api, code]) => `${api} ${code === 0 ? 'passed' : `exit ${code}`}`)
    .join(', ')}`,
);
const exitCodes = Object.values(codes);
process.exitCode = exitCodes.length === 0 ? 1 : Math.max(...exitCodes);
