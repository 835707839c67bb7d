/**
 * Cases for COGNITO_USER_POOLS authorizers, one folder per (authorizer, scope set).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 * @see https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
 */

import type { CognitoSettings } from '../config/types.js';
import type { Authorizer, Route } from '../model/types.js';
import {
  allowCase,
  apiKeyCases,
  missingTokenHeaderCase,
  orderGroup,
  rejectCase,
  settingsFor,
  variableRef,
  wantsDeepCases,
  wantsDeepKeyCases,
} from './context.js';
import type { CaseSpec, DeriveContext, Derived, Deriver, RouteCases } from './context.js';
import { REJECT } from './expectations.js';
import { hint } from './hints.js';
import { forgedVariants } from './jwt-forgeries.js';
import type { AuthCase, CognitoTokenUse, Credential } from './types.js';

/** What the Bearer case puts before the token: the word and exactly one space, as HTTP clients send it. */
export const BEARER_PREFIX = 'Bearer ';

/** The one scope a USER_PASSWORD_AUTH access token carries. */
export const SIGNIN_SCOPE = 'aws.cognito.signin.user.admin';
/** What the not-a-JWT case sends (Cognito and JWT authorizers). */
export const NOT_A_JWT = 'not-a-jwt';

interface ScopeGroup {
  /** Sorted: the folder key. */
  scopes: string[];
  routes: Route[];
}

/**
 * Routes grouped by their sorted scope set; groups sorted with the unscoped (ID token) group first. Shared with
 * JWT authorizers, whose folders follow the same scope sets.
 */
export function groupByScopes(routes: Route[]): ScopeGroup[] {
  const groups = new Map<string, ScopeGroup>();
  for (const route of routes) {
    const scopes = route.authorization.type === 'AUTHORIZER' ? [...route.authorization.scopes].sort() : [];
    const key = scopes.join(' ');
    const group = groups.get(key) ?? { scopes, routes: [] };
    group.routes.push(route);
    groups.set(key, group);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

/**
 * Whether an access token without the method's scopes can be had: the plain access token of `tokenFlow`
 * (password: scope `aws.cognito.signin.user.admin` only; static: the given one) differs from the scoped one
 * only when scoped tokens come from another flow.
 */
export function hasUnscopedAccessToken(cognito: CognitoSettings | undefined): boolean {
  if (!cognito) return false;
  const { tokenFlow, accessTokenFlow } = cognito;
  return (
    (tokenFlow === 'password' || tokenFlow === 'static') &&
    accessTokenFlow !== undefined &&
    accessTokenFlow !== tokenFlow
  );
}

/** Scoped routes whose access tokens would come from USER_PASSWORD_AUTH, which grants none of their scopes. */
export function passwordScopeWarnings(
  authorizer: string,
  scopes: string[],
  cognito: CognitoSettings | undefined,
): string[] {
  const password = cognito !== undefined && (cognito.accessTokenFlow ?? cognito.tokenFlow) === 'password';
  if (scopes.length === 0 || !password || scopes.includes(SIGNIN_SCOPE)) return [];
  return [
    `${authorizer}: routes with scopes ${scopes.join(', ')} need an access token carrying them, but ` +
      `USER_PASSWORD_AUTH access tokens carry only ${SIGNIN_SCOPE}; set cognito.accessTokenFlow ` +
      '(client_credentials or static) so their positive cases can pass.',
  ];
}

function deeperNegatives(
  ctx: DeriveContext,
  authorizer: Authorizer,
  base: Omit<CaseSpec, 'id' | 'label' | 'credential' | 'polarity' | 'hint'>,
  scopes: string[],
  header: string,
  cognito: CognitoSettings | undefined,
): AuthCase[] {
  const name = authorizer.name;
  const scoped = scopes.length > 0;
  const rightUse: CognitoTokenUse = scoped ? 'access' : 'id';
  const negative = (spec: Pick<CaseSpec, 'id' | 'label' | 'credential' | 'hint' | 'skipUnlessVariable'>) => ({
    ...base,
    ...spec,
    polarity: 'negative' as const,
  });
  const cases: AuthCase[] = [
    rejectCase(
      ctx,
      negative({
        id: 'not-a-jwt',
        label: 'not a JWT',
        credential: { kind: 'raw', headers: [{ name: header, value: NOT_A_JWT }], query: [] },
        hint: hint('tokenSpaces', 'jwtForgery'),
      }),
      [REJECT.unauthorized],
    ),
  ];
  for (const { spec, credential } of forgedVariants(
    { kind: 'cognito', authorizer: name, tokenUse: rightUse },
    header,
  )) {
    const hintKey =
      spec.forgery === 'space-inside'
        ? 'tokenSpaces'
        : spec.forgery === 'other-issuer'
          ? 'cognitoPoolIssuer'
          : 'jwtForgery';
    cases.push(
      rejectCase(ctx, negative({ id: spec.id, label: spec.label, credential, hint: hint(hintKey) }), [
        REJECT.unauthorized,
      ]),
    );
  }
  cases.push(
    rejectCase(
      ctx,
      negative({
        id: 'wrong-token-use',
        label: scoped
          ? 'ID token where an access token is expected'
          : 'access token where an ID token is expected',
        credential: {
          kind: 'cognito-token',
          authorizer: name,
          tokenUse: scoped ? 'id' : 'unscoped-access',
          header,
        },
        hint: hint('cognitoIdVsAccess'),
      }),
      [REJECT.unauthorized],
    ),
  );
  if (scoped && hasUnscopedAccessToken(cognito) && !scopes.includes(SIGNIN_SCOPE)) {
    cases.push(
      rejectCase(
        ctx,
        negative({
          id: 'missing-scope',
          label: `access token without scope ${scopes.join(' or ')}`,
          credential: { kind: 'cognito-token', authorizer: name, tokenUse: 'unscoped-access', header },
          hint: hint('cognitoScope'),
        }),
        [REJECT.unauthorized],
      ),
    );
  }
  const expiredVariable = `${name}.expiredToken`;
  cases.push(
    rejectCase(
      ctx,
      negative({
        id: 'expired',
        label: 'expired token',
        credential: {
          kind: 'raw',
          headers: [{ name: header, value: variableRef(name, 'expiredToken') }],
          query: [],
        },
        hint: hint('cognitoExpired'),
        skipUnlessVariable: expiredVariable,
      }),
      [REJECT.expired],
    ),
  );
  return cases;
}

/** @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html */
export const deriveCognitoCases: Deriver = (authorizer, routes, ctx): Derived => {
  const header = authorizer.identitySources[0]?.name ?? 'Authorization';
  const cognito = settingsFor(ctx, authorizer.name).cognito;
  const cases: AuthCase[] = [];
  const warnings: string[] = [];
  for (const { scopes, routes: groupRoutes } of groupByScopes(routes)) {
    const scoped = scopes.length > 0;
    warnings.push(...passwordScopeWarnings(authorizer.name, scopes, cognito));
    const valid: Credential = {
      kind: 'cognito-token',
      authorizer: authorizer.name,
      tokenUse: scoped ? 'access' : 'id',
      header,
    };
    const perRoute: RouteCases[] = groupRoutes.map((route, index) => {
      const base = { route, authorizer, group: { title: authorizer.name, scopes } };
      const positive = allowCase(ctx, {
        ...base,
        id: 'allow',
        label: scoped ? `valid access token with scope ${scopes.join(' or ')}` : 'valid ID token',
        credential: valid,
        polarity: 'positive',
        hint: hint(
          'cognitoPoolIssuer',
          scoped ? 'cognitoScope' : 'cognitoIdVsAccess',
          'cognitoExpired',
          'redeploy',
        ),
      });
      const missing = missingTokenHeaderCase(ctx, base, header);
      const deeper = wantsDeepCases(ctx.depth, index)
        ? deeperNegatives(ctx, authorizer, base, scopes, header, cognito)
        : [];
      const keyCases = apiKeyCases(ctx, base, valid, wantsDeepKeyCases(ctx.depth, groupRoutes, route));
      return { positive, negatives: [missing, ...keyCases, ...deeper] };
    });
    const first = groupRoutes[0];
    // Asked for in the config only: some client libraries send the prefix, some do not.
    const bearer =
      cognito?.bearerPrefixCase === true && first !== undefined
        ? [
            allowCase(ctx, {
              route: first,
              authorizer,
              group: { title: authorizer.name, scopes },
              id: 'bearer-prefix',
              label: `valid ${scoped ? 'access' : 'ID'} token with a "Bearer " prefix`,
              credential: { ...valid, prefix: BEARER_PREFIX },
              polarity: 'positive',
              hint: hint('bearerPrefix', 'redeploy'),
            }),
          ]
        : [];
    for (const c of orderGroup(perRoute, bearer)) cases.push(c); // no push(...big): stack overflow
  }
  return { cases, warnings };
};
