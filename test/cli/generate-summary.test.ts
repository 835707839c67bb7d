/**
 * generate's summary counts API-key-only routes on their own: an API key is not authorization, so such a route is
 * neither protected nor public (issue 7 point 5), in the JSON summary and in the text line.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generate, type GenerateResult } from '../../src/api/generate.js';
import { formatGenerateSummary } from '../../src/cli/format.js';

// A usage-plan API: one route behind a TOKEN authorizer, two behind an API key only, one public, one not listed.
const EXPORT = `openapi: 3.0.1
info: { title: usage-plans, version: '1' }
servers:
  - url: https://k3y0n1y.execute-api.eu-west-1.amazonaws.com/{basePath}
    variables: { basePath: { default: live } }
paths:
  /quotes:
    get:
      security: [{ api_key: [] }]
      x-amazon-apigateway-integration: { type: mock }
    post:
      security: [{ api_key: [], QuoteAuth: [] }]
      x-amazon-apigateway-integration: { type: mock }
  /quotes/{quoteId}:
    get:
      security: [{ api_key: [] }]
      x-amazon-apigateway-integration: { type: mock }
  /health:
    get:
      x-amazon-apigateway-integration: { type: mock }
  /debug:
    get:
      x-amazon-apigateway-integration: { type: mock }
components:
  securitySchemes:
    api_key: { type: apiKey, name: x-api-key, in: header }
    QuoteAuth:
      type: apiKey
      name: X-Quote-Token
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:quote-auth/invocations
        authorizerResultTtlInSeconds: 0
`;

let work: string;
let result: GenerateResult;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-summary-'));
  await writeFile(path.join(work, 'usage-plans.yaml'), EXPORT);
  await writeFile(path.join(work, 'config.yaml'), 'publicRoutes: ["GET /health"]\n');
  result = await generate({
    source: { file: path.join(work, 'usage-plans.yaml') },
    configFile: path.join(work, 'config.yaml'),
    outDir: 'out',
    cwd: work,
  });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("generate's route counts", () => {
  it('counts API-key-only routes apart from public ones', () => {
    expect(result.summary.routes).toEqual({
      total: 5,
      protected: 1,
      apiKeyOnly: 2,
      public: 1,
      unprotected: ['GET /debug'],
    });
  });

  it('says so in the text line', () => {
    expect(formatGenerateSummary(result.summary, work)).toContain(
      'routes of usage-plans (stage live): 1 protected, 2 API key only, 1 public, 1 unprotected; depth standard',
    );
  });

  it('leaves the API key out of the line of an API without such routes', () => {
    const summary = { ...result.summary, routes: { ...result.summary.routes, apiKeyOnly: 0, public: 3 } };
    expect(formatGenerateSummary(summary, work)).toContain(': 1 protected, 3 public, 1 unprotected;');
  });
});
