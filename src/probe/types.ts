/** What a probe case expects: `not-allowed` accepts 401 or a deny (an unknown token may get either). */
export type ProbeExpectation = 'allow' | 'deny' | 'unauthorized' | 'not-allowed';

/** What TestInvokeAuthorizer answered, classified. */
export type ProbeOutcome = 'allow' | 'deny' | 'unauthorized' | 'error';

export type ProbeCaseName = 'valid' | 'deny' | 'missing' | 'regex-mismatch' | 'unknown';

/** One TestInvokeAuthorizer request, derived from the model and the config. */
export interface ProbeCase {
  authorizer: string;
  kind: 'TOKEN' | 'REQUEST';
  case: ProbeCaseName;
  /** e.g. `missing header X-Tenant-Id`. Never contains a token value. */
  description: string;
  expected: ProbeExpectation;
  /** Absent when the case cannot run (e.g. no literal valid token in the config); `skipped` says why. */
  request?: {
    headers: Record<string, string>;
    pathWithQueryString: string;
    stageVariables: Record<string, string>;
  };
  skipped?: string;
}

export interface ProbeResult {
  authorizer: string;
  kind: 'TOKEN' | 'REQUEST';
  case: ProbeCaseName;
  description: string;
  expected: ProbeExpectation;
  /** Undefined when skipped. */
  outcome?: ProbeOutcome;
  /** The outcome meets the expectation. Undefined when skipped. */
  ok?: boolean;
  /** TestInvokeAuthorizer `clientStatus`: 0 when the authorizer succeeded. */
  clientStatus?: number;
  /** Authorizer latency reported by API Gateway, ms. */
  latencyMs?: number;
  principalId?: string;
  /** The returned IAM policy, parsed (or the raw string when it is not JSON). */
  policy?: unknown;
  skipped?: string;
}
