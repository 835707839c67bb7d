/**
 * The HTML report: one self-contained file (inline CSS and JS, no URL of any kind) that shows, per authorizer
 * folder, a route x category matrix of the cases, then every case with its expectation, what came back and,
 * on failure, the hint. A Content-Security-Policy with `default-src 'none'` keeps the page offline even if a
 * future change slipped a URL in. Deterministic: no timestamps, cases in run order.
 */

import { createHash } from 'node:crypto';
import type { Redactor } from '../redact.js';
import type { CaseCategory, CaseOutcome, CaseRecord } from '../types.js';
import {
  CATEGORY_LABELS,
  casesInOrder,
  categoriesPresent,
  categoryOf,
  countOutcomes,
  describeActual,
  describeExpected,
  failureDetails,
  groupByFolder,
  notRunReason,
  runLevelFailures,
  textCleaner,
} from './cases.js';
import type { FolderGroup, OutcomeCounts, ReportedRun } from './cases.js';

export interface HtmlReportOptions {
  /** The page title, e.g. the collection name. */
  title: string;
  /** Shown in the footer, e.g. `apigw-authz 0.4.0`; no date, so that the same run gives the same bytes. */
  generatedBy?: string;
  /** Secrets of the run; without one, JWT-shaped strings are still redacted. */
  redactor?: Redactor;
}

const OUTCOMES: readonly CaseOutcome[] = ['passed', 'failed', 'skipped', 'blocked'];
const SYMBOL: Record<CaseOutcome, string> = { passed: '✓', failed: '✗', skipped: '–', blocked: '!' };
// Which outcome colours a cell holding several cases: the one a reader must see first.
const SEVERITY: Record<CaseOutcome, number> = { passed: 0, skipped: 1, blocked: 2, failed: 3 };

const STYLE = `
:root { color-scheme: light; --passed: #1a7f37; --passed-bg: #dafbe1; --failed: #cf222e; --failed-bg: #ffebe9;
  --skipped: #57606a; --skipped-bg: #eaeef2; --blocked: #9a6700; --blocked-bg: #fff8c5; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .25rem; }
.verdict { font-weight: 600; margin: .25rem 0; }
.verdict.passed { color: var(--passed); } .verdict.failed, .verdict.environment { color: var(--failed); }
.totals { display: flex; gap: .5rem; flex-wrap: wrap; list-style: none; padding: 0; margin: .5rem 0; }
.totals li { padding: .25rem .6rem; border-radius: 1rem; border: 1px solid var(--line); }
.totals b { font-size: 1.05rem; }
.filter { display: inline-flex; gap: .4rem; align-items: center; margin: .5rem 0; font-weight: 600; cursor: pointer; }
nav ul { margin: .25rem 0; padding-left: 1.2rem; }
.counts { margin: 0 0 .5rem; color: #57606a; }
.authorizer { font-weight: normal; color: #57606a; font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #f6f8fa; }
.matrix td { min-width: 4.5rem; text-align: center; }
.matrix th[scope=row] { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: normal; white-space: nowrap; }
.matrix td.empty { background: #fafbfc; }
.chip { display: inline-block; min-width: 1.6rem; margin: .1rem; padding: 0 .3rem; border-radius: .3rem; color: #fff; font-weight: 700; text-decoration: none; }
td.passed { background: var(--passed-bg); } td.failed { background: var(--failed-bg); }
td.skipped { background: var(--skipped-bg); } td.blocked { background: var(--blocked-bg); }
.chip.passed, .badge.passed { background: var(--passed); } .chip.failed, .badge.failed { background: var(--failed); }
.chip.skipped, .badge.skipped { background: var(--skipped); } .chip.blocked, .badge.blocked { background: var(--blocked); }
.badge { display: inline-block; padding: 0 .4rem; border-radius: .3rem; color: #fff; font-weight: 600; }
.cases { width: 100%; }
.cases tr.failed td { background: #fff6f5; }
.cases .route { color: #57606a; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
.hint { margin: 0 0 .3rem; padding: .3rem .5rem; border-left: 4px solid var(--failed); background: var(--failed-bg); }
.messages { margin: 0; padding-left: 1.1rem; white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
.reason { color: #57606a; }
.run-errors { border: 2px solid var(--failed); padding: .5rem 1rem; margin: 1rem 0; }
footer { margin-top: 2rem; color: #57606a; font-size: .85rem; }
.only-failures .ok { display: none; }
`;

// The only script: the "failures only" filter. It works offline and hides rows, cases and folders marked `ok`.
const SCRIPT = `
(function () {
  var box = document.getElementById('only-failures');
  if (!box) return;
  function apply() { document.body.classList.toggle('only-failures', box.checked); }
  box.addEventListener('change', apply);
  apply();
})();
`;

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

// Inline style and script are allowed by hash only; nothing may be fetched, framed, submitted or based elsewhere.
const CSP = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML-escapes text for element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isProblem(outcome: CaseOutcome): boolean {
  return outcome === 'failed' || outcome === 'blocked';
}

function countsText(counts: OutcomeCounts): string {
  return OUTCOMES.filter((o) => counts[o] > 0 || o === 'passed' || o === 'failed')
    .map((o) => `${counts[o]} ${o}`)
    .join(', ');
}

/** Renders a run as one self-contained HTML page. Every string from the run is redacted, then escaped. */
export function renderHtmlReport(run: ReportedRun, options: HtmlReportOptions): string {
  const clean = textCleaner(options.redactor);
  // Routes, folders and expectations repeat on thousands of cases: redact and escape each distinct text once.
  const memo = new Map<string, string>();
  const t = (text: string): string => {
    let done = memo.get(text);
    if (done === undefined) {
      done = escapeHtml(clean(text));
      memo.set(text, done);
    }
    return done;
  };
  const cases = casesInOrder(run);
  const ids = new Map(cases.map((c, i) => [c, `c${i}`]));
  const idOf = (c: CaseRecord): string => ids.get(c) ?? '';
  const groups = groupByFolder(cases);
  const totals = countOutcomes(cases);
  const orphans = runLevelFailures({ cases, failures: run.failures });

  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${t(options.title)}</h1>`,
  );

  const failedTotal = totals.failed + totals.blocked + orphans.length;
  const [verdictClass, verdictText] = run.environmentFailure
    ? ['environment', 'ENVIRONMENT FAILURE: every request failed before reaching the API']
    : run.passed && failedTotal === 0
      ? ['passed', `PASSED: all ${plural(totals.passed, 'case')} that ran passed`]
      : [
          'failed',
          `FAILED: ${totals.failed} failed, ${totals.blocked} blocked of ${plural(totals.total, 'case')}`,
        ];
  out.push(`<p class="verdict ${verdictClass}" id="verdict">${t(verdictText)}</p>`);
  out.push('<ul class="totals" id="totals">');
  out.push(`<li><b>${totals.total}</b> cases</li>`);
  for (const o of OUTCOMES) out.push(`<li class="${o}"><b>${totals[o]}</b> ${o}</li>`);
  out.push('</ul>');
  out.push(
    '<label class="filter"><input type="checkbox" id="only-failures"> Failures only (failed and blocked cases)</label>',
    '</header>',
  );

  if (groups.length > 1) {
    out.push('<nav><ul>');
    groups.forEach((g, i) => {
      const ok = g.counts.failed + g.counts.blocked === 0 ? ' class="ok"' : '';
      out.push(`<li${ok}><a href="#g${i}">${t(g.folder)}</a>: ${t(countsText(g.counts))}</li>`);
    });
    out.push('</ul></nav>');
  }

  out.push('<main>');
  if (orphans.length > 0) {
    out.push('<section class="run-errors" id="run-errors">', '<h2>Run errors (not tied to one case)</h2>');
    out.push('<ul class="messages">');
    for (const f of orphans) {
      const hint = f.hint ? ` Hint: ${f.hint}` : '';
      out.push(`<li>[${t(f.folder)}] ${t(f.caseName)}: ${t(f.message)}${t(hint)}</li>`);
    }
    out.push('</ul>', '</section>');
  }
  if (cases.length === 0) out.push('<p id="no-cases">No cases ran.</p>');
  groups.forEach((group, i) => renderGroup(out, group, `g${i}`, t, idOf));
  out.push('</main>');

  const footer = options.generatedBy ? `Generated by ${options.generatedBy}.` : '';
  out.push(
    `<footer>${t(footer)} Colours: green passed, red failed, grey skipped, amber blocked (not judged because a prerequisite failed).</footer>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  );
  return out.join('\n');
}

function renderGroup(
  out: string[],
  group: FolderGroup,
  id: string,
  t: (text: string) => string,
  idOf: (c: CaseRecord) => string,
): void {
  const ok = group.counts.failed + group.counts.blocked === 0 ? ' ok' : '';
  const authorizer =
    group.authorizer !== undefined && group.authorizer !== group.folder
      ? ` <span class="authorizer">authorizer ${t(group.authorizer)}</span>`
      : '';
  out.push(
    `<section class="group${ok}" id="${id}" data-folder="${t(group.folder)}">`,
    `<h2>${t(group.folder)}${authorizer}</h2>`,
    `<p class="counts">${t(countsText(group.counts))}</p>`,
  );

  // The matrix: one row per route (in run order), one column per category present in this folder.
  const columns = categoriesPresent(group.cases);
  const rows = new Map<string, Map<CaseCategory, CaseRecord[]>>();
  for (const c of group.cases) {
    const row = rows.get(c.route) ?? new Map<CaseCategory, CaseRecord[]>();
    rows.set(c.route, row);
    const cell = row.get(categoryOf(c)) ?? [];
    row.set(categoryOf(c), cell);
    cell.push(c);
  }
  out.push('<table class="matrix">', '<thead><tr><th scope="col">Route</th>');
  for (const column of columns) out.push(`<th scope="col">${t(CATEGORY_LABELS[column])}</th>`);
  out.push('</tr></thead>', '<tbody>');
  for (const [route, row] of rows) {
    const rowOk = [...row.values()].flat().some((c) => isProblem(c.outcome)) ? '' : ' class="ok"';
    out.push(`<tr${rowOk} data-route="${t(route)}"><th scope="row">${t(route)}</th>`);
    for (const column of columns) {
      const cell = row.get(column);
      if (!cell) {
        out.push('<td class="empty"></td>');
        continue;
      }
      const worst = cell.reduce(
        (a, c) => (SEVERITY[c.outcome] > SEVERITY[a] ? c.outcome : a),
        'passed' as CaseOutcome,
      );
      const chips = cell.map(
        (c) =>
          `<a class="chip ${c.outcome}" href="#${idOf(c)}" title="${t(`${c.name}: ${c.outcome}`)}">${SYMBOL[c.outcome]}</a>`,
      );
      out.push(`<td class="cell ${worst}" data-category="${column}">${chips.join('')}</td>`);
    }
    out.push('</tr>');
  }
  out.push('</tbody></table>');

  // Every case: what it expects, what came back, and for a failure the hint and the failed assertions.
  out.push(
    '<table class="cases">',
    '<thead><tr><th scope="col">Outcome</th><th scope="col">Case</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Details</th></tr></thead>',
    '<tbody>',
  );
  for (const c of group.cases) {
    const rowOk = isProblem(c.outcome) ? '' : ' ok';
    out.push(
      `<tr id="${idOf(c)}" class="case ${c.outcome}${rowOk}">`,
      `<td><span class="badge ${c.outcome}">${c.outcome}</span></td>`,
      `<td>${t(c.name)}<div class="route">${t(c.route)} · ${t(CATEGORY_LABELS[categoryOf(c)])}</div></td>`,
      `<td>${t(describeExpected(c.expected))}</td>`,
      `<td>${t(describeActual(c.actual))}</td>`,
      `<td>${caseDetails(c, t)}</td>`,
      '</tr>',
    );
  }
  out.push('</tbody></table>', '</section>');
}

function caseDetails(c: CaseRecord, t: (text: string) => string): string {
  const reason = notRunReason(c);
  const { messages, hint } = failureDetails(c);
  const parts: string[] = [];
  if (reason !== undefined) parts.push(`<p class="reason">${t(reason)}</p>`);
  if (c.outcome === 'failed' || messages.length > 0) {
    if (hint !== undefined) parts.push(`<p class="hint"><b>Hint:</b> ${t(hint)}</p>`);
    if (messages.length > 0) {
      parts.push(`<ul class="messages">${messages.map((m) => `<li>${t(m)}</li>`).join('')}</ul>`);
    }
  }
  return parts.join('');
}
