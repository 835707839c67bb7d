/**
 * The Markdown that `run` appends to `$GITHUB_STEP_SUMMARY`: totals per authorizer folder, then each failed case
 * with its hint. GitHub accepts at most 1 MiB per step summary, so the list is cut to fit and says how many
 * cases it left out. Strings from the API are escaped so that they render as text, never as Markdown or HTML.
 */

import type { Redactor } from '../redact.js';
import type { CaseRecord } from '../types.js';
import {
  casesInOrder,
  countOutcomes,
  describeActual,
  describeExpected,
  failureDetails,
  groupByFolder,
  runLevelFailures,
  textCleaner,
} from './cases.js';
import type { ReportedRun } from './cases.js';

/** GitHub's limit for one step's summary. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export interface StepSummaryOptions {
  /** The heading; default `apigw-authz`. */
  title?: string;
  /** Secrets of the run; without one, JWT-shaped strings are still redacted. */
  redactor?: Redactor;
  /**
   * Upper bound of the returned text in UTF-8 bytes; default 1,000,000, below GitHub's 1 MiB so that other
   * steps' summaries in the same job still fit.
   */
  maxBytes?: number;
}

// One message in the list is cut at this many characters; the JUnit and HTML reports keep it whole.
const MESSAGE_LIMIT = 2000;

/**
 * Escapes text for Markdown inline content (never at the start of a line): backslash-escapes the characters that
 * start emphasis, links, code, strike-through, table cells and raw HTML (`(` only matters after an escaped `]`),
 * and flattens line breaks so that one item stays one list entry.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;');
}

function cut(text: string, limit = MESSAGE_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function failedEntry(c: CaseRecord, md: (text: string) => string): string {
  const { messages, hint } = failureDetails(c);
  const lines = [`- **${md(c.name)}** (${md(c.folder)})`];
  lines.push(`  - expected ${md(describeExpected(c.expected))}; got ${md(describeActual(c.actual))}`);
  for (const m of messages) lines.push(`  - ${md(cut(m))}`);
  if (hint !== undefined) lines.push(`  - Hint: ${md(cut(hint))}`);
  return lines.join('\n') + '\n';
}

/** Renders the GitHub step summary of a run as Markdown, at most `maxBytes` bytes long. */
export function renderStepSummary(run: ReportedRun, options: StepSummaryOptions = {}): string {
  const clean = textCleaner(options.redactor);
  const md = (text: string): string => escapeMarkdown(clean(text));
  const maxBytes = options.maxBytes ?? 1_000_000;
  const cases = casesInOrder(run);
  const totals = countOutcomes(cases);
  const orphans = runLevelFailures({ cases, failures: run.failures });

  const verdict = run.environmentFailure
    ? 'environment failure: every request failed before reaching the API'
    : run.passed && totals.failed + totals.blocked + orphans.length === 0
      ? 'passed'
      : 'FAILED';
  const head: string[] = [
    `## ${md(options.title ?? 'apigw-authz')}: ${verdict}`,
    '',
    `${totals.total} cases: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped, ${totals.blocked} blocked.`,
    '',
    '| Authorizer | Passed | Failed | Skipped | Blocked |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const g of groupByFolder(cases)) {
    const { passed, failed, skipped, blocked } = g.counts;
    head.push(`| ${md(g.folder)} | ${passed} | ${failed} | ${skipped} | ${blocked} |`);
  }
  head.push(
    `| **Total** | ${totals.passed} | ${totals.failed} | ${totals.skipped} | ${totals.blocked} |`,
    '',
  );

  // Reasons for cases not judged, counted: one line each, never one per case.
  const notRun = new Map<string, number>();
  for (const c of cases) {
    if (c.outcome === 'skipped') {
      const key = `skipped: ${c.skippedReason ?? 'no reason given'}`;
      notRun.set(key, (notRun.get(key) ?? 0) + 1);
    } else if (c.outcome === 'blocked') {
      const key = `blocked by ${c.blockedBy ?? 'a failed prerequisite'}`;
      notRun.set(key, (notRun.get(key) ?? 0) + 1);
    }
  }
  const entries: string[] = [];
  for (const f of orphans) {
    const hint = f.hint ? `\n  - Hint: ${md(cut(f.hint))}` : '';
    entries.push(`- **${md(f.caseName)}** (${md(f.folder)}): ${md(cut(f.message))}${hint}\n`);
  }
  for (const c of cases) if (c.outcome === 'failed') entries.push(failedEntry(c, md));

  const tail: string[] = [];
  if (notRun.size > 0) {
    tail.push('### Not judged', '');
    for (const [reason, count] of notRun) tail.push(`- ${count} × ${md(reason)}`);
    tail.push('');
  }

  let text = head.join('\n') + '\n';
  const tailText = tail.length > 0 ? '\n' + tail.join('\n') + '\n' : '';
  if (entries.length > 0) {
    text += `### Failed cases (${entries.length})\n\n`;
    // Room for the tail and for the "left out" line, whose length depends only on the digits of the count.
    const reserve = bytes(tailText) + 200;
    let used = bytes(text);
    let shown = 0;
    for (const entry of entries) {
      const size = bytes(entry);
      if (used + size + reserve > maxBytes) break;
      text += entry;
      used += size;
      shown += 1;
    }
    const left = entries.length - shown;
    if (left > 0) {
      text += `\n… and ${left} more failed ${left === 1 ? 'case' : 'cases'} left out to keep this summary under ${maxBytes} bytes; see the JUnit or HTML report.\n`;
    }
  }
  text += tailText;
  // Thousands of authorizer folders could still overflow the head; GitHub rejects the whole summary then.
  if (bytes(text) > maxBytes) {
    const note = '\n… summary cut here to stay under the step summary limit; see the JUnit or HTML report.\n';
    const room = Buffer.from(text, 'utf8')
      .subarray(0, Math.max(0, maxBytes - bytes(note)))
      .toString('utf8');
    text = room.slice(0, Math.max(0, room.lastIndexOf('\n'))).replace(/\uFFFD$/, '') + note;
  }
  return text;
}
