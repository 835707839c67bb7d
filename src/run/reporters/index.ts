/**
 * Reports of a run beyond Newman's own: HTML, JUnit (one testcase per case), the GitHub step summary and the
 * progress line. Each takes the run result with its case records and returns text; the caller writes it.
 */

export type { FolderGroup, OutcomeCounts, ReportedRun } from './cases.js';
export { CATEGORY_LABELS, countOutcomes, groupByFolder } from './cases.js';
export { escapeHtml, renderHtmlReport } from './html.js';
export type { HtmlReportOptions } from './html.js';
export { escapeXml, renderJunit, RUN_ERRORS_SUITE } from './junit.js';
export type { JunitOptions } from './junit.js';
export { createProgress } from './progress.js';
export type { Progress, ProgressOptions } from './progress.js';
export { escapeMarkdown, renderStepSummary, STEP_SUMMARY_LIMIT } from './step-summary.js';
export type { StepSummaryOptions } from './step-summary.js';
