import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfigAgainstModel, checkHandlerFiles, suggestRoutes } from '../../src/config/check-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidConfigError } from '../../src/errors.js';
import type { IdentitySource } from '../../src/model/types.js';
import * as builders from '../support/models.js';

const stageSource: IdentitySource = {
  location: 'stageVariable',
  name: 'authStage',
  expression: 'stageVariables.authStage',
};
const requestModel = builders.model({
  authorizers: [
    builders.requestAuthorizer('RequestAuth', {
      identitySources: [builders.headerSource('X-Tenant-Id'), stageSource],
    }),
  ],
  routes: [
    builders.route('GET', '/health'),
    builders.route('GET', '/reports', 'RequestAuth'),
    builders.route('POST', '/reports', 'RequestAuth'),
    builders.route('ANY', '/files/{proxy+}', 'RequestAuth'),
    builders.route('GET', '/pets/{petId}', 'RequestAuth'),
  ],
});

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-check-config-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('handler files', () => {
  it('a handler that does not exist is an error naming the key; an existing one is not', () => {
    const config = builders.config({
      TokenAuth: { handler: '/nowhere/token.mjs' },
      RequestAuth: { handler: '/present/request.mjs' },
    });
    const problems = checkHandlerFiles(config, (file) => file === '/present/request.mjs');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      rule: 'config-handler-missing',
      severity: 'error',
      subject: 'TokenAuth',
      key: 'authorizers.TokenAuth.handler',
    });
    expect(problems[0]?.message).toContain('/nowhere/token.mjs does not exist');
  });

  it('loadConfig refuses it: one line with the file, the key and its line, and the fix', async () => {
    const file = path.join(work, 'missing-handler.config.yaml');
    await writeFile(file, 'authorizers:\n  TokenAuth:\n    handler: ./authorizers/tokn.mjs\n');
    const error = await loadConfig(file, work).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    const line = (error as InvalidConfigError).toLine();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain(file);
    expect(line).toContain('authorizers.TokenAuth.handler (line 3');
    expect(line).toContain(`${path.join(work, 'authorizers/tokn.mjs')} does not exist`);
    expect(line).toMatch(/Fix: Point it at the authorizer module/);
  });

  it('loadConfig accepts a handler that exists', async () => {
    await writeFile(path.join(work, 'token.mjs'), 'export const handler = async () => ({});\n');
    const file = path.join(work, 'handler.config.yaml');
    await writeFile(file, 'authorizers:\n  TokenAuth:\n    handler: ./token.mjs\n');
    const config = await loadConfig(file, work);
    expect(config.authorizers.TokenAuth?.handler).toBe(path.join(work, 'token.mjs'));
  });
});

describe('stage variables', () => {
  it('an identity source reading a stage variable that nothing sets is a warning with a did-you-mean', () => {
    const problems = checkConfigAgainstModel(
      requestModel,
      builders.config({}, { stageVariables: { authStag: 'x' } }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'config-unset-stage-variable',
        severity: 'warning',
        subject: 'RequestAuth',
        key: 'stageVariables',
      }),
    ]);
    expect(problems[0]?.message).toContain('stageVariables.authStage');
    expect(problems[0]?.message).toContain('did you mean "authStag"?');
    expect(problems[0]?.fix).toContain('stageVariables: { authStage: <value> }');
  });

  it('set by the config or by the stage: no problem', () => {
    expect(
      checkConfigAgainstModel(requestModel, builders.config({}, { stageVariables: { authStage: 'a' } })),
    ).toEqual([]);
    const staged = { ...requestModel, stage: { ...requestModel.stage, variables: { authStage: 'a' } } };
    expect(checkConfigAgainstModel(staged, builders.config())).toEqual([]);
  });

  it('a validIdentity value that differs from the stage variable is a warning', () => {
    const config = builders.config(
      { RequestAuth: { validIdentity: { 'stageVariables.authStage': 'prod-auth' } } },
      { stageVariables: { authStage: 'dev-auth' } },
    );
    const [problem] = checkConfigAgainstModel(requestModel, config);
    expect(problem).toMatchObject({
      rule: 'config-stage-variable-mismatch',
      key: 'authorizers.RequestAuth.validIdentity["stageVariables.authStage"]',
    });
    expect(problem?.message).toContain('"prod-auth"');
    expect(problem?.message).toContain('"dev-auth"');
  });
});

describe('publicRoutes that match no route', () => {
  const problemsFor = (entry: string) =>
    checkConfigAgainstModel(
      requestModel,
      builders.config({}, { publicRoutes: [entry], stageVariables: { authStage: 'a' } }),
    );

  it('a matching entry, or ANY over a path, is fine', () => {
    expect(problemsFor('GET /health')).toEqual([]);
    expect(problemsFor('ANY /reports')).toEqual([]);
  });

  it.each([
    ['GET /healthz', ['GET /health']],
    ['GET /Health', ['GET /health']],
    ['GET /files/{proxy+}', ['ANY /files/{proxy+}']],
    ['PUT /reports', ['GET /reports', 'POST /reports']],
    ['GET /pets/{id}', ['GET /pets/{petId}']],
    ['GET /nothing/like/this/at/all', []],
  ])('%s suggests %j', (entry, suggestions) => {
    expect(suggestRoutes(entry, requestModel.routes)).toEqual(suggestions);
    const [problem] = problemsFor(entry);
    expect(problem).toMatchObject({
      rule: 'config-unknown-route',
      severity: 'error',
      key: 'publicRoutes[0]',
    });
    if (suggestions.length > 0) expect(problem?.message).toContain(`Did you mean "${suggestions[0]}"`);
    else expect(problem?.message).not.toContain('Did you mean');
  });
});
