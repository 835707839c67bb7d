import type { AuthCase, CognitoTokenUse, TestPlan } from '../cases/types.js';
import type { CognitoSettings, TokenFlow } from '../config/types.js';

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

/** The Cognito authorizer and token use a case's credential draws a real token from, if any. */
export function cognitoTokenOf(c: AuthCase): { authorizer: string; tokenUse: CognitoTokenUse } | undefined {
  const cred = c.credential;
  if (cred.kind === 'cognito-token') return { authorizer: cred.authorizer, tokenUse: cred.tokenUse };
  if (cred.kind === 'forged-token' && cred.source.kind === 'cognito') {
    return { authorizer: cred.source.authorizer, tokenUse: cred.source.tokenUse };
  }
  return undefined;
}

function defaultIdpEndpoint(plan: TestPlan, name: string): string {
  const region =
    plan.model.authorizers.find((a) => a.name === name)?.userPools[0]?.region ?? plan.model.api.region;
  return region ? `https://cognito-idp.${region}.amazonaws.com/` : '';
}

function withDefaults(plan: TestPlan, name: string): CognitoSettings {
  const given = plan.config.authorizers[name]?.cognito;
  const domain = given?.domain?.replace(/\/+$/, '');
  const tokenUrl = given?.tokenUrl ?? (domain ? `${domain}/oauth2/token` : undefined);
  return {
    ...given,
    callbackUrl: given?.callbackUrl ?? DEFAULT_CALLBACK_URL,
    tokenFlow: given?.tokenFlow ?? 'password',
    idpEndpoint: given?.idpEndpoint ?? defaultIdpEndpoint(plan, name),
    ...(domain === undefined ? {} : { domain }),
    ...(tokenUrl === undefined ? {} : { tokenUrl }),
  };
}

/**
 * The Cognito authorizers whose tokens the plan's requests use, in order of first use: Cognito cases and
 * forged tokens drawn from Cognito tokens.
 */
export function cognitoRenderings(plan: TestPlan): CognitoRendering[] {
  const needs = new Map<string, Set<CognitoTokenUse>>();
  for (const c of plan.cases) {
    const token = cognitoTokenOf(c);
    const name = token?.authorizer ?? (c.kind === 'COGNITO_USER_POOLS' ? c.authorizer : undefined);
    if (name === undefined) continue;
    const set = needs.get(name) ?? new Set<CognitoTokenUse>();
    if (token) set.add(token.tokenUse);
    needs.set(name, set);
  }
  return [...needs].map(([name, uses]) => {
    const scopes = new Set<string>();
    for (const route of plan.model.routes) {
      if (route.authorization.type === 'AUTHORIZER' && route.authorization.authorizer === name) {
        for (const s of route.authorization.scopes) scopes.add(s);
      }
    }
    return {
      name,
      settings: withDefaults(plan, name),
      scopes: [...scopes].sort(),
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
