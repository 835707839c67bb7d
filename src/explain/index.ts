/**
 * `explain`: one request against the model. The verdict comes from the emulator's decision core (what `serve`
 * answers to the same request); the checks of the AWS troubleshooting guides then name the one root cause behind
 * it and the fix. Reads the model and config only, never the case derivation or the renderer.
 *
 * @see https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer
 */

import { trustedIssuers } from '../emulator/cognito-authorizer.js';
import { createGatewayCore, callFromRequest, type DescribedRequest } from '../emulator/decide.js';
import type { DecisionCause } from '../emulator/causes.js';
import { describeToken } from '../emulator/describe.js';
import { withConsoleTo } from '../emulator/handler-console.js';
import { invocationNote } from '../emulator/request-log.js';
import { matchHttpRoute } from '../emulator/http-routing.js';
import { matchRoute } from '../emulator/routing.js';
import type { Decision } from '../emulator/types.js';
import { defaultAuthorizerSettings, type ProjectConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { apiKindOf, HTTP_METHODS, type AuthModel } from '../model/types.js';
import {
  checkIdentitySources,
  checkPolicyCoverage,
  checkSigV4,
  checkTokenSource,
  checkValidationRegex,
  guardedCalls,
} from './checks.js';
import { decodeToken, inspectToken, type Severity, type TokenFinding } from './inspect-token.js';
import { checkJwksKey } from './jwks.js';

export { inspectToken, tokenFactsFor, checkTokenShape, decodeToken } from './inspect-token.js';
export type { TokenFacts, TokenFinding, Severity, DecodedToken } from './inspect-token.js';
export { regexMismatch } from './regex-part.js';

export interface ExplainOptions {
  model: AuthModel;
  config: ProjectConfig;
  request: DescribedRequest;
  /** The decision `serve` gave to this request; without it the decision core decides it afresh. */
  decision?: Decision;
  /** AWS identity (AWS_ACCESS_KEY_ID ...) and API keys, as `serve` reads them; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The clock, epoch ms; default now (`--at`). */
  now?: number | (() => number);
  /** JWKS fetch timeout; default 1500 ms (API Gateway's own JWKS timeout). */
  jwksTimeoutMs?: number;
  /** Lambda handler timeout; default 10000 ms. */
  handlerTimeoutMs?: number;
  /** Where a handler's console output goes while it runs; default standard error. */
  log?: (text: string) => void;
  /**
   * A token to send in the token-source header of the route's authorizer (`--token-var`), so it never has to be
   * typed on a command line.
   */
  token?: string;
}

/** The request with `token` in the token-source header of the authorizer of the route it reaches. */
export function withToken(model: AuthModel, request: DescribedRequest, token: string): DescribedRequest {
  const { call } = callFromRequest(request, model.stage.name);
  const match =
    apiKindOf(model) === 'HTTP'
      ? matchHttpRoute(model.routes, call.method, call.path)
      : matchRoute(model.routes, call.method, call.path);
  const auth = match?.route.authorization;
  const authorizer =
    auth?.type === 'AUTHORIZER' ? model.authorizers.find((a) => a.name === auth.authorizer) : undefined;
  const source = authorizer?.identitySources[0];
  if (authorizer?.kind === 'JWT' && source?.location === 'querystring') {
    return { ...request, query: { ...(request.query ?? {}), [source.name]: token } };
  }
  const header =
    authorizer &&
    (authorizer.kind === 'TOKEN' || authorizer.kind === 'COGNITO_USER_POOLS' || authorizer.kind === 'JWT')
      ? (source?.name ?? 'Authorization')
      : 'Authorization';
  return { ...request, headers: { ...(request.headers ?? {}), [header]: token } };
}

export interface ExplainFinding extends TokenFinding {
  /** Which check found it. */
  check: string;
}

export interface Explanation {
  request: { method: string; path: string; headers: { name: string; value: string }[]; query: string[] };
  verdict: {
    status: number;
    /** The body's `message` / `Message` (null for `{"message":null}`), or undefined when the body has none. */
    message?: string | null;
    errorType?: string;
    allowed: boolean;
    body: string;
  };
  route: string | null;
  authorizer: string | null;
  authorizerKind: Decision['authorizerKind'];
  authorizerInvoked: boolean;
  cached: boolean;
  /** The decision core's own cause and reason (serve's log line and headers). */
  decision: { cause: DecisionCause; reason: string };
  /** The one root cause: the most specific finding behind the decision. */
  rootCause: { cause: string; message: string; fix: string };
  findings: ExplainFinding[];
  token?: {
    header: string;
    description: string;
    jwt?: { header: Record<string, unknown>; claims: Record<string, unknown> };
  };
  policy?: {
    principalId: string;
    statements: { effect: string; actions: string[]; resources: string[] }[];
    methodArn: string;
    coversThisCall: boolean;
    ttlSeconds: number;
    /** Other calls of the same authorizer the cached policy would refuse (TTL > 0). */
    blocksFromCache: string[];
  };
  /** What could not be checked, and why. */
  notChecked: string[];
}

/** The decision core's causes a more specific finding may explain. */
const REFINES: Partial<Record<DecisionCause, readonly string[]>> = {
  'token-missing': ['header-name-mismatch'],
  'token-empty': ['header-name-mismatch'],
  'identity-source-missing': ['stage-variable-unset', 'header-name-mismatch', 'identity-source-missing'],
  'token-regex-mismatch': [
    'token-newline',
    'token-quotes',
    'bearer-prefix-malformed',
    'bearer-prefix',
    'token-whitespace',
    'token-regex-mismatch',
  ],
  'jwt-malformed': [
    'token-newline',
    'token-quotes',
    'bearer-prefix-malformed',
    'token-whitespace',
    'jwt-malformed',
  ],
  'jwt-issuer-mismatch': ['issuer-other-region', 'issuer-other-pool', 'jwt-issuer-mismatch'],
  'lambda-unauthorized': [
    'token-newline',
    'token-quotes',
    'bearer-prefix-malformed',
    'token-whitespace',
    'bearer-prefix',
  ],
  'jwt-expired': ['jwt-expired'],
  'jwt-not-yet-valid': ['jwt-not-yet-valid'],
  'id-token-required': ['id-token-required'],
  'access-token-required': ['access-token-required'],
  'scope-missing': ['scope-missing'],
  'aud-mismatch': ['aud-mismatch'],
  'jwt-alg-not-allowed': ['jwt-alg-not-allowed'],
  'jwt-kid-unknown': ['jwt-kid-missing', 'jwt-kid-unknown'],
  'sigv4-signature-mismatch': ['sigv4-date-scope-mismatch', 'sigv4-unsigned-header'],
};

/** The fix for each decision cause, when no finding is more specific. */
const FIXES: Record<DecisionCause, string> = {
  allowed: 'nothing to do: the request is authorized',
  'public-route':
    'nothing to do, unless the route should be protected (then attach an authorizer and redeploy)',
  'route-not-found':
    'check the method, the path and the stage prefix; API Gateway answers 403 Missing Authentication Token for routes it does not have (and for undeployed ones: redeploy)',
  'request-too-large': 'send a body under 10 MB',
  'authorizer-unknown': 'define the authorizer the route names, or attach an existing one, and redeploy',
  'token-missing': "send the token in the authorizer's token-source header",
  'token-empty': "send a non-empty token in the authorizer's token-source header",
  'token-regex-mismatch':
    'send a token that matches identityValidationExpression, or change the expression and redeploy',
  'validation-expression-invalid':
    'fix identityValidationExpression (it must be a valid regular expression) and redeploy',
  'identity-source-missing':
    'send every identity source (headers, query parameters), and set the stage variables',
  'lambda-unauthorized':
    'the authorizer Lambda rejected the credentials ("Unauthorized"): send credentials it accepts, or check its logs',
  'lambda-error':
    'fix the authorizer Lambda: it threw (see its logs); API Gateway answers 500 AuthorizerConfigurationException',
  'lambda-timeout': 'make the authorizer Lambda answer faster (it timed out)',
  'lambda-load-failed': 'fix the handler module: it does not load or exports no handler',
  'lambda-invalid-result':
    'return { principalId, policyDocument: { Version, Statement: [...] }, context? } from the Lambda',
  'policy-explicit-deny':
    'the Lambda returned Deny for this call: send credentials it allows, or change its policy',
  'policy-implicit-deny':
    'return a policy whose Resource covers this methodArn (e.g. arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/*/*)',
  'cached-policy-explicit-deny':
    'the cached policy of an earlier call denies this one: return one policy valid for every route, or set the authorizer TTL to 0',
  'cached-policy-implicit-deny':
    'a policy cached from another call does not cover this one: return a policy for every route of the authorizer (arn:.../STAGE/*/*), or set the TTL to 0',
  'jwt-malformed': 'send the JWT itself (raw, or exactly "Bearer <jwt>")',
  'jwt-issuer-mismatch': "use a token from the authorizer's user pool (same pool id and region)",
  'jwt-alg-not-allowed': 'use a token issued by Cognito (RS256)',
  'jwt-kid-unknown': "use a token signed by the authorizer's user pool (its kid must be in the pool's JWKS)",
  'jwks-unreachable': "make the pool's JWKS reachable (for stand-ins: cognito.jwksUrl in the config)",
  'jwt-signature-invalid': 'use an untampered token signed by the user pool',
  'jwt-expired': 'get a fresh token',
  'jwt-not-yet-valid': 'check the clocks: the token is not valid yet',
  'jwt-claims-invalid': 'use a token issued by the user pool',
  'id-token-required': 'send the ID token, or add OAuth scopes to the method and redeploy',
  'access-token-required': "send an access token with one of the method's scopes",
  'scope-missing': "request one of the method's scopes when getting the access token",
  'aud-mismatch': 'use an ID token of the app client the validation expression names',
  'sigv4-missing': 'sign the request with SigV4 (service execute-api)',
  'sigv4-not-sigv4': 'sign the request with SigV4 instead of sending a token (the method uses AWS_IAM)',
  'sigv4-incomplete': 'send a complete SigV4 Authorization header (Credential, SignedHeaders, Signature)',
  'sigv4-date-missing': 'send the X-Amz-Date header the signature was computed with',
  'sigv4-unknown-access-key':
    'sign with the access key serve knows (its AWS_ACCESS_KEY_ID), or an existing key on AWS',
  'sigv4-session-token': 'send X-Amz-Security-Token with temporary credentials',
  'sigv4-expired': 'sign again (signatures are valid 5 minutes) and check the clock',
  'sigv4-signed-header-missing': 'send every signed header exactly as signed',
  'sigv4-body-hash': 'send the body that was signed',
  'sigv4-wrong-service': 'sign for service execute-api',
  'sigv4-wrong-region': "sign for the API's region",
  'sigv4-signature-mismatch':
    'check the secret key, and that host, path, query, signed headers and body are sent exactly as signed',
  'api-key-missing':
    'send the API key in x-api-key (or return usageIdentifierKey from the Lambda with apiKeySource AUTHORIZER)',
  'api-key-unknown': 'send an API key of a usage plan of this stage',
  'authorizer-unsupported':
    'serve cannot emulate this authorizer on this API type (see the warning at start-up); it fails closed',
  'jwt-claim-missing': "use a token that carries the claim the issuer's claim rule requires",
  'jwt-claim-mismatch':
    "use a token whose claim has one of the rule's expected values (exact, case-sensitive)",
  'simple-response-denied':
    'the Lambda answered isAuthorized: false: send an identity it accepts, or check its logs',
  'cached-simple-response-denied':
    'a cached isAuthorized: false for the same identity values was reused: send other identity values, wait for the TTL, or add $context.routeKey to the identity sources',
  'cors-preflight': 'nothing to do: API Gateway answered the CORS preflight itself',
};

function bodyMessage(body: string): string | null | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const record = parsed as Record<string, unknown>;
    const value = 'message' in record ? record.message : record.Message;
    return typeof value === 'string' || value === null ? value : undefined;
  } catch {
    return undefined;
  }
}

const tag = (check: string, findings: TokenFinding[]): ExplainFinding[] =>
  findings.map((f) => ({ ...f, check }));

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Explain one request: the verdict `serve` gives it, the one root cause and the fix, and every check's findings.
 *
 * @param options - the model, config and request; `decision` when serve already answered it
 * @returns the explanation (no credential in it: tokens are described and decoded, never echoed)
 */
export async function explainRequest(options: ExplainOptions): Promise<Explanation> {
  const { model, config } = options;
  const request =
    options.token === undefined ? options.request : withToken(model, options.request, options.token);
  const nowOption = options.now;
  const now = typeof nowOption === 'function' ? nowOption : () => nowOption ?? Date.now();
  const env = options.env ?? process.env;
  const log = options.log ?? ((text: string) => process.stderr.write(text));
  const core = createGatewayCore({
    model,
    config,
    env,
    now,
    unverifiableSignature: 'assume-valid',
    jwksTimeoutMs: options.jwksTimeoutMs ?? 1500,
    ...(options.handlerTimeoutMs === undefined ? {} : { handlerTimeoutMs: options.handlerTimeoutMs }),
  });
  const { call, fullPath } = callFromRequest(request, model.stage.name);
  const decision = options.decision ?? (await withConsoleTo(log, () => core.decide(call, fullPath)));

  const findings: ExplainFinding[] = [];
  const notChecked: string[] = [];
  const authorizer = model.authorizers.find((a) => a.name === decision.authorizer);
  const settings = authorizer
    ? (config.authorizers[authorizer.name] ?? defaultAuthorizerSettings())
    : undefined;
  const routeScopes = (() => {
    const route = model.routes.find((r) => `${r.method} ${r.path}` === decision.route);
    return route?.authorization.type === 'AUTHORIZER' ? route.authorization.scopes : [];
  })();
  let token: Explanation['token'];
  let policy: Explanation['policy'];

  if (authorizer && (authorizer.kind === 'TOKEN' || authorizer.kind === 'COGNITO_USER_POOLS')) {
    const header = authorizer.identitySources[0]?.name ?? 'Authorization';
    findings.push(...tag('token source', checkTokenSource(authorizer, request)));
    const value = call.headers[header.toLowerCase()];
    if (value !== undefined && value !== '') {
      const decoded = decodeToken(value);
      token = { header, description: decoded.description, ...(decoded.jwt ? { jwt: decoded.jwt } : {}) };
      findings.push(...tag('validation regex', checkValidationRegex(authorizer, value)));
      if (authorizer.kind === 'COGNITO_USER_POOLS') {
        const issuers = trustedIssuers(authorizer, settings ?? defaultAuthorizerSettings());
        const cognito = settings?.cognito;
        findings.push(
          ...tag(
            'token',
            inspectToken(value, {
              authorizer: authorizer.name,
              kind: 'COGNITO_USER_POOLS',
              header,
              issuers: issuers.map((i) => i.issuer),
              clientIds: [cognito?.clientId, cognito?.accessTokenClientId].filter(
                (c): c is string => c !== undefined,
              ),
              scopes: routeScopes,
              ...(authorizer.validationExpression === undefined
                ? {}
                : { validationExpression: authorizer.validationExpression }),
              now: now(),
            }),
          ),
        );
        const kid = decoded.jwt?.header.kid;
        const iss = decoded.jwt?.claims.iss;
        const pool = issuers.find((i) => i.issuer === iss);
        if (typeof kid === 'string' && pool) {
          const key = await checkJwksKey(pool.jwksUrl, kid, options.jwksTimeoutMs ?? 1500);
          if (key.state === 'unreachable') {
            notChecked.push(
              `signature and kid: the JWKS ${pool.jwksUrl} could not be fetched (${key.detail}); the verdict assumes a valid signature`,
            );
          } else if (key.state === 'missing') {
            findings.push({
              check: 'jwks',
              cause: 'jwt-kid-unknown',
              severity: 'error',
              message: `no key in ${pool.jwksUrl} has the token's kid ${kid} (${key.detail})`,
              fix: 'use a token signed by this user pool (a token of another pool or a re-signed token has another kid)',
            });
          } else {
            findings.push({
              check: 'jwks',
              cause: 'jwt-kid-known',
              severity: 'info',
              message: `the pool's JWKS has the token's kid ${kid}`,
              fix: 'nothing to do',
            });
          }
        }
      } else {
        findings.push(
          ...tag(
            'token',
            inspectToken(value, {
              authorizer: authorizer.name,
              kind: 'TOKEN',
              header,
              expectJwt: settings?.tokenFormat === 'jwt',
              now: now(),
            }),
          ),
        );
      }
    }
  }
  if (authorizer?.kind === 'JWT') {
    const source = authorizer.identitySources[0];
    const header = source?.name ?? 'Authorization';
    const value =
      source?.location === 'querystring' ? call.query[source.name] : call.headers[header.toLowerCase()];
    if (value !== undefined && value !== '') {
      const decoded = decodeToken(value);
      token = { header, description: decoded.description, ...(decoded.jwt ? { jwt: decoded.jwt } : {}) };
    }
  }
  if (authorizer?.kind === 'REQUEST') {
    findings.push(...tag('identity sources', checkIdentitySources(authorizer, request, core.stageVariables)));
  }
  if (authorizer?.kind === 'AWS_IAM') {
    findings.push(...tag('signature', checkSigV4(request, model.api.region ?? 'us-east-1')));
  }
  if (authorizer && (authorizer.kind === 'TOKEN' || authorizer.kind === 'REQUEST')) {
    if (decision.policy && decision.methodArn) {
      const calls = guardedCalls(model, authorizer.name, config.pathParameters, core.identity);
      const coverage = checkPolicyCoverage(decision.policy.statements, decision.methodArn, calls);
      const blocks = authorizer.ttlSeconds > 0 ? coverage.blocks.map((c) => c.call) : [];
      policy = {
        principalId: decision.policy.principalId,
        statements: decision.policy.statements,
        methodArn: decision.methodArn,
        coversThisCall: coverage.coversThisCall,
        ttlSeconds: authorizer.ttlSeconds,
        blocksFromCache: blocks,
      };
      if (blocks.length > 0) {
        findings.push({
          check: 'policy',
          cause: 'cached-policy-blocks-routes',
          severity: 'warning',
          message: `the policy is cached for ${authorizer.ttlSeconds} s and reused for every route of ${authorizer.name}; it would refuse ${blocks.join(', ')}`,
          fix: `return a policy that covers every route of the authorizer (e.g. arn:aws:execute-api:${core.identity.region}:${core.identity.accountId}:${core.identity.apiId}/${core.identity.stage}/*/*), or set the TTL to 0`,
        });
      }
    } else if (!settings?.handler) {
      notChecked.push(
        `the ${authorizer.name} Lambda: no handler in the config, so the built-in sample handler decided`,
      );
    }
  }
  const missingStageVariables = (authorizer?.identitySources ?? []).filter(
    (s) => s.location === 'stageVariable' && (core.stageVariables[s.name] ?? '') === '',
  );
  if (authorizer?.kind !== 'REQUEST') {
    for (const source of missingStageVariables) {
      findings.push({
        check: 'stage variables',
        cause: 'stage-variable-unset',
        severity: 'error',
        message: `${source.expression} reads stage variable ${source.name}, which the stage does not set`,
        fix: `set ${source.name} on the stage (stageVariables.${source.name} in the config for serve and explain)`,
      });
    }
  }
  findings.sort((a, b) => RANK[a.severity] - RANK[b.severity]);

  const refining = REFINES[decision.cause] ?? [];
  const specific = decision.allowed
    ? undefined
    : refining
        .map((cause) => findings.find((f) => f.cause === cause && f.severity !== 'info'))
        .find((f) => f !== undefined);
  const rootCause = specific
    ? { cause: specific.cause, message: specific.message, fix: specific.fix }
    : { cause: decision.cause, message: decision.reason, fix: FIXES[decision.cause] };

  return {
    request: {
      method: call.method,
      path: call.path,
      headers: Object.entries(request.headers ?? {})
        .map(([name, value]) => ({ name, value: describeToken(value) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      query: Object.keys(call.query).sort(),
    },
    verdict: {
      status: decision.status,
      ...(bodyMessage(decision.body) === undefined ? {} : { message: bodyMessage(decision.body) }),
      ...(decision.errorType === undefined ? {} : { errorType: decision.errorType }),
      allowed: decision.allowed,
      body: decision.allowed ? '(the integration)' : decision.body,
    },
    route: decision.route,
    authorizer: decision.authorizer,
    authorizerKind: decision.authorizerKind,
    authorizerInvoked: decision.authorizerInvoked,
    cached: decision.cached,
    decision: { cause: decision.cause, reason: decision.reason },
    rootCause,
    findings,
    ...(token ? { token } : {}),
    ...(policy ? { policy } : {}),
    notChecked,
  };
}

/**
 * `GET /pets`, `get /pets?x=1`, or a URL (`https://host/prod/pets`): the method and the path after the stage.
 *
 * @throws UsageError for anything else
 */
export function parseRequestLine(text: string, stage: string): { method: string; path: string } {
  const trimmed = text.trim();
  const m = /^([A-Za-z]+)\s+(\S+)$/.exec(trimmed);
  const [method, target] = m ? [m[1]?.toUpperCase() ?? 'GET', m[2] ?? '/'] : ['GET', trimmed];
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`unknown HTTP method "${method}" in "${trimmed}".`, {
      fix: `write 'METHOD /path' with one of ${HTTP_METHODS.join(', ')}, or a URL`,
    });
  }
  let path = target;
  if (/^https?:\/\//i.test(target)) {
    const url = new URL(target);
    path = `${url.pathname}${url.search}`;
  }
  if (!path.startsWith('/')) {
    throw new UsageError(`"${trimmed}" is not 'METHOD /path' or a URL.`, {
      fix: "write e.g. 'GET /pets' or https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets",
    });
  }
  // A URL (or a path) that includes the stage prefix: strip it, as API Gateway does.
  const prefix = `/${stage}`;
  if (path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`)) {
    path = path.slice(prefix.length);
    if (!path.startsWith('/')) path = `/${path}`;
  }
  return { method, path };
}

/** The explanation for a terminal: the verdict, the root cause and the fix first, then the details. */
export function formatExplanation(explanation: Explanation): string {
  const e = explanation;
  const lines: string[] = [];
  const message = e.verdict.message === undefined ? '' : ` ${JSON.stringify(e.verdict.message)}`;
  const errorType = e.verdict.errorType ? ` (${e.verdict.errorType})` : '';
  lines.push(`${e.request.method} ${e.request.path} -> ${e.verdict.status}${message}${errorType}`);
  const note = invocationNote({
    authorizerKind: e.authorizerKind,
    authorizerInvoked: e.authorizerInvoked,
    cached: e.cached,
  } as Decision);
  lines.push(
    `  route: ${e.route ?? '(none)'}   authorizer: ${e.authorizer ?? '(none)'}${e.authorizerKind ? ` (${e.authorizerKind}${note ? `, ${note}` : ''})` : ''}`,
  );
  lines.push('');
  lines.push(`${e.verdict.allowed ? 'Why' : 'Root cause'} [${e.rootCause.cause}]: ${e.rootCause.message}`);
  lines.push(`Fix: ${e.rootCause.fix}`);
  if (e.rootCause.cause !== e.decision.cause)
    lines.push(`  (gateway check: [${e.decision.cause}] ${e.decision.reason})`);
  if (e.token) {
    lines.push('', `Token in ${e.token.header}: ${e.token.description}`);
    if (e.token.jwt) {
      lines.push(`  header: ${JSON.stringify(e.token.jwt.header)}`);
      lines.push(`  claims: ${JSON.stringify(e.token.jwt.claims)}`);
    }
  }
  if (e.policy) {
    lines.push(
      '',
      `Policy of principal ${e.policy.principalId} (${e.policy.coversThisCall ? 'covers' : 'does not cover'} ${e.policy.methodArn}):`,
    );
    for (const s of e.policy.statements)
      lines.push(`  ${s.effect} ${s.actions.join(',')} on ${s.resources.join(', ')}`);
    if (e.policy.blocksFromCache.length > 0) {
      lines.push(
        `  cached for ${e.policy.ttlSeconds} s, it would refuse: ${e.policy.blocksFromCache.join(', ')}`,
      );
    }
  }
  const others = e.findings.filter(
    (f) => !(f.cause === e.rootCause.cause && f.message === e.rootCause.message),
  );
  if (others.length > 0) {
    lines.push('', 'Other findings:');
    for (const f of others)
      lines.push(`  ${f.severity} [${f.cause}] ${f.message}${f.severity === 'info' ? '' : ` Fix: ${f.fix}`}`);
  }
  if (e.notChecked.length > 0) {
    lines.push('', 'Not checked:');
    for (const n of e.notChecked) lines.push(`  ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
