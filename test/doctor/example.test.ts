import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyModelDefaults, loadConfig } from '../../src/config/load-config.js';
import { checkHandlerPolicies, diagnose } from '../../src/doctor/index.js';
import { parseExportText } from '../../src/sources/openapi/export-file.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/petstore-authz.openapi.yaml', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/apigw-authz.config.yaml', import.meta.url));

async function example() {
  const model = parseExportText(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  const config = applyModelDefaults(await loadConfig(CONFIG, process.cwd()), model);
  return { model, config };
}

describe('doctor on the bundled example', () => {
  it('without the handlers invoked: only notes about the cached Lambda policies, no errors', async () => {
    const { model, config } = await example();
    const findings = diagnose(model, config);
    expect(findings.map((f) => [f.severity, f.rule, f.subject])).toEqual([
      ['info', 'lambda-cache-policy-scope', 'RequestAuth'],
      ['info', 'lambda-cache-policy-scope', 'TokenAuth'],
    ]);
    expect(findings[1]?.message).toMatch(
      /a \{proxy\+\} route \(ANY \/files\/\{proxy\+\}, GET \/orders, DELETE \/orders\/\{orderId\}\)/,
    );
  });

  it("the example's handlers return whole-stage policies: invoked, they clear the notes", async () => {
    const { model, config } = await example();
    const checks = await checkHandlerPolicies(model, config, { log: () => {} });
    expect(checks.map((c) => [c.authorizer, c.outcome])).toEqual([
      ['RequestAuth', 'covered'],
      ['TokenAuth', 'covered'],
    ]);
    expect(diagnose(model, config, { handlerChecks: checks })).toEqual([]);
  });
});
