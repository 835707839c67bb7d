export { diagnose } from './diagnose.js';
export { formatFindings } from './format.js';
export { checkHandlerPolicies, type HandlerCheckOptions } from './handler-policy.js';
export { loadHandlerModules, readDeclarationsFromFile, readDiscoveryDocuments } from './handler-modules.js';
export { readSourceDeclarations, type SourceDeclarations } from './source-declarations.js';
export { analyzeRegex, type RegexAnalysis } from './regex-analysis.js';
export { AUTHORIZER_RULES, RULES, type AuthorizerRule, type Rule } from './rules.js';
export type {
  CallDecision,
  DiagnoseOptions,
  DiscoveryDocument,
  Finding,
  HandlerCheck,
  HandlerMismatch,
  HandlerModule,
  HandlerResponseShape,
  Severity,
} from './types.js';
