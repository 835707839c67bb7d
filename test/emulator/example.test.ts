import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyModelDefaults, loadConfig } from '../../src/config/load-config.js';
import { loadExportFile } from '../../src/sources/openapi/export-file.js';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { EXPLICIT_DENY, MISSING_TOKEN, UNAUTHORIZED, call, outcome } from './helpers.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

describe('serve on the bundled example (export + config + example handlers)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    const model = await loadExportFile(path.join(examples, 'petstore-authz.openapi.yaml'));
    const config = applyModelDefaults(
      await loadConfig(path.join(examples, 'apigw-authz.config.yaml'), examples),
      model,
    );
    gw = await startGateway({ model, config, env: {} });
  });
  afterAll(() => gw.stop());

  const token = (value: string) => ({ headers: { 'X-Auth-Token': value } });
  const tenant = { headers: { 'X-Tenant-Id': 'tenant-1' } };

  it.each([
    ['GET /health is public', '/health', {}, 200],
    ['TokenAuth allows allow-alice', '/orders', token('allow-alice'), 200],
    ['TokenAuth on the greedy route', '/files/docs/readme.txt', token('allow-alice'), 200],
    ['RequestAuth with every source', '/reports/7?apiVersion=2024-01-01', tenant, 200],
  ])('%s', async (_name, p, init: RequestInit, status) => {
    expect((await call(`${gw.url}${p}`, init)).status).toBe(status);
  });

  it.each([
    ['deny-mallory', '/orders', token('deny-mallory'), EXPLICIT_DENY],
    ['an unknown token', '/orders', token('someone-else'), UNAUTHORIZED],
    ['a token failing the regex', '/orders', token('Allow-Alice'), UNAUTHORIZED],
    ['RequestAuth without the query string', '/reports', tenant, UNAUTHORIZED],
    ['Cognito without a token', '/pets', {}, UNAUTHORIZED],
    ['IAM unsigned', '/admin/users', {}, MISSING_TOKEN],
  ])('rejects %s, with CORS from DEFAULT_4XX', async (_name, p, init: RequestInit, expected) => {
    const reply = await call(`${gw.url}${p}`, init);
    expect(outcome(reply)).toEqual(expected);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('hands the example context to the integration', async () => {
    expect((await call(`${gw.url}/orders`, token('allow-alice'))).body).toMatchObject({
      principalId: 'alice',
      authorizer: { user: 'alice' },
    });
  });
});
