/**
 * Doctor rules for JWT authorizers (REST and HTTP APIs): the pitfalls of `jwt-and-http-api-authorizers.md` A.4,
 * B.1-B.3 and Part C as checks over the model, the config and the saved discovery documents. Pure.
 */

import type { CognitoSettings, ProjectConfig } from '../config/types.js';
import { isPlaceholder } from '../model/parse.js';
import {
  apiKindOf,
  HTTP_JWT_ALGORITHMS,
  type AuthModel,
  type Authorizer,
  type JwtIssuer,
} from '../model/types.js';
import { listNames, listRoutes, routesOf, scopesOf, type AuthorizerRule } from './rule-helpers.js';
import type { DiagnoseOptions, Finding } from './types.js';

/** A Cognito issuer; the region may be a template placeholder (`${AWS::Region}`). */
const COGNITO_ISSUER =
  /^https:\/\/cognito-idp\.([a-z]{2}(?:-[a-z]+)+-\d+|\$\{[^{}]+\})\.amazonaws\.com(?:\.cn)?\/([\w-]+_[0-9A-Za-z]+)\/?$/;

/** The user pool of a Cognito issuer URL (trailing slash or not), or undefined for another issuer. */
export function cognitoPoolOf(issuer: string): { region: string; userPoolId: string } | undefined {
  const match = COGNITO_ISSUER.exec(issuer);
  return match?.[1] && match[2] ? { region: match[1], userPoolId: match[2] } : undefined;
}

const withoutSlash = (url: string): string => url.replace(/\/+$/, '');

/** The issuers known well enough to check: no template placeholder, or a Cognito issuer (its pool is known). */
function issuersOf(authorizer: Authorizer): JwtIssuer[] {
  return (authorizer.jwt?.issuers ?? []).filter(
    (issuer) => !isPlaceholder(issuer.issuer) || cognitoPoolOf(issuer.issuer) !== undefined,
  );
}

/** REST: `token_use` = `access`, required, on every issuer: only access tokens pass. */
function accessTokensOnly(authorizer: Authorizer): boolean {
  const issuers = authorizer.jwt?.issuers ?? [];
  return (
    issuers.length > 0 &&
    issuers.every((issuer) =>
      issuer.claims.some(
        (claim) =>
          claim.name === 'token_use' &&
          claim.required &&
          claim.values.length > 0 &&
          claim.values.every((value) => value === 'access'),
      ),
    )
  );
}

/**
 * A JWT route without scopes accepts ID tokens: nothing in a JWT reliably marks it as an access token (reference
 * A.4; AGDG `http-api-jwt-authorizer.md` note), so any token of the issuer with an accepted audience passes.
 */
export const jwtRouteWithoutScopesRule: AuthorizerRule = (authorizer, model) => {
  const unscoped = routesOf(model, authorizer).filter((route) => scopesOf(route).length === 0);
  if (unscoped.length === 0) return [];
  const rest = apiKindOf(model) === 'REST';
  if (rest && accessTokensOnly(authorizer)) return [];
  const issuers = authorizer.jwt?.issuers ?? [];
  const cognito = issuers.some((issuer) => cognitoPoolOf(issuer.issuer) !== undefined);
  const fix = rest
    ? `Add authorization scopes to these methods (only access tokens carry scopes)${cognito ? ', or add the additional claim rule token_use = access (SINGLE_STRING, required) to the Cognito issuer so that only access tokens pass' : ', or require a claim only your access tokens carry (an additional claim rule)'}, then redeploy the API.`
    : cognito
      ? 'Add authorizationScopes to these routes (a Cognito ID token carries no scope; its aud is the same app client id that an access token carries as client_id, so audiences cannot tell them apart), then redeploy the API.'
      : "Add authorizationScopes to these routes, or accept only audiences that appear in access tokens and never in ID tokens (the API identifier the issuer writes into access tokens' aud, not the app client id of ID tokens), then redeploy the API.";
  return [
    {
      rule: 'jwt-route-without-scopes',
      severity: 'warning',
      subject: authorizer.name,
      message: `The JWT authorizer ${authorizer.name} guards ${listRoutes(unscoped)} without scopes: any token from ${listNames(issuers.map((i) => i.issuer))} with an accepted ${rest ? 'audience' : 'aud (or client_id)'} passes, ID tokens included, since nothing in a JWT reliably marks it as an access token.`,
      fix,
    },
  ];
};

/** The token issuers the config documents for `authorizer`, each with where it says so. */
function documentedIssuers(
  authorizer: Authorizer,
  config: ProjectConfig,
  options: DiagnoseOptions,
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (issuer: string | undefined, where: string, known = false): void => {
    if (issuer === undefined || issuer === '' || (isPlaceholder(issuer) && !known)) return;
    found.set(issuer, [...(found.get(issuer) ?? []), where]);
  };
  const settings = config.authorizers[authorizer.name];
  add(settings?.oidc?.issuer, `authorizers.${authorizer.name}.oidc.issuer`);
  for (const document of options.discovery ?? []) {
    if (document.authorizer === authorizer.name)
      add(document.issuer, `the discovery document ${document.file}`);
  }
  const cognito = settings?.cognito;
  if (cognito?.userPoolId !== undefined && !isPlaceholder(cognito.userPoolId)) {
    const region = cognito.region ?? cognito.userPoolId.split('_')[0];
    add(
      `https://cognito-idp.${region}.amazonaws.com/${cognito.userPoolId}`,
      `the user pool authorizers.${authorizer.name}.cognito.userPoolId (Cognito's iss)`,
    );
  }
  for (const issuer of issuersOf(authorizer)) {
    const pool = cognitoPoolOf(issuer.issuer);
    if (pool)
      add(
        withoutSlash(issuer.issuer),
        `Cognito (user pool ${pool.userPoolId} writes iss without a trailing slash)`,
        true,
      );
  }
  for (const key of Object.keys(config.serve?.issuers ?? {})) add(key, `serve.issuers`);
  return found;
}

/**
 * The issuer must equal the token's `iss` exactly, trailing slash included (RJWT `-create`; the Auth0 trap of
 * A.4); REST also requires an absolute https URL without query or fragment.
 */
export const jwtIssuerRule: AuthorizerRule = (authorizer, model, config, options) => {
  const findings: Finding[] = [];
  const rest = apiKindOf(model) === 'REST';
  const documented = documentedIssuers(authorizer, config, options);
  for (const { issuer } of issuersOf(authorizer)) {
    if (rest && !isPlaceholder(issuer)) {
      const problem = issuerUrlProblem(issuer);
      if (problem !== undefined) {
        findings.push({
          rule: 'jwt-issuer-invalid',
          severity: 'error',
          subject: authorizer.name,
          message: `The JWT authorizer ${authorizer.name} names the issuer ${JSON.stringify(issuer)}, which ${problem}: a REST JWT issuer must be an absolute https URL with no query string or fragment, so API Gateway refuses it (or cannot fetch its discovery document).`,
          fix: `Use the issuer exactly as its discovery document (<issuer>/.well-known/openid-configuration) names it, e.g. https://cognito-idp.<region>.amazonaws.com/<userPoolId>, then redeploy the API.`,
        });
      }
    }
    for (const [other, where] of documented) {
      if (other === issuer || withoutSlash(other) !== withoutSlash(issuer)) continue;
      const slash = issuer.endsWith('/') ? 'with' : 'without';
      findings.push({
        rule: 'jwt-issuer-trailing-slash',
        severity: 'error',
        subject: authorizer.name,
        message: `The JWT authorizer ${authorizer.name} trusts the issuer ${JSON.stringify(issuer)} (${slash} a trailing slash), but ${where.join(' and ')} ${where.length === 1 ? 'gives' : 'give'} ${JSON.stringify(other)}: API Gateway compares the token's iss exactly, trailing slash included, so every token of that issuer gets 401 Unauthorized${rest ? '' : ' (error="invalid_token")'}.`,
        fix: `Set the authorizer's issuer to the tokens' iss exactly (the discovery document's "issuer"), and spell serve.issuers keys and oidc.issuer as the API names the issuer; then redeploy the API.`,
      });
    }
  }
  return findings;
};

function issuerUrlProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}, not https`;
  if (url.search !== '' || issuer.includes('?')) return 'has a query string';
  if (url.hash !== '' || issuer.includes('#')) return 'has a fragment';
  return undefined;
}

/** The app clients whose tokens the config fetches, with the tokens each client's id appears in. */
function configuredClients(cognito: CognitoSettings): Array<{ id: string; tokens: string; key: string }> {
  const clients: Array<{ id: string; tokens: string; key: string }> = [];
  if (cognito.clientId !== undefined && !isPlaceholder(cognito.clientId)) {
    clients.push({
      id: cognito.clientId,
      tokens: 'its ID tokens (aud) and access tokens (client_id)',
      key: 'cognito.clientId',
    });
  }
  const access = cognito.accessTokenClientId;
  if (access !== undefined && access !== cognito.clientId && !isPlaceholder(access)) {
    clients.push({ id: access, tokens: 'its access tokens (client_id)', key: 'cognito.accessTokenClientId' });
  }
  return clients;
}

/**
 * With `cognito:` settings: each configured app client's tokens must match an audience. Cognito ID tokens carry
 * `aud` = the client id, access tokens `client_id` and no `aud` (AGA §4); HTTP APIs compare `client_id` when `aud`
 * is absent (B.2), REST JWT authorizers are not documented to (A.4).
 */
export const jwtAudienceRule: AuthorizerRule = (authorizer, model, config) => {
  const cognito = config.authorizers[authorizer.name]?.cognito;
  if (cognito === undefined) return [];
  const findings: Finding[] = [];
  const rest = apiKindOf(model) === 'REST';
  const clients = configuredClients(cognito);
  for (const issuer of issuersOf(authorizer)) {
    const pool = cognitoPoolOf(issuer.issuer);
    if (pool === undefined) continue;
    if (cognito.userPoolId !== undefined && cognito.userPoolId !== pool.userPoolId) continue;
    if (issuer.audiences.some(isPlaceholder)) continue;
    const strays = issuer.audiences.filter((audience) => !clients.some((client) => client.id === audience));
    const poolIds = strays.filter(
      (audience) => audience === pool.userPoolId || /^https?:\/\//.test(audience),
    );
    for (const client of clients.filter((c) => !issuer.audiences.includes(c.id))) {
      findings.push({
        rule: 'jwt-audience-mismatch',
        severity: 'error',
        subject: authorizer.name,
        message:
          `The JWT authorizer ${authorizer.name} accepts the audiences ${JSON.stringify(issuer.audiences)} from ${issuer.issuer}, but the configured app client ${client.id} (authorizers.${authorizer.name}.${client.key}) is none of them, so ${client.tokens} get 401 Unauthorized${rest ? '' : ' (error_description="the token does not have a valid audience")'}.` +
          (poolIds.length > 0
            ? ` Cognito tokens never carry ${poolIds.join(' or ')} as aud or client_id: a Cognito audience is an app client id.`
            : ''),
        fix: `Add ${client.id} to the authorizer's audiences (${rest ? 'issuers[].audiences' : 'JwtConfiguration.Audience'}), or configure the app client the API accepts; then redeploy the API.`,
      });
    }
    const accessTokens =
      cognito.accessTokenClientId !== undefined ||
      routesOf(model, authorizer).some((route) => scopesOf(route).length > 0);
    if (rest && accessTokens) {
      findings.push({
        rule: 'jwt-audience-mismatch',
        severity: 'warning',
        subject: authorizer.name,
        message: `The REST JWT authorizer ${authorizer.name} trusts the Cognito issuer ${issuer.issuer}, whose access tokens carry client_id and no aud; AWS documents the client_id fallback for HTTP APIs only, so access tokens (needed by scoped methods) may get 401 Unauthorized on this REST API.`,
        fix: `Run the generated suite against the stage: its valid access-token case shows whether access tokens pass. If they do not, guard the scoped methods with a Cognito (COGNITO_USER_POOLS) authorizer, or use an issuer whose access tokens carry aud.`,
      });
    }
  }
  return findings;
};

/**
 * The algorithms a saved discovery document says the issuer signs with (`id_token_signing_alg_values_supported`)
 * against what the authorizer accepts: REST's `defaultAlgorithms` allow-list, HTTP's RSA only (B.2).
 */
export const jwtAlgorithmsRule: AuthorizerRule = (authorizer, model, _config, options) => {
  const findings: Finding[] = [];
  const rest = apiKindOf(model) === 'REST';
  for (const document of options.discovery ?? []) {
    if (document.authorizer !== authorizer.name || document.algorithms === undefined) continue;
    const used = document.algorithms.filter((alg) => alg !== 'none');
    if (used.length === 0) continue;
    if (rest) {
      const allowed: readonly string[] = authorizer.jwt?.algorithms ?? [];
      if (used.some((alg) => allowed.includes(alg))) continue;
      findings.push({
        rule: 'jwt-algorithms',
        severity: 'error',
        subject: authorizer.name,
        message: `The JWT authorizer ${authorizer.name} allows ${allowed.join(', ') || 'no algorithm'} (defaultAlgorithms), but the discovery document ${document.file} says the issuer signs with ${used.join(', ')}: no token of the issuer is accepted, every call gets 401 Unauthorized.`,
        fix: `Add the issuer's algorithm (${used[0] ?? ''}) to defaultAlgorithms (RS256, RS384, RS512, ES256, ES384 or ES512), then redeploy the API.`,
      });
      continue;
    }
    const rsa: readonly string[] = HTTP_JWT_ALGORITHMS;
    if (used.some((alg) => rsa.includes(alg))) continue;
    findings.push({
      rule: 'jwt-algorithms',
      severity: 'info',
      subject: authorizer.name,
      message: `The discovery document ${document.file} says the issuer signs ID tokens with ${used.join(', ')} only, but HTTP API JWT authorizers support only RSA algorithms (RS256, RS384, RS512): such tokens get 401 Unauthorized (error_description="signing method ${used[0] ?? ''} is invalid"). Access tokens may be signed differently; the discovery document lists ID token algorithms.`,
      fix: 'Have the issuer sign the tokens the API receives with RS256 (most issuers have a per-API or per-client setting), or use a Lambda authorizer that verifies the other algorithm.',
    });
  }
  return findings;
};

/** A discovery document the config names that cannot be read. */
export const discoveryDocumentRule = (
  _model: AuthModel,
  _config: ProjectConfig,
  options: DiagnoseOptions,
): Finding[] =>
  (options.discovery ?? [])
    .filter((document) => document.error !== undefined)
    .map((document) => ({
      rule: 'config-discovery-invalid',
      severity: 'error',
      subject: document.authorizer,
      message: `authorizers.${document.authorizer}.oidc.discoveryDocument ${document.file} cannot be used: ${document.error}.`,
      fix: "Save the issuer's <issuer>/.well-known/openid-configuration (a JSON object) to that file, or remove the key.",
    }));
