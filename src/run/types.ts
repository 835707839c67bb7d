/**
 * Options and results of `runCollection`: Newman as a library, with secrets from the process environment and
 * credentials redacted from every report written.
 */

export const REPORTERS = ['cli', 'json', 'junit', 'html'] as const;
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
  /**
   * Default: none (a silent run; the caller formats the result). `cli` prints Newman's own per-request log to
   * `newmanOutput` (in-process runs only); `json`, `junit` and `html` write apigw-authz's reports.
   */
  reporters?: ReporterName[];
  /** Path of the JUnit XML report; required when `junit` is among the reporters. */
  junitFile?: string;
  /** Path of the JSON run result (`format: "apigw-authz-run/1"`); required when `json` is among the reporters. */
  jsonReportFile?: string;
  /** Path of the HTML report; required when `html` is among the reporters. */
  htmlFile?: string;
  /** Run only these folders or requests (names or ids). */
  folders?: string[];
  /**
   * Run the collection's units (top-level folders, or a Cognito folder's scope sets) on this many worker
   * threads; 1 (the default) runs Newman in this thread.
   */
  parallel?: number;
  /** `--shard i/n`: run only shard `index` (1-based) of `total`, a deterministic slice of the units. */
  shard?: { index: number; total: number };
  /** Where Newman's `cli` reporter writes (default: nowhere); ANSI codes are removed unless `color` is `on`. */
  newmanOutput?: (text: string) => void;
  /** Called once before the first case request with the number of cases the run will report. */
  onPlan?: (total: number) => void;
  /** Called once per case as it completes, in completion order (not collection order when parallel). */
  onCase?: (record: CaseRecord) => void;
  /** Pre-flight warnings (a supplied token that expires soon...), one line each, for stderr. */
  onWarning?: (line: string) => void;
  /** Skip the pre-flight checks (required variables, reachable baseUrl, token fetch before the run). */
  skipPreflight?: boolean;
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
  /** Cases not judged because a prerequisite failed (counted in `cases`, not in `failedCases`). */
  blockedCases: number;
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
  /** Cases passed and failed (blocked included), keyed by top-level folder (one per authorizer group), in run order. */
  perAuthorizer: Record<string, { passed: number; failed: number }>;
  errors: TransportError[];
  /** Every case of the run (skipped ones included), in collection order (`order`). */
  cases: CaseRecord[];
  /** Report files written, already redacted. */
  reports: { junit?: string; json?: string; html?: string };
}

/**
 * What a case is about, for the HTML matrix and the step summary: the columns teams scan. `render` puts it in
 * each request's case descriptor; `other` covers what fits no column (routing fallbacks, unprotected routes).
 */
export const CASE_CATEGORIES = [
  'positive',
  'missing',
  'malformed',
  'forged',
  'expired',
  'wrong-scope',
  'api-key',
  'cache-bleed',
  'cors',
  'other',
] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

/**
 * - `passed`: every assertion held;
 * - `failed`: an assertion failed or the request could not be sent;
 * - `skipped`: not sent because an optional input is absent (`skippedReason`, e.g. "needs CognitoAuth.expiredToken");
 * - `blocked`: not judged because a prerequisite failed (`blockedBy`, e.g. the authorizer's token fetch).
 */
export type CaseOutcome = 'passed' | 'failed' | 'skipped' | 'blocked';

/** One case of a run, as every reporter (HTML, JUnit, JSON, step summary) and `report merge` see it. */
export interface CaseRecord {
  /** The case key from the request's case descriptor (unique in the collection), e.g. `GET /pets#missing-credentials`. */
  key: string;
  /** The request name. */
  name: string;
  /** Top-level folder: the authorizer group. */
  folder: string;
  /** Authorizer name; absent for routes without authorization. */
  authorizer?: string;
  /** `METHOD /path-template`, the matrix row. */
  route: string;
  /** The matrix column. */
  category: CaseCategory;
  /** What the case expects, as in the descriptor. */
  expected: {
    outcome: 'authorized' | 'rejected';
    statuses: number[];
    messages: (string | null)[];
    errorType?: string;
  };
  /** What came back; absent when nothing was sent (skipped, blocked, transport error). */
  actual?: { status: number; message?: string | null; errorType?: string };
  outcome: CaseOutcome;
  /** Failed assertion messages, already redacted; the first one leads with the hint chosen from the response. */
  failures: string[];
  /** The first hint of the first failure. */
  hint?: string;
  skippedReason?: string;
  blockedBy?: string;
  /** Position in the collection's run order; merged shards are sorted by it. */
  order: number;
}
