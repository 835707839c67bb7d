/**
 * Shared shapes of the local gateway (`serve`): what the wire gave us, what an authorizer decided, and what the
 * gateway reports about itself.
 */

import type { AuthorizerKind } from '../model/types.js';
import type { GatewayResponseType } from '../model/types.js';
import type { DecisionCause } from './causes.js';
import type { AuthorizerResult } from './policy.js';

/** One request as read from the wire, before any authorization. */
export interface IncomingCall {
  /** Upper-case HTTP verb. */
  method: string;
  /** Path after the stage prefix, percent-encoded as sent, always starting with `/`. */
  path: string;
  /** Raw query string without `?` (empty when none). */
  rawQuery: string;
  /** Query-string values; the last one wins for repeated names, as in `queryStringParameters`. */
  query: Record<string, string>;
  /** Header names lower-cased (Node's view); repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Header names as the client spelled them (for events handed to Lambda authorizers). */
  rawHeaders: Record<string, string>;
  body: Buffer;
  /** The body was larger than API Gateway's limit (only its start is kept). */
  bodyTooLarge?: boolean;
  sourceIp: string;
  /** Deterministic per gateway (a counter), never random. */
  requestId: string;
}

/** A gateway error before it is shaped by the (possibly customized) gateway response. */
export interface GatewayError {
  type: GatewayResponseType;
  /** `$context.error.message`; `null` renders as `{"message":null}` (AuthorizerConfigurationException). */
  message: string | null;
  /** `x-amzn-ErrorType`: kept even when the response is customized, as AWS does. */
  errorType: string;
  /** The key of the default body; AWS writes `Message` for authorizer denies on the wire. */
  messageKey: 'message' | 'Message';
  /** Fixed extra headers of the answer (an HTTP API JWT authorizer's `www-authenticate`). */
  headers?: Record<string, string>;
}

/**
 * Broken gateways for mutation tests (library option only, never a CLI flag): each one turns off exactly one check
 * that API Gateway makes, so a suite run against it must fail on the case that proves that check.
 */
export interface GatewayFaults {
  /** JWT: accept any `aud` / `client_id`. */
  jwtSkipAudience?: boolean;
  /** JWT: accept tokens without any of the route's scopes. */
  jwtSkipScopes?: boolean;
  /** JWT: accept any `iss` (keys still come from the configured issuer). */
  jwtSkipIssuer?: boolean;
  /**
   * JWT: no algorithm allow-list: `alg: none` passes unverified, and HS256/384/512 verify with the issuer's public
   * key (PEM text) as the HMAC secret, as vulnerable libraries do.
   */
  jwtSkipAlgorithmAllowList?: boolean;
  /** Lambda REQUEST / HTTP Lambda: invoke the Lambda even when an identity source is missing or empty. */
  lambdaSkipIdentitySourceCheck?: boolean;
  /** Lambda REQUEST / HTTP Lambda: cache results by the first identity value only. */
  lambdaCacheByFirstSourceOnly?: boolean;
}

/** Why an authorizer decided: the stable cause, one line for people (never a credential), whether it ran. */
export interface OutcomeWhy {
  cause: DecisionCause;
  /** One line, no credential in it: describes tokens (length, kind), never echoes them. */
  reason: string;
  /**
   * Whether the authorizer itself ran: the Lambda was called (not a cache hit), the JWT verification started, the
   * signature was computed. False when API Gateway refused before it (missing token, regex) or reused a cached result.
   */
  invoked: boolean;
  /** A Lambda result served from the authorizer cache. */
  cached?: boolean;
  /** A Lambda authorizer's valid result (fresh or cached): the policy behind the decision. */
  policy?: AuthorizerResult;
}

/** What an authorizer decided for one request. */
export type AuthOutcome = OutcomeWhy &
  (
    | {
        kind: 'allow';
        principalId: string | null;
        /**
         * What the integration sees: REST Lambda `context` (values stringified), `{ claims }` for Cognito and REST
         * JWT; on HTTP APIs payload 2.0's `requestContext.authorizer` (`{lambda}`, `{jwt: {claims, scopes}}`, `{iam}`).
         */
        authorizer: Record<string, unknown>;
        /** A Lambda authorizer's `usageIdentifierKey`: the API key when the API's key source is AUTHORIZER. */
        usageIdentifierKey?: string;
      }
    | { kind: 'reject'; error: GatewayError }
  );

/** The front door's decision for one request: what it answers, and why. `serve` and `explain` share it. */
export interface Decision {
  requestId: string;
  method: string;
  /** Path after the stage prefix, as sent. */
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** `GET /pets/{petId}`, or null when no route takes the request. */
  route: string | null;
  pathParameters: Record<string, string>;
  /** The authorizer's name, or null for public and unmatched routes. */
  authorizer: string | null;
  authorizerKind: AuthorizerKind | null;
  /** Whether the authorizer ran for this request (see `OutcomeWhy.invoked`). */
  authorizerInvoked: boolean;
  /** A Lambda result came from the authorizer cache. */
  cached: boolean;
  /** The route requires an API key. */
  apiKeyRequired: boolean;
  /** Let through to the integration. */
  allowed: boolean;
  cause: DecisionCause;
  reason: string;
  /** `x-amzn-ErrorType` of a refusal. */
  errorType?: string;
  /** The methodArn (REST, HTTP payload 1.0) or routeArn (HTTP payload 2.0) a Lambda authorizer received. */
  methodArn?: string;
  /** The Lambda's policy behind the decision (fresh or cached). */
  policy?: AuthorizerResult;
}

export interface AuthorizerStats {
  /** Lambda handler calls (including ones that failed to load), Cognito verifications, SigV4 checks. */
  invocations: number;
  /** Lambda results served from the authorizer cache. */
  cacheHits: number;
  /** Requests rejected by API Gateway itself before the authorizer ran (missing source, regex mismatch). */
  rejectedBeforeInvoke: number;
}

export interface GatewayStats {
  authorizers: Record<string, AuthorizerStats>;
  /** Every request received, except the stats endpoint itself. */
  requests: number;
}

export interface RunningGateway {
  /** `http://host:port/<stage>` */
  url: string;
  port: number;
  /** What the operator should know at start-up (e.g. API-key routes with no keys configured), each once. */
  warnings: readonly string[];
  /** Facts worth printing at start-up (each JWT issuer and the local issuer standing in for it). */
  notes: readonly string[];
  /** A copy of the counters; the same object `GET /__apigw-authz/stats` returns. */
  stats(): GatewayStats;
  stop(): Promise<void>;
}
