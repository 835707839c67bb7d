import { describe, expect, it } from 'vitest';
import { CLIENT_SECRET, ECHOED_JWT, caseRecord, exampleRun } from '../../../test/reporters/fixture.js';
import { HINTS } from '../../cases/hints.js';
import { createRedactor } from '../redact.js';
import type { CaseRecord } from '../types.js';
import { escapeMarkdown, renderStepSummary, STEP_SUMMARY_LIMIT } from './step-summary.js';

function manyFailures(count: number, messageLength: number) {
  const run = exampleRun();
  const failed: CaseRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    failed.push(
      caseRecord({
        name: `[GET] /items/${i} - deny: forged (BulkAuth)`,
        route: `GET /items/${i}`,
        category: 'forged',
        folder: 'BulkAuth',
        outcome: 'failed',
        order: 1000 + i,
        failures: [`[case ${i}] got 200 ${'x'.repeat(messageLength)}. Hint: ${HINTS.cognitoPoolIssuer}`],
      }),
    );
  }
  run.cases.push(...failed);
  return run;
}

describe('renderStepSummary', () => {
  const md = renderStepSummary(exampleRun(), { title: 'petstore-authz' });

  it('starts with the verdict and the totals per authorizer folder', () => {
    expect(md.split('\n').slice(0, 12)).toEqual([
      '## petstore-authz: FAILED',
      '',
      '20 cases: 14 passed, 3 failed, 1 skipped, 2 blocked.',
      '',
      '| Authorizer | Passed | Failed | Skipped | Blocked |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| Public routes | 1 | 0 | 0 | 0 |',
      '| CognitoAuth | 9 | 2 | 1 | 0 |',
      '| TokenAuth | 4 | 1 | 0 | 0 |',
      '| CognitoM2M | 0 | 0 | 0 | 2 |',
      '| **Total** | 14 | 3 | 1 | 2 |',
      '',
    ]);
  });

  it('lists each failed case with what it expected, what came back and its hint, then why cases were not judged', () => {
    expect(md).toContain('### Failed cases (3)');
    expect(md).toContain(
      '- **\\[GET\\] /orders/{orderId} - allow: same token on a second route (cache) (TokenAuth)** (TokenAuth)\n' +
        '  - expected authorized (any status); got 403 "User is not authorized to access this resource" (x-amzn-ErrorType: AccessDeniedException)\n',
    );
    expect(md).toContain(`  - Hint: ${escapeMarkdown(HINTS.caching)}\n`);
    expect(md.match(/ {2}- Hint: /g)).toHaveLength(3);
    expect(md).toContain(
      '### Not judged\n\n- 1 × skipped: needs CognitoAuth.expiredToken\n- 2 × blocked by token fetch',
    );
  });

  it('renders API text as text: no HTML, links or emphasis survive', () => {
    const run = exampleRun();
    run.cases.push(
      caseRecord({
        name: '<img src=x onerror=alert(1)> [link](https://evil.example) *bold* | pipe',
        route: 'GET /x',
        category: 'other',
        folder: 'Evil|Folder',
        outcome: 'failed',
        failures: ['line one\nline two `code` <script>'],
      }),
    );
    const out = renderStepSummary(run);
    expect(out).not.toMatch(/(?<!\\)<(img|script)|(?<!\\)\]\(https|(?<!\\)\*bold/);
    expect(out).toContain(
      '\\<img src=x onerror=alert(1)\\> \\[link\\](https://evil.example) \\*bold\\* \\| pipe',
    );
    expect(out).toContain('| Evil\\|Folder | 0 | 1 | 0 | 0 |');
    expect(out).toContain('  - line one line two \\`code\\` \\<script\\>\n');
  });

  it('redacts JWT-shaped strings always and the run secrets with its redactor', () => {
    expect(md).not.toContain(ECHOED_JWT.split('.')[0]);
    expect(md).toContain(CLIENT_SECRET);
    expect(renderStepSummary(exampleRun(), { redactor: createRedactor([CLIENT_SECRET]) })).not.toContain(
      CLIENT_SECRET,
    );
  });

  it('stays under the byte limit and says how many failed cases it left out', () => {
    const run = manyFailures(400, 1500);
    const out = renderStepSummary(run, { maxBytes: 50_000 });
    const bytes = Buffer.byteLength(out, 'utf8');
    expect(bytes).toBeLessThanOrEqual(50_000);
    expect(bytes).toBeGreaterThan(45_000);
    const shown = out.match(/^- \*\*/gm)?.length ?? 0;
    const left = Number(out.match(/… and (\d+) more failed cases left out/)?.[1]);
    expect(shown).toBeGreaterThan(10);
    expect(shown + left).toBe(403);
    // The reasons for cases not judged come after the cut list, not lost with it.
    expect(
      out
        .trimEnd()
        .endsWith(
          '- 2 × blocked by token fetch for CognitoM2M (client\\_credentials): 400 {"error":"invalid\\_client","client\\_secret":"m2m-client-secret-not-real-0001"}',
        ),
    ).toBe(true);
  });

  it('fits GitHub’s 1 MiB limit by default, even for thousands of long failures', () => {
    const out = renderStepSummary(manyFailures(3000, 1900));
    const bytes = Buffer.byteLength(out, 'utf8');
    expect(bytes).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    expect(bytes).toBeGreaterThan(900_000);
    expect(out).toMatch(/… and \d+ more failed cases left out to keep this summary under 1000000 bytes/);
  });

  it('says passed, with no failure list, for a passing run; and is deterministic', () => {
    const green = exampleRun();
    green.cases = green.cases.filter((c) => c.outcome === 'passed');
    green.failures = [];
    green.passed = true;
    const out = renderStepSummary(green);
    expect(out.split('\n')[0]).toBe('## apigw-authz: passed');
    expect(out).not.toContain('Failed cases');
    expect(out).not.toContain('Not judged');
    const reversed = exampleRun();
    reversed.cases.reverse();
    expect(renderStepSummary(reversed, { title: 'petstore-authz' })).toBe(md);
  });
});
