// The serve and run half of `npm run bench`:
// - serve's requests per second on loopback (autocannon) for a cached Lambda TOKEN decision, a Cognito-verified
//   request and a SigV4-signed request;
// - a full run of the 1,000-route synthetic suite against serve with the Cognito stand-ins: total time, and the
//   number of token-endpoint calls (counted by a small proxy in front of them), which must be one per flow per run.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { startStandins, USER_POOL_ID } from './standins.mjs';
import { syntheticConfig, syntheticExport } from './synthetic-export.mjs';

const DEMO = {
  username: 'alice',
  password: 'Alice-Test-Passw0rd!',
  userClientId: '4e2x8mple5cl1ent6id7abc890',
  m2mSecret: 'local-test-m2m-secret-not-a-real-credential-0001',
  aws: { accessKeyId: 'AKIDAPIGWAUTHZBENCH01', secretAccessKey: 'bench-secret-key-not-real' },
};
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);

function startServe(root, exportFile, configFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'dist/cli/bin.js'),
        'serve',
        '--export',
        exportFile,
        '--config',
        configFile,
        '--port',
        '0',
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: DEMO.aws.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DEMO.aws.secretAccessKey,
        },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve({ url: match[1], child });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

/** A reverse proxy on 127.0.0.1 that counts requests per upstream, so token fetches can be counted. */
async function countingProxy(upstreams) {
  const counts = Object.fromEntries(Object.keys(upstreams).map((name) => [name, 0]));
  const server = http.createServer((req, res) => {
    const [, name, ...rest] = req.url.split('/');
    const upstream = upstreams[name];
    if (!upstream) {
      res.writeHead(404).end();
      return;
    }
    counts[name] += 1;
    const target = new URL(`/${rest.join('/')}`, upstream);
    const proxied = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    proxied.on('error', () => res.writeHead(502).end());
    req.pipe(proxied);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: (name, suffix = '') => `http://127.0.0.1:${port}/${name}${suffix}`,
    counts,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function idToken(idpEndpoint) {
  const response = await fetch(idpEndpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: DEMO.userClientId,
      AuthParameters: { USERNAME: DEMO.username, PASSWORD: DEMO.password },
    }),
  });
  const body = await response.json();
  return body.AuthenticationResult.IdToken;
}

async function signedHeaders(url) {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'us-east-1',
    credentials: DEMO.aws,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    headers: { host: target.host },
  });
  return signed.headers;
}

function load(title, url, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections: 10, duration: LOAD_SECONDS }, (error, result) => {
      if (error) return reject(error);
      const ok = result['2xx'];
      resolve({
        request: title,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        ok2xx: ok,
      });
    });
  });
}

async function loadServe(root, work, standins) {
  const exportFile = path.join(work, 'synthetic-100.json');
  const configFile = path.join(work, 'serve-config.json');
  await writeFile(exportFile, JSON.stringify(syntheticExport(100)));
  const config = structuredClone(syntheticConfig);
  Object.assign(config.authorizers.CognitoAuth.cognito, {
    jwksUrl: standins.jwksUrl,
    issuer: standins.issuer,
  });
  await writeFile(configFile, JSON.stringify(config));
  const serve = await startServe(root, exportFile, configFile);
  try {
    // Synthetic route i has kind i % 4 and path /r{i/2}[/{itemId}]: index 1 is TOKEN GET /r0/{itemId}.
    const tokenUrl = `${serve.url}/r0/7`;
    const token = await idToken(standins.idpEndpoint);
    const cognitoUrl = `${serve.url}/r4`; // index 8: Cognito without scopes, GET
    const iamUrl = `${serve.url}/r3/7`; // index 7: IAM, GET
    const rows = [];
    rows.push(await load('cached Lambda TOKEN decision', tokenUrl, { 'X-Auth-Token': 'allow-alice' }));
    rows.push(await load('Cognito-verified (RS256, ID token)', cognitoUrl, { Authorization: token }));
    rows.push(await load('SigV4-signed (AWS_IAM)', iamUrl, await signedHeaders(iamUrl)));
    return rows;
  } finally {
    await stopChild(serve.child);
  }
}

async function fullRun(root, work, standins) {
  const routes = 1000;
  const exportFile = path.join(work, `synthetic-${routes}.json`);
  const configFile = path.join(work, 'run-config.json');
  const serveConfigFile = path.join(work, 'run-serve-config.json');
  await writeFile(exportFile, JSON.stringify(syntheticExport(routes)));
  await writeFile(configFile, JSON.stringify(syntheticConfig));
  const serveConfig = structuredClone(syntheticConfig);
  Object.assign(serveConfig.authorizers.CognitoAuth.cognito, {
    jwksUrl: standins.jwksUrl,
    issuer: standins.issuer,
  });
  await writeFile(serveConfigFile, JSON.stringify(serveConfig));

  const { generate } = await import(path.join(root, 'dist/api/generate.js'));
  const { writeFilesAtomically } = await import(path.join(root, 'dist/api/output-files.js'));
  const { runCollection } = await import(path.join(root, 'dist/run/index.js'));
  const out = path.join(work, 'suite');
  const generated = await generate({ source: { exportFile }, configFile, outDir: out, cwd: work });
  await writeFilesAtomically(generated.files);

  const proxy = await countingProxy({
    idp: standins.idpEndpoint,
    oauth: new URL('/', standins.tokenUrl).href,
  });
  const serve = await startServe(root, exportFile, serveConfigFile);
  try {
    const started = performance.now();
    const result = await runCollection({
      collection: generated.files[0].path,
      environment: generated.files[1].path,
      envVars: {
        baseUrl: serve.url,
        'CognitoAuth.idpEndpoint': proxy.url('idp', '/'),
        'CognitoAuth.tokenUrl': proxy.url('oauth', new URL(standins.tokenUrl).pathname),
        'CognitoAuth.username': DEMO.username,
        'CognitoAuth.password': DEMO.password,
        'CognitoAuth.accessTokenClientSecret': DEMO.m2mSecret,
        awsAccessKeyId: DEMO.aws.accessKeyId,
        awsSecretAccessKey: DEMO.aws.secretAccessKey,
      },
      processEnv: {},
      reporters: [],
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      routes,
      cases: generated.plan.cases.length,
      passed: result.passed,
      requests: result.stats.requests,
      failedAssertions: result.stats.failedAssertions,
      seconds: seconds.toFixed(2),
      initiateAuthCalls: proxy.counts.idp,
      oauthTokenCalls: proxy.counts.oauth,
    };
  } finally {
    await stopChild(serve.child);
    await proxy.close();
  }
}

export async function benchServeAndRun({ root }) {
  const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-bench-serve-'));
  const standins = await startStandins();
  try {
    const loadRows = await loadServe(root, work, standins);
    console.log(
      `\nserve on loopback (autocannon, 10 connections, ${LOAD_SECONDS} s each; user pool ${USER_POOL_ID})`,
    );
    console.table(loadRows);
    console.log('targets: >= 5,000 req/s cached TOKEN, >= 2,000 req/s Cognito-verified, p99 < 20 ms');
    const run = await fullRun(root, work, standins);
    console.log('\nfull run of the synthetic suite against serve (Newman as a library)');
    console.table([run]);
    console.log(
      'token-endpoint calls must be one per flow per run (InitiateAuth once, client_credentials once)',
    );
  } finally {
    await standins.stop();
    await rm(work, { recursive: true, force: true });
  }
}
