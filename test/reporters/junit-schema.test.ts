/**
 * The JUnit report validates against the common JUnit XML schema (the Jenkins/Ant junit-10.xsd shape, kept in
 * test/fixtures/junit/), checked with libxml2's xmllint compiled to WebAssembly (`xmllint-wasm`). The
 * negative controls prove that the validator rejects what that schema forbids, so a pass means something.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { renderJunit } from '../../src/run/reporters/index.js';
import { ROOT } from '../support/suite.js';
import { caseRecord, exampleRun } from './fixture.js';

const XSD = join(ROOT, 'test', 'fixtures', 'junit', 'junit-10.xsd');

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: await readFile(XSD, 'utf8') }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

describe('JUnit report against junit-10.xsd', () => {
  it('validates, with one testcase per case, for a run with passed, failed, skipped and blocked cases', async () => {
    const run = exampleRun([{ caseName: '(collection)', folder: '(collection)', message: 'script error' }]);
    const xml = renderJunit(run);
    expect(await validate(xml)).toEqual({ valid: true, errors: [] });
    expect(xml.match(/<testcase /g)).toHaveLength(run.cases.length + 1);
  });

  it('validates with hostile text and an empty run', async () => {
    const run = exampleRun();
    run.cases.push(
      caseRecord({
        name: '</testcase>\u0000<x y="z">',
        route: 'GET /<&>',
        category: 'forged',
        folder: ']]><!--',
        outcome: 'failed',
        failures: ['\u001b[31mred\u001b[0m & <b>bold</b>\r\n\uDC00'],
      }),
    );
    expect(await validate(renderJunit(run))).toEqual({ valid: true, errors: [] });
    expect(await validate(renderJunit({ ...exampleRun(), cases: [], failures: [] }))).toEqual({
      valid: true,
      errors: [],
    });
  });

  it('rejects documents the schema forbids (negative controls)', async () => {
    const xml = renderJunit(exampleRun());
    // A testcase without a name, a failure before a skipped, and a testsuite without tests.
    const nameless = xml.replace('<testcase name=', '<testcase label=');
    const misordered = xml.replace(
      '<skipped message="needs CognitoAuth.expiredToken"/>',
      '<failure message="x"/><skipped message="y"/>',
    );
    const countless = xml.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1');
    for (const bad of [nameless, misordered, countless]) {
      expect(bad).not.toBe(xml);
      expect((await validate(bad)).valid).toBe(false);
    }
  });
});
