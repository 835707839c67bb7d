/**
 * The AWS troubleshooting guides for authorizer 401s/403s, as static rules over the model. Pure; each rule
 * names its source in the reference (`api-gateway-authorizers.md`).
 */

import { publicRouteProblems, stageVariableProblems } from '../config/check-config.js';
import type { ConfigProblem } from '../config/check-config.js';
import { didYouMean } from '../config/did-you-mean.js';
import { parsePublicRoute } from '../config/public-route.js';
import type { ProjectConfig } from '../config/types.js';
import { compare, isPlaceholder } from '../model/parse.js';
import {
  apiKindOf,
  type AuthModel,
  type Authorizer,
  type AuthorizerKind,
  type GatewayResponse,
  type Route,
} from '../model/types.js';
import {
  corsPreflightRule,
  httpLambdaCacheRule,
  httpLambdaResponseFormatRule,
  lambdaCacheSharedRule,
} from './http-rules.js';
import {
  discoveryDocumentRule,
  jwtAlgorithmsRule,
  jwtAudienceRule,
  jwtIssuerRule,
  jwtRouteWithoutScopesRule,
} from './jwt-rules.js';
import { analyzeRegex } from './regex-analysis.js';
import { listRoutes, routeName, routesOf, type AuthorizerRule } from './rule-helpers.js';
import type { CallDecision, DiagnoseOptions, Finding, HandlerCheck } from './types.js';

export type Rule = (model: AuthModel, config: ProjectConfig, options: DiagnoseOptions) => Finding[];
export type { AuthorizerRule } from './rule-helpers.js';

/** Validation regexes (TOKEN: the token; Cognito: `aud`): compile, typo'd escapes, anchoring, backtracking. */
export const validationRegexRule: AuthorizerRule = (authorizer) => {
  const findings: Finding[] = [];
  const pattern = authorizer.validationExpression;
  if (pattern === undefined) return [];
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
  return findings;
};

/** TOKEN authorizers read exactly one header (APIREF `Authorizer.identitySource`). */
export const tokenSourceRule: AuthorizerRule = (authorizer) => {
  const sources = authorizer.identitySources;
  if (sources.length === 1 && sources[0]?.location === 'header') return [];
  return [
    {
      rule: 'token-source-not-header',
      severity: 'error',
      subject: authorizer.name,
      message: `The TOKEN authorizer's token source is ${sources.map((source) => source.expression).join(', ') || 'empty'}; a TOKEN authorizer reads exactly one request header.`,
      fix: 'Set identitySource to method.request.header.<Name> (console: Token Source = the header name), or use a REQUEST authorizer for query strings, stage variables or several sources.',
    },
  ];
};

/** With caching on, a REQUEST authorizer needs identity sources (the cache key). */
export const requestCacheRule: AuthorizerRule = (authorizer) => {
  if (authorizer.ttlSeconds === 0 || authorizer.identitySources.length > 0) return [];
  return [
    {
      rule: 'request-cache-without-sources',
      severity: 'error',
      subject: authorizer.name,
      message: `The REQUEST authorizer caches results (TTL ${authorizer.ttlSeconds} s) but has no identity sources: with caching on, identity sources are required and form the cache key.`,
      fix: 'Add the identity sources the function decides on (headers, query strings, stage variables), or set the TTL to 0.',
    },
  ];
};

/** 403 texts for an implicit deny: today's wire text and the older one (reference section 3, "Outcomes"). */
const IMPLICIT_DENY_TEXTS =
  '403 "User is not authorized to access this resource because no identity-based policy allows the ' +
  'execute-api:Invoke action" (older text: "User is not authorized to access this resource")';

const DECISIONS: Record<CallDecision, string> = {
  allow: 'allowed',
  'explicit-deny': '403 explicit deny',
  'implicit-deny': '403 implicit deny',
  unauthorized: '401 Unauthorized',
  error: '500 AuthorizerConfigurationException',
};

const CACHE_SCOPE_FIX =
  'Return a policy whose Resource covers every method and path the caller may call, whichever call comes first ' +
  '(e.g. arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/*/*), or set the TTL to 0.';

/**
 * A cached Lambda policy is reused for other methods and paths (AGDG; KC-CACHE for `{proxy+}`). With a configured
 * handler, `checkHandlerPolicies` proves it (an error) or clears it; without one it stays a note.
 */
export const lambdaCachePolicyScopeRule: AuthorizerRule = (authorizer, model, _config, options) => {
  const findings: Finding[] = [];
  if (authorizer.ttlSeconds === 0) return [];
  const check = options.handlerChecks?.find((c) => c.authorizer === authorizer.name);
  const credentials = authorizer.kind === 'TOKEN' ? 'validToken' : 'validIdentity';
  if (check?.outcome === 'covered') return [];
  if (check?.outcome === 'uncovered') return [uncoveredFinding(authorizer, check, credentials)];
  const unloadable = options.handlerModules?.some((m) => m.authorizer === authorizer.name && m.error);
  if (check?.outcome === 'rejected' || (check?.outcome === 'failed' && !unloadable)) {
    findings.push({
      rule: check.outcome === 'rejected' ? 'lambda-handler-rejects-valid' : 'lambda-handler-failed',
      severity: 'warning',
      subject: authorizer.name,
      message:
        check.outcome === 'rejected'
          ? `The handler ${check.handler}, invoked locally with the configured ${credentials} for each call the authorizer guards, allowed none (${check.firstCall}: ${check.reason}), so its cached policy could not be checked.`
          : `The handler ${check.handler} could not be invoked locally: ${check.reason}.`,
      fix:
        check.outcome === 'rejected'
          ? `Set authorizers.${authorizer.name}.${credentials} to credentials the handler allows, or fix the handler.`
          : `Fix authorizers.${authorizer.name}.handler (a module exporting \`handler\`), or remove it.`,
    });
  }
  const routes = routesOf(model, authorizer);
  const proxy = routes.some((route) => route.path.includes('+}'));
  const many = routes.length > 1 || routes.some((route) => route.method === 'ANY');
  if (!proxy && !many) return findings;
  const unproven =
    check?.outcome === 'skipped'
      ? ` The handler was not invoked: ${check.reason}.`
      : check === undefined
        ? ` Configure authorizers.${authorizer.name}.handler and a literal ${credentials} and doctor invokes the handler to prove or clear this.`
        : '';
  findings.push({
    rule: 'lambda-cache-policy-scope',
    severity: 'info',
    subject: authorizer.name,
    message: `Caching is on (TTL ${authorizer.ttlSeconds} s) and the authorizer guards ${proxy ? 'a {proxy+} route' : 'several methods'} (${listRoutes(routes)}): the cached policy is reused for every method and path, so a policy that allows only the first method called gives ${IMPLICIT_DENY_TEXTS} on the others.${unproven}`,
    fix: CACHE_SCOPE_FIX,
  });
  return findings;
};

function uncoveredFinding(
  authorizer: Authorizer,
  check: Extract<HandlerCheck, { outcome: 'uncovered' }>,
  credentials: string,
): Finding {
  const key = authorizer.kind === 'TOKEN' ? 'token' : 'identity-source values';
  // One group per change of answer, e.g. every call that the cached policy denies but the handler allows.
  const groups = new Map<string, string[]>();
  for (const m of check.mismatches) {
    const change = `${DECISIONS[m.cached]} from the cache; ${DECISIONS[m.fresh]} when called first`;
    groups.set(change, [...(groups.get(change) ?? []), m.call]);
  }
  const listed = [...groups.entries()].map(([change, calls]) => {
    const max = 4;
    const names =
      calls.length <= max
        ? calls.join(', ')
        : `${calls.slice(0, max).join(', ')} and ${calls.length - max} more`;
    return `${names} (${change})`;
  });
  const denied = check.mismatches.some((m) => m.fresh === 'allow' && m.cached !== 'allow');
  const widened = check.mismatches.some((m) => m.cached === 'allow' && m.fresh !== 'allow');
  const effects = [
    ...(denied ? [`allowed calls get ${IMPLICIT_DENY_TEXTS} after another call`] : []),
    ...(widened ? ['calls the handler refuses are let through from the cache'] : []),
  ];
  return {
    rule: 'lambda-cache-policy-uncovered',
    severity: 'error',
    subject: authorizer.name,
    message:
      `The handler ${check.handler}, invoked locally with the configured ${credentials} (${check.calls} calls), returns for ${check.firstCall} a policy that API Gateway caches (TTL ${authorizer.ttlSeconds} s) and reuses for every call with the same ${key}, and that cached policy changes the answer for ${listed.join('; ')}.` +
      (effects.length > 0 ? ` Within the TTL, ${effects.join(', and ')}.` : ''),
    fix: CACHE_SCOPE_FIX,
  };
}

/** Access tokens carry no `aud`, so a Cognito validation expression rejects them (AGDG console text). */
export const cognitoScopesWithValidationRule: AuthorizerRule = (authorizer, model) => {
  const findings: Finding[] = [];
  if (authorizer.validationExpression === undefined) return [];
  const scoped = routesOf(model, authorizer).filter(
    (route) => route.authorization.type === 'AUTHORIZER' && route.authorization.scopes.length > 0,
  );
  if (scoped.length === 0) return [];
  findings.push({
    rule: 'cognito-scopes-with-validation',
    severity: 'error',
    subject: authorizer.name,
    message: `The Cognito authorizer has an identityValidationExpression (matched against the token's aud) and methods with OAuth scopes (${listRoutes(scoped)}), which need access tokens; access tokens carry no aud, so these methods always answer 401.`,
    fix: 'Remove the identityValidationExpression, or use a separate authorizer without it for the scoped methods.',
  });
  return findings;
};

/**
 * Routes without authorization must be listed as public; CORS preflights are exempt. A route that requires only an
 * API key is reported as such (a warning): the key identifies the caller, it is not authorization.
 */
export const unprotectedRouteRule: Rule = (model, config) => {
  const publicRoutes = new Set(
    config.publicRoutes.flatMap((entry) => {
      const parsed = parsePublicRoute(entry);
      return parsed ? [`${parsed.method} ${parsed.path}`] : [];
    }),
  );
  const attach =
    apiKindOf(model) === 'HTTP'
      ? 'Attach an authorizer (JWT, Lambda or AWS_IAM) to the route and deploy'
      : 'Attach an authorizer (or AWS_IAM) to the method and redeploy';
  return model.routes
    .filter((route) => route.authorization.type === 'NONE' && route.method !== 'OPTIONS')
    .filter(
      (route) => !publicRoutes.has(`${route.method} ${route.path}`) && !publicRoutes.has(`ANY ${route.path}`),
    )
    .map((route) =>
      route.apiKeyRequired
        ? {
            rule: 'api-key-without-authorizer',
            severity: 'warning',
            subject: routeName(route),
            message: `${routeName(route)} requires an API key but has no authorizer: API keys identify callers (usage plans, throttling), they do not authorize them, and anyone holding a key can call it.`,
            fix: `${attach}, or add "${routeName(route)}" to publicRoutes in the config if a key is all it needs.`,
          }
        : {
            rule: 'unprotected-route',
            severity: 'error',
            subject: routeName(route),
            message: `${routeName(route)} has no authorization and is not listed as public.`,
            fix: `${attach}, or add "${routeName(route)}" to publicRoutes in the config if it is public on purpose.`,
          },
    );
};

/**
 * Authorizer 401/403s skip the method, so CORS headers must come from gateway responses (AGDG CORS pages). REST
 * only: HTTP APIs have no gateway responses (their preflight pitfall is `corsPreflightRule`).
 */
export const corsOnAuthErrorsRule: Rule = (model) => {
  if (apiKindOf(model) === 'HTTP') return [];
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
export const cognitoDomainRegionRule: AuthorizerRule = (authorizer, _model, config) => {
  const findings: Finding[] = [];
  const domain = config.authorizers[authorizer.name]?.cognito?.domain;
  if (!domain) return [];
  let host: string;
  try {
    host = new URL(domain.includes('://') ? domain : `https://${domain}`).hostname;
  } catch {
    return [];
  }
  const domainRegion = HOSTED_UI_DOMAIN.exec(host)?.[1];
  if (!domainRegion) return []; // a custom domain: its region is not visible
  for (const pool of authorizer.userPools) {
    // A template's `${AWS::Region}` is not a region: nothing to compare.
    if (pool.region === domainRegion || isPlaceholder(pool.region)) continue;
    findings.push({
      rule: 'cognito-domain-region',
      severity: 'error',
      subject: authorizer.name,
      message: `The configured hosted-UI domain ${host} is in ${domainRegion}, but the user pool ${pool.userPoolId} is in ${pool.region}: tokens from that domain come from another user pool, and the authorizer answers 401.`,
      fix: `Use the domain of user pool ${pool.userPoolId} (https://<prefix>.auth.${pool.region}.amazoncognito.com) in authorizers.${authorizer.name}.cognito.domain.`,
    });
  }
  return findings;
};

/** Live only: changes that are not deployed are invisible to clients. */
export const undeployedChangesRule: Rule = (model, _config, options) =>
  (options.drift ?? []).map((drift) => ({
    rule: 'undeployed-changes',
    severity: 'warning',
    subject: drift.route,
    message: `${drift.route}: authorization changed but not redeployed (${drift.changes.join('; ')}); the stage still serves ${drift.deployed}.`,
    fix:
      apiKindOf(model) === 'HTTP'
        ? `Deploy the API to stage ${drift.stage} (aws apigatewayv2 create-deployment --api-id ${model.api.id ?? 'ID'} --stage-name ${drift.stage}), or turn on auto-deploy for the stage.`
        : `Redeploy the API to stage ${drift.stage} (aws apigateway create-deployment --rest-api-id ${model.api.id ?? 'ID'} --stage-name ${drift.stage}).`,
  }));

/**
 * The config names authorizers, identity sources or routes the API does not have: generate refuses such a config;
 * doctor (which loads it leniently) reports each name.
 */
export const configNamesRule: Rule = (model, config) => {
  const findings: Finding[] = [];
  const where = config.file === undefined ? 'The config' : `The config ${config.file}`;
  const known = model.authorizers.map((a) => a.name);
  for (const [name, settings] of Object.entries(config.authorizers)) {
    const authorizer = model.authorizers.find((a) => a.name === name);
    if (authorizer === undefined) {
      findings.push({
        rule: 'config-unknown-authorizer',
        severity: 'error',
        subject: name,
        message: `${where} has settings for authorizers.${name}, but the API has no authorizer "${name}" (it has ${known.join(', ') || 'none'}): they are never used.${didYouMean(name, known)}`,
        fix: 'Key authorizers by their security scheme name (export) or authorizer name (AWS), or remove the entry.',
      });
      continue;
    }
    const sources = authorizer.identitySources.map((source) => source.expression);
    for (const expression of Object.keys(settings.validIdentity).filter((e) => !sources.includes(e))) {
      findings.push({
        rule: 'config-unknown-identity-source',
        severity: 'error',
        subject: name,
        message: `${where} gives authorizers.${name}.validIdentity a value for "${expression}", which is not an identity source of "${name}" (its sources: ${sources.join(', ') || 'none'}).${didYouMean(expression, sources)}`,
        fix: `Key validIdentity by the authorizer's identity source expressions, or add the source to the authorizer and redeploy.`,
      });
    }
  }
  findings.push(...publicRouteProblems(model, config).map(asFinding));
  return findings;
};

/** Stage variables an identity source reads: set, and equal to what validIdentity expects (check-config.ts). */
export const stageVariableRule: Rule = (model, config) => stageVariableProblems(model, config).map(asFinding);

/** A config problem (check-config.ts, also a `generate` warning) as a doctor finding. */
function asFinding({ rule, severity, subject, message, fix }: ConfigProblem): Finding {
  return { rule, severity, subject, message, fix };
}

/** A configured handler module that cannot be imported or exports no `handler` function. */
export const handlerModuleRule: Rule = (_model, _config, options) =>
  (options.handlerModules ?? [])
    .filter((module) => module.error !== undefined)
    .map((module) => ({
      rule: 'config-handler-invalid',
      severity: 'error',
      subject: module.authorizer,
      message: `authorizers.${module.authorizer}.handler ${module.handler} cannot be used: ${module.error}.`,
      fix: 'Export the authorizer function as `handler` (ESM `export const handler = async (event) => …` or CommonJS `exports.handler = …`), or remove the key to use the built-in sample handler.',
    }));

/** Header names a credential is likely sent in. */
const CREDENTIAL_HEADER =
  /^(?:proxy-)?authorization$|token|auth|api[-_]?key|secret|session|jwt|bearer|credential/i;

/**
 * The request headers a route's authorizer reads (token source, identity-source headers); with `all`, also the
 * API key header and SigV4's.
 */
function authHeaders(model: AuthModel, route: Route, all = false): string[] {
  const names: string[] = [];
  if (route.authorization.type === 'AUTHORIZER') {
    const name = route.authorization.authorizer;
    const authorizer = model.authorizers.find((a) => a.name === name);
    if (all && authorizer?.kind === 'AWS_IAM')
      names.push('Authorization', 'X-Amz-Date', 'X-Amz-Security-Token');
    for (const source of authorizer?.identitySources ?? []) {
      if (source.location === 'header') names.push(source.name);
    }
  }
  if (all && route.apiKeyRequired && model.api.apiKeySource !== 'AUTHORIZER') names.push('x-api-key');
  return names;
}

/**
 * A method declares a required header that looks like a credential, but its authorizer reads the token from another
 * header: clients built from the definition (generated SDKs, Postman imports, API docs) send the token where the
 * authorizer does not look, and get 401 Unauthorized.
 */
export const credentialHeaderRule: Rule = (model, _config, options) => {
  const declared = options.declarations?.requiredHeaders;
  if (declared === undefined) return [];
  const findings: Finding[] = [];
  for (const route of model.routes) {
    if (route.authorization.type !== 'AUTHORIZER') continue;
    const name = route.authorization.authorizer;
    const authorizer = model.authorizers.find((a) => a.name === name);
    if (authorizer?.kind !== 'TOKEN' && authorizer?.kind !== 'COGNITO_USER_POOLS') continue;
    const tokenSource = authorizer.identitySources.find((source) => source.location === 'header')?.name;
    if (tokenSource === undefined) continue;
    const reads = authHeaders(model, route, true).map((header) => header.toLowerCase());
    const strays = (declared.get(routeName(route)) ?? []).filter(
      (header) => CREDENTIAL_HEADER.test(header) && !reads.includes(header.toLowerCase()),
    );
    for (const stray of strays) {
      findings.push({
        rule: 'credential-header-mismatch',
        severity: 'warning',
        subject: routeName(route),
        message: `${routeName(route)} declares the required header ${stray}, which looks like a credential, but its authorizer ${authorizer.name} reads the token from ${tokenSource}: clients that follow the API definition send the token in ${stray}, and the authorizer answers 401 Unauthorized.`,
        fix: `Declare ${tokenSource} instead of ${stray} in the method request (or set ${authorizer.name}'s token source to ${stray}), then redeploy the API.`,
      });
    }
  }
  return findings;
};

/**
 * Browsers send a credential header only when the preflight's `Access-Control-Allow-Headers` lists it (and `*` does
 * not cover Authorization, per the Fetch standard): an omitted token-source or identity-source header means the
 * browser never sends the request, whatever the authorizer would say.
 */
export const corsAllowHeadersRule: Rule = (model, _config, options) => {
  const findings: Finding[] = [];
  const missingFrom = (allowed: string[], needed: string[]): string[] => {
    const lower = allowed.map((name) => name.toLowerCase());
    return [...new Set(needed)].filter(
      (name) =>
        !lower.includes(name.toLowerCase()) &&
        !(lower.includes('*') && name.toLowerCase() !== 'authorization'),
    );
  };
  for (const [path, allowed] of options.declarations?.preflightAllowHeaders ?? []) {
    const routes = model.routes.filter((route) => route.path === path && route.method !== 'OPTIONS');
    const needed = routes.flatMap((route) => authHeaders(model, route));
    const missing = missingFrom(allowed, needed).sort(compare);
    if (missing.length === 0) continue;
    findings.push({
      rule: 'cors-allow-headers-missing',
      severity: 'warning',
      subject: `OPTIONS ${path}`,
      message: `The CORS preflight of ${path} answers Access-Control-Allow-Headers: ${allowed.join(',') || '(empty)'}, which omits ${missing.join(', ')} that the authorizers of ${listRoutes(routes)} read: browsers refuse to send these headers, so browser calls fail before they reach the authorizer.`,
      fix: `Add ${missing.join(',')} to method.response.header.Access-Control-Allow-Headers of OPTIONS ${path} (list Authorization by name: "*" does not cover it), then redeploy the API.`,
    });
  }
  const needed = model.routes.flatMap((route) => authHeaders(model, route));
  for (const response of model.gatewayResponses) {
    const header = response.headers.find((h) => h.name.toLowerCase() === 'access-control-allow-headers');
    if (header?.value === undefined) continue;
    const allowed = header.value
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const missing = missingFrom(allowed, needed).sort(compare);
    if (missing.length === 0) continue;
    findings.push({
      rule: 'cors-allow-headers-missing',
      severity: 'warning',
      subject: response.type,
      message: `The ${response.type} gateway response answers Access-Control-Allow-Headers: ${header.value}, which omits ${missing.join(', ')} that the API's authorizers read: a browser told this list does not send those headers.`,
      fix: `Add ${missing.join(',')} to gatewayresponse.header.Access-Control-Allow-Headers of ${response.type} (list Authorization by name: "*" does not cover it), then redeploy the API.`,
    });
  }
  return findings;
};

/**
 * The rules of each authorizer kind, run once per authorizer of that kind. A `Record` over every kind: a new kind
 * fails to compile until doctor lists its rules here (an empty list says, on purpose, that it has none).
 */
export const AUTHORIZER_RULES: Readonly<Record<AuthorizerKind, readonly AuthorizerRule[]>> = {
  TOKEN: [validationRegexRule, tokenSourceRule, lambdaCachePolicyScopeRule],
  REQUEST: [requestCacheRule, lambdaCacheSharedRule, lambdaCachePolicyScopeRule],
  COGNITO_USER_POOLS: [validationRegexRule, cognitoScopesWithValidationRule, cognitoDomainRegionRule],
  AWS_IAM: [],
  JWT: [jwtRouteWithoutScopesRule, jwtIssuerRule, jwtAudienceRule, jwtAlgorithmsRule],
  HTTP_LAMBDA: [httpLambdaCacheRule, lambdaCacheSharedRule, httpLambdaResponseFormatRule],
};

/** Every authorizer through the rules of its kind. */
export const authorizerRules: Rule = (model, config, options) =>
  model.authorizers.flatMap((authorizer) =>
    AUTHORIZER_RULES[authorizer.kind].flatMap((rule) => rule(authorizer, model, config, options)),
  );

/** Every rule, in the order their findings are reported within a subject. */
export const RULES: readonly Rule[] = [
  authorizerRules,
  unprotectedRouteRule,
  corsOnAuthErrorsRule,
  corsPreflightRule,
  undeployedChangesRule,
  configNamesRule,
  stageVariableRule,
  handlerModuleRule,
  discoveryDocumentRule,
  credentialHeaderRule,
  corsAllowHeadersRule,
];
