export { diagnose } from './diagnose.js';
export { formatFindings } from './format.js';
export { analyzeRegex, type RegexAnalysis } from './regex-analysis.js';
export { RULES, type Rule } from './rules.js';
export type { DiagnoseOptions, Finding, Severity } from './types.js';
