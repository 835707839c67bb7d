/**
 * JUnit XML with one <testcase> per case (not per assertion), so that CI dashboards count cases: one
 * <testsuite> per authorizer folder, every failed assertion listed in the <failure> text. Valid against the
 * Jenkins/Ant junit-10.xsd shape (test/fixtures/junit/junit-10.xsd). No timestamps or durations: the same run
 * gives the same bytes, and merged shards give the report of the unsharded run.
 *
 * A blocked case (not judged because a prerequisite such as the token fetch failed) is an <error>, not a
 * <skipped>: dashboards render skips as neutral, and a route whose protection could not be checked because the
 * run broke must show red. <failure> stays reserved for a wrong answer from the API.
 */

import type { Redactor } from '../redact.js';
import type { CaseRecord } from '../types.js';
import {
  casesInOrder,
  countOutcomes,
  describeActual,
  describeExpected,
  groupByFolder,
  runLevelFailures,
  textCleaner,
} from './cases.js';
import type { ReportedRun } from './cases.js';

export interface JunitOptions {
  /** The name of <testsuites>; default `apigw-authz`. */
  suiteName?: string;
  /** Secrets of the run; without one, JWT-shaped strings are still redacted. */
  redactor?: Redactor;
}

/** The <testsuite> that holds failures belonging to no case (collection-level script errors). */
export const RUN_ERRORS_SUITE = '(run errors)';

// Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF).
const INVALID_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attributes, replacing characters XML cannot carry with U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

function attrs(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
}

function firstLine(text: string, limit = 300): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

function testcase(c: CaseRecord, clean: (text: string) => string): string[] {
  const head = `    <testcase${attrs([
    ['name', clean(c.name)],
    ['classname', clean(c.folder)],
  ])}`;
  const expectation = `expected: ${describeExpected(c.expected)}\nactual: ${describeActual(c.actual)}`;
  switch (c.outcome) {
    case 'passed':
      return [`${head}/>`];
    case 'skipped': {
      const reason = c.skippedReason ?? 'skipped';
      return [`${head}>`, `      <skipped${attrs([['message', clean(reason)]])}/>`, '    </testcase>'];
    }
    case 'blocked': {
      const reason = `blocked by ${c.blockedBy ?? 'a failed prerequisite'}`;
      return [
        `${head}>`,
        `      <error${attrs([
          ['type', 'blocked'],
          ['message', clean(reason)],
        ])}>${escapeXml(clean(`${reason}: the case was not judged.\n${expectation}`))}</error>`,
        '    </testcase>',
      ];
    }
    case 'failed': {
      const failures = c.failures.length > 0 ? c.failures : ['failed'];
      const text = [...failures, '', expectation].join('\n');
      return [
        `${head}>`,
        `      <failure${attrs([
          ['type', 'AssertionError'],
          ['message', clean(firstLine(failures[0] ?? 'failed'))],
        ])}>${escapeXml(clean(text))}</failure>`,
        '    </testcase>',
      ];
    }
  }
}

/** Renders a run as JUnit XML: one testsuite per authorizer folder, one testcase per case. */
export function renderJunit(run: ReportedRun, options: JunitOptions = {}): string {
  const clean = textCleaner(options.redactor);
  const cases = casesInOrder(run);
  const groups = groupByFolder(cases);
  const orphans = runLevelFailures({ cases, failures: run.failures });
  const totals = countOutcomes(cases);

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([
      ['name', clean(options.suiteName ?? 'apigw-authz')],
      ['tests', totals.total + orphans.length],
      ['failures', totals.failed],
      ['errors', totals.blocked + orphans.length],
    ])}>`,
  ];
  groups.forEach((group, i) => {
    lines.push(
      `  <testsuite${attrs([
        ['name', clean(group.folder)],
        ['tests', group.counts.total],
        ['failures', group.counts.failed],
        ['errors', group.counts.blocked],
        ['skipped', group.counts.skipped],
        ['id', i],
      ])}>`,
    );
    if (group.authorizer !== undefined) {
      lines.push(
        '    <properties>',
        `      <property${attrs([
          ['name', 'authorizer'],
          ['value', clean(group.authorizer)],
        ])}/>`,
        '    </properties>',
      );
    }
    for (const c of group.cases) lines.push(...testcase(c, clean));
    lines.push('  </testsuite>');
  });
  if (orphans.length > 0) {
    lines.push(
      `  <testsuite${attrs([
        ['name', RUN_ERRORS_SUITE],
        ['tests', orphans.length],
        ['failures', 0],
        ['errors', orphans.length],
        ['skipped', 0],
        ['id', groups.length],
      ])}>`,
    );
    for (const f of orphans) {
      const text = f.hint ? `${f.message}\nHint: ${f.hint}` : f.message;
      lines.push(
        `    <testcase${attrs([
          ['name', clean(f.caseName)],
          ['classname', clean(f.folder)],
        ])}>`,
        `      <error${attrs([
          ['type', 'ScriptError'],
          ['message', clean(firstLine(f.message))],
        ])}>${escapeXml(clean(text))}</error>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
