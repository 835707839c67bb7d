import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyModelDefaults, loadConfig } from '../../src/config/load-config.js';
import { diagnose } from '../../src/doctor/index.js';
import { parseExportText } from '../../src/sources/openapi/export-file.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/petstore-authz.openapi.yaml', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/apigw-authz.config.yaml', import.meta.url));

describe('doctor on the bundled example', () => {
  it('warns only about the cached Lambda policies, with no errors', async () => {
    const model = parseExportText(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
    const config = applyModelDefaults(await loadConfig(CONFIG, process.cwd()), model);
    const findings = diagnose(model, config);
    expect(findings.map((f) => [f.severity, f.rule, f.subject])).toEqual([
      ['warning', 'lambda-cache-policy-scope', 'RequestAuth'],
      ['warning', 'lambda-cache-policy-scope', 'TokenAuth'],
    ]);
    expect(findings[1]?.message).toMatch(
      /a \{proxy\+\} route \(ANY \/files\/\{proxy\+\}, GET \/orders, DELETE \/orders\/\{orderId\}\)/,
    );
  });
});
