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
  settingsFor,
  variableRef,
  wantsDeepCases,
  wantsDeepKeyCases,
} from './context.js';
import type { Derived, Deriver, RouteCases } from './context.js';
import { REJECT } from './expectations.js';
import type { Rejection } from './expectations.js';
import { hint } from './hints.js';
import { API_KEY_HEADER, API_KEY_VARIABLE } from './route-request.js';
import {
  credentialOf,
  identityNegatives,
  isClientSupplied,
  missingSourcesCase,
  noClientSourceWarnings,
} from './client-sources.js';
import type { ClientSource, IdentityAnswers } from './client-sources.js';

/**
 * A missing source with caching on is rejected with 401 before the Lambda runs. With TTL 0, AWS does not say
 * whether that pre-check still applies (reference open question 3): the Lambda may then decide.
 */
function missingRejections(authorizer: Authorizer): Rejection[] {
  return authorizer.ttlSeconds > 0
    ? [REJECT.unauthorized]
    : [REJECT.unauthorized, REJECT.implicitDeny, REJECT.explicitDeny];
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
  const warnings = noClientSourceWarnings(authorizer, sources);
  const answers: IdentityAnswers = {
    missing: { hint: hint('identitySources', 'caching'), rejections: missingRejections(authorizer) },
    unknown: {
      hint: hint('lambdaDecision', 'authorizerConfiguration'),
      rejections: [REJECT.unauthorized, REJECT.implicitDeny, REJECT.explicitDeny],
    },
  };
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
    const missing = missingSourcesCase(ctx, base, sources, answers);
    const deeper = wantsDeepCases(ctx.depth, index) ? identityNegatives(ctx, base, sources, answers) : [];
    const keyCases = apiKeyCases(ctx, base, valid, wantsDeepKeyCases(ctx.depth, routes, route));
    return { positive, negatives: [missing, ...keyCases, ...deeper] };
  });
  const bleed = cacheBleedCases(ctx, authorizer, routes, valid, 'valid identity');
  return { cases: orderGroup(perRoute, bleed), warnings };
};
