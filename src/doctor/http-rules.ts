/**
 * Doctor rules for HTTP APIs (v2): CORS preflights caught by a guarded catch-all route, and Lambda authorizers'
 * caching and response format (`jwt-and-http-api-authorizers.md` B.4, B.6). Pure; the response format is proven
 * by `checkHandlerPolicies` (handler-policy.ts), which invokes the configured handler.
 */

import type { ProjectConfig } from '../config/types.js';
import { DEFAULT_ROUTE_PATH, apiKindOf, type AuthModel, type Route } from '../model/types.js';
import { listRoutes, routeName, type AuthorizerRule } from './rule-helpers.js';
import type { DiagnoseOptions, Finding, HandlerResponseShape } from './types.js';

const isDefault = (route: Route): boolean => route.path === DEFAULT_ROUTE_PATH;

/**
 * With CORS configured, API Gateway answers a preflight itself only when no route matches the `OPTIONS` request;
 * an `ANY`, `OPTIONS` or `$default` route behind an authorizer runs the authorizer on it, and the browser, which
 * sends no credentials on a preflight, gets 401/403 and never sends the real request (AGDG `http-api-cors.md`;
 * sst issue #5493).
 */
export const corsPreflightRule = (
  model: AuthModel,
  _config: ProjectConfig,
  _options: DiagnoseOptions,
): Finding[] => {
  if (apiKindOf(model) !== 'HTTP' || model.cors === undefined) return [];
  const findings: Finding[] = [];
  const publicOptions = new Set(
    model.routes
      .filter((route) => route.method === 'OPTIONS' && route.authorization.type === 'NONE')
      .map((route) => route.path),
  );
  // Paths that would send their preflight to `$default`: guarded routes without an `ANY` or `OPTIONS` route.
  const ownPreflight = new Set(
    model.routes.filter((r) => r.method === 'ANY' || r.method === 'OPTIONS').map((route) => route.path),
  );
  for (const route of model.routes) {
    if (route.authorization.type !== 'AUTHORIZER') continue;
    if (route.method !== 'ANY' && route.method !== 'OPTIONS') continue;
    const authorizer = route.authorization.authorizer;
    if (isDefault(route)) {
      if (publicOptions.has('/{proxy+}')) continue;
      const swallowed = model.routes.filter(
        (r) => !isDefault(r) && r.method !== 'OPTIONS' && !ownPreflight.has(r.path),
      );
      findings.push({
        rule: 'cors-preflight-behind-authorizer',
        severity: 'warning',
        subject: routeName(route),
        message: `The API answers CORS, but the $default route is behind the authorizer ${authorizer}: every preflight (OPTIONS) that no other route matches reaches $default${swallowed.length > 0 ? ` (the preflights of ${listRoutes(swallowed)} too)` : ''}, runs the authorizer without credentials and gets 401/403, so browsers never send the real request.`,
        fix: 'Add an OPTIONS /{proxy+} route with no authorization (it outranks $default, and API Gateway answers the preflight from the CORS configuration), then redeploy.',
      });
      continue;
    }
    if (route.method === 'ANY' && publicOptions.has(route.path)) continue;
    findings.push({
      rule: 'cors-preflight-behind-authorizer',
      severity: 'warning',
      subject: routeName(route),
      message:
        route.method === 'ANY'
          ? `The API answers CORS, but ${routeName(route)} is behind the authorizer ${authorizer} and matches OPTIONS too: the browser's preflight for ${route.path} runs the authorizer without credentials and gets 401/403, so browsers never send the real request.`
          : `The API answers CORS, but ${routeName(route)} is behind the authorizer ${authorizer}: the browser's preflight runs the authorizer without credentials and gets 401/403, so browsers never send the real request.`,
      fix:
        route.method === 'ANY'
          ? `Add an OPTIONS ${route.path} route with no authorization (API Gateway then answers the preflight from the CORS configuration), or replace ANY with the methods the route serves; then redeploy.`
          : `Set the authorization of ${routeName(route)} to NONE, or delete the route and let API Gateway answer preflights from the CORS configuration; then redeploy.`,
    });
  }
  return findings;
};

/**
 * HTTP Lambda authorizers with caching on need an identity source: the sources are the cache key (B.4, "Caching needs
 * at least one source"). REST REQUEST authorizers have their own rule (`request-cache-without-sources`).
 */
export const httpLambdaCacheRule: AuthorizerRule = (authorizer) => {
  if (authorizer.ttlSeconds === 0 || authorizer.identitySources.length > 0) return [];
  return [
    {
      rule: 'lambda-cache-without-identity-source',
      severity: 'error',
      subject: authorizer.name,
      message: `The Lambda authorizer ${authorizer.name} caches results (TTL ${authorizer.ttlSeconds} s) but has no identity source: the identity sources are the cache key, so API Gateway refuses caching without one and cannot cache.`,
      fix: 'Add the identity sources the function decides on ($request.header.X, $request.querystring.X; add $context.routeKey to cache per route), or set authorizerResultTtlInSeconds to 0.',
    },
  ];
};

/** Context variables that are the same for every caller (a cache key of these alone is shared by everybody). */
const SHARED_CONTEXT =
  /^(?:context\.)?(?:routeKey|stage|apiId|domainName|domainPrefix|httpMethod|http\.method|http\.path|path|resourcePath|resourceId|accountId)$/;

/**
 * Lambda authorizers (REST REQUEST and HTTP) with caching on whose identity sources are all stage variables or
 * context variables the caller cannot change: every caller has the same cache key, so the first caller's answer
 * serves everybody within the TTL.
 */
export const lambdaCacheSharedRule: AuthorizerRule = (authorizer) => {
  const sources = authorizer.identitySources;
  if (authorizer.ttlSeconds === 0 || sources.length === 0) return [];
  const shared = sources.every(
    (source) =>
      source.location === 'stageVariable' ||
      (source.location === 'context' && SHARED_CONTEXT.test(source.name)),
  );
  if (!shared) return [];
  return [
    {
      rule: 'lambda-cache-shared-across-callers',
      severity: 'error',
      subject: authorizer.name,
      message: `The ${authorizer.kind === 'HTTP_LAMBDA' ? 'Lambda' : authorizer.kind} authorizer ${authorizer.name} caches results (TTL ${authorizer.ttlSeconds} s) keyed only on ${sources.map((s) => s.expression).join(', ')}, which no caller sends: every caller has the same cache key, so the first caller's answer (allow or deny) serves everybody for ${authorizer.ttlSeconds} s.`,
      fix: 'Add the header or query string that carries the credential to the identity sources, or set the TTL to 0.',
    },
  ];
};

const EXPECTED: Record<'simple' | 'policy', string> = {
  simple: '{"isAuthorized": true|false, "context": {...}}',
  policy: 'an IAM policy ({"principalId", "policyDocument": {"Statement": [...]}, "context"})',
};

const RETURNED: Record<HandlerResponseShape, string> = {
  simple: 'a simple response ({"isAuthorized": ...}) and no policy',
  policy: 'an IAM policy and no isAuthorized',
  both: 'both isAuthorized and a policy',
  neither: 'neither isAuthorized (a boolean) nor an IAM policy',
};

/**
 * Payload 2.0 with simple responses expects `{isAuthorized}`; payload 1.0, or 2.0 without simple responses, an IAM
 * policy; anything else is an invalid response and API Gateway answers 500 (B.4 "Failures"). Proven by invoking the
 * configured handler once with the valid identity; without one it is a note.
 */
export const httpLambdaResponseFormatRule: AuthorizerRule = (authorizer, _model, _config, options) => {
  const settings = authorizer.httpLambda;
  if (settings === undefined) return [];
  const expected = settings.simpleResponses ? 'simple' : 'policy';
  const format = `payload ${settings.payloadFormat}${settings.payloadFormat === '2.0' ? `, simple responses ${settings.simpleResponses ? 'on' : 'off'}` : ''}`;
  const check = options.handlerChecks?.find((c) => c.authorizer === authorizer.name);
  if (check?.outcome === 'answered') {
    if (check.response === expected || check.response === 'both') {
      return check.allowed
        ? []
        : [
            {
              rule: 'lambda-handler-rejects-valid',
              severity: 'warning',
              subject: authorizer.name,
              message: `The handler ${check.handler}, invoked locally for ${check.call} with the configured validIdentity, refused it (${expected === 'simple' ? 'isAuthorized is not true' : 'its policy does not allow the route'}): valid callers get 403 Forbidden.`,
              fix: `Set authorizers.${authorizer.name}.validIdentity to values the handler allows, or fix the handler.`,
            },
          ];
    }
    const wrongWay = check.response !== 'neither';
    return [
      {
        rule: 'http-lambda-response-format',
        severity: 'error',
        subject: authorizer.name,
        message: `The Lambda authorizer ${authorizer.name} (${format}) must return ${EXPECTED[expected]}, but its handler ${check.handler}, invoked locally for ${check.call} with the configured validIdentity, returned ${RETURNED[check.response]}: API Gateway finds no ${expected === 'simple' ? 'isAuthorized' : 'policy'} and answers 500 Internal Server Error (an invalid response) or refuses the call, so valid callers never get through.`,
        fix: wrongWay
          ? expected === 'simple'
            ? `Return {"isAuthorized": true, "context": {...}} from the handler, or turn simple responses off (enableSimpleResponses: false) to keep the policy, then redeploy.`
            : `Return an IAM policy from the handler, or ${settings.payloadFormat === '2.0' ? 'turn simple responses on (enableSimpleResponses: true)' : 'switch to payload format 2.0 with simple responses on'} to keep {"isAuthorized"}, then redeploy.`
          : `Return ${EXPECTED[expected]} from the handler.`,
      },
    ];
  }
  if (check?.outcome === 'failed') {
    const unloadable = options.handlerModules?.some((m) => m.authorizer === authorizer.name && m.error);
    if (unloadable) return [];
    return [
      {
        rule: 'lambda-handler-failed',
        severity: 'warning',
        subject: authorizer.name,
        message: `The handler ${check.handler} could not be invoked locally: ${check.reason}. On an HTTP API a function that fails answers 500 Internal Server Error.`,
        fix: `Fix authorizers.${authorizer.name}.handler (a module exporting \`handler\`), or remove it.`,
      },
    ];
  }
  const unproven =
    check?.outcome === 'skipped'
      ? ` The handler was not invoked: ${check.reason}.`
      : ` Configure authorizers.${authorizer.name}.handler and literal validIdentity values and doctor invokes the handler to prove it.`;
  return [
    {
      rule: 'http-lambda-response-format',
      severity: 'info',
      subject: authorizer.name,
      message: `The Lambda authorizer ${authorizer.name} (${format}) must return ${EXPECTED[expected]}; ${expected === 'simple' ? 'an IAM policy' : 'a simple {"isAuthorized"} response'} is an invalid response, and API Gateway answers 500 Internal Server Error.${unproven}`,
      fix: `Return ${EXPECTED[expected]} from the function.`,
    },
  ];
};
