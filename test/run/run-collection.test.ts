import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputNotFoundError, InvalidJsonError, UsageError } from '../../src/errors.js';
import { exitCodeFor, formatRunSummary, runCollection } from '../../src/run/index.js';
import type { RunEvent } from '../../src/run/index.js';
import { closedPort, startHttpServer } from '../support/http.js';
import type { TestServer } from '../support/http.js';

// A JWT-shaped value the server echoes back in bodies; the reports must not contain it.
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz';
const PASSWORD = 'S3cret-Pa55word!';
const SESSION = 'session-token-from-process-env-123';

function test(name: string, expectedStatus: number, hint: string): object {
  return {
    listen: 'test',
    script: {
      type: 'text/javascript',
      exec: [
        `pm.test(${JSON.stringify(name)}, function () {`,
        `  if (pm.response.code !== ${expectedStatus}) {`,
        `    throw new Error(${JSON.stringify(name)} + ': expected ${expectedStatus}, got ' + pm.response.code + (pm.response.code === 200 && pm.response.text().length > 40 ? ' ' + pm.response.text() : '') + ' Hint: ' + ${JSON.stringify(hint)});`,
        '  }',
        '});',
      ],
    },
  };
}

function request(
  name: string,
  path: string,
  headers: Record<string, string>,
  expected: number,
  hint: string,
) {
  return {
    name,
    request: {
      method: 'GET',
      header: Object.entries(headers).map(([key, value]) => ({ key, value })),
      url: `{{baseUrl}}${path}`,
      auth: { type: 'noauth' },
    },
    event: [test(name, expected, hint)],
  };
}

/** Two authorizer folders; `badExpectation` turns one case into a failure. */
function collection(badExpectation = false): object {
  return {
    info: {
      _postman_id: '0f7c1d0e-0000-5000-8000-000000000001',
      name: 'run-test',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: [
      {
        name: 'TokenAuth',
        item: [
          request(
            '[GET] /pets - allow: valid token',
            '/pets',
            { 'X-Auth-Token': '{{TokenAuth.validToken}}' },
            200,
            'x',
          ),
          request(
            '[GET] /pets - deny: no token',
            '/pets',
            {},
            badExpectation ? 200 : 401,
            'check the token source header',
          ),
        ],
      },
      {
        name: 'CognitoAuth',
        item: [
          request(
            '[GET] /echo - allow: secrets echoed',
            '/echo',
            {
              Authorization: '{{CognitoAuth.password}}',
              'X-Amz-Security-Token': '{{awsSessionToken}}',
              'X-Region': '{{awsRegion}}',
            },
            badExpectation ? 401 : 200,
            'x',
          ),
        ],
      },
    ],
  };
}

const environment = {
  name: 'run-test',
  values: [
    { key: 'baseUrl', value: 'http://127.0.0.1:1', type: 'default', enabled: true },
    { key: 'TokenAuth.validToken', value: 'allow-alice', type: 'default', enabled: true },
    { key: 'CognitoAuth.password', value: '', type: 'secret', enabled: true },
    { key: 'awsSessionToken', value: '', type: 'secret', enabled: true },
    { key: 'awsRegion', value: 'us-east-1', type: 'default', enabled: true },
  ],
  _postman_variable_scope: 'environment',
};

describe('runCollection against a loopback API', () => {
  let server: TestServer;
  let dir: string;
  const seen: Record<string, string | undefined>[] = [];

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      if (req.url === '/pets') {
        const ok = req.headers['x-auth-token'] === 'allow-alice';
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: ok ? 'ok' : 'Unauthorized' }));
        return;
      }
      seen.push({
        authorization: req.headers.authorization as string | undefined,
        session: req.headers['x-amz-security-token'] as string | undefined,
        region: req.headers['x-region'] as string | undefined,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-token': JWT });
      res.end(JSON.stringify({ headers: req.headers, token: JWT }));
    });
    dir = await mkdtemp(join(tmpdir(), 'apigw-authz-run-'));
  });

  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes, groups cases per top-level folder and maps to exit 0', async () => {
    const events: RunEvent[] = [];
    const result = await runCollection({
      collection: collection(),
      environment,
      envVars: { baseUrl: server.url, 'CognitoAuth.password': PASSWORD },
      onEvent: (e) => events.push(e),
    });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.environmentFailure).toBe(false);
    expect(exitCodeFor(result)).toBe(0);
    expect(result.perAuthorizer).toEqual({
      TokenAuth: { passed: 2, failed: 0 },
      CognitoAuth: { passed: 1, failed: 0 },
    });
    expect(result.stats).toMatchObject({
      requests: 3,
      assertions: 3,
      failedAssertions: 0,
      cases: 3,
      failedCases: 0,
    });
    expect(events.filter((e) => e.type === 'request')).toHaveLength(3);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'assertion',
        folder: 'TokenAuth',
        caseName: '[GET] /pets - deny: no token',
        passed: true,
      }),
    );
  });

  it('reports a failing case with its hint and maps to exit 1', async () => {
    const result = await runCollection({
      collection: collection(true),
      environment,
      envVars: { baseUrl: server.url },
    });
    expect(result.passed).toBe(false);
    expect(exitCodeFor(result)).toBe(1);
    expect(result.perAuthorizer.TokenAuth).toEqual({ passed: 1, failed: 1 });
    expect(result.failures.filter((f) => f.folder === 'TokenAuth')).toEqual([
      {
        caseName: '[GET] /pets - deny: no token',
        folder: 'TokenAuth',
        message: '[GET] /pets - deny: no token: expected 200, got 401',
        hint: 'check the token source header',
      },
    ]);
    const text = formatRunSummary(result);
    expect(text).toContain('FAILED: 1 of 3 cases passed');
    expect(text).toContain('Hint: check the token source header');
  });

  it('stops before the first request with environmentFailure (exit 3) when the base URL refuses connections', async () => {
    const port = await closedPort();
    const result = await runCollection({
      collection: collection(),
      environment,
      envVars: { baseUrl: `http://127.0.0.1:${port}` },
    });
    expect(result.passed).toBe(false);
    expect(result.environmentFailure).toBe(true);
    expect(exitCodeFor(result)).toBe(3);
    expect(result.errors).toEqual([
      {
        caseName: '(pre-flight)',
        folder: '(pre-flight)',
        code: 'ECONNREFUSED',
        message: `baseUrl http://127.0.0.1:${port} refuses connections (ECONNREFUSED)`,
      },
    ]);
    expect(result.stats.requests).toBe(0);
    expect(formatRunSummary(result)).toContain(`baseUrl http://127.0.0.1:${port} refuses connections`);
  });

  it('takes variables from --env-var over the process environment over the file', async () => {
    seen.length = 0;
    const result = await runCollection({
      collection: collection(),
      environment,
      envVars: { baseUrl: server.url, 'CognitoAuth.password': 'from-flag' },
      processEnv: {
        APIGW_AUTHZ_COGNITOAUTH_PASSWORD: 'from-process-env',
        AWS_SESSION_TOKEN: SESSION,
        AWS_REGION: 'eu-west-1',
      },
    });
    expect(result.passed).toBe(true);
    expect(seen).toEqual([{ authorization: 'from-flag', session: SESSION, region: 'eu-west-1' }]);
  });

  it('writes JUnit and JSON reports with every credential redacted', async () => {
    const junitFile = join(dir, 'reports', 'junit.xml');
    const jsonReportFile = join(dir, 'reports', 'run.json');
    const result = await runCollection({
      collection: collection(true),
      environment,
      envVars: { baseUrl: server.url, 'CognitoAuth.password': PASSWORD },
      processEnv: { AWS_SESSION_TOKEN: SESSION },
      reporters: ['junit', 'json'],
      junitFile,
      jsonReportFile,
    });
    expect(result.reports).toEqual({ junit: junitFile, json: jsonReportFile });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    const junit = await readFile(junitFile, 'utf8');
    const json = await readFile(jsonReportFile, 'utf8');
    expect(junit).toContain('[GET] /pets - deny: no token');
    expect(JSON.parse(json)).toMatchObject({ format: 'apigw-authz-run/1', passed: false });
    expect(json).toContain('[GET] /pets - deny: no token');
    // the failing echo case quotes the response body: the password, session token and JWT in it are redacted
    expect(json).toContain('[GET] /echo - allow: secrets echoed: expected 401, got 200');
    for (const report of [junit, json]) {
      expect(report).not.toContain(PASSWORD);
      expect(report).not.toContain(SESSION);
      expect(report).not.toContain(JWT);
      // Newman keeps response bodies as bytes; the echoed password must not survive there either.
      expect(report).not.toContain(JSON.stringify([...Buffer.from(PASSWORD)]).slice(1, -1));
    }
    expect(json).toContain('[REDACTED]');
    // no staging files left behind
    expect((await readdir(join(dir, 'reports'))).sort()).toEqual(['junit.xml', 'run.json']);
  });

  it('rejects bad input before Newman runs', async () => {
    await expect(runCollection({ collection: join(dir, 'missing.json') })).rejects.toBeInstanceOf(
      InputNotFoundError,
    );
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"info": ');
    await expect(runCollection({ collection: broken })).rejects.toBeInstanceOf(InvalidJsonError);
    const notCollection = join(dir, 'not-a-collection.json');
    await writeFile(notCollection, '{"foo": 1}');
    await expect(runCollection({ collection: notCollection })).rejects.toBeInstanceOf(InvalidJsonError);
    await expect(runCollection({ collection: collection(), reporters: ['junit'] })).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('rejects a --folder that names nothing', async () => {
    await expect(
      runCollection({
        collection: collection(),
        environment,
        envVars: { baseUrl: server.url },
        folders: ['Nope'],
      }),
    ).rejects.toBeInstanceOf(UsageError);
  });

  it('runs only the named folder', async () => {
    const result = await runCollection({
      collection: collection(),
      environment,
      envVars: { baseUrl: server.url },
      folders: ['TokenAuth'],
    });
    expect(result.perAuthorizer).toEqual({ TokenAuth: { passed: 2, failed: 0 } });
  });
});
