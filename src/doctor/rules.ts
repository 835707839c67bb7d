/**
 * The AWS troubleshooting guides for authorizer 401s/403s, as static rules over the model. Pure; each rule
 * names its source in the reference (`api-gateway-authorizers.md`).
 */

import { parsePublicRoute } from '../config/public-route.js';
import type { ProjectConfig } from '../config/types.js';
import type { AuthModel, Authorizer, GatewayResponse, Route } from '../model/types.js';
import { analyzeRegex } from './regex-analysis.js';
import type { DiagnoseOptions, Finding } from './types.js';

export type Rule = (model: AuthModel, config: ProjectConfig, options: DiagnoseOptions) => Finding[];

const routeName = (route: Route): string => `${route.method} ${route.path}`;

function routesOf(model: AuthModel, authorizer: Authorizer): Route[] {
  return model.routes.filter(
    (route) =>
      route.authorization.type === 'AUTHORIZER' && route.authorization.authorizer === authorizer.name,
  );
}

function listRoutes(routes: Route[], max = 5): string {
  const names = routes.map(routeName);
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Validation regexes (TOKEN: the token; Cognito: `aud`): compile, typo'd escapes, anchoring, backtracking. */
export const validationRegexRules: Rule = (model) => {
  const findings: Finding[] = [];
  for (const authorizer of model.authorizers) {
    const pattern = authorizer.validationExpression;
    if (pattern === undefined || (authorizer.kind !== 'TOKEN' && authorizer.kind !== 'COGNITO_USER_POOLS'))
      continue;
    const checked = authorizer.kind === 'TOKEN' ? 'token' : '`aud` claim';
    const analysis = analyzeRegex(pattern);
    if (analysis.compileError) {
      findings.push({
        rule: 'regex-invalid',
        severity: 'error',
        subject: authorizer.name,
        message: `The validation expression ${JSON.stringify(pattern)} does not compile (${analysis.compileError}).`,
        fix: `Fix the regular expression in identityValidationExpression, or remove it, then redeploy the API.`,
      });
    }
    if (analysis.escapedSpace) {
      findings.push({
        rule: 'regex-escaped-space',
        severity: 'error',
        subject: authorizer.name,
        message: `The validation expression ${JSON.stringify(pattern)} contains an escaped space ("\\ "): it requires a space in the ${checked}, so valid values get 401 Unauthorized.`,
        fix: `Remove the space after the backslash (e.g. \`\\ w{5}\` -> \`\\w{5}\`), then redeploy the API.`,
      });
    }
    if (!analysis.compileError && !analysis.anchored) {
      findings.push({
        rule: 'regex-unanchored',
        severity: 'warning',
        subject: authorizer.name,
        message: `The validation expression ${JSON.stringify(pattern)} is not anchored; AWS does not document whether it must match the whole ${checked}, so values with extra characters may pass or fail.`,
        fix: `Anchor it: ^...$ (with each alternative anchored), then redeploy the API.`,
      });
    }
    if (analysis.backtracking) {
      findings.push({
        rule: 'regex-backtracking',
        severity: 'warning',
        subject: authorizer.name,
        message: `The validation expression ${JSON.stringify(pattern)} is prone to catastrophic backtracking in ${JSON.stringify(analysis.backtracking)} (nested or overlapping repetition): a crafted ${checked} can make every check slow.`,
        fix: `Rewrite ${JSON.stringify(analysis.backtracking)} without a repetition inside a repetition (e.g. (a+)+ -> a+) and without overlapping alternatives under a quantifier.`,
      });
    }
  }
  return findings;
};

/** TOKEN authorizers read exactly one header (APIREF `Authorizer.identitySource`). */
export const tokenSourceRule: Rule = (model) =>
  model.authorizers
    .filter((authorizer) => authorizer.kind === 'TOKEN')
    .filter(
      (authorizer) =>
        authorizer.identitySources.length !== 1 || authorizer.identitySources[0]?.location !== 'header',
    )
    .map((authorizer) => ({
      rule: 'token-source-not-header',
      severity: 'error',
      subject: authorizer.name,
      message: `The TOKEN authorizer's token source is ${authorizer.identitySources.map((source) => source.expression).join(', ') || 'empty'}; a TOKEN authorizer reads exactly one request header.`,
      fix: 'Set identitySource to method.request.header.<Name> (console: Token Source = the header name), or use a REQUEST authorizer for query strings, stage variables or several sources.',
    }));

/** With caching on, a REQUEST authorizer needs identity sources (the cache key). */
export const requestCacheRule: Rule = (model) =>
  model.authorizers
    .filter(
      (authorizer) =>
        authorizer.kind === 'REQUEST' && authorizer.ttlSeconds > 0 && authorizer.identitySources.length === 0,
    )
    .map((authorizer) => ({
      rule: 'request-cache-without-sources',
      severity: 'error',
      subject: authorizer.name,
      message: `The REQUEST authorizer caches results (TTL ${authorizer.ttlSeconds} s) but has no identity sources: with caching on, identity sources are required and form the cache key.`,
      fix: 'Add the identity sources the function decides on (headers, query strings, stage variables), or set the TTL to 0.',
    }));

/** A cached Lambda policy is reused for other methods and paths (AGDG; KC-CACHE for `{proxy+}`). */
export const lambdaCachePolicyScopeRule: Rule = (model) => {
  const findings: Finding[] = [];
  for (const authorizer of model.authorizers) {
    if ((authorizer.kind !== 'TOKEN' && authorizer.kind !== 'REQUEST') || authorizer.ttlSeconds === 0)
      continue;
    const routes = routesOf(model, authorizer);
    const proxy = routes.some((route) => route.path.includes('+}'));
    const many = routes.length > 1 || routes.some((route) => route.method === 'ANY');
    if (!proxy && !many) continue;
    findings.push({
      rule: 'lambda-cache-policy-scope',
      severity: 'warning',
      subject: authorizer.name,
      message: `Caching is on (TTL ${authorizer.ttlSeconds} s) and the authorizer guards ${proxy ? 'a {proxy+} route' : 'several methods'} (${listRoutes(routes)}): the cached policy is reused for every method and path, so a policy that allows only the first method called gives 403 "User is not authorized to access this resource" on the others.`,
      fix: 'Return a policy whose Resource covers every method the token may call (e.g. arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/*), or set the TTL to 0.',
    });
  }
  return findings;
};

/** Access tokens carry no `aud`, so a Cognito validation expression rejects them (AGDG console text). */
export const cognitoScopesWithValidationRule: Rule = (model) => {
  const findings: Finding[] = [];
  for (const authorizer of model.authorizers) {
    if (authorizer.kind !== 'COGNITO_USER_POOLS' || authorizer.validationExpression === undefined) continue;
    const scoped = routesOf(model, authorizer).filter(
      (route) => route.authorization.type === 'AUTHORIZER' && route.authorization.scopes.length > 0,
    );
    if (scoped.length === 0) continue;
    findings.push({
      rule: 'cognito-scopes-with-validation',
      severity: 'error',
      subject: authorizer.name,
      message: `The Cognito authorizer has an identityValidationExpression (matched against the token's aud) and methods with OAuth scopes (${listRoutes(scoped)}), which need access tokens; access tokens carry no aud, so these methods always answer 401.`,
      fix: 'Remove the identityValidationExpression, or use a separate authorizer without it for the scoped methods.',
    });
  }
  return findings;
};

/** Routes without authorization must be listed as public; CORS preflights are exempt. */
export const unprotectedRouteRule: Rule = (model, config) => {
  const publicRoutes = new Set(
    config.publicRoutes.flatMap((entry) => {
      const parsed = parsePublicRoute(entry);
      return parsed ? [`${parsed.method} ${parsed.path}`] : [];
    }),
  );
  return model.routes
    .filter((route) => route.authorization.type === 'NONE' && route.method !== 'OPTIONS')
    .filter(
      (route) => !publicRoutes.has(`${route.method} ${route.path}`) && !publicRoutes.has(`ANY ${route.path}`),
    )
    .map((route) => ({
      rule: 'unprotected-route',
      severity: 'error',
      subject: routeName(route),
      message: `${routeName(route)} has no authorization and is not listed as public${route.apiKeyRequired ? ' (an API key is not authorization)' : ''}.`,
      fix: `Attach an authorizer (or AWS_IAM) to the method and redeploy, or add "${routeName(route)}" to publicRoutes in the config if it is public on purpose.`,
    }));
};

/** Authorizer 401/403s skip the method, so CORS headers must come from gateway responses (AGDG CORS pages). */
export const corsOnAuthErrorsRule: Rule = (model) => {
  if (!model.cors || !model.routes.some((route) => route.authorization.type === 'AUTHORIZER')) return [];
  const byType = new Map(model.gatewayResponses.map((response) => [response.type, response]));
  const fallback = byType.get('DEFAULT_4XX');
  const missing = new Map<string, string[]>();
  for (const [type, status] of [
    ['UNAUTHORIZED', '401'],
    ['ACCESS_DENIED', '403'],
  ] as const) {
    const own = byType.get(type);
    const effective: GatewayResponse | undefined = own ?? fallback;
    const subject = own ? type : 'DEFAULT_4XX';
    if (effective?.headers.some((header) => header.name.toLowerCase() === 'access-control-allow-origin'))
      continue;
    missing.set(subject, [...(missing.get(subject) ?? []), `${status} (${type})`]);
  }
  return [...missing.entries()].map(([subject, statuses]) => ({
    rule: 'cors-missing-on-auth-errors',
    severity: 'warning',
    subject,
    message: `The API answers CORS on its methods, but the ${subject} gateway response sets no Access-Control-Allow-Origin, so browsers hide authorizer ${statuses.join(' and ')} responses behind a CORS error.`,
    fix: `Add gatewayresponse.header.Access-Control-Allow-Origin: '${model.cors?.allowOrigin ?? '*'}' to the ${subject} gateway response (x-amazon-apigateway-gateway-responses or PutGatewayResponse), then redeploy the API.`,
  }));
};

const HOSTED_UI_DOMAIN = /\.auth(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazoncognito\.com$/;

/** The hosted UI (token endpoint) must belong to the same region as the user pool that issues the tokens. */
export const cognitoDomainRegionRule: Rule = (model, config) => {
  const findings: Finding[] = [];
  for (const authorizer of model.authorizers) {
    const domain = config.authorizers[authorizer.name]?.cognito?.domain;
    if (authorizer.kind !== 'COGNITO_USER_POOLS' || !domain) continue;
    let host: string;
    try {
      host = new URL(domain.includes('://') ? domain : `https://${domain}`).hostname;
    } catch {
      continue;
    }
    const domainRegion = HOSTED_UI_DOMAIN.exec(host)?.[1];
    if (!domainRegion) continue; // a custom domain: its region is not visible
    for (const pool of authorizer.userPools) {
      if (pool.region === domainRegion) continue;
      findings.push({
        rule: 'cognito-domain-region',
        severity: 'error',
        subject: authorizer.name,
        message: `The configured hosted-UI domain ${host} is in ${domainRegion}, but the user pool ${pool.userPoolId} is in ${pool.region}: tokens from that domain come from another user pool, and the authorizer answers 401.`,
        fix: `Use the domain of user pool ${pool.userPoolId} (https://<prefix>.auth.${pool.region}.amazoncognito.com) in authorizers.${authorizer.name}.cognito.domain.`,
      });
    }
  }
  return findings;
};

/** Live only: changes that are not deployed are invisible to clients. */
export const undeployedChangesRule: Rule = (_model, _config, options) =>
  (options.drift ?? []).map((drift) => ({
    rule: 'undeployed-changes',
    severity: 'warning',
    subject: drift.route,
    message: `${drift.route}: authorization changed but not redeployed (${drift.changes.join('; ')}); the stage still serves ${drift.deployed}.`,
    fix: `Redeploy the API to stage ${drift.stage} (aws apigateway create-deployment --rest-api-id ID --stage-name ${drift.stage}).`,
  }));

/** Every rule, in the order their findings are reported within a subject. */
export const RULES: readonly Rule[] = [
  validationRegexRules,
  tokenSourceRule,
  requestCacheRule,
  lambdaCachePolicyScopeRule,
  cognitoScopesWithValidationRule,
  unprotectedRouteRule,
  corsOnAuthErrorsRule,
  cognitoDomainRegionRule,
  undeployedChangesRule,
];
