export { diagnose } from './diagnose.js';
export { formatFindings } from './format.js';
export { checkHandlerPolicies, type HandlerCheckOptions } from './handler-policy.js';
export { analyzeRegex, type RegexAnalysis } from './regex-analysis.js';
export { RULES, type Rule } from './rules.js';
export type {
  CallDecision,
  DiagnoseOptions,
  Finding,
  HandlerCheck,
  HandlerMismatch,
  Severity,
} from './types.js';
