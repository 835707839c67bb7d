/**
 * Token inspection: the checks the AWS troubleshooting guides walk through for a supplied token, as pure functions
 * (whitespace, quotes, line breaks, the `Bearer ` prefix, the JWT's issuer, expiry, token use, scopes, audience,
 * algorithm and key id). `explain` uses them for the request's token; `run`'s pre-flight uses `inspectToken` for
 * supplied static tokens and `expiredToken`. Findings describe the token, never echo it.
 *
 * @see https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
 */

import {
  claimedScopes,
  describeInstant,
  formatDuration,
  trustedIssuers,
} from '../emulator/cognito-authorizer.js';
import { describeToken, safeText } from '../emulator/describe.js';
import { parseCompactJwt } from '../emulator/jwt-format.js';
import { defaultAuthorizerSettings, type ProjectConfig } from '../config/types.js';
import type { AuthModel } from '../model/types.js';

export type Severity = 'error' | 'warning' | 'info';

/** One thing a check found: a stable cause id, how bad, one line saying what, one line saying what to do. */
export interface TokenFinding {
  cause: string;
  severity: Severity;
  message: string;
  fix: string;
}

/** What is known of the authorizer a token is for; every field optional. */
export interface TokenFacts {
  /** Authorizer name, for messages. */
  authorizer?: string;
  kind?: 'COGNITO_USER_POOLS' | 'TOKEN' | 'REQUEST' | 'JWT' | 'HTTP_LAMBDA';
  /** The token-source header, for messages. */
  header?: string;
  /** Issuers the authorizer trusts (`https://cognito-idp.<region>.amazonaws.com/<poolId>`). */
  issuers?: readonly string[];
  /** App client ids the token should belong to (`aud` of ID tokens, `client_id` of access tokens). */
  clientIds?: readonly string[];
  /** The token use the method needs: `id` (no scopes) or `access` (scopes). Derived from `scopes` when absent. */
  tokenUse?: 'id' | 'access';
  /** The method's OAuth scopes (any one is enough). */
  scopes?: readonly string[];
  /** Cognito: matched against `aud` when set. */
  validationExpression?: string;
  /** Whether the value must be a JWT (Cognito, or a Lambda with `tokenFormat: jwt`); default: when kind is Cognito. */
  expectJwt?: boolean;
  /** Clock, epoch ms; default `Date.now()`. */
  now?: number;
  /** Warn when the token expires within this many seconds; default 300. */
  expiresSoonSeconds?: number;
}

/** The decoded parts of a token, for display: never the signature, never the raw value. */
export interface DecodedToken {
  description: string;
  jwt?: { header: Record<string, unknown>; claims: Record<string, unknown> };
  /** Why the value is not a JWT. */
  notJwt?: string;
}

const BEARER = 'Bearer ';

/** Decode a header value for display (after an exact `Bearer ` prefix). */
export function decodeToken(value: string): DecodedToken {
  const raw = value.startsWith(BEARER) ? value.slice(BEARER.length) : value;
  const parsed = parseCompactJwt(raw.trim());
  if (typeof parsed === 'string') return { description: describeToken(value), notJwt: parsed };
  return { description: describeToken(value), jwt: { header: parsed.header, claims: parsed.payload } };
}

/**
 * Whitespace, quotes, line breaks and the `Bearer ` prefix. REST Cognito authorizers accept exactly `Bearer <jwt>`;
 * a Lambda TOKEN authorizer gets the raw header value, so its regex and its code see the prefix.
 *
 * @param value - the header value as sent
 * @param kind - the authorizer kind the value is for
 */
export function checkTokenShape(value: string, kind?: TokenFacts['kind']): TokenFinding[] {
  const findings: TokenFinding[] = [];
  if (/[\r\n]/.test(value) || value.includes('\\n')) {
    findings.push({
      cause: 'token-newline',
      severity: 'error',
      message: 'the token contains a line break (or a literal \\n): it was copied across lines',
      fix: 'copy the token again as one line (e.g. `tr -d "\\n"`), without the line break',
    });
  }
  const unprefixed = value.startsWith(BEARER) ? value.slice(BEARER.length) : value;
  if (/^["'].*["']$/s.test(unprefixed.trim()) || /^["']|["']$/.test(unprefixed)) {
    findings.push({
      cause: 'token-quotes',
      severity: 'error',
      message: 'the token is wrapped in quotes: the quote characters are sent as part of it',
      fix: 'remove the quotes around the token (a shell or a JSON copy added them)',
    });
  }
  const bearerLike = /^bearer\b/i.exec(value);
  if (bearerLike && !value.startsWith(BEARER)) {
    findings.push({
      cause: 'bearer-prefix-malformed',
      severity: 'error',
      message: `the token starts with a "${safeText(value.slice(0, 7).replace(/\s+$/, ''), 7)}" prefix that is not exactly "Bearer " (capital B, one space)`,
      fix:
        kind === 'COGNITO_USER_POOLS' ? 'send the raw JWT, or exactly "Bearer <jwt>"' : 'send the raw token',
    });
  } else if (/^Bearer\s{2,}/.test(value)) {
    findings.push({
      cause: 'bearer-prefix-malformed',
      severity: 'error',
      message: 'there is more than one space after "Bearer"',
      fix: 'send exactly "Bearer <token>" with one space, or the raw token',
    });
  } else if (value.startsWith(BEARER)) {
    findings.push(
      kind === 'COGNITO_USER_POOLS'
        ? {
            cause: 'bearer-prefix',
            severity: 'info',
            message: 'the token has a "Bearer " prefix: REST Cognito authorizers accept it',
            fix: 'nothing to do (the raw JWT works too)',
          }
        : {
            cause: 'bearer-prefix',
            severity: 'warning',
            message:
              'the token has a "Bearer " prefix: a Lambda TOKEN authorizer receives the whole header value, prefix included, and its validation regex sees it too',
            fix: 'send the raw token, or make the regex and the Lambda accept and strip "Bearer "',
          },
    );
  }
  const inner = unprefixed.replace(/^Bearer\s+/i, '');
  if (inner !== inner.trim()) {
    findings.push({
      cause: 'token-whitespace',
      severity: 'error',
      message: 'the token has leading or trailing whitespace',
      fix: 'trim the token before sending it',
    });
  } else if (/\s/.test(inner)) {
    findings.push({
      cause: 'token-whitespace',
      severity: 'error',
      message: `the token contains whitespace at character ${inner.search(/\s/) + 1} of ${inner.length}: a space was pasted into it`,
      fix: 'remove the space (copy the token again in one piece)',
    });
  }
  return findings;
}

/** `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC` -> region and pool id. */
export function parseCognitoIssuer(issuer: string): { region: string; poolId: string } | undefined {
  const m = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([\w-]+_[\w]+)$/.exec(issuer);
  return m ? { region: m[1] as string, poolId: m[2] as string } : undefined;
}

function issuerFindings(iss: unknown, issuers: readonly string[]): TokenFinding[] {
  if (issuers.length === 0) return [];
  const trusted = issuers.join(' or ');
  if (typeof iss !== 'string') {
    return [
      {
        cause: 'jwt-issuer-mismatch',
        severity: 'error',
        message: `the token has no iss claim; the authorizer trusts ${trusted}`,
        fix: "use a token issued by the authorizer's user pool",
      },
    ];
  }
  if (issuers.includes(iss)) return [];
  const got = parseCognitoIssuer(iss);
  const wanted = issuers.map(parseCognitoIssuer).filter((p) => p !== undefined);
  const shown = safeText(iss);
  if (got && wanted.length > 0 && !wanted.some((w) => w.region === got.region)) {
    return [
      {
        cause: 'issuer-other-region',
        severity: 'error',
        message: `the token comes from user pool ${got.poolId} in region ${got.region}; the authorizer's pool is ${wanted.map((w) => `${w.poolId} in ${w.region}`).join(' or ')}`,
        fix: `get the token from the pool in ${wanted[0]?.region ?? 'the right region'} (check the app client id and the region of your Cognito endpoint)`,
      },
    ];
  }
  if (got && wanted.length > 0) {
    return [
      {
        cause: 'issuer-other-pool',
        severity: 'error',
        message: `the token comes from user pool ${got.poolId}; the authorizer trusts ${wanted.map((w) => w.poolId).join(' or ')} (same region ${got.region})`,
        fix: "get the token from the authorizer's user pool, or add this pool to the authorizer's providerARNs and redeploy",
      },
    ];
  }
  return [
    {
      cause: 'jwt-issuer-mismatch',
      severity: 'error',
      message: `the token's issuer ${shown} is not the authorizer's ${trusted}`,
      fix: "use a token issued by the authorizer's user pool (or, for local stand-ins, set cognito.issuer in the config)",
    },
  ];
}

function timeFindings(claims: Record<string, unknown>, nowMs: number, soonSeconds: number): TokenFinding[] {
  const now = Math.floor(nowMs / 1000);
  const findings: TokenFinding[] = [];
  if (typeof claims.exp === 'number') {
    if (claims.exp <= now) {
      findings.push({
        cause: 'jwt-expired',
        severity: 'error',
        message: `the token expired at ${describeInstant(claims.exp, nowMs)}`,
        fix: 'get a fresh token (Cognito tokens live 5 minutes to 1 day)',
      });
    } else if (claims.exp - now <= soonSeconds) {
      findings.push({
        cause: 'token-expires-soon',
        severity: 'warning',
        message: `the token expires in ${formatDuration(claims.exp - now)}`,
        fix: 'get a fresh token before a long run',
      });
    }
  } else {
    findings.push({
      cause: 'jwt-no-exp',
      severity: 'warning',
      message: 'the token has no exp claim (Cognito tokens always have one)',
      fix: 'use a token issued by Cognito',
    });
  }
  if (typeof claims.nbf === 'number' && claims.nbf > now) {
    findings.push({
      cause: 'jwt-not-yet-valid',
      severity: 'error',
      message: `the token is not valid before ${describeInstant(claims.nbf, nowMs)}`,
      fix: 'check the clock of the machine that issued or checks the token',
    });
  }
  return findings;
}

function useFindings(claims: Record<string, unknown>, facts: TokenFacts): TokenFinding[] {
  const scopes = facts.scopes ?? [];
  const needed = facts.tokenUse ?? (scopes.length > 0 ? 'access' : 'id');
  const use = typeof claims.token_use === 'string' ? claims.token_use : undefined;
  if (needed === 'id' && use !== 'id') {
    return [
      {
        cause: 'id-token-required',
        severity: 'error',
        message: `the method has no OAuth scopes, so API Gateway wants an ID token; this is ${use === 'access' ? 'an access token' : `a token with token_use ${safeText(String(use ?? 'missing'), 20)}`}`,
        fix: 'send the ID token (IdToken / id_token), or add OAuth scopes to the method and redeploy',
      },
    ];
  }
  if (needed === 'access' && use !== 'access') {
    return [
      {
        cause: 'access-token-required',
        severity: 'error',
        message: `the method has OAuth scopes (${scopes.join(' ')}), so API Gateway wants an access token; this is ${use === 'id' ? 'an ID token' : `a token with token_use ${safeText(String(use ?? 'missing'), 20)}`}`,
        fix: `send the access token (AccessToken / access_token) with one of the scopes ${scopes.join(' ')}`,
      },
    ];
  }
  if (needed === 'access' && scopes.length > 0) {
    const claimed = claimedScopes(claims);
    if (!scopes.some((s) => claimed.includes(s))) {
      return [
        {
          cause: 'scope-missing',
          severity: 'error',
          message: `the access token's scopes (${safeText(claimed.join(' ') || 'none')}) include none of the method's (${scopes.join(' ')})`,
          fix: `request one of ${scopes.join(' ')} when getting the token (the app client must allow it)`,
        },
      ];
    }
    return [
      {
        cause: 'scopes-present',
        severity: 'info',
        message: `the token's scopes include ${scopes.filter((s) => claimed.includes(s)).join(' ')}`,
        fix: 'nothing to do',
      },
    ];
  }
  return [];
}

function clientFindings(claims: Record<string, unknown>, facts: TokenFacts): TokenFinding[] {
  const aud = typeof claims.aud === 'string' ? claims.aud : undefined;
  const findings: TokenFinding[] = [];
  const expression = facts.validationExpression;
  if (expression !== undefined && expression !== '') {
    let matches = false;
    try {
      matches = aud !== undefined && new RegExp(expression).test(aud);
    } catch {
      matches = false;
    }
    if (!matches) {
      findings.push({
        cause: 'aud-mismatch',
        severity: 'error',
        message:
          aud === undefined
            ? `identityValidationExpression ${expression} is matched against aud, and this token has none (access tokens carry client_id)`
            : `the token's aud ${safeText(aud, 60)} does not match identityValidationExpression ${expression}`,
        fix: 'use an ID token of the matching app client, or remove the validation expression for access tokens',
      });
    }
  }
  const clientIds = facts.clientIds ?? [];
  const client = aud ?? (typeof claims.client_id === 'string' ? claims.client_id : undefined);
  if (clientIds.length > 0 && client !== undefined && !clientIds.includes(client)) {
    findings.push({
      cause: 'client-id-mismatch',
      severity: 'warning',
      message: `the token was issued to app client ${safeText(client, 60)}, the config names ${clientIds.join(' or ')} (API Gateway does not check it without a validation expression)`,
      fix: 'check authorizers.NAME.cognito.clientId in the config, or the client used to get the token',
    });
  }
  return findings;
}

/**
 * Inspect one supplied token against what is known of its authorizer.
 *
 * @param token - the header value as it would be sent (raw JWT or `Bearer <jwt>`, or an opaque token)
 * @param facts - the authorizer's issuers, client ids, needed token use and scopes, header; all optional
 * @returns findings, errors first; empty when nothing is wrong that these facts can tell
 */
export function inspectToken(token: string, facts: TokenFacts = {}): TokenFinding[] {
  const findings = checkTokenShape(token, facts.kind);
  const expectJwt = facts.expectJwt ?? facts.kind === 'COGNITO_USER_POOLS';
  const raw = token.startsWith(BEARER) ? token.slice(BEARER.length) : token;
  const parsed = parseCompactJwt(raw.trim());
  if (typeof parsed === 'string') {
    if (expectJwt) {
      findings.push({
        cause: 'jwt-malformed',
        severity: 'error',
        message: `the value (${describeToken(token)}) is not a JWT: ${parsed}`,
        fix: 'send the JWT itself (three base64url parts separated by dots)',
      });
    }
    return sortFindings(findings);
  }
  const { header, payload } = parsed;
  if (expectJwt && facts.kind === 'COGNITO_USER_POOLS' && header.alg !== 'RS256') {
    findings.push({
      cause: 'jwt-alg-not-allowed',
      severity: 'error',
      message: `the token's alg is ${safeText(String(header.alg), 20)}; Cognito signs with RS256`,
      fix: 'use a token issued by Cognito (a forged or re-signed token is refused)',
    });
  }
  if (typeof header.kid !== 'string') {
    findings.push({
      cause: 'jwt-kid-missing',
      severity: facts.kind === 'COGNITO_USER_POOLS' ? 'error' : 'warning',
      message: 'the token header has no kid, so no key of the JWKS can verify it',
      fix: "use a token issued by the authorizer's user pool",
    });
  }
  findings.push(...issuerFindings(payload.iss, facts.issuers ?? []));
  findings.push(...timeFindings(payload, facts.now ?? Date.now(), facts.expiresSoonSeconds ?? 300));
  if (facts.scopes !== undefined || facts.tokenUse !== undefined) {
    findings.push(...useFindings(payload, facts));
  }
  findings.push(...clientFindings(payload, facts));
  return sortFindings(findings);
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function sortFindings(findings: TokenFinding[]): TokenFinding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}

/**
 * The facts `inspectToken` needs for a Cognito or Lambda authorizer of a model (for `run`'s pre-flight).
 *
 * @param model - the API
 * @param config - the project config (client ids, issuer overrides)
 * @param authorizerName - the authorizer's name
 * @param scopes - the method's scopes (empty: an ID token is needed); undefined: do not check token use
 */
export function tokenFactsFor(
  model: AuthModel,
  config: ProjectConfig,
  authorizerName: string,
  scopes?: readonly string[],
): TokenFacts {
  const authorizer = model.authorizers.find((a) => a.name === authorizerName);
  if (authorizer === undefined || authorizer.kind === 'AWS_IAM') return { authorizer: authorizerName };
  const settings = config.authorizers[authorizer.name] ?? defaultAuthorizerSettings();
  const header = authorizer.identitySources[0]?.name;
  if (authorizer.kind !== 'COGNITO_USER_POOLS') {
    return {
      authorizer: authorizer.name,
      kind: authorizer.kind,
      ...(header === undefined ? {} : { header }),
      expectJwt: settings.tokenFormat === 'jwt',
    };
  }
  const cognito = settings.cognito;
  const clientIds = [cognito?.clientId, cognito?.accessTokenClientId].filter(
    (id): id is string => id !== undefined,
  );
  return {
    authorizer: authorizer.name,
    kind: 'COGNITO_USER_POOLS',
    ...(header === undefined ? {} : { header }),
    issuers: trustedIssuers(authorizer, settings).map((t) => t.issuer),
    clientIds,
    ...(scopes === undefined ? {} : { scopes, tokenUse: scopes.length > 0 ? 'access' : 'id' }),
    ...(authorizer.validationExpression === undefined
      ? {}
      : { validationExpression: authorizer.validationExpression }),
  };
}
