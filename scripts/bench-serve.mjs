// The serve and run half of `npm run bench`:
// - serve's requests per second on loopback (autocannon) for a cached Lambda TOKEN decision, a Cognito-verified
//   request and a SigV4-signed request;
// - the synthetic suites against serve with the Cognito stand-ins (benchSuites, called by bench.mjs): cases per
//   second under `apigw-authz run --parallel`, plain `newman run` and plain `newman run` without scripts, and the
//   token-endpoint calls of each run (counted by a small proxy in front of them: one per flow per run).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { SignJWT, importJWK } from 'jose';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { startStandins, USER_POOL_ID } from './standins.mjs';
import { syntheticConfig, syntheticExport } from './synthetic-export.mjs';

const DEMO = {
  username: 'alice',
  password: 'Alice-Test-Passw0rd!',
  userClientId: '4e2x8mple5cl1ent6id7abc890',
  m2mClientId: '7m2m8mple5cl1ent6id7abc890',
  m2mSecret: 'local-test-m2m-secret-not-a-real-credential-0001',
  aws: { accessKeyId: 'AKIDAPIGWAUTHZBENCH01', secretAccessKey: 'bench-secret-key-not-real' },
};
const requireFromHere = createRequire(import.meta.url);
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
        // serve logs every request on stderr: too much for a benchmark's output.
        stdio: ['ignore', 'pipe', 'ignore'],
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

/**
 * A client_credentials token endpoint on 127.0.0.1 (`POST /oauth2/token`) for the bench's m2m client: access
 * tokens shaped like Cognito's (no aud; client_id, token_use, scope) carrying every requested scope, signed with
 * cognito-local's key under `issuer`, so serve verifies them against the stand-ins' JWKS.
 */
async function scopeGrantingTokenEndpoint(issuer) {
  const { jwk } = JSON.parse(
    await readFile(
      path.join(
        path.dirname(requireFromHere.resolve('cognito-local/package.json')),
        'lib/keys/cognitoLocal.private.json',
      ),
      'utf8',
    ),
  );
  const key = await importJWK(jwk, 'RS256');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const form = new URLSearchParams(body);
      const basic = /^basic (.+)$/i.exec(req.headers.authorization ?? '');
      const [id, secret] = basic
        ? Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')];
      if (id !== DEMO.m2mClientId || secret !== DEMO.m2mSecret) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"invalid_client"}');
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        client_id: id,
        token_use: 'access',
        scope: form.get('scope') ?? '',
        auth_time: now,
        version: 2,
      })
        .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
        .setIssuer(issuer)
        .setSubject(id)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key);
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Runs `command args` to completion; resolves wall seconds, exit code, stdout and stderr. */
function timed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, code, stdout, stderr });
    });
  });
}

/** Every `event` (pre-request and test scripts) removed at every level: the same requests, no scripts. */
export function stripScripts(collection) {
  const strip = (node) => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'event') out[key] = strip(value);
    }
    return out;
  };
  return strip(collection);
}

/**
 * The stripped collection plus ONE trivial collection-level test script: the least any suite that asserts inside
 * Newman can cost, since each script execution has a fixed sandbox cost however small the script is.
 */
export function oneEmptyTestScript(collection) {
  return {
    ...stripScripts(collection),
    event: [
      { listen: 'test', script: { type: 'text/javascript', exec: ["pm.test('ran', function () {});"] } },
    ],
  };
}

/** Newman's CLI summary row `│ requests │ 2803 │ 0 │` as { executed, failed }. */
function newmanRow(stdout, name) {
  const match = new RegExp(`${name}\\s*│\\s*(\\d+)\\s*│\\s*(\\d+)`).exec(stdout);
  return match ? { executed: Number(match[1]), failed: Number(match[2]) } : undefined;
}

/**
 * One suite against serve, three ways, each on a freshly started serve (no authorizer cache carried over):
 * `apigw-authz run --parallel N` (or `run` where the CLI has no --parallel yet), plain `newman run`, plain
 * `newman run` of the collection with every script removed, and the same with one empty test script (the floor of
 * any suite that asserts inside Newman). Token-endpoint calls are counted per run.
 */
async function benchSuite(root, work, standins, proxy, suite) {
  const serveConfig = JSON.parse(await readFile(suite.configFile, 'utf8'));
  Object.assign(serveConfig.authorizers.CognitoAuth.cognito, {
    jwksUrl: standins.jwksUrl,
    issuer: standins.issuer,
  });
  const serveConfigFile = path.join(work, `serve-config-${suite.routes}.json`);
  await writeFile(serveConfigFile, JSON.stringify(serveConfig));
  const stripped = path.join(work, `stripped-${suite.routes}.postman_collection.json`);
  await writeFile(
    stripped,
    JSON.stringify(stripScripts(JSON.parse(await readFile(suite.collection, 'utf8'))), null, 2),
  );
  const vars = (baseUrl) => ({
    baseUrl,
    'CognitoAuth.idpEndpoint': proxy.url('idp', '/'),
    'CognitoAuth.tokenUrl': proxy.url('oauth', new URL(standins.tokenUrl).pathname),
    'CognitoAuth.username': DEMO.username,
    'CognitoAuth.password': DEMO.password,
    'CognitoAuth.accessTokenClientSecret': DEMO.m2mSecret,
    awsAccessKeyId: DEMO.aws.accessKeyId,
    awsSecretAccessKey: DEMO.aws.secretAccessKey,
  });
  const floor = path.join(work, `one-empty-script-${suite.routes}.postman_collection.json`);
  await writeFile(
    floor,
    JSON.stringify(oneEmptyTestScript(JSON.parse(await readFile(suite.collection, 'utf8'))), null, 2),
  );
  const envArgs = (baseUrl) => Object.entries(vars(baseUrl)).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]);
  const cores = os.availableParallelism();
  const newman = path.join(root, 'node_modules/.bin/newman');
  const newmanArgs = (collection, baseUrl) => [
    'run',
    collection,
    '--environment',
    suite.environment,
    ...envArgs(baseUrl),
    '--timeout-request',
    '10000',
    '--color',
    'off',
  ];
  const variants = [
    {
      run: `apigw-authz run --parallel ${cores}`,
      command: (baseUrl, parallel = true) => [
        process.execPath,
        [
          path.join(root, 'dist/cli/bin.js'),
          'run',
          suite.collection,
          '--environment',
          suite.environment,
          ...envArgs(baseUrl),
          ...(parallel ? ['--parallel', String(cores)] : []),
          '--json',
        ],
      ],
    },
    { run: 'newman run', command: (baseUrl) => [newman, newmanArgs(suite.collection, baseUrl)] },
    { run: 'newman run, scripts stripped', command: (baseUrl) => [newman, newmanArgs(stripped, baseUrl)] },
    {
      run: 'newman run, stripped + one empty test script',
      command: (baseUrl) => [newman, newmanArgs(floor, baseUrl)],
    },
  ];
  const rows = [];
  for (const variant of variants) {
    const serve = await startServe(root, suite.exportFile, serveConfigFile);
    try {
      for (const name of Object.keys(proxy.counts)) proxy.counts[name] = 0;
      let label = variant.run;
      let result = await timed(...variant.command(serve.url), { cwd: root });
      if (variant.run.startsWith('apigw-authz') && /unknown option '--parallel'/.test(result.stderr)) {
        label = 'apigw-authz run (no --parallel in this build)';
        result = await timed(...variant.command(serve.url, false), { cwd: root });
      }
      if (process.env.BENCH_LOG_DIR) {
        const base = path.join(process.env.BENCH_LOG_DIR, `${suite.routes}-${rows.length}`);
        await writeFile(`${base}.stdout.txt`, result.stdout);
        await writeFile(`${base}.stderr.txt`, result.stderr);
      }
      let requests;
      let failed;
      if (variant.run.startsWith('apigw-authz')) {
        const parsed = JSON.parse(result.stdout || '{}');
        requests = parsed.stats?.requests;
        failed = parsed.stats?.failedCases;
      } else {
        requests = newmanRow(result.stdout, 'requests')?.executed;
        failed = newmanRow(result.stdout, 'assertions')?.failed;
      }
      rows.push({
        routes: suite.routes,
        run: label,
        exitCode: result.code,
        cases: suite.cases,
        requests,
        failed,
        seconds: result.seconds.toFixed(1),
        casesPerSecond: Math.round(suite.cases / result.seconds),
        msPerRequest: requests ? ((result.seconds * 1000) / requests).toFixed(2) : 'n/a',
        tokenCalls: `${proxy.counts.idp}+${proxy.counts.oauth}`,
      });
    } finally {
      await stopChild(serve.child);
    }
  }
  return rows;
}

/**
 * The suites of `suites` (each: routes, collection, environment, exportFile, configFile, cases) against serve
 * with the Cognito stand-ins behind a counting proxy.
 */
export async function benchSuites({ root, suites }) {
  const work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-bench-suites-'));
  const standins = await startStandins();
  // The stand-in token endpoint grants only its fixture client's two scopes; the synthetic has hundreds of scope
  // sets, so the m2m tokens come from a bench endpoint that signs whatever scopes are asked, as Cognito would for
  // a client allowed them, with the stand-ins' key and issuer.
  const tokens = await scopeGrantingTokenEndpoint(standins.issuer);
  const proxy = await countingProxy({
    idp: standins.idpEndpoint,
    oauth: tokens.url,
  });
  try {
    const rows = [];
    for (const suite of suites) rows.push(...(await benchSuite(root, work, standins, proxy, suite)));
    return rows;
  } finally {
    await proxy.close();
    await tokens.close();
    await standins.stop();
    await rm(work, { recursive: true, force: true });
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
  } finally {
    await standins.stop();
    await rm(work, { recursive: true, force: true });
  }
}
