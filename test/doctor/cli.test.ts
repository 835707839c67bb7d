import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../support/in-process-cli.js';

// doctor reads what generate refuses (issue 7, point 10): the same files, two commands, run in-process.
const dir = mkdtempSync(path.join(tmpdir(), 'apigw-authz-doctor-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const cli = (...args: string[]) => runMain(args, { cwd: dir });

const LAMBDA = (fn: string) =>
  `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:210987654321:function:${fn}/invocations`;

/** An orders API as `get-export` writes it, with one authorizer setting varied per test. */
function exportText(options: { regex?: string; requestSources?: string } = {}): string {
  const regex = options.regex ?? '^[A-Za-z0-9._-]{8,}$';
  const sources =
    options.requestSources === undefined
      ? ''
      : `\n        identitySource: ${JSON.stringify(options.requestSources)}`;
  return `openapi: 3.0.1
info:
  title: orders-api
  version: '2025-11-02T10:14:00Z'
servers:
  - url: https://k7q2x9v4mb.execute-api.eu-west-1.amazonaws.com/{basePath}
    variables:
      basePath:
        default: live
paths:
  /orders:
    get:
      security:
        - OrdersToken: []
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: 'https://backend.example.com/orders' }
    post:
      security:
        - OrdersToken: []
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: POST, uri: 'https://backend.example.com/orders' }
  /reports:
    get:
      security:
        - ReportsRequest: []
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: 'https://backend.example.com/reports' }
  /health:
    get:
      x-amazon-apigateway-integration: { type: mock }
components:
  securitySchemes:
    OrdersToken:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: ${LAMBDA('orders-token-authorizer')}
        authorizerResultTtlInSeconds: 300
        identityValidationExpression: ${JSON.stringify(regex)}
    ReportsRequest:
      type: apiKey
      name: Unused
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: request
        authorizerUri: ${LAMBDA('reports-request-authorizer')}
        authorizerResultTtlInSeconds: 300${sources}
`;
}

const CLEAN_SOURCES = 'method.request.header.X-Tenant-Id';
const clean = write('clean.yaml', exportText({ requestSources: CLEAN_SOURCES }));
const cleanConfig = write('clean.config.yaml', 'publicRoutes: ["GET /health"]\n');

type Row = [name: string, exportFile: string, configFile: string, rule: string, subject: string];
const rows: Row[] = [
  [
    'a validation regex that does not compile',
    write('bad-regex.yaml', exportText({ regex: '^Bearer [A-Za-z0-9._-+$', requestSources: CLEAN_SOURCES })),
    cleanConfig,
    'regex-invalid',
    'OrdersToken',
  ],
  [
    'a config naming an authorizer the API does not have',
    clean,
    write(
      'unknown-authorizer.config.yaml',
      'publicRoutes: ["GET /health"]\nauthorizers:\n  OrderToken:\n    validToken: allow-ci\n',
    ),
    'config-unknown-authorizer',
    'OrderToken',
  ],
  [
    'a config naming an identity source the authorizer does not have',
    clean,
    write(
      'unknown-source.config.yaml',
      'publicRoutes: ["GET /health"]\nauthorizers:\n  ReportsRequest:\n    validIdentity:\n      method.request.header.X-Tenant: acme\n',
    ),
    'config-unknown-identity-source',
    'ReportsRequest',
  ],
];

describe('doctor reads what generate refuses', () => {
  it.each(rows)(
    '%s: generate exits 2, doctor reports it and exits 1',
    async (_, file, config, rule, subject) => {
      const out = path.join(dir, `out-${rule}`);
      const generated = await cli('generate', '--export', file, '--config', config, '--out', out);
      expect(generated.code).toBe(2);
      expect(generated.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);

      const doctor = await cli('doctor', '--export', file, '--config', config, '--json');
      expect(doctor.code).toBe(1);
      const { findings } = JSON.parse(doctor.stdout) as { findings: { rule: string; subject: string }[] };
      expect(findings).toContainEqual(expect.objectContaining({ rule, subject, severity: 'error' }));
    },
  );

  it('a REQUEST authorizer with caching on and no identity sources: a finding, exit 1', async () => {
    const file = write('no-sources.yaml', exportText({ requestSources: '' }));
    const doctor = await cli('doctor', '--export', file, '--config', cleanConfig);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('ERROR ReportsRequest [request-cache-without-sources]');
  });

  it('a config naming a public route the API does not have: a finding, exit 1', async () => {
    const config = write('unknown-route.config.yaml', 'publicRoutes: ["GET /health", "GET /status"]\n');
    const doctor = await cli('doctor', '--export', clean, '--config', config);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('ERROR GET /status [config-unknown-route]');
  });

  it('the clean twin has no errors: exit 0', async () => {
    const doctor = await cli('doctor', '--export', clean, '--config', cleanConfig);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).not.toContain('ERROR');
  });
});

describe('doctor invokes the configured handler', () => {
  const handler = write(
    'orders-token.mjs',
    `// Returns a policy for exactly the method that was called: wrong while caching is on.
export const handler = async (event) => {
  console.log('token authorizer', JSON.stringify(event));
  if (event.authorizationToken !== 'allow-ci-token') throw new Error('Unauthorized');
  return {
    principalId: 'ci',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
  };
};
`,
  );
  const config = write(
    'handler.config.yaml',
    `publicRoutes: ["GET /health"]
authorizers:
  OrdersToken:
    handler: ./${path.basename(handler)}
    validToken: allow-ci-token
`,
  );

  it('proves the cache pitfall (exit 1) and keeps the handler logs off stdout', async () => {
    const doctor = await cli('doctor', '--export', clean, '--config', config, '--json');
    expect(doctor.code).toBe(1);
    const { findings } = JSON.parse(doctor.stdout) as { findings: { rule: string; message: string }[] };
    const finding = findings.find((f) => f.rule === 'lambda-cache-policy-uncovered');
    expect(finding?.message).toMatch(
      /for GET \/orders a policy that API Gateway caches .*POST \/orders \(403 implicit deny/,
    );
    expect(doctor.stderr).toContain('token authorizer');
    expect(doctor.stderr).toContain('arn:aws:execute-api:eu-west-1:210987654321:k7q2x9v4mb/live/POST/orders');
  });
});

// The same for the template sources (issue 8): a CloudFormation Authorizer resource, a SAM Auth block (read from
// the Body SAM writes), a Terraform aws_api_gateway_authorizer and a Terraform rest_api `body`.
const REPO = path.resolve(import.meta.dirname, '../..');

/** The example's TokenAuth pattern, and one with an unterminated group in its place. */
const GOOD = '^[a-z][a-z0-9-]{3,63}$';
const BAD = '^([a-z][a-z0-9-]{3,63}$';

/** A copy of a fixture of the example API whose TokenAuth regex does not compile. */
function badCopy(fixture: string, name: string): string {
  const text = readFileSync(path.join(REPO, fixture), 'utf8');
  expect(text).toContain(GOOD);
  const file = path.join(dir, name);
  writeFileSync(file, text.replaceAll(GOOD, BAD));
  return file;
}

describe('a validation regex that does not compile, per template source kind', () => {
  it.each([
    [
      'CloudFormation (Authorizer resource)',
      'test/fixtures/cloudformation/petstore-authz.yaml',
      'cfn.yaml',
      /IdentityValidationExpression/,
    ],
    [
      'SAM (Auth.Authorizers, read from the Body SAM writes)',
      'examples/petstore-authz.sam.yaml',
      'sam.yaml',
      /identityValidationExpression/,
    ],
    [
      'Terraform (aws_api_gateway_authorizer)',
      'test/fixtures/terraform/petstore-resources.plan.json',
      'tf-resources.json',
      /identity_validation_expression/,
    ],
    [
      'Terraform (the rest_api body)',
      'test/fixtures/terraform/petstore-body.plan.json',
      'tf-body.json',
      /identityValidationExpression/,
    ],
  ])('%s: generate refuses it (exit 2), doctor reports it (exit 1)', async (_, fixture, name, field) => {
    const file = badCopy(fixture, name);
    const out = path.join(dir, `out-${name}`);
    const generated = await cli('generate', file, '--out', out);
    expect(generated.code).toBe(2);
    const lines = generated.stderr
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('warning: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).toMatch(field);
    expect(lines[0]).toContain('is not a valid regular expression (Unterminated group)');
    expect(existsSync(out)).toBe(false);

    const doctor = await cli('doctor', file, '--json');
    expect(doctor.code).toBe(1);
    const { findings } = JSON.parse(doctor.stdout) as { findings: { rule: string; subject: string }[] };
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: 'regex-invalid', subject: 'TokenAuth', severity: 'error' }),
    );
  });
});
