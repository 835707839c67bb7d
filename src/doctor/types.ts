import type { DriftFinding } from '../drift/types.js';
import type { SourceDeclarations } from './source-declarations.js';

export type Severity = 'error' | 'warning' | 'info';

/** One problem found by `doctor`. */
export interface Finding {
  /** Stable rule id, e.g. `regex-unanchored`. */
  rule: string;
  severity: Severity;
  /** The route (`GET /pets`), the authorizer name, or the gateway response type the finding is about. */
  subject: string;
  message: string;
  fix: string;
}

/** What API Gateway answers one call, given an authorizer result (or failure). */
export type CallDecision = 'allow' | 'explicit-deny' | 'implicit-deny' | 'unauthorized' | 'error';

/** A call whose answer changes when another call's policy is served from the cache. */
export interface HandlerMismatch {
  /** `POST /orders` */
  call: string;
  /** The answer under the first call's cached policy. */
  cached: CallDecision;
  /** The answer when the handler is invoked for this call itself. */
  fresh: CallDecision;
}

/**
 * The result of invoking a configured Lambda handler with the configured valid credentials (see
 * `checkHandlerPolicies`), for one cached authorizer.
 */
export type HandlerCheck = { authorizer: string; handler: string } & (
  | { outcome: 'covered'; calls: number }
  | { outcome: 'uncovered'; firstCall: string; mismatches: HandlerMismatch[]; calls: number }
  | { outcome: 'rejected'; firstCall: string; reason: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'skipped'; reason: string }
  /** HTTP_LAMBDA: the handler's answer to one call with the valid identity (see `HandlerResponseShape`). */
  | { outcome: 'answered'; call: string; response: HandlerResponseShape; allowed: boolean }
);

/**
 * What an HTTP API Lambda authorizer's result looks like: `{isAuthorized}` (a simple response), an IAM policy
 * (`principalId` + `policyDocument`), both, or neither.
 */
export type HandlerResponseShape = 'simple' | 'policy' | 'both' | 'neither';

/** A JWT authorizer's saved discovery document (`authorizers.NAME.oidc.discoveryDocument`), as doctor read it. */
export interface DiscoveryDocument {
  authorizer: string;
  /** The file, as the config names it (resolved against the config's directory). */
  file: string;
  /** `issuer`: the `iss` the issuer writes into its tokens. */
  issuer?: string;
  /** `id_token_signing_alg_values_supported`. */
  algorithms?: string[];
  /** Why the file cannot be used (unreadable, not JSON, not an object). */
  error?: string;
}

export interface DiagnoseOptions {
  /** Live source only: routes changed but not redeployed. */
  drift?: DriftFinding[];
  /** From `checkHandlerPolicies`: the cache-scope finding is proven (or cleared) instead of guessed. */
  handlerChecks?: HandlerCheck[];
  /**
   * From `loadHandlerModules`: each configured handler imported once; `error` when it fails to load or exports no
   * `handler` function.
   */
  handlerModules?: HandlerModule[];
  /** From `readSourceDeclarations`: required headers and preflight `Access-Control-Allow-Headers` of the source. */
  declarations?: SourceDeclarations;
  /** From `readDiscoveryDocuments`: the issuers' saved discovery documents the config names. */
  discovery?: DiscoveryDocument[];
}

export interface HandlerModule {
  authorizer: string;
  handler: string;
  error?: string;
}
