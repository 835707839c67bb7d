/**
 * The HTML report in a real browser: Debian's headless Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`) driven
 * by playwright-core. The matrix renders (a screenshot is taken, the cells have their colours), a failing case
 * shows its hint, the failures-only filter hides passing rows, the page requests nothing but itself, and the
 * run's secrets are in neither the file nor the DOM. A control page that does fetch proves the request recorder
 * sees what it should. Skipped, with a message saying how to enable it, where Chromium is absent.
 */

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HINTS } from '../../src/cases/hints.js';
import { createRedactor } from '../../src/run/redact.js';
import { renderHtmlReport } from '../../src/run/reporters/index.js';
import { CLIENT_SECRET, ECHOED_JWT, exampleRun } from './fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) {
  console.warn(
    `html-browser tests skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH).`,
  );
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs in the page (the project's TypeScript has no DOM types): an element's computed background colour. */
function background(element: unknown): string {
  const view = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
  return view.getComputedStyle(element).backgroundColor;
}

interface Recorder {
  requests: string[];
  sockets: string[];
  consoleErrors: string[];
}

/** Records every request, WebSocket and console error of a page's lifetime. */
function record(page: Page): Recorder {
  const recorder: Recorder = { requests: [], sockets: [], consoleErrors: [] };
  page.on('request', (request) => recorder.requests.push(request.url()));
  page.on('websocket', (socket) => recorder.sockets.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') recorder.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => recorder.consoleErrors.push(error.message));
  return recorder;
}

describe.skipIf(!present)(`HTML report in headless Chromium (${CHROMIUM})`, () => {
  let dir: string;
  let reportFile: string;
  let html: string;
  let context: BrowserContext;
  let page: Page;
  let recorder: Recorder;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-html-'));
    html = renderHtmlReport(exampleRun(), {
      title: 'petstore-authz',
      generatedBy: 'apigw-authz test',
      redactor: createRedactor([CLIENT_SECRET]),
    });
    reportFile = join(dir, 'report.html');
    await writeFile(reportFile, html);
    const { chromium } = await import('playwright-core');
    // `--user-data-dir` is the persistent context's directory: a fresh profile per run.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 900 },
    });
    page = await context.newPage();
    recorder = record(page);
    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders the matrix: a screenshot, the cells, their colours', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = await readFile(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect((await stat(shot)).size).toBeGreaterThan(10_000);

    expect(await page.locator('table.matrix').count()).toBe(4);
    expect(await page.locator('table.matrix td.cell').count()).toBe(18);
    const forged = page.locator(
      'section[data-folder="CognitoAuth"] tr[data-route="GET /pets"] td[data-category="forged"]',
    );
    expect(await forged.locator('a.chip').count()).toBe(2);
    const colour = (selector: string) => page.locator(selector).first().evaluate(background);
    expect(await forged.evaluate(background)).toBe('rgb(255, 235, 233)');
    expect(await colour('td.cell.passed')).toBe('rgb(218, 251, 225)');
    expect(await colour('td.cell.skipped')).toBe('rgb(234, 238, 242)');
    expect(await colour('td.cell.blocked')).toBe('rgb(255, 248, 197)');
    expect(await colour('a.chip.failed')).toBe('rgb(207, 34, 46)');
    expect(await page.locator('#totals').innerText()).toMatch(
      /20\s+cases[\s\S]*14\s+passed[\s\S]*3\s+failed/,
    );
  });

  it('shows the hint of a failing case, reached from its matrix cell', async () => {
    const chip = page.locator('td[data-category="cache-bleed"] a.chip.failed');
    const target = await chip.getAttribute('href');
    await chip.click();
    expect(await page.evaluate<string>('location.hash')).toBe(target);
    const row = page.locator(`tr${target ?? ''}`);
    await expect.poll(() => row.isVisible()).toBe(true);
    const hint = row.locator('p.hint');
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.innerText()).toBe(`Hint: ${HINTS.caching}`);
    expect(await row.innerText()).toContain(
      '403 "User is not authorized to access this resource" (x-amzn-ErrorType: AccessDeniedException)',
    );
  });

  it('hides passing rows, cases and folders with "failures only", and shows them again', async () => {
    const passingRow = page.locator('tr[data-route="GET /pets/{petId}"]');
    const passingCase = page.locator('tr.case.passed').first();
    const publicFolder = page.locator('section[data-folder="Public routes"]');
    const failingCases = page.locator('tr.case.failed, tr.case.blocked');
    expect(await passingRow.isVisible()).toBe(true);
    expect(await publicFolder.isVisible()).toBe(true);

    await page.locator('#only-failures').check();
    expect(await passingRow.isVisible()).toBe(false);
    expect(await passingCase.isVisible()).toBe(false);
    expect(await publicFolder.isVisible()).toBe(false);
    expect(await page.locator('tr.case.skipped').first().isVisible()).toBe(false);
    expect(await failingCases.count()).toBe(5);
    for (const row of await failingCases.all()) expect(await row.isVisible()).toBe(true);
    expect(await page.locator('tr[data-route="GET /pets"]').isVisible()).toBe(true);
    await page.screenshot({ path: join(dir, 'failures-only.png'), fullPage: true });

    await page.locator('#only-failures').uncheck();
    expect(await passingRow.isVisible()).toBe(true);
    expect(await publicFolder.isVisible()).toBe(true);
  });

  it('requests nothing but the file itself, and its CSP blocks nothing of its own', async () => {
    expect(recorder.requests).toEqual([pathToFileURL(reportFile).href]);
    expect(recorder.sockets).toEqual([]);
    expect(recorder.consoleErrors).toEqual([]);
  });

  it('the request recorder does see a page that fetches (control)', async () => {
    const control = join(dir, 'control.html');
    await writeFile(
      control,
      '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/pixel.png">' +
        '<script>fetch("http://127.0.0.1:9/data.json").catch(function () {});</script></body></html>',
    );
    const other = await context.newPage();
    const seen = record(other);
    await other.goto(pathToFileURL(control).href, { waitUntil: 'load' });
    await expect.poll(() => seen.requests.length).toBeGreaterThanOrEqual(3);
    expect(seen.requests).toEqual(
      expect.arrayContaining(['http://127.0.0.1:9/pixel.png', 'http://127.0.0.1:9/data.json']),
    );
    await other.close();
  });

  it('keeps the secrets out of the file and the DOM', async () => {
    const onDisk = await readFile(reportFile, 'utf8');
    const dom = await page.content();
    for (const text of [onDisk, dom]) {
      expect(text).not.toContain(CLIENT_SECRET);
      for (const part of ECHOED_JWT.split('.')) expect(text).not.toContain(part);
      expect(text).toContain('[REDACTED]');
    }
  });
});
