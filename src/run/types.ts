/**
 * Options and results of `runCollection`: Newman as a library, with secrets from the process environment and
 * credentials redacted from every report written.
 */

export const REPORTERS = ['cli', 'junit', 'json'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** Progress of a run, for the CLI's stderr ticks. Carries case names and outcomes only, never values. */
export type RunEvent =
  | { type: 'request'; caseName: string; folder: string; status?: number; error?: string }
  | {
      type: 'assertion';
      caseName: string;
      folder: string;
      assertion: string;
      passed: boolean;
      skipped: boolean;
    };

export interface RunOptions {
  /** Path of a collection file, or the collection object itself. */
  collection: string | object;
  /** Path of an environment file, or the environment object itself. */
  environment?: string | object;
  /** `--env-var KEY=VALUE`: wins over the process environment and the environment file. */
  envVars?: Record<string, string>;
  /**
   * Where `APIGW_AUTHZ_*` and the standard AWS variables are read from (see `envNameFor`); default: none, so
   * the library never reads `process.env` unless the caller passes it.
   */
  processEnv?: Record<string, string | undefined>;
  /** Default: none (a silent run; the caller formats the result). */
  reporters?: ReporterName[];
  /** Path of the JUnit XML report; required when `junit` is among the reporters. */
  junitFile?: string;
  /** Path of the JSON report; required when `json` is among the reporters. */
  jsonReportFile?: string;
  /** Run only these folders or requests (names or ids). */
  folders?: string[];
  /** Per-request timeout; a timeout is a transport error. */
  timeoutRequestMs?: number;
  /** Colour of the `cli` reporter; default `off` when `processEnv.NO_COLOR` is set, else `auto`. */
  color?: 'on' | 'off' | 'auto';
  /** Extra header names whose values are redacted from reports (the token-source headers of Lambda authorizers). */
  sensitiveHeaders?: string[];
  onEvent?: (event: RunEvent) => void;
}

export interface CaseFailure {
  /** The request (case) name, or `(collection)` for collection-level script errors. */
  caseName: string;
  /** Top-level folder: the authorizer group. */
  folder: string;
  message: string;
  /** The troubleshooting hint parsed from `... Hint: <hint>` in the assertion message. */
  hint?: string;
}

export interface TransportError {
  caseName: string;
  folder: string;
  /** `ECONNREFUSED`, `ESOCKETTIMEDOUT`, ... when Node gives one. */
  code?: string;
  message: string;
}

export interface RunStats {
  /** Requests of the collection sent (including ones that failed with a transport error). */
  requests: number;
  /** Requests of the collection that failed with a transport error. */
  failedRequests: number;
  /** Requests made by scripts with `pm.sendRequest` (token fetches). */
  scriptRequests: number;
  assertions: number;
  failedAssertions: number;
  /** Cases (requests) run, and those with at least one failure. */
  cases: number;
  failedCases: number;
  /** Items whose request was skipped (an optional input, such as the expired token, not given). */
  skippedCases: number;
  /** Errors thrown by pre-request and test scripts. */
  scriptErrors: number;
}

export interface RunResult {
  /** True only when something ran and nothing failed. */
  passed: boolean;
  /**
   * True when every request failed with a transport error (the base URL refuses connections, DNS fails): the
   * environment is broken, not the API's authorization. Exit code 3.
   */
  environmentFailure: boolean;
  stats: RunStats;
  failures: CaseFailure[];
  /** Cases passed and failed, keyed by top-level folder (one per authorizer group), in run order. */
  perAuthorizer: Record<string, { passed: number; failed: number }>;
  errors: TransportError[];
  /** Report files written, already redacted. */
  reports: { junit?: string; json?: string };
}
