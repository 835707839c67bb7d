/**
 * Cognito user pool authorizers: RS256 signature against the pool's JWKS, issuer of one of the authorizer's pools,
 * expiry, ID token for methods without scopes, access token with a matching scope otherwise.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */

import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Authorizer } from '../model/types.js';
import type { AuthorizerSettings } from '../config/types.js';
import { gatewayErrors } from './gateway-responses.js';
import { parseCompactJwt } from './jwt-format.js';
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
}

const unauthorized = (): AuthOutcome => ({ kind: 'reject', error: gatewayErrors.unauthorized() });

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

function hasScope(payload: JWTPayload, scopes: readonly string[]): boolean {
  const claimed = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  return scopes.some((s) => claimed.includes(s));
}

export class CognitoAuthorizer {
  private readonly pools: TrustedPool[];

  constructor(private readonly options: CognitoAuthorizerOptions) {
    this.pools = trustedIssuers(options.authorizer, options.settings).map(({ issuer, jwksUrl }) => ({
      issuer,
      // jose fetches lazily, caches the keys and refetches on an unknown `kid`; a JWKS that is down rejects.
      jwks: createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000 }),
    }));
  }

  async authorize(call: IncomingCall, scopes: readonly string[]): Promise<AuthOutcome> {
    const { authorizer, stats } = this.options;
    const header = (authorizer.identitySources[0]?.name ?? 'Authorization').toLowerCase();
    const token = call.headers[header];
    if (token === undefined || token === '') {
      stats.rejectedBeforeInvoke++;
      return unauthorized();
    }
    stats.invocations++;
    const jwt = cognitoJwt(token);
    // Strict base64url before any decoding: jose's decoders skip characters outside the alphabet, so a space
    // inside the signature would otherwise still verify (AWS answers 401).
    const parsed = parseCompactJwt(jwt);
    if (typeof parsed === 'string') return unauthorized();
    const issuer = parsed.payload.iss;
    const pool = this.pools.find((p) => p.issuer === issuer);
    if (!pool) return unauthorized();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, pool.jwks, {
        issuer: pool.issuer,
        algorithms: ['RS256'],
        currentDate: new Date(this.options.now()),
      }));
    } catch (error) {
      // jose checks the signature before the claims, so only a genuine token can report expiry.
      return error instanceof errors.JWTExpired
        ? { kind: 'reject', error: gatewayErrors.tokenExpired() }
        : unauthorized();
    }
    if (
      scopes.length === 0
        ? payload.token_use !== 'id'
        : payload.token_use !== 'access' || !hasScope(payload, scopes)
    ) {
      return unauthorized();
    }
    // With a validation expression API Gateway matches it against `aud` (absent from access tokens).
    const expression = authorizer.validationExpression;
    if (expression !== undefined && expression !== '') {
      const aud = typeof payload.aud === 'string' ? payload.aud : undefined;
      if (aud === undefined || !safeTest(expression, aud)) return unauthorized();
    }
    return {
      kind: 'allow',
      principalId: typeof payload.sub === 'string' ? payload.sub : null,
      authorizer: { claims: payload },
    };
  }
}

function safeTest(expression: string, value: string): boolean {
  try {
    return new RegExp(expression).test(value);
  } catch {
    return false;
  }
}
