/**
 * Cognito user pool authorizers: RS256 signature against the pool's JWKS, issuer of one of the authorizer's pools,
 * expiry, ID token for methods without scopes, access token with a matching scope otherwise.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */

import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Authorizer } from '../model/types.js';
import type { AuthorizerSettings } from '../config/types.js';
import { gatewayErrors } from './gateway-responses.js';
import { parseCompactJwt } from './jwt-format.js';
import { rejectWith, unauthorized, type Why } from './outcome.js';
import { describeToken, safeText } from './describe.js';
import type { AuthOutcome, AuthorizerStats, IncomingCall } from './types.js';

interface TrustedPool {
  issuer: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

export interface CognitoAuthorizerOptions {
  authorizer: Authorizer;
  settings: AuthorizerSettings;
  stats: AuthorizerStats;
  now: () => number;
  /**
   * When the pool's JWKS cannot be fetched: `reject` (serve: API Gateway could not verify, 401) or `assume-valid`
   * (explain offline: check everything else and say the signature was not checked). Default `reject`.
   */
  unverifiableSignature?: 'reject' | 'assume-valid';
  /** JWKS fetch timeout; default 3000 ms. */
  jwksTimeoutMs?: number;
}

/** `2024-05-01T10:00:00Z (3 min 20 s ago)` */
export function describeInstant(epochSeconds: number, nowMs: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const delta = Math.round(epochSeconds - nowMs / 1000);
  return `${iso} (${delta <= 0 ? `${formatDuration(-delta)} ago` : `in ${formatDuration(delta)}`})`;
}

/** `1 h 5 min`, `3 min 20 s`, `12 s` */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s >= 86_400) return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${s} s`;
}

/** The scopes of an access token's `scope` claim (space-separated). */
export function claimedScopes(payload: Record<string, unknown>): string[] {
  return typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
}

/** Why jose refused a token, as a decision cause and a reason. */
function joseWhy(
  error: unknown,
  nowMs: number,
  payload: Record<string, unknown>,
): Why & { unreachable?: boolean } {
  const code = (error as { code?: string } | undefined)?.code;
  const claim = (error as { claim?: string } | undefined)?.claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return {
        cause: 'jwt-expired',
        reason: `the token expired at ${typeof payload.exp === 'number' ? describeInstant(payload.exp, nowMs) : 'its exp'}`,
        invoked: true,
      };
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return {
        cause: 'jwt-kid-unknown',
        reason: "no key of the pool's JWKS has the token's kid",
        invoked: true,
      };
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return {
        cause: 'jwt-signature-invalid',
        reason: "the signature does not verify with the pool's key (tampered, or signed by another key)",
        invoked: true,
      };
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return { cause: 'jwt-alg-not-allowed', reason: "the token's alg is not RS256", invoked: true };
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf' && typeof payload.nbf === 'number') {
        return {
          cause: 'jwt-not-yet-valid',
          reason: `the token is not valid before ${describeInstant(payload.nbf, nowMs)}`,
          invoked: true,
        };
      }
      return { cause: 'jwt-claims-invalid', reason: `claim ${claim ?? '?'} is invalid`, invoked: true };
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return { cause: 'jwt-malformed', reason: 'the token is not a valid JWS', invoked: true };
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
    case undefined:
    case 'ERR_JOSE_GENERIC':
      return {
        cause: 'jwks-unreachable',
        reason: "the pool's JWKS could not be fetched, so the signature could not be verified",
        invoked: true,
        unreachable: true,
      };
    default:
      return { cause: 'jwt-signature-invalid', reason: `the token does not verify (${code})`, invoked: true };
  }
}

/** exp / nbf against now, as jose checks them (no clock tolerance). */
function timeWhy(payload: Record<string, unknown>, nowMs: number): Why | undefined {
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.exp === 'number' && payload.exp <= now) {
    return {
      cause: 'jwt-expired',
      reason: `the token expired at ${describeInstant(payload.exp, nowMs)}`,
      invoked: true,
    };
  }
  if (typeof payload.nbf === 'number' && payload.nbf > now) {
    return {
      cause: 'jwt-not-yet-valid',
      reason: `the token is not valid before ${describeInstant(payload.nbf, nowMs)}`,
      invoked: true,
    };
  }
  return undefined;
}

/** The one prefix REST Cognito authorizers accept in front of the JWT: `Bearer` and exactly one space. */
const BEARER_PREFIX = 'Bearer ';

/**
 * The JWT in a token-source header value: the raw token, or the token after `Bearer ` (REST Cognito authorizers
 * accept both, reference section 4). Only that exact prefix is removed; anything else stays and then fails the
 * strict JWT syntax (`bearer x`, `Bearer  x`, `Token x`).
 */
export function cognitoJwt(headerValue: string): string {
  return headerValue.startsWith(BEARER_PREFIX) ? headerValue.slice(BEARER_PREFIX.length) : headerValue;
}

/**
 * The issuers (and JWKS) an authorizer trusts: each pool's `https://cognito-idp.<region>.amazonaws.com/<poolId>`,
 * or, for local stand-ins, the config's `cognito.issuer` / `cognito.jwksUrl` overrides.
 */
export function trustedIssuers(
  authorizer: Authorizer,
  settings: AuthorizerSettings,
): { issuer: string; jwksUrl: string }[] {
  const override = settings.cognito;
  if (override?.issuer !== undefined) {
    return [
      { issuer: override.issuer, jwksUrl: override.jwksUrl ?? `${override.issuer}/.well-known/jwks.json` },
    ];
  }
  return authorizer.userPools.map((pool) => {
    const issuer = `https://cognito-idp.${pool.region}.amazonaws.com/${pool.userPoolId}`;
    return { issuer, jwksUrl: override?.jwksUrl ?? `${issuer}/.well-known/jwks.json` };
  });
}

export class CognitoAuthorizer {
  private readonly pools: TrustedPool[];

  constructor(private readonly options: CognitoAuthorizerOptions) {
    this.pools = trustedIssuers(options.authorizer, options.settings).map(({ issuer, jwksUrl }) => ({
      issuer,
      // jose fetches lazily, caches the keys and refetches on an unknown `kid`; a JWKS that is down rejects.
      jwks: createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: options.jwksTimeoutMs ?? 3000 }),
    }));
  }

  async authorize(call: IncomingCall, scopes: readonly string[]): Promise<AuthOutcome> {
    const { authorizer, stats } = this.options;
    const headerName = authorizer.identitySources[0]?.name ?? 'Authorization';
    const token = call.headers[headerName.toLowerCase()];
    if (token === undefined || token === '') {
      stats.rejectedBeforeInvoke++;
      return unauthorized({
        cause: token === undefined ? 'token-missing' : 'token-empty',
        reason: token === undefined ? `no ${headerName} header` : `the ${headerName} header is empty`,
        invoked: false,
      });
    }
    stats.invocations++;
    const jwt = cognitoJwt(token);
    // Strict base64url before any decoding: jose's decoders skip characters outside the alphabet, so a space
    // inside the signature would otherwise still verify (AWS answers 401).
    const parsed = parseCompactJwt(jwt);
    if (typeof parsed === 'string') {
      return unauthorized({
        cause: 'jwt-malformed',
        reason: `the ${headerName} value (${describeToken(token)}) is not a JWT: ${parsed}`,
        invoked: true,
      });
    }
    const issuer = parsed.payload.iss;
    const pool = this.pools.find((p) => p.issuer === issuer);
    if (!pool) {
      const trusted = this.pools.map((p) => p.issuer).join(' or ') || '(no user pool)';
      return unauthorized({
        cause: 'jwt-issuer-mismatch',
        reason:
          typeof issuer === 'string'
            ? `the token's issuer ${safeText(issuer)} is not the authorizer's user pool ${trusted}`
            : `the token has no iss claim; the authorizer trusts ${trusted}`,
        invoked: true,
      });
    }
    const nowMs = this.options.now();
    if (parsed.header.alg !== 'RS256') {
      return unauthorized({
        cause: 'jwt-alg-not-allowed',
        reason: `the token's alg is ${safeText(String(parsed.header.alg), 20)}, Cognito signs with RS256`,
        invoked: true,
      });
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, pool.jwks, {
        issuer: pool.issuer,
        algorithms: ['RS256'],
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      // jose checks the signature before the claims, so only a genuine token can report expiry.
      const why = joseWhy(error, nowMs, parsed.payload);
      if (!(why.unreachable === true && this.options.unverifiableSignature === 'assume-valid')) {
        return why.cause === 'jwt-expired'
          ? rejectWith(gatewayErrors.tokenExpired(), why)
          : unauthorized(why);
      }
      const time = timeWhy(parsed.payload, nowMs);
      if (time?.cause === 'jwt-expired') return rejectWith(gatewayErrors.tokenExpired(), time);
      if (time) return unauthorized(time);
      payload = parsed.payload as JWTPayload;
    }
    const tokenUse = typeof payload.token_use === 'string' ? payload.token_use : 'none';
    if (scopes.length === 0 && tokenUse !== 'id') {
      return unauthorized({
        cause: 'id-token-required',
        reason: `the method has no OAuth scopes, so API Gateway wants an ID token; this token's token_use is ${safeText(tokenUse, 20)}`,
        invoked: true,
      });
    }
    if (scopes.length > 0 && tokenUse !== 'access') {
      return unauthorized({
        cause: 'access-token-required',
        reason: `the method has OAuth scopes (${scopes.join(' ')}), so API Gateway wants an access token; this token's token_use is ${safeText(tokenUse, 20)}`,
        invoked: true,
      });
    }
    if (scopes.length > 0 && !hasScope(payload, scopes)) {
      const claimed = claimedScopes(payload);
      return unauthorized({
        cause: 'scope-missing',
        reason: `the access token's scopes (${safeText(claimed.join(' ') || 'none')}) include none of the method's (${scopes.join(' ')})`,
        invoked: true,
      });
    }
    // With a validation expression API Gateway matches it against `aud` (absent from access tokens).
    const expression = authorizer.validationExpression;
    if (expression !== undefined && expression !== '') {
      const aud = typeof payload.aud === 'string' ? payload.aud : undefined;
      if (aud === undefined || !safeTest(expression, aud)) {
        return unauthorized({
          cause: 'aud-mismatch',
          reason:
            aud === undefined
              ? `identityValidationExpression ${expression} is matched against aud, and this token has none (access tokens carry client_id)`
              : `the token's aud ${safeText(aud, 60)} does not match identityValidationExpression ${expression}`,
          invoked: true,
        });
      }
    }
    return {
      kind: 'allow',
      principalId: typeof payload.sub === 'string' ? payload.sub : null,
      authorizer: { claims: payload },
      cause: 'allowed',
      reason: `a valid ${tokenUse === 'id' ? 'ID' : 'access'} token of ${pool.issuer}`,
      invoked: true,
    };
  }
}

function hasScope(payload: JWTPayload, scopes: readonly string[]): boolean {
  const claimed = claimedScopes(payload);
  return scopes.some((s) => claimed.includes(s));
}

function safeTest(expression: string, value: string): boolean {
  try {
    return new RegExp(expression).test(value);
  } catch {
    return false;
  }
}
