#!/usr/bin/env node
/**
 * Local stand-ins for the token issuers of the bundled examples, for tests and `npm start`:
 * - cognito-local 5.3.0 (child process) for the JSON API (`InitiateAuth` USER_PASSWORD_AUTH), seeded from
 *   test/fixtures/cognito/db (pools us-east-1_PetStore1 and us-east-1_OtherPool9, user alice);
 * - oauth2-mock-server 8.2.3 (in-process) as the hosted UI's `/oauth2/token` for `client_credentials`, signing with
 *   cognito-local's bundled key and issuer, so one JWKS and one issuer verify every token;
 * - a second oauth2-mock-server as the partner OIDC issuer of the HTTP example (`https://login.partner.example/`
 *   in the API; `http://127.0.0.1:PORT/` here, so `serve` maps one to the other through `serve.issuers`): its own
 *   key from test/fixtures/oidc (the same key on every start), discovery at its issuer, client_credentials for the
 *   clients of test/fixtures/oidc/clients.json;
 * - the token lab (`mintLabTokens`): the tokens only an issuer can mint (expired, not yet valid, another or
 *   re-slashed issuer, another audience, REST claim variants), signed with the stand-in's key, for the optional
 *   cases of JWT authorizers. Runs get them through the process environment (`labProcessEnv`), never a file.
 *
 * As a library: `startStandins()` (typed in standins.d.mts). As a script: prints one JSON object with the URLs and
 * PIDs on stdout, serves until SIGINT/SIGTERM, then stops everything it started.
 *   node scripts/standins.mjs [--cognito-port N] [--oauth-port N] [--partner-port N]
 */

import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, importJWK } from 'jose';
import { Events, OAuth2Server } from 'oauth2-mock-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The committed seed: clients.json and one file per pool. Copied per run, because cognito-local rewrites it. */
export const FIXTURE_DB = join(ROOT, 'test', 'fixtures', 'cognito', 'db');
export const USER_POOL_ID = 'us-east-1_PetStore1';
export const OTHER_USER_POOL_ID = 'us-east-1_OtherPool9';
/** The partner OIDC issuer's key (private JWK) and clients. */
export const PARTNER_FIXTURES = join(ROOT, 'test', 'fixtures', 'oidc');
/** The issuer the HTTP example's PartnerJwt authorizer names; its stand-in writes `http://127.0.0.1:PORT/`. */
export const PARTNER_CLOUD_ISSUER = 'https://login.partner.example/';
export const PARTNER_CLIENT_ID = 'partner-orders-m2m';
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

async function readJson(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** cognito-local's bundled signing key (kid `CognitoLocal`): every Cognito stand-in token is signed with it. */
function cognitoPrivateJwk() {
  return readJson(join(COGNITO_LOCAL_DIR, 'lib', 'keys', 'cognitoLocal.private.json')).then((f) => f.jwk);
}

/** The partner issuer's saved key (kid `partner-orders-key-1`), so tokens and JWKS are the same on every start. */
function partnerPrivateJwk() {
  return readJson(join(PARTNER_FIXTURES, 'partner.private.json')).then((f) => f.jwk);
}

/**
 * What the partner issuer answers for this token request, as an Auth0-style OIDC server would: `{ error }` or
 * `{ clientId, scope, audience, claims }`. Only client_credentials; a requested scope or audience the client may not have
 * is refused; no scope requested gives a token without `scope`; no audience requested gives the client's first.
 */
function checkPartnerRequest(req, clients) {
  const { id, secret } = clientCredentials(req);
  const client = typeof id === 'string' ? clients[id] : undefined;
  if (client === undefined || secret !== client.clientSecret) return { error: 'invalid_client' };
  if (req.body?.grant_type !== 'client_credentials') return { error: 'unsupported_grant_type' };
  const requested = typeof req.body.scope === 'string' ? req.body.scope.split(/\s+/).filter(Boolean) : [];
  if (requested.some((s) => !client.scopes.includes(s))) return { error: 'invalid_scope' };
  const audience = typeof req.body.audience === 'string' ? req.body.audience : client.audiences[0];
  if (!client.audiences.includes(audience)) return { error: 'access_denied' };
  return { clientId: id, scope: requested.join(' '), audience, claims: client.claims ?? {} };
}

async function startPartner(port) {
  const { clients } = await readJson(join(PARTNER_FIXTURES, 'clients.json'));
  // The cloud issuer ends in `/`, so the local one does too (the issuer-slash case toggles it).
  const server = new OAuth2Server(undefined, undefined, {
    endpoints: { token: '/oauth2/token', jwks: '/.well-known/jwks.json' },
    shouldIssuerUrlBeSuffixedWithATralingSlash: true,
  });
  await server.issuer.keys.add(await partnerPrivateJwk());
  server.service.on(Events.BeforeTokenSigning, (token, req) => {
    const check = checkPartnerRequest(req, clients);
    Object.assign(token.payload, {
      sub: `${check.clientId ?? 'invalid'}@clients`,
      client_id: check.clientId ?? 'invalid',
      aud: check.audience ?? 'invalid',
      gty: 'client-credentials',
      ...check.claims, // custom claims the issuer adds for this client (an Auth0 action would)
    });
    if (check.scope) token.payload.scope = check.scope;
    else delete token.payload.scope;
  });
  server.service.on(Events.BeforeResponse, (response, req) => {
    const check = checkPartnerRequest(req, clients);
    if (check.error !== undefined) {
      response.statusCode = 400;
      response.body = { error: check.error };
      return;
    }
    if (check.scope) response.body.scope = check.scope;
    else delete response.body.scope;
  });
  await server.start(port, HOST);
  server.issuer.url = `http://${HOST}:${server.address().port}/`; // the library would write localhost
  const issuer = server.issuer.url;
  return {
    issuer,
    jwksUrl: `${issuer}.well-known/jwks.json`,
    discoveryUrl: `${issuer}.well-known/openid-configuration`,
    tokenUrl: `${issuer}oauth2/token`,
    stop: () => server.stop(),
  };
}

/**
 * Starts cognito-local, the oauth2 token endpoint and the partner OIDC issuer on 127.0.0.1. Ports default to free
 * ephemeral ones.
 * @param {{ cognitoPort?: number, oauthPort?: number, partnerPort?: number }} [options]
 */
export async function startStandins(options = {}) {
  const cognito = await startCognitoLocal(options.cognitoPort ?? (await freePort()));
  const issuer = `${cognito.url}/${USER_POOL_ID}`;
  let oauth;
  let partner;
  try {
    oauth = await startOAuth2(options.oauthPort ?? 0, issuer);
    partner = await startPartner(options.partnerPort ?? 0);
  } catch (err) {
    await Promise.allSettled([oauth?.stop(), cognito.stop()]);
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
    partner: {
      cloudIssuer: PARTNER_CLOUD_ISSUER,
      issuer: partner.issuer,
      jwksUrl: partner.jwksUrl,
      discoveryUrl: partner.discoveryUrl,
      tokenUrl: partner.tokenUrl,
    },
    pids: { cognitoLocal: cognito.pid, oauth2: process.pid },
    stop() {
      stopped ??= Promise.allSettled([partner.stop(), oauth.stop(), cognito.stop()]).then(() => undefined);
      return stopped;
    },
  };
}

/**
 * `serve.issuers` for a config: each cloud issuer a JWT authorizer of `model` names -> the stand-in that signs its
 * tokens (a Cognito issuer -> cognito-local's pool, with the JWKS URL given, because cognito-local's discovery
 * names localhost; any other issuer -> the partner OIDC issuer).
 */
export function issuerStandIns(model, standins) {
  const issuers = {};
  for (const authorizer of model.authorizers) {
    for (const { issuer } of authorizer.jwt?.issuers ?? []) {
      issuers[issuer] = COGNITO_ISSUER.test(issuer)
        ? { issuer: standins.issuer, jwksUrl: standins.jwksUrl }
        : { issuer: standins.partner.issuer, jwksUrl: standins.partner.jwksUrl };
    }
  }
  return issuers;
}

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+_[0-9A-Za-z]+$/;

/** The variables of the lab tokens, by the token's flaw (CONTRACT.md "Tokens"). */
export const LAB_TOKENS = [
  'expiredToken',
  'notYetValidToken',
  'otherIssuerToken',
  'issuerSlashToken',
  'otherAudienceToken',
  'missingClaimToken',
  'wrongClaimToken',
];

/**
 * One lab subject per JWT authorizer of `model`: which stand-in signs, and the claims a valid token of it carries
 * (the audience from the config's `oidc.audience` or the first audience; for a Cognito issuer the `client_id` of
 * the client_credentials client, as Cognito access tokens carry no `aud`; every scope of the authorizer's routes;
 * REST: each required claim with its first expected value).
 */
export function labSubjects(model, config) {
  const subjects = [];
  for (const authorizer of model.authorizers) {
    const first = authorizer.jwt?.issuers[0];
    if (first === undefined) continue;
    const settings = config.authorizers?.[authorizer.name] ?? {};
    const cognito = COGNITO_ISSUER.test(first.issuer);
    const scopes = new Set();
    for (const route of model.routes) {
      if (route.authorization.type === 'AUTHORIZER' && route.authorization.authorizer === authorizer.name) {
        for (const scope of route.authorization.scopes) scopes.add(scope);
      }
    }
    const claims = {};
    for (const rule of first.claims) if (rule.required) claims[rule.name] = rule.values[0] ?? 'present';
    subjects.push({
      authorizer: authorizer.name,
      issuer: cognito ? 'cognito' : 'partner',
      ...(cognito
        ? {
            clientId:
              settings.cognito?.accessTokenClientId ?? settings.cognito?.clientId ?? first.audiences[0] ?? '',
          }
        : { audience: settings.oidc?.audience ?? first.audiences[0] ?? '' }),
      scopes: [...scopes].sort(),
      requiredClaims: claims,
      rest: model.api.kind !== 'HTTP',
    });
  }
  return subjects;
}

/** `http://x/` <-> `http://x`. */
function toggleSlash(url) {
  return url.endsWith('/') ? url.slice(0, -1) : `${url}/`;
}

/**
 * The lab: for each subject (see `labSubjects`), the tokens of LAB_TOKENS (`missingClaimToken`/`wrongClaimToken`
 * only for REST subjects with a required claim), each valid but for its one flaw, signed with the stand-in's key
 * and kid. Returns `{ 'NAME.expiredToken': jwt, ... }`. Hand them to runs with `labProcessEnv`, never a file.
 */
export async function mintLabTokens(standins, subjects, now = Math.floor(Date.now() / 1000)) {
  const keys = { cognito: await cognitoPrivateJwk(), partner: await partnerPrivateJwk() };
  const tokens = {};
  for (const subject of subjects) {
    const jwk = keys[subject.issuer];
    const key = await importJWK(jwk, 'RS256');
    const issuer = subject.issuer === 'cognito' ? standins.issuer : standins.partner.issuer;
    const otherIssuer =
      subject.issuer === 'cognito' ? standins.otherIssuer : `${standins.partner.issuer}other-tenant/`;
    const valid = {
      iss: issuer,
      sub: subject.clientId ?? 'partner-orders-m2m@clients',
      ...(subject.audience === undefined ? {} : { aud: subject.audience }),
      ...(subject.clientId === undefined ? {} : { client_id: subject.clientId, token_use: 'access' }),
      ...(subject.scopes.length > 0 ? { scope: subject.scopes.join(' ') } : {}),
      ...subject.requiredClaims,
      iat: now,
      exp: now + 3600,
    };
    const variants = {
      expiredToken: { ...valid, iat: now - 7200, exp: now - 3600 },
      notYetValidToken: { ...valid, nbf: now + 3600, exp: now + 7200 },
      otherIssuerToken: { ...valid, iss: otherIssuer },
      issuerSlashToken: { ...valid, iss: toggleSlash(issuer) },
      otherAudienceToken:
        subject.audience === undefined
          ? { ...valid, client_id: 'apigw-authz-lab-other-client' }
          : { ...valid, aud: 'https://other-audience.apigw-authz.invalid/' },
    };
    const claimNames = Object.keys(subject.requiredClaims);
    if (subject.rest && claimNames.length > 0) {
      const [name] = claimNames;
      const missing = { ...valid };
      delete missing[name];
      variants.missingClaimToken = missing;
      variants.wrongClaimToken = { ...valid, [name]: `${valid[name]}-wrong` };
    }
    for (const [variable, payload] of Object.entries(variants)) {
      tokens[`${subject.authorizer}.${variable}`] = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: jwk.kid })
        .sign(key);
    }
  }
  return tokens;
}

/** Variables as `apigw-authz run` reads them from the process environment: `APIGW_AUTHZ_<KEY>`. */
export function labProcessEnv(tokens) {
  return Object.fromEntries(
    Object.entries(tokens).map(([key, value]) => [
      `APIGW_AUTHZ_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`,
      value,
    ]),
  );
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
    partnerPort: portArg(argv, '--partner-port'),
  });
  const { stop, ...info } = standins;
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const shutdown = () => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
