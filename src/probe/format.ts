import type { ProbeResult } from './types.js';

/** Probe results as an aligned text table plus a count line. Never prints token values. */
export function formatProbeResults(results: readonly ProbeResult[]): string {
  if (results.length === 0) return 'probe: no TOKEN or REQUEST authorizers to test-invoke.\n';
  const rows = results.map((result) => [
    result.authorizer,
    result.description,
    result.expected,
    result.skipped ? 'skipped' : (result.outcome ?? ''),
    result.clientStatus === undefined ? '' : String(result.clientStatus),
    result.latencyMs === undefined ? '' : `${result.latencyMs} ms`,
    result.skipped ? `skipped: ${result.skipped}` : result.ok ? 'ok' : 'UNEXPECTED',
  ]);
  const header = ['AUTHORIZER', 'CASE', 'EXPECTED', 'GOT', 'STATUS', 'LATENCY', 'RESULT'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const policies = results
    .filter((result) => result.policy !== undefined)
    .map((result) => `${result.authorizer} ${result.description}: ${JSON.stringify(result.policy)}`);
  const ran = results.filter((result) => !result.skipped);
  const unexpected = ran.filter((result) => !result.ok).length;
  const skipped = results.length - ran.length;
  return [
    line(header),
    ...rows.map(line),
    '',
    ...(policies.length > 0 ? ['Policies:', ...policies.map((policy) => `  ${policy}`), ''] : []),
    `probe: ${ran.length} run, ${unexpected} unexpected, ${skipped} skipped.`,
    '',
  ].join('\n');
}
