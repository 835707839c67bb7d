import type { Finding } from './types.js';

/**
 * Findings as text for a terminal: one block per finding (severity, subject, rule, message, fix) and a
 * count line. No colour: the CLI adds it if it wants.
 */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'doctor: no findings.\n';
  const blocks = findings.map(
    (finding) =>
      `${finding.severity.toUpperCase()} ${finding.subject} [${finding.rule}]\n  ${finding.message}\n  fix: ${finding.fix}\n`,
  );
  const count = (severity: Finding['severity']): number =>
    findings.filter((f) => f.severity === severity).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `doctor: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'note')}.\n`;
  return `${blocks.join('\n')}\n${summary}`;
}
