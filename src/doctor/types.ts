import type { DriftFinding } from '../drift/types.js';

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

export interface DiagnoseOptions {
  /** Live source only: routes changed but not redeployed. */
  drift?: DriftFinding[];
}
