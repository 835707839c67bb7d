/**
 * Cases for Lambda REQUEST authorizers: one folder per authorizer. Only headers and query strings are sent by
 * the client; stage variables and context values come from API Gateway itself.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization-with-console.html
 */

import type { Authorizer, IdentitySource } from '../model/types.js';
import { cacheBleedCases } from './cache-bleed.js';
import {
  allowCase,
  apiKeyCases,
  apiKeySourceOf,
  orderGroup,
  rejectCase,
  settingsFor,
  variableRef,
  wantsDeepCases,
  wantsDeepKeyCases,
} from './context.js';
import type { CaseSpec, DeriveContext, Derived, Deriver, RouteCases } from './context.js';
import { REJECT } from './expectations.js';
import type { Rejection } from './expectations.js';
import { hint } from './hints.js';
import { API_KEY_HEADER, API_KEY_VARIABLE } from './route-request.js';
import type { AuthCase, Credential } from './types.js';

/** The value every client-supplied source gets in the unknown-values case. */
export const UNKNOWN_IDENTITY_VALUE = 'apigw-authz-unknown';

interface ClientSource {
  source: IdentitySource;
  value: string;
}

function isClientSupplied(source: IdentitySource): boolean {
  return source.location === 'header' || source.location === 'querystring';
}

function describe(source: IdentitySource): string {
  return source.location === 'header' ? `header ${source.name}` : `query string ${source.name}`;
}

/** Raw headers and query parameters for the given sources, each with the value `valueOf` picks. */
function credentialOf(sources: ClientSource[], valueOf: (source: ClientSource) => string): Credential {
  return {
    kind: 'raw',
    headers: sources
      .filter(({ source }) => source.location === 'header')
      .map((entry) => ({ name: entry.source.name, value: valueOf(entry) })),
    query: sources
      .filter(({ source }) => source.location === 'querystring')
      .map((entry) => ({ name: entry.source.name, value: valueOf(entry) })),
  };
}

/**
 * A missing source with caching on is rejected with 401 before the Lambda runs. With TTL 0, AWS does not say
 * whether that pre-check still applies (reference open question 3): the Lambda may then decide.
 */
function missingRejections(authorizer: Authorizer): Rejection[] {
  return authorizer.ttlSeconds > 0
    ? [REJECT.unauthorized]
    : [REJECT.unauthorized, REJECT.implicitDeny, REJECT.explicitDeny];
}

function deeperNegatives(
  ctx: DeriveContext,
  authorizer: Authorizer,
  base: Pick<CaseSpec, 'route' | 'authorizer' | 'group' | 'routeHeaders'>,
  sources: ClientSource[],
): AuthCase[] {
  const cases: AuthCase[] = [];
  // with one source, "missing credentials" already withholds it
  if (sources.length > 1) {
    for (const missing of sources) {
      const rest = sources.filter((entry) => entry !== missing);
      const prefix = missing.source.location === 'header' ? 'header' : 'query';
      cases.push(
        rejectCase(
          ctx,
          {
            ...base,
            id: `missing-${prefix}-${missing.source.name}`,
            label: `missing ${describe(missing.source)}`,
            credential: credentialOf(rest, (entry) => entry.value),
            polarity: 'negative',
            hint: hint('identitySources', 'caching'),
          },
          missingRejections(authorizer),
        ),
      );
    }
  }
  cases.push(
    rejectCase(
      ctx,
      {
        ...base,
        id: 'unknown-identity',
        label: 'unknown identity values',
        credential: credentialOf(sources, () => UNKNOWN_IDENTITY_VALUE),
        polarity: 'negative',
        hint: hint('lambdaDecision', 'authorizerConfiguration'),
      },
      [REJECT.unauthorized, REJECT.implicitDeny, REJECT.explicitDeny],
    ),
  );
  return cases;
}

/** @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html */
export const deriveRequestCases: Deriver = (authorizer, routes, ctx): Derived => {
  const settings = settingsFor(ctx, authorizer.name);
  // The API key header as an identity source: one header is both, so its valid value is the API key.
  const keyIsSource = (source: IdentitySource): boolean =>
    source.location === 'header' &&
    source.name.toLowerCase() === API_KEY_HEADER &&
    apiKeySourceOf(ctx) === 'HEADER' &&
    routes.some((route) => route.apiKeyRequired);
  const sources: ClientSource[] = authorizer.identitySources.filter(isClientSupplied).map((source) => ({
    source,
    value:
      settings.validIdentity[source.expression] ??
      (keyIsSource(source) ? `{{${API_KEY_VARIABLE}}}` : variableRef(authorizer.name, source.expression)),
  }));
  // Requests then carry the header once, from the credential: a missing-source case removes it entirely.
  const routeHeaders = sources.some(({ source }) => keyIsSource(source)) ? { routeHeaders: [] } : {};
  const warnings =
    sources.length === 0
      ? [
          `${authorizer.name}: no header or query-string identity source, so a request cannot withhold ` +
            'credentials; only positive cases are generated.',
        ]
      : [];
  const valid = credentialOf(sources, (entry) => entry.value);
  const group = { title: authorizer.name };
  const perRoute: RouteCases[] = routes.map((route, index) => {
    const base = { route, authorizer, group, ...routeHeaders };
    const positive = allowCase(ctx, {
      ...base,
      id: 'allow',
      label: 'all identity sources valid',
      credential: valid,
      polarity: 'positive',
      hint: hint('identitySources', 'authorizerConfiguration', 'lambdaDecision', 'redeploy'),
    });
    if (sources.length === 0) return { positive, negatives: [] };
    const only = sources.length === 1 ? sources[0] : undefined;
    const missing = rejectCase(
      ctx,
      {
        ...base,
        id: 'missing-credentials',
        label: only ? `missing ${describe(only.source)}` : 'missing identity sources',
        credential: { kind: 'none' },
        polarity: 'negative',
        hint: hint('identitySources', 'caching'),
      },
      missingRejections(authorizer),
    );
    const deeper = wantsDeepCases(ctx.depth, index) ? deeperNegatives(ctx, authorizer, base, sources) : [];
    const keyCases = apiKeyCases(ctx, base, valid, wantsDeepKeyCases(ctx.depth, routes, route));
    return { positive, negatives: [missing, ...keyCases, ...deeper] };
  });
  const bleed = cacheBleedCases(ctx, authorizer, routes, valid, 'valid identity');
  return { cases: orderGroup(perRoute, bleed), warnings };
};
