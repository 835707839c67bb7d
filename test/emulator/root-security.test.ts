import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { loadExportFile } from '../../src/sources/openapi/export-file.js';
import { FIXTURES, UNAUTHORIZED, call, outcome } from './helpers.js';
import { config } from '../support/models.js';

describe('serve with root-level security read from an OpenAPI file', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    // The real reader: the model, not serve, carries the inherited authorization.
    const model = await loadExportFile(path.join(FIXTURES, 'root-security.oas30.yaml'));
    gw = await startGateway({ model, config: config() });
  });
  afterAll(() => gw?.stop());

  it('rejects an unauthenticated request to a route that inherits the root security', async () => {
    expect(outcome(await call(`${gw.url}/pets`))).toEqual(UNAUTHORIZED);
  });

  it('lets the inherited route through with a token the authorizer allows', async () => {
    const reply = await call(`${gw.url}/pets`, { headers: { 'X-Auth-Token': 'allow' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ route: 'GET /pets', principalId: 'sample-user' });
  });

  it('answers an operation that opts out with `security: []` without a token', async () => {
    const reply = await call(`${gw.url}/health`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ route: 'GET /health', principalId: null });
  });
});
