import type { AuthCase, CognitoTokenUse, TestPlan } from '../cases/types.js';
import { cognitoIssuerPool, jwtTokenProvider } from '../config/token-provider.js';
import type { CognitoSettings, OidcSettings, TokenFlow } from '../config/types.js';
import type { Authorizer } from '../model/types.js';

/** Everything the renderer needs about one Cognito user pool authorizer the plan uses. */
export interface CognitoRendering {
  name: string;
  /** Config settings with defaults for authorizers the config does not describe. */
  settings: CognitoSettings;
  /** Every scope on the authorizer's methods, sorted: what the client_credentials grant asks for. */
  scopes: string[];
  /** The tokens the plan's requests use, in `CognitoTokenUse` order. */
  needs: CognitoTokenUse[];
}

export const DEFAULT_CALLBACK_URL = 'https://oauth.pstmn.io/v1/callback';
const TOKEN_USES: readonly CognitoTokenUse[] = ['id', 'access', 'unscoped-access'];

/** The collection variable the token script caches a token of `use` in. */
export function cachedTokenVariable(authorizer: string, use: CognitoTokenUse): string {
  const suffix = use === 'id' ? 'idToken' : use === 'access' ? 'accessToken' : 'unscopedAccessToken';
  return `_${authorizer}.${suffix}`;
}

/** The variable holding the issuer's key set URL (the algorithm-confusion forgery; empty: from discovery). */
export function jwksUrlVariable(authorizer: string): string {
  return `${authorizer}.jwksUrl`;
}

/** The Cognito authorizer and token use a case's credential draws a real token from, if any. */
export function cognitoTokenOf(c: AuthCase): { authorizer: string; tokenUse: CognitoTokenUse } | undefined {
  const cred = c.credential;
  if (cred.kind === 'cognito-token') return { authorizer: cred.authorizer, tokenUse: cred.tokenUse };
  if (cred.kind === 'forged-token' && cred.source.kind === 'cognito') {
    return { authorizer: cred.source.authorizer, tokenUse: cred.source.tokenUse };
  }
  return undefined;
}

/** The issuer a JWT authorizer's tokens come from (its first), or a Cognito authorizer's pool issuer. */
export function tokenIssuerOf(plan: TestPlan, name: string): string | undefined {
  const authorizer = plan.model.authorizers.find((a) => a.name === name);
  if (authorizer === undefined) return undefined;
  const settings = plan.config.authorizers[name];
  if (authorizer.kind === 'JWT') {
    const issuers = authorizer.jwt?.issuers.map((i) => i.issuer) ?? [];
    const wanted = settings?.oidc?.issuer;
    return wanted !== undefined && issuers.includes(wanted) ? wanted : (issuers[0] ?? wanted);
  }
  const pool = authorizer.userPools[0];
  return pool === undefined
    ? undefined
    : `https://cognito-idp.${pool.region}.amazonaws.com/${pool.userPoolId}`;
}

function defaultIdpEndpoint(plan: TestPlan, name: string): string {
  const authorizer = plan.model.authorizers.find((a) => a.name === name);
  const issuer = authorizer?.kind === 'JWT' ? tokenIssuerOf(plan, name) : undefined;
  const region =
    (issuer === undefined ? undefined : cognitoIssuerPool(issuer)?.region) ??
    authorizer?.userPools[0]?.region ??
    plan.model.api.region;
  return region ? `https://cognito-idp.${region}.amazonaws.com/` : '';
}

/** Where an authorizer's real tokens come from: the Cognito token script, the OIDC one, or none. */
export function tokenProviderOf(
  authorizer: Authorizer | undefined,
  plan: TestPlan,
): 'cognito' | 'oidc' | undefined {
  if (authorizer === undefined) return undefined;
  if (authorizer.kind === 'COGNITO_USER_POOLS') return 'cognito';
  if (authorizer.kind === 'JWT')
    return jwtTokenProvider(authorizer, plan.config.authorizers[authorizer.name]);
  return undefined;
}

function withDefaults(plan: TestPlan, name: string): CognitoSettings {
  const given = plan.config.authorizers[name]?.cognito;
  const domain = given?.domain?.replace(/\/+$/, '');
  const tokenUrl = given?.tokenUrl ?? (domain ? `${domain}/oauth2/token` : undefined);
  return {
    ...given,
    callbackUrl: given?.callbackUrl ?? DEFAULT_CALLBACK_URL,
    tokenFlow: given?.tokenFlow ?? 'password',
    idpEndpoint: given?.idpEndpoint || defaultIdpEndpoint(plan, name),
    ...(domain === undefined ? {} : { domain }),
    ...(tokenUrl === undefined ? {} : { tokenUrl }),
  };
}

/**
 * The authorizers whose real tokens the plan's requests use, each with its provider, in order of first use:
 * Cognito and JWT cases, and forged tokens drawn from their tokens.
 */
function tokenNeeds(
  plan: TestPlan,
): { name: string; provider: 'cognito' | 'oidc'; uses: Set<CognitoTokenUse> }[] {
  const needs = new Map<string, Set<CognitoTokenUse>>();
  for (const c of plan.cases) {
    const token = cognitoTokenOf(c);
    const name =
      token?.authorizer ?? (c.kind === 'COGNITO_USER_POOLS' || c.kind === 'JWT' ? c.authorizer : undefined);
    if (name === undefined) continue;
    const set = needs.get(name) ?? new Set<CognitoTokenUse>();
    if (token) set.add(token.tokenUse);
    needs.set(name, set);
  }
  const out: { name: string; provider: 'cognito' | 'oidc'; uses: Set<CognitoTokenUse> }[] = [];
  for (const [name, uses] of needs) {
    const provider = tokenProviderOf(
      plan.model.authorizers.find((a) => a.name === name),
      plan,
    );
    if (provider !== undefined) out.push({ name, provider, uses });
  }
  return out;
}

/** Every scope on the routes of authorizer `name`, sorted. */
function routeScopes(plan: TestPlan, name: string): string[] {
  const scopes = new Set<string>();
  for (const route of plan.model.routes) {
    if (route.authorization.type === 'AUTHORIZER' && route.authorization.authorizer === name) {
      for (const s of route.authorization.scopes) scopes.add(s);
    }
  }
  return [...scopes].sort();
}

/**
 * The Cognito authorizers (and JWT authorizers with a Cognito issuer) whose tokens the plan's requests use, in
 * order of first use: Cognito and JWT cases and forged tokens drawn from their tokens.
 */
export function cognitoRenderings(plan: TestPlan): CognitoRendering[] {
  return tokenNeeds(plan)
    .filter((n) => n.provider === 'cognito')
    .map(({ name, uses }) => ({
      name,
      settings: withDefaults(plan, name),
      scopes: routeScopes(plan, name),
      needs: TOKEN_USES.filter((u) => uses.has(u)),
    }));
}

/** Everything the renderer needs about one JWT authorizer whose tokens come from a generic OIDC issuer. */
export interface OidcRendering {
  name: string;
  /** Config settings with defaults (static tokens when the config says nothing). */
  settings: OidcSettings;
  /** The issuer the tokens come from. */
  issuer?: string;
  /** Every scope on the authorizer's routes, sorted: what the scoped access token asks for (with `settings.scopes`). */
  scopes: string[];
  /** The tokens the plan's requests use (`access`, `unscoped-access`; an OIDC issuer gives no ID token). */
  needs: CognitoTokenUse[];
}

/** The JWT authorizers whose tokens come from a generic OIDC issuer (`oidc:`), in order of first use. */
export function oidcRenderings(plan: TestPlan): OidcRendering[] {
  return tokenNeeds(plan)
    .filter((n) => n.provider === 'oidc')
    .map(({ name, uses }) => {
      const given = plan.config.authorizers[name]?.oidc;
      const issuer = tokenIssuerOf(plan, name);
      const settings: OidcSettings = given
        ? { ...given, scopes: [...given.scopes] }
        : { scopes: [], callbackUrl: DEFAULT_CALLBACK_URL, tokenFlow: 'static' };
      return {
        name,
        settings,
        ...(issuer === undefined ? {} : { issuer }),
        scopes: routeScopes(plan, name),
        needs: TOKEN_USES.filter((u) => uses.has(u)),
      };
    });
}

/** The flows the token script of this authorizer may run. */
export function flowsInUse(settings: CognitoSettings): Set<TokenFlow> {
  const flows = new Set<TokenFlow>([settings.tokenFlow]);
  if (settings.accessTokenFlow) flows.add(settings.accessTokenFlow);
  return flows;
}
