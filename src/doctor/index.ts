export { diagnose } from './diagnose.js';
export { formatFindings } from './format.js';
export { checkHandlerPolicies, type HandlerCheckOptions } from './handler-policy.js';
export { loadHandlerModules, readDeclarationsFromFile } from './handler-modules.js';
export { readSourceDeclarations, type SourceDeclarations } from './source-declarations.js';
export { analyzeRegex, type RegexAnalysis } from './regex-analysis.js';
export { RULES, type Rule } from './rules.js';
export type {
  CallDecision,
  DiagnoseOptions,
  Finding,
  HandlerCheck,
  HandlerMismatch,
  HandlerModule,
  Severity,
} from './types.js';
