import { describe, expect, it } from 'vitest';
import { CLIENT_SECRET, ECHOED_JWT, caseRecord, exampleRun } from '../../../test/reporters/fixture.js';
import { createRedactor } from '../redact.js';
import { escapeXml, renderJunit, RUN_ERRORS_SUITE } from './junit.js';

/** `<testsuite ...>` opening tags as attribute maps. */
function suites(xml: string): Record<string, string>[] {
  return [...xml.matchAll(/<testsuite ([^>]*)>/g)].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

/** The <testcase> element whose name contains `fragment`. */
function testcase(xml: string, fragment: string): string {
  const found = xml
    .split('<testcase ')
    .slice(1)
    .find((t) => (t.match(/^name="([^"]*)"/)?.[1] ?? '').includes(fragment));
  expect(found, `no testcase named like ${fragment}`).toBeDefined();
  const text = found ?? '';
  const open = text.indexOf('>');
  const end = text[open - 1] === '/' ? open + 1 : text.indexOf('</testcase>');
  return text.slice(0, end);
}

describe('renderJunit', () => {
  const run = exampleRun();
  const xml = renderJunit(run);

  it('writes one testcase per case and one testsuite per folder, with the counts', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(run.cases.length);
    expect(suites(xml)).toEqual([
      { name: 'Public routes', tests: '1', failures: '0', errors: '0', skipped: '0', id: '0' },
      { name: 'CognitoAuth', tests: '12', failures: '2', errors: '0', skipped: '1', id: '1' },
      { name: 'TokenAuth', tests: '5', failures: '1', errors: '0', skipped: '0', id: '2' },
      { name: 'CognitoM2M', tests: '2', failures: '0', errors: '2', skipped: '0', id: '3' },
    ]);
    expect(xml).toContain('<testsuites name="apigw-authz" tests="20" failures="3" errors="2">');
    expect(renderJunit(run, { suiteName: 'orders-api' })).toContain('<testsuites name="orders-api"');
  });

  it('lists every failed assertion of a case in one failure, with the expectation and the response', () => {
    const two = exampleRun();
    const bleed = two.cases.find((c) => c.category === 'cache-bleed');
    if (!bleed) throw new Error('fixture without a cache-bleed case');
    bleed.failures = [
      ...bleed.failures,
      `[${bleed.name}] expected no x-amzn-ErrorType; got AccessDeniedException`,
    ];
    const out = testcase(renderJunit(two), 'same token on a second route');
    expect(out.match(/<failure /g)).toHaveLength(1);
    expect(out).toContain('type="AssertionError" message="[[GET] /orders/{orderId} - allow: same token');
    expect(out).toContain('expected authorized (not 401/403); got 403');
    expect(out).toContain('Hint: Authorizer caching: a cached policy');
    expect(out).toContain('expected no x-amzn-ErrorType; got AccessDeniedException');
    expect(out).toContain(
      'actual: 403 &quot;User is not authorized to access this resource&quot; (x-amzn-ErrorType: AccessDeniedException)',
    );
  });

  it('marks skipped cases skipped, blocked cases as errors with the reason, and passed cases empty', () => {
    expect(testcase(xml, 'expired token')).toContain('<skipped message="needs CognitoAuth.expiredToken"/>');
    const blocked = testcase(xml, 'valid access token with scope reports/read');
    expect(blocked).toContain('<error type="blocked" message="blocked by token fetch for CognitoM2M');
    expect(blocked).not.toContain('<skipped');
    expect(testcase(xml, 'valid ID token')).toMatch(/classname="CognitoAuth"\/>$/);
  });

  it('redacts JWT-shaped strings always and the run secrets with its redactor', () => {
    expect(xml).not.toContain(ECHOED_JWT.split('.')[0]);
    expect(xml).toContain('hello [REDACTED]');
    const redacted = renderJunit(run, { redactor: createRedactor([CLIENT_SECRET]) });
    expect(xml).toContain(CLIENT_SECRET);
    expect(redacted).not.toContain(CLIENT_SECRET);
  });

  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml('a<b>&"c\'\u0000\u001b\r\n\t\uD800x\uD83D\uDE00')).toBe(
      'a&lt;b&gt;&amp;&quot;c&apos;\uFFFD\uFFFD&#13;\n\t\uFFFDx\uD83D\uDE00',
    );
    const hostile = exampleRun();
    hostile.cases.push(
      caseRecord({
        name: '</testcase><testcase name="fake">',
        route: 'GET /x',
        category: 'other',
        outcome: 'failed',
        failures: [']]></failure>\u0007<!-- -->'],
      }),
    );
    const out = renderJunit(hostile);
    expect(out.match(/<testcase /g)).toHaveLength(hostile.cases.length);
    expect(out).toContain('name="&lt;/testcase&gt;&lt;testcase name=&quot;fake&quot;&gt;"');
    expect(out).toContain(']]&gt;&lt;/failure&gt;\uFFFD&lt;!-- --&gt;');
  });

  it('is deterministic and in run order whatever the input order', () => {
    const reversed = exampleRun();
    reversed.cases.reverse();
    expect(renderJunit(reversed)).toBe(xml);
    expect(xml).not.toMatch(/time=|timestamp=|hostname=/);
  });

  it('reports failures that belong to no case as errors of their own suite', () => {
    const out = renderJunit(
      exampleRun([
        { caseName: '(collection)', folder: '(collection)', message: 'ReferenceError: x is not defined' },
      ]),
    );
    expect(suites(out).at(-1)).toEqual({
      name: RUN_ERRORS_SUITE,
      tests: '1',
      failures: '0',
      errors: '1',
      skipped: '0',
      id: '4',
    });
    expect(out).toContain('<testsuites name="apigw-authz" tests="21" failures="3" errors="3">');
    expect(xml).not.toContain(RUN_ERRORS_SUITE);
  });
});
