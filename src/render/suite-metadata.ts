import type { CognitoTokenUse, TestPlan } from '../cases/types.js';
import { cachedTokenVariable, cognitoRenderings, oidcRenderings, tokenIssuerOf } from './cognito.js';
import type { SuiteAuthorizer, SuiteMetadata } from './descriptor.js';
import { allVariables } from './variables.js';

const TOKEN_USES: readonly CognitoTokenUse[] = ['id', 'access', 'unscoped-access'];

/**
 * What `run` needs about the suite before its first request (pre-flight, the parent's token fetch, reports): per
 * authorizer the token header, the Cognito pool, issuer, client id (a `{{variable}}` reference), token flows and
 * the variables the token logic caches tokens in; and the variables to supply. No secret ever goes in here.
 */
export function suiteMetadata(plan: TestPlan): SuiteMetadata {
  const cognito = new Map(cognitoRenderings(plan).map((c) => [c.name, c]));
  const oidc = new Map(oidcRenderings(plan).map((o) => [o.name, o]));
  const used = new Set(plan.cases.map((c) => c.authorizer).filter((a): a is string => a !== undefined));
  const authorizers = plan.model.authorizers
    .filter((a) => used.has(a.name))
    .map((a): SuiteAuthorizer => {
      const header =
        a.kind === 'TOKEN' || a.kind === 'COGNITO_USER_POOLS' || a.kind === 'JWT'
          ? a.identitySources.find((s) => s.location === 'header')?.name
          : undefined;
      const pool = a.userPools[0];
      const rendering = cognito.get(a.name);
      const oidcRendering = oidc.get(a.name);
      const issuer =
        a.kind === 'JWT'
          ? tokenIssuerOf(plan, a.name)
          : a.kind !== 'COGNITO_USER_POOLS'
            ? undefined
            : (plan.config.authorizers[a.name]?.cognito?.issuer ??
              (pool ? `https://cognito-idp.${pool.region}.amazonaws.com/${pool.userPoolId}` : undefined));
      const tokens = (needs: readonly CognitoTokenUse[]): Partial<Record<CognitoTokenUse, string>> =>
        Object.fromEntries(
          TOKEN_USES.filter((u) => needs.includes(u)).map((u) => [u, cachedTokenVariable(a.name, u)]),
        );
      return {
        name: a.name,
        kind: a.kind,
        ...(a.kind === 'JWT' && rendering !== undefined ? { provider: 'cognito' as const } : {}),
        ...(oidcRendering === undefined ? {} : { provider: 'oidc' as const }),
        ...(header === undefined ? {} : { tokenHeader: header }),
        ...(issuer === undefined ? {} : { issuer }),
        ...(pool === undefined ? {} : { userPoolId: pool.userPoolId, region: pool.region }),
        ...(rendering === undefined
          ? {}
          : {
              clientId: `{{${a.name}.clientId}}`,
              tokenFlows: {
                token: rendering.settings.tokenFlow,
                ...(rendering.settings.accessTokenFlow === undefined
                  ? {}
                  : { accessToken: rendering.settings.accessTokenFlow }),
              },
              tokenVariables: tokens(rendering.needs),
            }),
        ...(oidcRendering === undefined
          ? {}
          : {
              clientId: `{{${a.name}.clientId}}`,
              tokenFlows: { token: oidcRendering.settings.tokenFlow },
              tokenVariables: tokens(oidcRendering.needs),
            }),
      };
    });
  const variables = allVariables(plan);
  return {
    format: 1,
    authorizers,
    variables: {
      required: variables.filter((v) => v.required).map((v) => v.key),
      optional: variables.filter((v) => !v.required).map((v) => v.key),
    },
  };
}
