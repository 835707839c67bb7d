/**
 * Cases for JWT authorizers, on HTTP APIs (one issuer, RSA only, `www-authenticate` answers) and REST APIs
 * (issuers, an algorithm allow-list, additional claims): one folder per (authorizer, scope set), as for Cognito.
 *
 * Real tokens come from the authorizer's `cognito:` or `oidc:` settings (`cognito-token` credentials; an OIDC
 * issuer has no ID token). Tokens only the issuer can mint (expired, another issuer...) are optional secret
 * variables, each case skipped while its variable is empty. Expectations are exact where the reference records
 * AWS's answer (HTTP APIs, §B.3) and otherwise as open as CONTRACT.md says (REST, §A.3).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-jwt-authorizer.html
 */

import { jwtTokenProvider } from '../config/token-provider.js';
import type { AuthorizerSettings } from '../config/types.js';
import { apiKindOf } from '../model/types.js';
import type { Authorizer, JwtIssuer, Route } from '../model/types.js';
import {
  BEARER_PREFIX,
  NOT_A_JWT,
  SIGNIN_SCOPE,
  groupByScopes,
  hasUnscopedAccessToken,
  passwordScopeWarnings,
} from './cognito-user-pools.js';
import { allowCase, orderGroup, rejectCase, settingsFor, variableRef, wantsDeepCases } from './context.js';
import type { CaseSpec, DeriveContext, Derived, Deriver, RouteCases, WwwAuthenticate } from './context.js';
import { REJECT } from './expectations.js';
import type { Rejection } from './expectations.js';
import { hint } from './hints.js';
import type { HintKey } from './hints.js';
import { JWT_FORGERY_SPECS, forgedVariants } from './jwt-forgeries.js';
import type { AuthCase, BodyJsonCheck, CognitoTokenUse, Credential } from './types.js';

/** The `error_description` texts AWS is recorded to send (reference §B.3); others are not asserted. */
export const JWT_DESCRIPTIONS = {
  malformed: 'token contains an invalid number of segments',
  audience: 'the token does not have a valid audience',
  expired: 'the token has expired',
} as const;

/** Where the authorizer's real tokens come from at run time. */
interface TokenProvider {
  kind: 'cognito' | 'oidc';
  /** The Cognito ID token can be had (an OIDC issuer, or a client_credentials-only pool client, has none). */
  idToken: boolean;
  /** A real access token without the routes' scopes can be had (for the missing-scope case). */
  unscopedAccess: (scopes: string[]) => boolean;
  /** The client whose tokens carry `aud` / `client_id` = it, when known. */
  clientId?: string;
}

function providerOf(authorizer: Authorizer, settings: AuthorizerSettings): TokenProvider {
  const { cognito, oidc } = settings;
  if (jwtTokenProvider(authorizer, settings) === 'cognito') {
    return {
      kind: 'cognito',
      idToken: (cognito?.tokenFlow ?? 'password') !== 'client_credentials',
      unscopedAccess: (scopes) => hasUnscopedAccessToken(cognito) && !scopes.includes(SIGNIN_SCOPE),
      ...(cognito?.clientId === undefined ? {} : { clientId: cognito.clientId }),
    };
  }
  return {
    kind: 'oidc',
    idToken: false,
    unscopedAccess: (scopes) =>
      oidc !== undefined &&
      oidc.tokenFlow !== 'static' &&
      !oidc.scopes.some((scope) => scopes.includes(scope)),
    ...(oidc?.clientId === undefined ? {} : { clientId: oidc.clientId }),
  };
}

/** The issuer the config's tokens come from: `oidc.issuer` when it names one of the authorizer's, else the first. */
function tokenIssuer(authorizer: Authorizer, settings: AuthorizerSettings): JwtIssuer | undefined {
  const issuers = authorizer.jwt?.issuers ?? [];
  return issuers.find((entry) => entry.issuer === settings.oidc?.issuer) ?? issuers[0];
}

/** The route's own scopes, in source order (AWS lists them so in `www-authenticate`). */
function scopesOf(route: Route): string[] {
  return route.authorization.type === 'AUTHORIZER' ? route.authorization.scopes : [];
}

/** What one authorizer's cases share. */
interface JwtDerivation {
  ctx: DeriveContext;
  authorizer: Authorizer;
  http: boolean;
  provider: TokenProvider;
  issuer: JwtIssuer | undefined;
  /** The identity source: a header, or (HTTP APIs) a query parameter. */
  source: { location: 'header' | 'querystring'; name: string };
}

type Base = Pick<CaseSpec, 'route' | 'authorizer' | 'group'>;

function rawToken(d: JwtDerivation, value: string): Credential {
  const entry = [{ name: d.source.name, value }];
  return d.source.location === 'header'
    ? { kind: 'raw', headers: entry, query: [] }
    : { kind: 'raw', headers: [], query: entry };
}

function unauthorized(d: JwtDerivation): Rejection {
  return d.http ? REJECT.httpUnauthorized : REJECT.restJwtUnauthorized;
}

/** The `invalid_token` expectations, one object per description: the cases share them (never mutated). */
const INVALID_TOKEN: WwwAuthenticate = { error: 'invalid_token' };
const invalidTokenDescribed = new Map<string, WwwAuthenticate>();
/** The missing-token expectation of HTTP APIs: a `www-authenticate` header without an error. */
const NO_TOKEN: WwwAuthenticate = {};

/** HTTP APIs: `Bearer error="invalid_token"`, with the description where AWS's text is recorded. */
function invalidToken(d: JwtDerivation, description?: string): WwwAuthenticate | undefined {
  if (!d.http) return undefined;
  if (description === undefined) return INVALID_TOKEN;
  let www = invalidTokenDescribed.get(description);
  if (www === undefined) {
    www = { error: 'invalid_token', description };
    invalidTokenDescribed.set(description, www);
  }
  return www;
}

/** A valid token without any of `route`'s scopes: 403 (HTTP: `insufficient_scope` naming them). */
function insufficientScope(d: JwtDerivation, route: Route): [Rejection[], WwwAuthenticate | undefined] {
  if (!d.http) return [[REJECT.restJwtForbidden], undefined];
  const scopes = scopesOf(route).join(' ');
  return [
    [REJECT.httpForbidden],
    { error: 'insufficient_scope', description: `expected scopes: [${scopes}]` },
  ];
}

function negative(
  base: Base,
  spec: Pick<CaseSpec, 'id' | 'label' | 'credential' | 'hint' | 'skipUnlessVariable'>,
): CaseSpec {
  // Property by property rather than two spreads: one of these per negative case.
  const built: CaseSpec = {
    route: base.route,
    group: base.group,
    id: spec.id,
    label: spec.label,
    credential: spec.credential,
    hint: spec.hint,
    polarity: 'negative',
  };
  if (base.authorizer !== undefined) built.authorizer = base.authorizer;
  if (spec.skipUnlessVariable !== undefined) built.skipUnlessVariable = spec.skipUnlessVariable;
  return built;
}

/** The tokens only the issuer can mint, each an optional variable `NAME.<variable>`. */
interface SuppliedToken {
  id: string;
  variable: string;
  label: string;
  hint: HintKey;
  /** The recorded `error_description` (HTTP APIs). */
  description?: string;
  /** REST: the expired token may get Cognito's wording too. */
  rejections?: Rejection[];
}

function suppliedTokens(d: JwtDerivation): SuppliedToken[] {
  const tokens: SuppliedToken[] = [
    {
      id: 'expired',
      variable: 'expiredToken',
      label: 'expired token',
      hint: 'jwtExpired',
      description: JWT_DESCRIPTIONS.expired,
      // REST JWT: the wording is not documented; REST Cognito's expired text is the other candidate.
      ...(d.http ? {} : { rejections: [REJECT.restJwtUnauthorized, REJECT.expired] }),
    },
    {
      id: 'not-yet-valid',
      variable: 'notYetValidToken',
      label: 'token with nbf in the future',
      hint: 'jwtExpired',
    },
    { id: 'other-issuer', variable: 'otherIssuerToken', label: 'token of another issuer', hint: 'jwtIssuer' },
    {
      id: 'issuer-slash',
      variable: 'issuerSlashToken',
      label: 'iss with the trailing slash added or removed',
      hint: 'jwtIssuer',
    },
    {
      id: 'other-audience',
      variable: 'otherAudienceToken',
      label: d.http
        ? 'token for another audience (neither aud nor client_id accepted)'
        : 'token for another audience',
      hint: d.http ? 'jwtAudienceHttp' : 'jwtAudienceRest',
      description: JWT_DESCRIPTIONS.audience,
    },
  ];
  if (!d.http) {
    const claims = d.issuer?.claims ?? [];
    const required = claims.find((rule) => rule.required);
    const valued = claims.find((rule) => rule.values.length > 0);
    if (required) {
      tokens.push({
        id: 'missing-claim',
        variable: 'missingClaimToken',
        label: `token without the required claim ${required.name}`,
        hint: 'jwtClaims',
      });
    }
    if (valued) {
      tokens.push({
        id: 'wrong-claim',
        variable: 'wrongClaimToken',
        label: `token whose ${valued.name} is none of ${valued.values.join(', ')}`,
        hint: 'jwtClaims',
      });
    }
  }
  return tokens;
}

function forgeryHint(forgery: string): HintKey {
  if (forgery === 'space-inside') return 'jwtMalformed';
  if (forgery === 'unknown-kid') return 'jwtKeys';
  return 'jwtAlgorithms';
}

/** The deeper negatives of one route: malformed, forged, supplied and scope cases. */
function deeperNegatives(d: JwtDerivation, base: Base, validUse: CognitoTokenUse | undefined): AuthCase[] {
  const { ctx, authorizer, http, provider } = d;
  const name = authorizer.name;
  const route = base.route;
  const scoped = scopesOf(route).length > 0;
  const cases: AuthCase[] = [
    rejectCase(
      ctx,
      negative(base, {
        id: 'not-a-jwt',
        label: 'not a JWT',
        credential: rawToken(d, NOT_A_JWT),
        hint: hint('jwtMalformed'),
      }),
      [unauthorized(d)],
      invalidToken(d, JWT_DESCRIPTIONS.malformed),
    ),
  ];
  if (validUse !== undefined && d.source.location === 'header') {
    for (const { spec, credential } of forgedVariants(
      { kind: 'cognito', authorizer: name, tokenUse: validUse },
      d.source.name,
      JWT_FORGERY_SPECS,
    )) {
      cases.push(
        rejectCase(
          ctx,
          negative(base, {
            id: spec.id,
            label: spec.label,
            credential,
            hint: hint(forgeryHint(spec.forgery)),
          }),
          [unauthorized(d)],
          invalidToken(d),
        ),
      );
    }
  }
  for (const token of suppliedTokens(d)) {
    cases.push(
      rejectCase(
        ctx,
        negative(base, {
          id: token.id,
          label: token.label,
          credential: rawToken(d, variableRef(name, token.variable)),
          hint: hint(token.hint),
          skipUnlessVariable: `${name}.${token.variable}`,
        }),
        token.rejections ?? [unauthorized(d)],
        invalidToken(d, token.description),
      ),
    );
  }
  if (scoped && d.source.location === 'header') {
    const audienceKnown =
      provider.clientId !== undefined && (d.issuer?.audiences ?? []).includes(provider.clientId);
    const [rejections, www] = insufficientScope(d, route);
    const scopes = scopesOf(route).join(' or ');
    if (provider.unscopedAccess(scopesOf(route)) && (provider.kind === 'oidc' || audienceKnown)) {
      cases.push(
        rejectCase(
          ctx,
          negative(base, {
            id: 'missing-scope',
            label: `access token without scope ${scopes}`,
            credential: {
              kind: 'cognito-token',
              authorizer: name,
              tokenUse: 'unscoped-access',
              header: d.source.name,
            },
            hint: hint(http ? 'jwtScopeHttp' : 'jwtScopeRest'),
          }),
          rejections,
          www,
        ),
      );
    }
    // The ID token carries the client id as `aud` but no scope: past the audience check, stopped by the scopes.
    if (provider.idToken && audienceKnown) {
      cases.push(
        rejectCase(
          ctx,
          negative(base, {
            id: 'wrong-token-use',
            label: `ID token where an access token with scope ${scopes} is expected`,
            credential: { kind: 'cognito-token', authorizer: name, tokenUse: 'id', header: d.source.name },
            hint: hint('jwtIdVsAccess', http ? 'jwtScopeHttp' : 'jwtScopeRest'),
          }),
          rejections,
          www,
        ),
      );
    }
  }
  return cases;
}

/** `authorizer.jwt.claims.<key>` (HTTP, payload 2.0) or `authorizer.claims.<key>` (REST) per `expectContext`. */
function contextChecks(http: boolean, expected: Record<string, unknown>): BodyJsonCheck[] {
  return Object.keys(expected)
    .sort()
    .map((key) => ({
      path: http ? ['authorizer', 'jwt', 'claims', key] : ['authorizer', 'claims', key],
      value: expected[key],
    }));
}

/** @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html */
export const deriveJwtCases: Deriver = (authorizer, routes, ctx): Derived => {
  const settings = settingsFor(ctx, authorizer.name);
  const http = apiKindOf(ctx.model) === 'HTTP';
  const identity = authorizer.identitySources[0];
  const source =
    identity?.location === 'querystring'
      ? { location: 'querystring' as const, name: identity.name }
      : { location: 'header' as const, name: identity?.name ?? 'Authorization' };
  const d: JwtDerivation = {
    ctx,
    authorizer,
    http,
    provider: providerOf(authorizer, settings),
    issuer: tokenIssuer(authorizer, settings),
    source,
  };
  const name = authorizer.name;
  const warnings: string[] = [];
  const tokens = source.location === 'header';
  if (!tokens) {
    warnings.push(
      `${name}: the token is read from query parameter ${source.name}; the token scripts send tokens in headers, ` +
        'so only the cases without a real token (missing, not a JWT, supplied tokens) are generated.',
    );
  }
  const cognito = settings.cognito;
  const cases: AuthCase[] = [];
  let contextDone = false;
  // What every route's missing-token case shares.
  const missingLabel = `missing ${source.location === 'header' ? `${source.name} header` : `query parameter ${source.name}`}`;
  const missingHint = hint('jwtMissing', 'redeploy');
  const unauthorizedList = [unauthorized(d)];
  for (const { scopes, routes: groupRoutes } of groupByScopes(routes)) {
    const scoped = scopes.length > 0;
    warnings.push(...passwordScopeWarnings(name, scopes, cognito));
    // Unscoped routes: the Cognito ID token (aud = the app client) where there is one, else an access token.
    const validUse: CognitoTokenUse | undefined = tokens
      ? scoped || !d.provider.idToken
        ? 'access'
        : 'id'
      : undefined;
    const valid: Credential | undefined =
      validUse === undefined
        ? undefined
        : { kind: 'cognito-token', authorizer: name, tokenUse: validUse, header: source.name };
    const validLabel =
      validUse === 'id'
        ? 'valid ID token'
        : scoped
          ? `valid access token with scope ${scopes.join(' or ')}`
          : 'valid access token';
    const group = { title: name, scopes };
    const positiveHint = hint(
      'jwtIssuer',
      http ? 'jwtAudienceHttp' : 'jwtAudienceRest',
      scoped ? (http ? 'jwtScopeHttp' : 'jwtScopeRest') : 'jwtIdVsAccess',
      'jwtExpired',
      'redeploy',
    );
    const perRoute: RouteCases[] = [];
    const extras: AuthCase[] = [];
    groupRoutes.forEach((route, index) => {
      const base: Base = { route, authorizer, group };
      const missing = rejectCase(
        ctx,
        negative(base, {
          id: 'missing-credentials',
          label: missingLabel,
          credential: { kind: 'none' },
          hint: missingHint,
        }),
        unauthorizedList,
        http ? NO_TOKEN : undefined,
      );
      const deep = wantsDeepCases(ctx.depth, index) ? deeperNegatives(d, base, validUse) : [];
      if (!valid) {
        // No real token: the missing case stands in as the route's first case.
        perRoute.push({ positive: missing, negatives: deep });
        return;
      }
      const positive = allowCase(ctx, {
        ...base,
        id: 'allow',
        label: validLabel,
        credential: valid,
        polarity: 'positive',
        hint: positiveHint,
      });
      perRoute.push({ positive, negatives: [missing, ...deep] });
      if (index !== 0) return;
      if (http && ctx.depth !== 'smoke') {
        extras.push(
          allowCase(ctx, {
            ...base,
            id: 'bearer-prefix',
            label: `${validLabel} with a "Bearer " prefix`,
            credential: { ...valid, prefix: BEARER_PREFIX },
            polarity: 'positive',
            hint: hint('jwtBearer', 'redeploy'),
          }),
        );
      }
      // HTTP APIs compare client_id when a token has no aud: a Cognito access token passes an unscoped route.
      if (
        http &&
        ctx.depth !== 'smoke' &&
        !scoped &&
        validUse === 'id' &&
        d.provider.kind === 'cognito' &&
        (cognito?.tokenFlow ?? 'password') !== 'client_credentials'
      ) {
        extras.push(
          allowCase(ctx, {
            ...base,
            id: 'client-id-fallback',
            label: 'access token (client_id, no aud)',
            credential: { ...valid, tokenUse: 'unscoped-access' },
            polarity: 'positive',
            hint: hint('jwtAudienceHttp', 'jwtIdVsAccess'),
          }),
        );
      }
      const expected = settings.expectContext;
      if (expected !== undefined && Object.keys(expected).length > 0 && !contextDone) {
        contextDone = true;
        const built = allowCase(ctx, {
          ...base,
          id: 'authorizer-context',
          label: `claims reach the integration (${Object.keys(expected).sort().join(', ')})`,
          credential: valid,
          polarity: 'positive',
          hint: hint('httpLambdaContext'),
        });
        extras.push({ ...built, expect: { outcome: 'authorized', bodyJson: contextChecks(http, expected) } });
      }
    });
    for (const c of orderGroup(perRoute, extras)) cases.push(c); // no push(...big): stack overflow
  }
  return { cases, warnings };
};
