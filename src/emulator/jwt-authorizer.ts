/**
 * The built-in JWT authorizer, on HTTP APIs (one issuer, RSA only, fixed answers with `www-authenticate`) and on
 * REST APIs (issuers with their own audiences and claim rules, an algorithm allow-list, gateway responses).
 *
 * Order (AGDG `http-api-jwt-authorizer`): token from the identity source (`Bearer ` optional), decode, algorithm and
 * signature against the issuer's JWKS (`kid` must match), then `iss`, `aud` (else `client_id` when the token has no
 * `aud`), `exp`, `nbf`, `iat`, REST claim rules, and scopes from `scope` or `scp`. Claims reach the integration
 * only after all of it.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */

import { createHmac, createPublicKey, timingSafeEqual, type JsonWebKey } from 'node:crypto';
import { compactVerify, importJWK, type JWK } from 'jose';
import {
  HTTP_JWT_ALGORITHMS,
  type ApiKind,
  type Authorizer,
  type JwtAlgorithm,
  type JwtClaimRule,
} from '../model/types.js';
import type { AuthorizerSettings, IssuerStandIn } from '../config/types.js';
import { describeInstant } from './cognito-authorizer.js';
import { describeToken, safeText } from './describe.js';
import { gatewayErrors } from './gateway-responses.js';
import { bearerChallenge, httpErrors } from './http-responses.js';
import { parseCompactJwt, type CompactJwt } from './jwt-format.js';
import { KeySource, type KeyLookup } from './jwt-keys.js';
import { rejectWith, type Why } from './outcome.js';
import type { AuthOutcome, AuthorizerStats, GatewayFaults, IncomingCall } from './types.js';

/** One issuer the authorizer trusts, after the `serve.issuers` mapping. */
export interface ResolvedIssuer {
  /** The issuer as the API names it. */
  configured: string;
  /** The `iss` tokens must carry: the local stand-in's when mapped, else `configured`. */
  expected: string;
  /** Key-set URL; absent means discovery at `expected`. */
  jwksUrl?: string;
  /** `serve.issuers` or `cognito.issuer`, when a local server stands in for the configured issuer. */
  mappedBy?: 'serve.issuers' | 'cognito.issuer';
  audiences: string[];
  claims: JwtClaimRule[];
}

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+$/;

/**
 * The issuers of a JWT authorizer as `serve` verifies them: `serve.issuers[<issuer>]` maps an issuer to a local
 * stand-in; for a Cognito issuer `authorizers.NAME.cognito.issuer` / `.jwksUrl` do the same (as for REST Cognito
 * authorizers).
 */
export function resolveIssuers(
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  standIns: Record<string, IssuerStandIn>,
): ResolvedIssuer[] {
  return (authorizer.jwt?.issuers ?? []).map(({ issuer, audiences, claims }) => {
    const standIn = standIns[issuer];
    if (standIn) {
      return {
        configured: issuer,
        expected: standIn.issuer,
        ...(standIn.jwksUrl === undefined ? {} : { jwksUrl: standIn.jwksUrl }),
        mappedBy: 'serve.issuers',
        audiences,
        claims,
      };
    }
    const cognito = settings.cognito;
    if (COGNITO_ISSUER.test(issuer) && cognito?.issuer !== undefined) {
      return {
        configured: issuer,
        expected: cognito.issuer,
        jwksUrl: cognito.jwksUrl ?? `${cognito.issuer}/.well-known/jwks.json`,
        mappedBy: 'cognito.issuer',
        audiences,
        claims,
      };
    }
    return {
      configured: issuer,
      expected: issuer,
      ...(COGNITO_ISSUER.test(issuer) && cognito?.jwksUrl !== undefined ? { jwksUrl: cognito.jwksUrl } : {}),
      audiences,
      claims,
    };
  });
}

/** `https://issuer (served by http://127.0.0.1:9000/ via serve.issuers)`, or the issuer alone. */
export function describeIssuer(issuer: ResolvedIssuer): string {
  return issuer.mappedBy === undefined
    ? issuer.expected
    : `${issuer.configured} (served by ${issuer.expected} via ${issuer.mappedBy})`;
}

/** The algorithms the authorizer accepts: HTTP APIs RSA only; REST APIs `defaultAlgorithms`. */
export function allowedAlgorithms(authorizer: Authorizer, apiKind: ApiKind): readonly JwtAlgorithm[] {
  if (apiKind === 'HTTP') return HTTP_JWT_ALGORITHMS;
  return authorizer.jwt?.algorithms ?? [];
}

/** The scopes a token grants: `scope` (space-separated) or `scp` (a list, or space-separated). */
export function tokenScopes(payload: Record<string, unknown>): string[] {
  const split = (value: unknown): string[] =>
    typeof value === 'string'
      ? value.split(' ').filter(Boolean)
      : Array.isArray(value)
        ? value.filter((v): v is string => typeof v === 'string')
        : [];
  return [...new Set([...split(payload.scope), ...split(payload.scp)])];
}

/**
 * A claim as an HTTP API hands it to the integration: a string; numbers and booleans as text, lists as `[a b]`,
 * objects as Go prints maps (`map[k:v]`), as observed on the wire (reference section B.2).
 */
export function httpClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(httpClaimValue).join(' ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[${entries.map(([k, v]) => `${k}:${httpClaimValue(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** The audience values of a token that count: `aud` when present, else `client_id` (AGDG troubleshooting). */
function audienceOf(payload: Record<string, unknown>): {
  claim: 'aud' | 'client_id' | null;
  values: string[];
} {
  if (payload.aud !== undefined) {
    const values =
      typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
    return { claim: 'aud', values: values.filter((v): v is string => typeof v === 'string') };
  }
  if (typeof payload.client_id === 'string') return { claim: 'client_id', values: [payload.client_id] };
  return { claim: null, values: [] };
}

const HMAC_BITS: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

export interface JwtAuthorizerOptions {
  authorizer: Authorizer;
  apiKind: ApiKind;
  settings: AuthorizerSettings;
  /** `serve.issuers` of the config. */
  standIns: Record<string, IssuerStandIn>;
  stats: AuthorizerStats;
  now: () => number;
  faults?: GatewayFaults;
  /** Keys that cannot be fetched: `reject` (serve, default) or `assume-valid` (explain offline). */
  unverifiableSignature?: 'reject' | 'assume-valid';
  /** Discovery and JWKS fetch timeout; default 3000 ms. */
  jwksTimeoutMs?: number;
}

interface Refusal extends Why {
  /** `error_description` of the HTTP API's `www-authenticate`. */
  description: string;
}

export class JwtAuthorizer {
  readonly issuers: ResolvedIssuer[];
  private readonly keys: KeySource[];
  /** Imported keys per fetched JWK (a refetch brings new objects) and algorithm. */
  private readonly imported = new WeakMap<JWK, Map<string, Promise<Awaited<ReturnType<typeof importJWK>>>>>();

  constructor(private readonly options: JwtAuthorizerOptions) {
    this.issuers = resolveIssuers(options.authorizer, options.settings, options.standIns);
    this.keys = this.issuers.map(
      (issuer) =>
        new KeySource({
          issuer: issuer.expected,
          ...(issuer.jwksUrl === undefined ? {} : { jwksUrl: issuer.jwksUrl }),
          timeoutMs: options.jwksTimeoutMs ?? 3000,
          now: options.now,
        }),
    );
  }

  /** The header or query parameter the token comes from (the single identity source). */
  private tokenFrom(call: IncomingCall): { where: string; value: string | undefined } {
    const source = this.options.authorizer.identitySources[0];
    if (!source) return { where: 'Authorization header', value: call.headers.authorization };
    if (source.location === 'header') {
      return { where: `${source.name} header`, value: call.headers[source.name.toLowerCase()] };
    }
    if (source.location === 'querystring') {
      return { where: `query parameter ${source.name}`, value: call.query[source.name] };
    }
    // A JWT authorizer reads a header or a query parameter only (V2REF); anything else never yields a token.
    return { where: source.expression, value: undefined };
  }

  private refuse(scopes: readonly string[], refusal: Refusal): AuthOutcome {
    const { description, ...why } = refusal;
    const error =
      this.options.apiKind === 'HTTP'
        ? httpErrors.unauthorized(bearerChallenge(scopes, 'invalid_token', description))
        : gatewayErrors.unauthorized();
    return rejectWith(error, why);
  }

  async authorize(call: IncomingCall, scopes: readonly string[]): Promise<AuthOutcome> {
    const { authorizer, stats, apiKind } = this.options;
    const faults = this.options.faults ?? {};
    const { where, value } = this.tokenFrom(call);
    if (value === undefined || value === '') {
      stats.rejectedBeforeInvoke++;
      const why: Why = {
        cause: value === undefined ? 'token-missing' : 'token-empty',
        reason: value === undefined ? `no ${where}` : `the ${where} is empty`,
        invoked: false,
      };
      return rejectWith(
        apiKind === 'HTTP' ? httpErrors.unauthorized('Bearer') : gatewayErrors.unauthorized(),
        why,
      );
    }
    stats.invocations++;
    const token = value.startsWith('Bearer ') ? value.slice('Bearer '.length) : value;
    const parsed = parseCompactJwt(token);
    if (typeof parsed === 'string') {
      return this.refuse(scopes, {
        cause: 'jwt-malformed',
        reason: `the ${where} (${describeToken(value)}) is not a JWT: ${parsed}`,
        invoked: true,
        description:
          token.split('.').length === 3
            ? 'token is malformed'
            : 'token contains an invalid number of segments',
      });
    }
    const alg = typeof parsed.header.alg === 'string' ? parsed.header.alg : '';
    const allowed = allowedAlgorithms(authorizer, apiKind);
    const skipAllowList = faults.jwtSkipAlgorithmAllowList === true;
    if (!(allowed as readonly string[]).includes(alg) && !(skipAllowList && isForgeableAlg(alg))) {
      return this.refuse(scopes, {
        cause: 'jwt-alg-not-allowed',
        reason:
          apiKind === 'HTTP'
            ? `the token's alg is ${safeText(alg || '(none)', 20)}; HTTP APIs accept RSA only (${allowed.join(', ')})`
            : `the token's alg is ${safeText(alg || '(none)', 20)}, not one of defaultAlgorithms (${allowed.join(', ') || 'none'})`,
        invoked: true,
        description: `signing method ${safeText(alg || 'none', 20)} is invalid`,
      });
    }
    // The keys come from the issuer the token names when the authorizer trusts several; the `iss` check follows.
    const index = Math.max(
      0,
      this.issuers.findIndex((i) => i.expected === parsed.payload.iss),
    );
    const issuer = this.issuers[index];
    const keys = this.keys[index];
    if (!issuer || !keys) {
      return this.refuse(scopes, {
        cause: 'authorizer-unsupported',
        reason: `the JWT authorizer ${authorizer.name} names no issuer`,
        invoked: true,
        description: 'no issuer is configured',
      });
    }
    const signature = await this.verifySignature(token, parsed, alg, keys, issuer);
    let unchecked = false;
    if (signature !== 'valid') {
      if (signature.cause === 'jwks-unreachable' && this.options.unverifiableSignature === 'assume-valid') {
        unchecked = true;
      } else {
        return this.refuse(scopes, signature);
      }
    }
    const payload = parsed.payload;
    const claimRefusal = this.checkClaims(payload, issuer);
    if (claimRefusal) return this.refuse(scopes, claimRefusal);

    const granted = tokenScopes(payload);
    if (scopes.length > 0 && !scopes.some((s) => granted.includes(s)) && faults.jwtSkipScopes !== true) {
      const why: Why = {
        cause: 'scope-missing',
        reason: `the token's scopes (${safeText(granted.join(' ') || 'none')}) include none of the route's (${scopes.join(' ')})`,
        invoked: true,
      };
      return rejectWith(
        apiKind === 'HTTP'
          ? httpErrors.forbidden(
              bearerChallenge(scopes, 'insufficient_scope', `expected scopes: [${scopes.join(' ')}]`),
            )
          : gatewayErrors.jwtScopeForbidden(),
        why,
      );
    }
    const principalId = typeof payload.sub === 'string' ? payload.sub : null;
    const integration =
      apiKind === 'HTTP'
        ? {
            jwt: {
              claims: Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, httpClaimValue(v)])),
              scopes: scopes.length > 0 ? granted : null,
            },
          }
        : { claims: payload };
    return {
      kind: 'allow',
      principalId,
      authorizer: integration,
      cause: 'allowed',
      reason: `a valid token of ${describeIssuer(issuer)}${unchecked ? ' (signature not checked: the keys could not be fetched)' : ''}`,
      invoked: true,
    };
  }

  private async verifySignature(
    token: string,
    parsed: CompactJwt,
    alg: string,
    keys: KeySource,
    issuer: ResolvedIssuer,
  ): Promise<'valid' | Refusal> {
    if (alg === 'none') {
      // Only reachable with the jwtSkipAlgorithmAllowList fault: an unsigned token is taken as it is.
      return 'valid';
    }
    const kid = typeof parsed.header.kid === 'string' ? parsed.header.kid : undefined;
    const lookup: KeyLookup = await keys.find(kid);
    if (lookup.state === 'unreachable') {
      return {
        cause: 'jwks-unreachable',
        reason: `the keys of ${describeIssuer(issuer)} could not be fetched from ${keys.origin} (${safeText(lookup.detail, 80)}), so the signature could not be verified`,
        invoked: true,
        description: 'unable to retrieve the signing keys of the issuer',
      };
    }
    if (lookup.state === 'missing') {
      return {
        cause: 'jwt-kid-unknown',
        reason:
          kid === undefined
            ? `the token has no kid; API Gateway picks the key of ${lookup.jwksUrl} by kid`
            : `no key of ${lookup.jwksUrl} (${lookup.keyCount} key(s)) has the token's kid ${safeText(kid, 40)}`,
        invoked: true,
        description: 'unable to find a signing key that matches the token',
      };
    }
    const invalid: Refusal = {
      cause: 'jwt-signature-invalid',
      reason: `the signature does not verify with the key ${safeText(kid ?? '', 40)} of ${lookup.jwksUrl} (tampered, or signed by another key)`,
      invoked: true,
      description: 'signature is invalid',
    };
    const hmac = HMAC_BITS[alg];
    if (hmac !== undefined) {
      // Only reachable with the jwtSkipAlgorithmAllowList fault: algorithm confusion, the public key as HMAC secret.
      return hmacWithPublicKey(token, lookup.jwk, hmac) ? 'valid' : invalid;
    }
    try {
      const byAlg = this.imported.get(lookup.jwk) ?? new Map();
      this.imported.set(lookup.jwk, byAlg);
      const pending = byAlg.get(alg) ?? importJWK(lookup.jwk, alg);
      byAlg.set(alg, pending);
      await compactVerify(token, await pending, { algorithms: [alg] });
      return 'valid';
    } catch {
      return invalid;
    }
  }

  private checkClaims(payload: Record<string, unknown>, issuer: ResolvedIssuer): Refusal | undefined {
    const faults = this.options.faults ?? {};
    const nowMs = this.options.now();
    const now = Math.floor(nowMs / 1000);
    if (payload.iss !== issuer.expected && faults.jwtSkipIssuer !== true) {
      const trusted = this.issuers.map(describeIssuer).join(' or ');
      return {
        cause: 'jwt-issuer-mismatch',
        reason:
          typeof payload.iss === 'string'
            ? `the token's iss ${safeText(payload.iss)} is not ${trusted} (an exact match, trailing slash included)`
            : `the token has no iss claim; the authorizer trusts ${trusted}`,
        invoked: true,
        description: 'the token does not have a valid issuer',
      };
    }
    const audience = audienceOf(payload);
    if (!audience.values.some((v) => issuer.audiences.includes(v)) && faults.jwtSkipAudience !== true) {
      return {
        cause: 'aud-mismatch',
        reason:
          audience.claim === null
            ? `the token has neither aud nor client_id; the authorizer accepts ${issuer.audiences.join(', ') || 'no audience'}`
            : `the token's ${audience.claim} (${safeText(audience.values.join(' ') || 'empty', 80)}) is none of ${issuer.audiences.join(', ') || 'no audience'}${audience.claim === 'aud' && typeof payload.client_id === 'string' ? ' (client_id counts only when the token has no aud)' : ''}`,
        invoked: true,
        description: 'the token does not have a valid audience',
      };
    }
    if (typeof payload.exp !== 'number') {
      // Whether AWS accepts a token without exp is open (reference open question 5): serve fails closed.
      return {
        cause: 'jwt-claims-invalid',
        reason: 'the token has no numeric exp claim (serve requires one)',
        invoked: true,
        description: 'the token has no expiration time',
      };
    }
    if (payload.exp <= now) {
      return {
        cause: 'jwt-expired',
        reason: `the token expired at ${describeInstant(payload.exp, nowMs)}`,
        invoked: true,
        description: 'the token has expired',
      };
    }
    if (typeof payload.nbf === 'number' && payload.nbf > now) {
      return {
        cause: 'jwt-not-yet-valid',
        reason: `the token is not valid before ${describeInstant(payload.nbf, nowMs)} (nbf)`,
        invoked: true,
        description: 'the token is not valid yet',
      };
    }
    if (typeof payload.iat === 'number' && payload.iat > now) {
      return {
        cause: 'jwt-not-yet-valid',
        reason: `the token was issued in the future, at ${describeInstant(payload.iat, nowMs)} (iat)`,
        invoked: true,
        description: 'the token used before issued',
      };
    }
    for (const rule of issuer.claims) {
      const claim = payload[rule.name];
      if (claim === undefined) {
        if (!rule.required) continue;
        return {
          cause: 'jwt-claim-missing',
          reason: `the token has no ${safeText(rule.name, 60)} claim, which the issuer's claim rule requires`,
          invoked: true,
          description: `the token is missing the required claim ${rule.name}`,
        };
      }
      if (rule.values.length > 0 && !(typeof claim === 'string' && rule.values.includes(claim))) {
        return {
          cause: 'jwt-claim-mismatch',
          reason: `the token's ${safeText(rule.name, 60)} (${typeof claim === 'string' ? safeText(claim, 60) : typeof claim}) is none of ${rule.values.join(', ')}`,
          invoked: true,
          description: `the claim ${rule.name} does not have an expected value`,
        };
      }
    }
    return undefined;
  }
}

/** The algorithms a broken allow-list lets through on top of the real ones. */
function isForgeableAlg(alg: string): boolean {
  return alg === 'none' || alg in HMAC_BITS;
}

/**
 * The algorithm-confusion check of vulnerable libraries: HMAC over `header.payload` keyed with the issuer's public
 * key as PEM text, exactly as Node writes it (CONTRACT: `createPublicKey(jwk).export({type: 'spki', format: 'pem'})`).
 */
function hmacWithPublicKey(token: string, jwk: JWK, hash: string): boolean {
  let pem: string;
  try {
    pem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  } catch {
    return false;
  }
  const [header = '', payload = '', signature = ''] = token.split('.');
  const expected = createHmac(hash, pem).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
