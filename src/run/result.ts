/**
 * The exit code and the text summary of a RunResult. Pure: no I/O.
 */

import type { RunResult } from './types.js';

/** Folder name for requests that sit directly in the collection. */
export const ROOT_FOLDER = '(collection)';

/** Splits `<case>: expected ..., got ... Hint: <hint>` into the message and the hint. */
export function parseHint(message: string): { message: string; hint?: string } {
  const at = message.lastIndexOf('Hint:');
  if (at < 0) return { message: message.trim() };
  const hint = message.slice(at + 'Hint:'.length).trim();
  const rest = message.slice(0, at).trim();
  return hint === '' ? { message: rest } : { message: rest, hint };
}

/**
 * The process exit code for a finished run: 0 all passed, 1 a case failed, 3 every request failed with a
 * transport error (the environment, not the API, is broken). Bad input (2) is thrown as an `InputError` before
 * Newman runs; see `src/errors.ts`.
 */
export function exitCodeFor(result: Pick<RunResult, 'passed' | 'environmentFailure'>): 0 | 1 | 3 {
  if (result.environmentFailure) return 3;
  return result.passed ? 0 : 1;
}

/**
 * Plain-text summary: the verdict line, cases per authorizer, each failed or blocked case with its hint, the
 * skipped cases with their reason, transport errors. No colour.
 */
export function formatRunSummary(result: Omit<RunResult, 'reports'>): string {
  const { stats } = result;
  const lines: string[] = [];
  const verdict = result.environmentFailure
    ? 'ENVIRONMENT FAILURE: the API could not be reached'
    : result.passed
      ? 'PASSED'
      : 'FAILED';
  const extra = [
    stats.blockedCases > 0 ? `${stats.blockedCases} blocked` : '',
    stats.skippedCases > 0 ? `${stats.skippedCases} skipped` : '',
  ].filter(Boolean);
  lines.push(
    `${verdict}: ${stats.cases - stats.failedCases - stats.blockedCases} of ${stats.cases} cases passed` +
      `${extra.length > 0 ? ` (${extra.join(', ')})` : ''}; ` +
      `${stats.requests} requests, ${stats.assertions} assertions, ${stats.failedAssertions} failed`,
  );
  const folders = Object.keys(result.perAuthorizer);
  const width = Math.max(0, ...folders.map((f) => f.length));
  for (const folder of folders) {
    const { passed, failed } = result.perAuthorizer[folder] ?? { passed: 0, failed: 0 };
    lines.push(`  ${folder.padEnd(width)}  ${passed} passed, ${failed} failed`);
  }
  const cases = result.cases ?? [];
  const notPassed = cases.filter((c) => c.outcome === 'failed' || c.outcome === 'blocked');
  if (notPassed.length > 0) {
    lines.push('', 'Failures:');
    for (const record of notPassed) {
      lines.push(`  [${record.folder}] ${record.name}${record.outcome === 'blocked' ? ' (blocked)' : ''}`);
      for (const message of record.failures) {
        const { message: text, hint } = parseHint(message);
        lines.push(`    ${text}`);
        if (hint) lines.push(`    Hint: ${hint}`);
      }
    }
  } else if (result.failures.length > 0) {
    lines.push('', 'Failures:');
    for (const failure of result.failures) {
      lines.push(`  [${failure.folder}] ${failure.caseName}`, `    ${failure.message}`);
      if (failure.hint) lines.push(`    Hint: ${failure.hint}`);
    }
  }
  const skipped = cases.filter((c) => c.outcome === 'skipped');
  if (skipped.length > 0) {
    lines.push('', `Skipped (${skipped.length}):`);
    for (const record of skipped) {
      lines.push(`  [${record.folder}] ${record.name}: ${record.skippedReason ?? 'skipped'}`);
    }
  }
  if (result.errors.length > 0) {
    const byCode = new Map<string, number>();
    for (const e of result.errors) {
      byCode.set(e.code ?? e.message, (byCode.get(e.code ?? e.message) ?? 0) + 1);
    }
    lines.push('', 'Transport errors:');
    for (const [code, count] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${code}: ${count} request(s)`);
    }
    const preflight = result.errors.find((e) => e.caseName === '(pre-flight)');
    if (preflight) lines.push(`  ${preflight.message}; nothing was sent.`);
    if (result.environmentFailure) {
      lines.push(
        '  Check baseUrl (--env-var baseUrl=...) and that the API or `apigw-authz serve` is reachable.',
      );
    }
  }
  return lines.join('\n') + '\n';
}
