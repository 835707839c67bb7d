import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLIENT_SECRET, ECHOED_JWT, caseRecord, exampleRun } from '../../../test/reporters/fixture.js';
import { HINTS } from '../../cases/hints.js';
import { createRedactor } from '../redact.js';
import { escapeHtml, renderHtmlReport } from './html.js';

const OPTIONS = { title: 'petstore-authz', generatedBy: 'apigw-authz 0.1.0' };

/** The section of one folder. */
function section(html: string, folder: string): string {
  const start = html.indexOf(`data-folder="${folder}"`);
  expect(start, `no section for ${folder}`).toBeGreaterThan(0);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}

function headings(matrix: string): string[] {
  const head = matrix.slice(matrix.indexOf('<thead>'), matrix.indexOf('</thead>'));
  return [...head.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1] ?? '');
}

/** The `<td>` cells of a matrix row, as `category:outcome` of the cell. */
function cells(group: string, route: string): string[] {
  const start = group.indexOf(`data-route="${escapeHtml(route)}"`);
  expect(start, `no row for ${route}`).toBeGreaterThan(0);
  const row = group.slice(start, group.indexOf('</tr>', start));
  return [...row.matchAll(/<td class="cell (\w+)" data-category="([\w-]+)">/g)].map((m) => `${m[2]}:${m[1]}`);
}

/** The case table row of the case whose name contains `fragment`. */
function caseRow(html: string, fragment: string): string {
  const rows = html
    .split('<tr id="c')
    .slice(1)
    .map((r) => r.slice(0, r.indexOf('</tr>')));
  const row = rows.find((r) => r.split('<td>')[2]?.includes(fragment));
  expect(row, `no case row for ${fragment}`).toBeDefined();
  return row ?? '';
}

describe('renderHtmlReport', () => {
  const run = exampleRun();
  const html = renderHtmlReport(run, OPTIONS);

  it('shows the totals at the top and a FAILED verdict', () => {
    const top = html.slice(0, html.indexOf('</header>'));
    expect(top).toContain('FAILED: 3 failed, 2 blocked of 20 cases');
    expect(top).toContain('<li class="passed"><b>14</b> passed</li>');
    expect(top).toContain('<li class="skipped"><b>1</b> skipped</li>');
    expect(top).toContain('<li class="blocked"><b>2</b> blocked</li>');
  });

  it('draws one matrix per folder, with the categories present in CASE_CATEGORIES order', () => {
    const cognito = section(html, 'CognitoAuth');
    expect(headings(cognito)).toEqual([
      'Route',
      'Positive',
      'Missing',
      'Malformed',
      'Forged',
      'Expired',
      'Wrong scope',
      'CORS',
    ]);
    expect(headings(section(html, 'TokenAuth'))).toEqual([
      'Route',
      'Positive',
      'Missing',
      'Malformed',
      'Cache bleed',
      'Other',
    ]);
    // Several cases in one cell: the worst outcome colours it.
    expect(cells(cognito, 'GET /pets')).toEqual([
      'positive:passed',
      'missing:passed',
      'malformed:passed',
      'forged:failed',
      'expired:skipped',
      'cors:passed',
    ]);
    expect(
      cognito.match(/data-category="malformed">(.*?)<\/td>/)?.[1]?.match(/class="chip passed"/g),
    ).toHaveLength(2);
    expect(cells(cognito, 'POST /pets')).toEqual(['positive:passed', 'wrong-scope:failed']);
    expect(cells(section(html, 'CognitoM2M'), 'GET /reports')).toEqual([
      'positive:blocked',
      'wrong-scope:blocked',
    ]);
  });

  it('links every chip to its case row, and shows expected, actual, x-amzn-ErrorType and the hint of a failure', () => {
    const chips = [...html.matchAll(/class="chip \w+" href="#(c\d+)"/g)].map((m) => m[1]);
    expect(chips).toHaveLength(20);
    for (const id of chips) expect(html).toContain(`<tr id="${id}" class="case`);
    const row = caseRow(html, 'same token on a second route');
    expect(row).toContain('<td>authorized (any status)</td>');
    expect(row).toContain(
      '<td>403 &quot;User is not authorized to access this resource&quot; (x-amzn-ErrorType: AccessDeniedException)</td>',
    );
    expect(row).toContain(`<p class="hint"><b>Hint:</b> ${escapeHtml(HINTS.caching)}</p>`);
    // The hint shows once, not again at the end of the assertion message.
    expect(row.split('Authorizer caching:').length - 1).toBe(1);
  });

  it('marks rows, cases and folders without failures for the failures-only filter', () => {
    expect(html).toContain('<input type="checkbox" id="only-failures">');
    expect(html).toContain('.only-failures .ok { display: none; }');
    expect(section(html, 'CognitoAuth')).toMatch(/^data-folder="CognitoAuth">/);
    expect(html).toContain('<section class="group ok" id="g0" data-folder="Public routes">');
    expect(html).toContain('<section class="group" id="g1" data-folder="CognitoAuth">');
    expect(html).toMatch(/<tr class="ok" data-route="GET \/pets\/\{petId\}">/);
    expect(html).toMatch(/<tr data-route="GET \/pets">/);
    expect(html.match(/<tr id="c\d+" class="case (failed|blocked)">/g)).toHaveLength(5);
  });

  it('is self-contained: no URL, no external resource, and the CSP hashes match the inline style and script', () => {
    expect(html).not.toMatch(/\b(src|href|action|srcset|poster|data)\s*=\s*"(?!#)/i);
    expect(html).not.toMatch(/url\(|@import|<link|<iframe|<img|<object|<embed/i);
    const style = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? '';
    const script = html.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? '';
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const csp =
      html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1]?.replace(/&#39;/g, "'") ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
  });

  it('redacts JWT-shaped strings without a redactor, and the run secrets with one', () => {
    expect(renderHtmlReport(run, OPTIONS)).not.toContain(ECHOED_JWT.slice(0, 40));
    expect(html).toContain('hello [REDACTED]');
    expect(html).toContain(CLIENT_SECRET); // not known as a secret without the run's redactor
    const redacted = renderHtmlReport(run, { ...OPTIONS, redactor: createRedactor([CLIENT_SECRET]) });
    expect(redacted).not.toContain(CLIENT_SECRET);
    expect(redacted).not.toContain(ECHOED_JWT.split('.')[1]);
  });

  it('escapes every string from the API and the collection', () => {
    const hostile = exampleRun();
    hostile.cases.push(
      caseRecord({
        name: `<script>alert("x")</script> & 'quotes'`,
        route: 'GET /<img src=x onerror=alert(1)>',
        category: 'forged',
        folder: '<b>Folder</b>',
        outcome: 'failed',
        actual: { status: 200, message: '</td></tr><script>fetch("https://evil.example")</script>' },
        failures: ['got <iframe src="https://evil.example"> Hint: <a href="https://evil.example">x</a>'],
      }),
    );
    const out = renderHtmlReport(hostile, { title: '<title>' });
    expect(out).not.toMatch(
      /<script>alert|<img src=x|<iframe|<a href="https|<b>Folder|<script>fetch|<title><title>/,
    );
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(out.match(/<script>/g)).toHaveLength(1);
    expect(out).toContain(
      '<p class="hint"><b>Hint:</b> &lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;</p>',
    );
  });

  it('is deterministic and follows run order, not input order', () => {
    expect(renderHtmlReport(exampleRun(), OPTIONS)).toBe(html);
    const shuffled = exampleRun();
    shuffled.cases.reverse();
    expect(renderHtmlReport(shuffled, OPTIONS)).toBe(html);
  });

  it('shows failures that belong to no case, and a run without cases', () => {
    const withOrphan = renderHtmlReport(
      exampleRun([
        { caseName: '(collection)', folder: '(collection)', message: 'TypeError in the collection script' },
      ]),
      OPTIONS,
    );
    expect(withOrphan).toContain('Run errors (not tied to one case)');
    expect(withOrphan).toContain('[(collection)] (collection): TypeError in the collection script');
    expect(html).not.toContain('Run errors');
    const empty = renderHtmlReport({ ...exampleRun(), cases: [], failures: [], passed: false }, OPTIONS);
    expect(empty).toContain('<p id="no-cases">No cases ran.</p>');
    expect(empty).toContain('<b>0</b> cases');
  });

  it('says PASSED for a passing run and ENVIRONMENT FAILURE when nothing reached the API', () => {
    const green = exampleRun();
    green.cases = green.cases.filter((c) => c.outcome === 'passed');
    green.failures = [];
    green.passed = true;
    expect(renderHtmlReport(green, OPTIONS)).toContain('PASSED: all 14 cases that ran passed');
    const broken = { ...exampleRun(), environmentFailure: true };
    expect(renderHtmlReport(broken, OPTIONS)).toContain('ENVIRONMENT FAILURE');
  });
});
