#!/usr/bin/env node
/**
 * Local stand-ins for Amazon Cognito, for tests and `npm start`:
 * - cognito-local 5.3.0 (child process) for the JSON API (`InitiateAuth` USER_PASSWORD_AUTH), seeded from
 *   test/fixtures/cognito/db (pools us-east-1_PetStore1 and us-east-1_OtherPool9, user alice);
 * - oauth2-mock-server 8.2.3 (in-process) as the hosted UI's `/oauth2/token` for `client_credentials`, signing with
 *   cognito-local's bundled key and issuer, so one JWKS and one issuer verify every token.
 *
 * As a library: `startStandins()` (typed in standins.d.mts). As a script: prints one JSON object with the URLs and
 * PIDs on stdout, serves until SIGINT/SIGTERM, then stops everything it started.
 *   node scripts/standins.mjs [--cognito-port N] [--oauth-port N]
 */

import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Events, OAuth2Server } from 'oauth2-mock-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The committed seed: clients.json and one file per pool. Copied per run, because cognito-local rewrites it. */
export const FIXTURE_DB = join(ROOT, 'test', 'fixtures', 'cognito', 'db');
export const USER_POOL_ID = 'us-east-1_PetStore1';
export const OTHER_USER_POOL_ID = 'us-east-1_OtherPool9';
const HOST = '127.0.0.1';

const require = createRequire(import.meta.url);
const COGNITO_LOCAL_DIR = dirname(require.resolve('cognito-local/package.json'));

/** A port the OS considers free right now (cognito-local needs it before start: the issuer embeds it). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, HOST, () => resolve(undefined)));
  const address = server.address();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startCognitoLocal(port) {
  const dir = await mkdtemp(join(tmpdir(), 'apigw-authz-cognito-'));
  const url = `http://${HOST}:${port}`;
  await mkdir(join(dir, '.cognito'), { recursive: true });
  await cp(FIXTURE_DB, join(dir, '.cognito', 'db'), { recursive: true });
  await writeFile(
    join(dir, '.cognito', 'config.json'),
    JSON.stringify({ TokenConfig: { IssuerDomain: url }, ServerConfig: { hostname: HOST, port } }, null, 2),
  );
  // cognito-local reads ./.cognito relative to its working directory.
  const child = spawn(process.execPath, [join(COGNITO_LOCAL_DIR, 'lib', 'bin', 'start.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      HOST,
      PORT: String(port),
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exit;
  void exited.then((e) => {
    exit = e;
  });

  const stop = async () => {
    if (exit === undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exit !== undefined) {
      await stop();
      throw new Error(`cognito-local exited during start (${JSON.stringify(exit)}):\n${log}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cognito-local did not become healthy within 15 s:\n${log}`);
    }
    await sleep(50);
  }
  return { url, pid: child.pid, stop };
}

/** `{clientId: {secret, scopes}}` of the app clients allowed the client_credentials grant, from clients.json. */
async function loadM2mClients() {
  const { Clients } = JSON.parse(await readFile(join(FIXTURE_DB, 'clients.json'), 'utf8'));
  const clients = new Map();
  for (const client of Object.values(Clients)) {
    if (
      client.UserPoolId === USER_POOL_ID &&
      (client.AllowedOAuthFlows ?? []).includes('client_credentials')
    ) {
      clients.set(client.ClientId, { secret: client.ClientSecret, scopes: client.AllowedOAuthScopes ?? [] });
    }
  }
  return clients;
}

/** Client id and secret from HTTP Basic auth (as Cognito wants) or from the form body. */
function clientCredentials(req) {
  const header = req.headers.authorization ?? '';
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at >= 0) {
      return {
        id: decodeURIComponent(decoded.slice(0, at)),
        secret: decodeURIComponent(decoded.slice(at + 1)),
      };
    }
  }
  const body = req.body ?? {};
  return { id: body.client_id, secret: body.client_secret };
}

/**
 * What Cognito would answer for this token request: `{ error }` or `{ clientId, scope }`. Cognito rejects a
 * requested scope the client may not have (invalid_scope) and grants every allowed scope when none is asked.
 */
function checkTokenRequest(req, clients) {
  const { id, secret } = clientCredentials(req);
  const client = typeof id === 'string' ? clients.get(id) : undefined;
  if (client === undefined || secret !== client.secret) return { error: 'invalid_client' };
  if (req.body?.grant_type !== 'client_credentials') return { error: 'unsupported_grant_type' };
  const requested = typeof req.body.scope === 'string' ? req.body.scope.split(/\s+/).filter(Boolean) : [];
  if (requested.some((s) => !client.scopes.includes(s))) return { error: 'invalid_scope' };
  return { clientId: id, scope: (requested.length > 0 ? requested : client.scopes).join(' ') };
}

async function startOAuth2(port, issuer) {
  const clients = await loadM2mClients();
  const server = new OAuth2Server(undefined, undefined, { endpoints: { token: '/oauth2/token' } });
  const { jwk } = JSON.parse(
    await readFile(join(COGNITO_LOCAL_DIR, 'lib', 'keys', 'cognitoLocal.private.json'), 'utf8'),
  );
  await server.issuer.keys.add(jwk);
  server.service.on(Events.BeforeTokenSigning, (token, req) => {
    const check = checkTokenRequest(req, clients);
    // Shaped like a Cognito client_credentials access token: no aud, no nbf.
    Object.assign(token.payload, {
      iss: issuer,
      sub: check.clientId ?? 'invalid',
      client_id: check.clientId ?? 'invalid',
      token_use: 'access',
      scope: check.scope ?? '',
      auth_time: token.payload.iat,
      version: 2,
    });
    delete token.payload.aud;
    delete token.payload.nbf;
  });
  server.service.on(Events.BeforeResponse, (response, req) => {
    const check = checkTokenRequest(req, clients);
    if (check.error !== undefined) {
      response.statusCode = 400;
      response.body = { error: check.error };
      return;
    }
    // Cognito answers access_token, expires_in and token_type only.
    delete response.body.scope;
  });
  await server.start(port, HOST);
  const url = `http://${HOST}:${server.address().port}`;
  return { url, stop: () => server.stop() };
}

/**
 * Starts cognito-local and the oauth2 token endpoint on 127.0.0.1. Ports default to free ephemeral ones.
 * @param {{ cognitoPort?: number, oauthPort?: number }} [options]
 */
export async function startStandins(options = {}) {
  const cognito = await startCognitoLocal(options.cognitoPort ?? (await freePort()));
  const issuer = `${cognito.url}/${USER_POOL_ID}`;
  let oauth;
  try {
    oauth = await startOAuth2(options.oauthPort ?? 0, issuer);
  } catch (err) {
    await cognito.stop();
    throw err;
  }
  let stopped;
  return {
    cognitoUrl: cognito.url,
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    otherIssuer: `${cognito.url}/${OTHER_USER_POOL_ID}`,
    idpEndpoint: `${cognito.url}/`,
    tokenUrl: `${oauth.url}/oauth2/token`,
    pids: { cognitoLocal: cognito.pid, oauth2: process.pid },
    stop() {
      stopped ??= Promise.allSettled([oauth.stop(), cognito.stop()]).then(() => undefined);
      return stopped;
    },
  };
}

function portArg(argv, name) {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const port = Number(argv[at + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} needs a port number`);
  return port;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const standins = await startStandins({
    cognitoPort: portArg(argv, '--cognito-port'),
    oauthPort: portArg(argv, '--oauth-port'),
  });
  const { stop, ...info } = standins;
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const shutdown = () => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
