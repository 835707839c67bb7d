/**
 * The request-level checks of `explain`, each a pure function over the model and one request: the token source
 * header, identity sources and stage variables, the validation regex, the SigV4 signature's parts, and which calls a
 * Lambda's (cached) policy covers.
 */

import { closest } from '../config/did-you-mean.js';
import type { DescribedRequest } from '../emulator/decide.js';
import { evaluatePolicy, type PolicyStatement } from '../emulator/policy.js';
import { buildMethodArn } from '../emulator/routing.js';
import type { GatewayIdentity } from '../emulator/lambda-event.js';
import { parseSigV4Header } from '../emulator/iam-authorizer.js';
import { compare } from '../model/parse.js';
import { HTTP_METHODS, type AuthModel, type Authorizer, type Route } from '../model/types.js';
import type { TokenFinding } from './inspect-token.js';
import { regexMismatch } from './regex-part.js';

/** Headers that never carry a client's token. */
const NOT_TOKEN_HEADERS = new Set([
  'host',
  'accept',
  'accept-encoding',
  'accept-language',
  'connection',
  'content-length',
  'content-type',
  'user-agent',
  'cache-control',
  'postman-token',
  'origin',
  'referer',
  'x-amz-date',
  'x-amz-content-sha256',
  'x-amz-security-token',
  'x-api-key',
  'access-control-request-headers',
  'access-control-request-method',
]);

/** Header names (lower-cased) -> value, from a described request. */
export function lowerHeaders(request: DescribedRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** Query parameters of a described request (from `?` in the path and `query`). */
export function queryOf(request: DescribedRequest): Record<string, string> {
  const q = request.path.indexOf('?');
  const params = new URLSearchParams(q === -1 ? '' : request.path.slice(q + 1));
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = value;
  return { ...out, ...(request.query ?? {}) };
}

/**
 * The token source header is absent but a token-looking value came in another header or the query string: the
 * header name does not match the authorizer's token source.
 *
 * @param authorizer - a TOKEN or Cognito authorizer
 * @param request - the request as sent
 */
export function checkTokenSource(authorizer: Authorizer, request: DescribedRequest): TokenFinding[] {
  if (authorizer.kind !== 'TOKEN' && authorizer.kind !== 'COGNITO_USER_POOLS') return [];
  const expected = authorizer.identitySources[0]?.name ?? 'Authorization';
  const headers = lowerHeaders(request);
  if (headers[expected.toLowerCase()] !== undefined) return [];
  const original = Object.keys(request.headers ?? {});
  const candidates = original.filter(
    (name) => !NOT_TOKEN_HEADERS.has(name.toLowerCase()) && (headers[name.toLowerCase()] ?? '') !== '',
  );
  const near = closest(expected, candidates);
  const tokenish = candidates.find((name) => /auth|token|jwt|bearer|session/i.test(name));
  const found = near ?? tokenish ?? (candidates.length === 1 ? candidates[0] : undefined);
  const fix = `send the token in the ${expected} header, or change the authorizer's token source (identitySource method.request.header.${found ?? expected}) and redeploy the API`;
  if (found !== undefined) {
    return [
      {
        cause: 'header-name-mismatch',
        severity: 'error',
        message: `the authorizer ${authorizer.name} reads its token from the ${expected} header, but the request sends it in ${found}`,
        fix,
      },
    ];
  }
  const query = queryOf(request);
  const inQuery = Object.keys(query).find((name) => /auth|token|jwt/i.test(name));
  if (inQuery !== undefined) {
    return [
      {
        cause: 'header-name-mismatch',
        severity: 'error',
        message: `the authorizer ${authorizer.name} reads its token from the ${expected} header, but the request sends it in the query string (${inQuery})`,
        fix: `send the token in the ${expected} header (a TOKEN or Cognito authorizer reads only that header)`,
      },
    ];
  }
  return [];
}

/**
 * The identity sources of a REQUEST authorizer the request lacks, and where a lookalike came instead; stage
 * variables the stage does not set.
 *
 * @param authorizer - a REQUEST authorizer
 * @param request - the request as sent
 * @param stageVariables - the stage's variables (config over deployed)
 */
export function checkIdentitySources(
  authorizer: Authorizer,
  request: DescribedRequest,
  stageVariables: Record<string, string>,
): TokenFinding[] {
  if (authorizer.kind !== 'REQUEST') return [];
  const headers = lowerHeaders(request);
  const query = queryOf(request);
  const headerNames = Object.keys(request.headers ?? {});
  const findings: TokenFinding[] = [];
  for (const source of authorizer.identitySources) {
    if (source.location === 'stageVariable') {
      if ((stageVariables[source.name] ?? '') === '') {
        findings.push({
          cause: 'stage-variable-unset',
          severity: 'error',
          message: `identity source ${source.expression} reads stage variable ${source.name}, which the stage does not set`,
          fix: `set the stage variable ${source.name} on the stage (for serve and explain: stageVariables.${source.name} in the config)`,
        });
      }
      continue;
    }
    if (source.location === 'header' && (headers[source.name.toLowerCase()] ?? '') === '') {
      const near = closest(
        source.name,
        headerNames.filter((n) => !NOT_TOKEN_HEADERS.has(n.toLowerCase())),
      );
      const inQuery = query[source.name] !== undefined;
      findings.push({
        cause: near !== undefined || inQuery ? 'header-name-mismatch' : 'identity-source-missing',
        severity: 'error',
        message:
          near !== undefined
            ? `identity source ${source.expression} wants header ${source.name}; the request sends ${near}`
            : inQuery
              ? `identity source ${source.expression} wants a header; the request sends ${source.name} in the query string`
              : `identity source ${source.expression}: no ${source.name} header${headers[source.name.toLowerCase()] === '' ? ' value (empty)' : ''}`,
        fix: `send the ${source.name} header`,
      });
    }
    if (source.location === 'querystring' && (query[source.name] ?? '') === '') {
      const near = closest(source.name, Object.keys(query));
      const inHeader = headers[source.name.toLowerCase()] !== undefined;
      findings.push({
        cause: near !== undefined || inHeader ? 'header-name-mismatch' : 'identity-source-missing',
        severity: 'error',
        message:
          near !== undefined
            ? `identity source ${source.expression} wants query parameter ${source.name}; the request sends ${near}`
            : inHeader
              ? `identity source ${source.expression} wants a query parameter; the request sends ${source.name} as a header`
              : `identity source ${source.expression}: no ${source.name} query parameter`,
        fix: `add ?${source.name}=... to the URL (query names are case-sensitive)`,
      });
    }
  }
  return findings;
}

/** The validation regex against the token: which part fails. */
export function checkValidationRegex(authorizer: Authorizer, token: string): TokenFinding[] {
  const expression = authorizer.validationExpression;
  if (authorizer.kind !== 'TOKEN' || expression === undefined || expression === '') return [];
  const why = regexMismatch(expression, token);
  if (why === undefined) return [];
  return [
    {
      cause: 'token-regex-mismatch',
      severity: 'error',
      message: `API Gateway refuses the token before the Lambda: ${why}`,
      fix: `send a token that matches ${expression}, or change identityValidationExpression and redeploy`,
    },
  ];
}

/**
 * What the SigV4 `Authorization` header has and lacks: the algorithm, the credential scope (region, service), the
 * signed headers, X-Amz-Date.
 */
export function checkSigV4(request: DescribedRequest, region: string): TokenFinding[] {
  const headers = lowerHeaders(request);
  const authorization = headers.authorization;
  if (authorization === undefined || authorization === '') {
    return [
      {
        cause: 'sigv4-missing',
        severity: 'error',
        message: 'the request has no Authorization header: it is not signed',
        fix: 'sign the request with SigV4 (service execute-api), e.g. Postman auth type "AWS Signature" or aws-sigv4 in curl',
      },
    ];
  }
  const parsed = parseSigV4Header(authorization);
  if (typeof parsed === 'string') {
    return [
      {
        cause: authorization.startsWith('AWS4-HMAC-SHA256 ') ? 'sigv4-incomplete' : 'sigv4-not-sigv4',
        severity: 'error',
        message: authorization.startsWith('AWS4-HMAC-SHA256 ')
          ? `the SigV4 header is incomplete: ${parsed}`
          : 'the Authorization header is not AWS4-HMAC-SHA256 (a Bearer token or an API key does not work on an AWS_IAM method)',
        fix: 'sign the request with SigV4 (service execute-api) instead of sending a token',
      },
    ];
  }
  const findings: TokenFinding[] = [];
  if (headers['x-amz-date'] === undefined) {
    findings.push({
      cause: 'sigv4-date-missing',
      severity: 'error',
      message: 'no X-Amz-Date header',
      fix: 'send the X-Amz-Date the signature was computed with',
    });
  }
  if (parsed.service !== 'execute-api') {
    findings.push({
      cause: 'sigv4-wrong-service',
      severity: 'error',
      message: `the credential scope names service ${parsed.service}`,
      fix: 'sign for service execute-api',
    });
  }
  if (parsed.region !== region) {
    findings.push({
      cause: 'sigv4-wrong-region',
      severity: 'error',
      message: `the credential scope names region ${parsed.region}; the API is in ${region}`,
      fix: `sign for region ${region}`,
    });
  }
  for (const needed of ['host', 'x-amz-date']) {
    if (!parsed.signedHeaders.includes(needed)) {
      findings.push({
        cause: 'sigv4-unsigned-header',
        severity: 'warning',
        message: `SignedHeaders does not include ${needed}`,
        fix: `sign ${needed} (SignedHeaders=${[...parsed.signedHeaders, needed].sort().join(';')})`,
      });
    }
  }
  for (const name of parsed.signedHeaders) {
    if (headers[name] === undefined) {
      findings.push({
        cause: 'sigv4-signed-header-missing',
        severity: 'error',
        message: `signed header ${name} was not sent`,
        fix: `send ${name} exactly as it was signed`,
      });
    }
  }
  if (
    /^\d{8}$/.test(parsed.date) &&
    headers['x-amz-date'] !== undefined &&
    !headers['x-amz-date'].startsWith(parsed.date)
  ) {
    findings.push({
      cause: 'sigv4-date-scope-mismatch',
      severity: 'error',
      message: `the credential scope date ${parsed.date} is not the day of X-Amz-Date`,
      fix: 'sign again: the scope date and X-Amz-Date must be the same day',
    });
  }
  return findings;
}

/** One call an authorizer guards, with its methodArn. */
export interface GuardedCall {
  /** `GET /orders/1001` */
  call: string;
  route: string;
  methodArn: string;
}

/** Every guarded call of an authorizer (each route's verb on a concrete path, `ANY` as GET). */
export function guardedCalls(
  model: AuthModel,
  authorizer: string,
  samples: Record<string, string>,
  gateway: GatewayIdentity,
): GuardedCall[] {
  const routes = model.routes
    .filter((r) => r.authorization.type === 'AUTHORIZER' && r.authorization.authorizer === authorizer)
    .sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  return routes.flatMap((route: Route) => {
    const path = route.path.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
      const value = samples[name] ?? (greedy ? 'doc/sample' : '1');
      return greedy ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
    });
    const methods: string[] = route.method === 'ANY' ? ['GET', 'POST'] : [route.method];
    return methods
      .filter((m) => (HTTP_METHODS as readonly string[]).includes(m))
      .map((method) => ({
        call: `${method} ${path}`,
        route: `${route.method} ${route.path}`,
        methodArn: buildMethodArn({ ...gateway, method, path }),
      }));
  });
}

/** Whether a policy covers a methodArn, and which of the authorizer's other calls it would refuse from the cache. */
export function checkPolicyCoverage(
  statements: readonly PolicyStatement[],
  methodArn: string,
  calls: readonly GuardedCall[],
): { coversThisCall: boolean; decision: string; blocks: GuardedCall[] } {
  const decision = evaluatePolicy(statements, methodArn);
  const blocks = calls.filter(
    (c) => c.methodArn !== methodArn && evaluatePolicy(statements, c.methodArn) !== 'allow',
  );
  return { coversThisCall: decision === 'allow', decision, blocks };
}
