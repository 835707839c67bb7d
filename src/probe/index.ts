export { classify, probeAuthorizers, type ProbeOptions } from './probe.js';
export { deriveProbeCases, UNKNOWN_VALUE } from './probe-cases.js';
export { formatProbeResults } from './format.js';
export type { ProbeCase, ProbeCaseName, ProbeExpectation, ProbeOutcome, ProbeResult } from './types.js';
