/**
 * Config mistakes as doctor findings (issue 9 part 5): a handler that exports nothing usable, a stage variable no
 * entry sets, a credential header the authorizer does not read, a CORS preflight that omits the token header.
 * Each has a clean twin that gives no finding, so the rule cannot pass by always firing.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, readSourceDeclarations, type Finding } from '../../src/doctor/index.js';
import type { AuthModel } from '../../src/model/types.js';
import { runCli } from '../cli/cli-helpers.js';
import * as builders from '../support/models.js';

const token = builders.tokenAuthorizer('TokenAuth', {
  identitySources: [builders.headerSource('X-Auth-Token')],
  ttlSeconds: 0,
});
const cognito = builders.cognitoAuthorizer('CognitoAuth', ['us-east-1_Pool1']);

function apiModel(extra: Partial<AuthModel> = {}): AuthModel {
  return builders.model({
    authorizers: [cognito, token],
    routes: [
      builders.route('GET', '/health'),
      builders.route('OPTIONS', '/orders'),
      builders.route('GET', '/orders', 'TokenAuth'),
      builders.route('GET', '/pets', 'CognitoAuth'),
    ],
    ...extra,
  });
}
const config = builders.config({}, { publicRoutes: ['GET /health'] });

/** An OpenAPI document with the given required headers on GET /orders and Allow-Headers on OPTIONS /orders. */
function openApi(requiredHeaders: string[], allowHeaders?: string): unknown {
  return {
    openapi: '3.0.1',
    paths: {
      '/orders': {
        get: {
          parameters: requiredHeaders.map((name) => ({ name, in: 'header', required: true })),
        },
        ...(allowHeaders === undefined
          ? {}
          : {
              options: {
                'x-amazon-apigateway-integration': {
                  type: 'mock',
                  responses: {
                    default: {
                      responseParameters: {
                        'method.response.header.Access-Control-Allow-Headers': `'${allowHeaders}'`,
                      },
                    },
                  },
                },
              },
            }),
      },
    },
  };
}

function findings(model: AuthModel, document: unknown): Finding[] {
  return diagnose(model, config, { declarations: readSourceDeclarations(document) });
}
const rules = (list: Finding[]): string[] => list.map((finding) => `${finding.rule} ${finding.subject}`);

describe('a required header that looks like a credential but is not the token source', () => {
  it('Authorization declared on a route whose TOKEN authorizer reads X-Auth-Token: a warning naming both', () => {
    const list = findings(apiModel(), openApi(['Authorization']));
    expect(rules(list)).toEqual(['credential-header-mismatch GET /orders']);
    expect(list[0]?.severity).toBe('warning');
    expect(list[0]?.message).toContain('declares the required header Authorization');
    expect(list[0]?.message).toContain('reads the token from X-Auth-Token');
    expect(list[0]?.fix).toContain('Declare X-Auth-Token instead of Authorization');
  });

  it.each([['X-Auth-Token'], ['x-auth-token'], ['Content-Type'], ['X-Request-Id']])(
    'the token source itself, or a header that is no credential (%s): no finding',
    (header) => {
      expect(findings(apiModel(), openApi([header]))).toEqual([]);
    },
  );

  it('an optional credential-like header is not declared required: no finding', () => {
    const document = openApi([]) as { paths: { '/orders': { get: { parameters: unknown[] } } } };
    document.paths['/orders'].get.parameters = [{ name: 'Authorization', in: 'header', required: false }];
    expect(findings(apiModel(), document)).toEqual([]);
  });
});

describe('CORS Access-Control-Allow-Headers', () => {
  it('a preflight that omits the token source: a warning on the OPTIONS route', () => {
    const list = findings(apiModel(), openApi([], 'Content-Type,Authorization'));
    expect(rules(list)).toEqual(['cors-allow-headers-missing OPTIONS /orders']);
    expect(list[0]?.message).toContain('omits X-Auth-Token');
    expect(list[0]?.fix).toContain('Add X-Auth-Token to method.response.header.Access-Control-Allow-Headers');
  });

  it('a preflight listing it (any case): no finding', () => {
    expect(findings(apiModel(), openApi([], 'Content-Type,x-auth-token'))).toEqual([]);
  });

  it('"*" covers X-Auth-Token but never Authorization (Fetch standard)', () => {
    expect(findings(apiModel(), openApi([], '*'))).toEqual([]);
    const cognitoOrders = apiModel({
      routes: [
        builders.route('GET', '/health'),
        builders.route('GET', '/orders', 'CognitoAuth'),
        builders.route('GET', '/pets', 'CognitoAuth'),
      ],
    });
    expect(rules(findings(cognitoOrders, openApi([], '*')))).toEqual([
      'cors-allow-headers-missing OPTIONS /orders',
    ]);
  });

  it('a gateway response whose Allow-Headers omits an authorizer header: a warning on the response type', () => {
    const withResponse = (value: string): AuthModel =>
      apiModel({
        gatewayResponses: [
          { type: 'DEFAULT_4XX', headers: [{ name: 'Access-Control-Allow-Headers', value }], templates: {} },
        ],
      });
    const list = diagnose(withResponse('Content-Type,X-Auth-Token'), config);
    expect(rules(list)).toEqual(['cors-allow-headers-missing DEFAULT_4XX']);
    expect(list[0]?.message).toContain('omits Authorization');
    expect(diagnose(withResponse('Content-Type,X-Auth-Token,Authorization'), config)).toEqual([]);
  });
});

describe('declarations are read from templates too', () => {
  it('a SAM DefinitionBody gives the same required headers as the export', () => {
    const body = openApi(['Authorization'], 'Content-Type');
    const template = {
      Resources: { Api: { Type: 'AWS::Serverless::Api', Properties: { DefinitionBody: body } } },
    };
    const fromTemplate = readSourceDeclarations(template);
    expect(fromTemplate.requiredHeaders.get('GET /orders')).toEqual(['Authorization']);
    expect(fromTemplate.preflightAllowHeaders.get('/orders')).toEqual(['Content-Type']);
    expect(readSourceDeclarations(body)).toEqual(fromTemplate);
  });
});

describe('doctor on files (CLI)', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'apigw-authz-doctor-config-'));
  });
  afterAll(async () => rm(work, { recursive: true, force: true }));

  const exportText = (header: string, allow: string, stageVariable = false): string => `openapi: 3.0.1
info: { title: orders, version: '1' }
servers:
  - url: https://abc123defg.execute-api.us-east-1.amazonaws.com/{basePath}
    variables: { basePath: { default: prod } }
paths:
  /orders:
    get:
      parameters:
        - { name: ${header}, in: header, required: true, schema: { type: string } }
      security:
        - OrdersToken: []
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: 'https://backend.example.com/orders' }
    options:
      x-amazon-apigateway-integration:
        type: mock
        responses:
          default:
            responseParameters:
              method.response.header.Access-Control-Allow-Headers: "'${allow}'"
              method.response.header.Access-Control-Allow-Origin: "'*'"
${
  stageVariable
    ? `  /reports:
    get:
      security:
        - ReportsRequest: []
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: 'https://backend.example.com/reports' }
`
    : ''
}x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX:
    responseParameters:
      gatewayresponse.header.Access-Control-Allow-Origin: "'*'"
components:
  securitySchemes:
    OrdersToken:
      type: apiKey
      name: X-Auth-Token
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:t/invocations
        authorizerResultTtlInSeconds: 0
${
  stageVariable
    ? `    ReportsRequest:
      type: apiKey
      name: Unused
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: request
        identitySource: method.request.header.X-Tenant-Id, stageVariables.authStage
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:r/invocations
        authorizerResultTtlInSeconds: 0
`
    : ''
}`;

  async function doctor(
    exportBody: string,
    configBody: string,
    ...extra: string[]
  ): Promise<{ code: number; findings: Finding[]; stderr: string }> {
    const exportFile = path.join(work, `export-${Math.random().toString(36).slice(2)}.yaml`);
    const configFile = path.join(work, `config-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(exportFile, exportBody);
    await writeFile(configFile, configBody);
    const result = await runCli(['doctor', exportFile, '--config', configFile, '--json', ...extra]);
    const parsed = result.stdout ? (JSON.parse(result.stdout) as { findings: Finding[] }) : { findings: [] };
    return { code: result.code, findings: parsed.findings, stderr: result.stderr };
  }

  it('the clean export has no findings', async () => {
    const result = await doctor(exportText('X-Auth-Token', 'Content-Type,X-Auth-Token'), '');
    expect(result).toEqual({ code: 0, findings: [], stderr: '' });
  });

  it('a header mismatch and a preflight without the token source, read from the export file', async () => {
    const result = await doctor(exportText('Authorization', 'Content-Type,Authorization'), '');
    expect(result.code).toBe(0); // warnings only
    expect(rules(result.findings)).toEqual([
      'credential-header-mismatch GET /orders',
      'cors-allow-headers-missing OPTIONS /orders',
    ]);
  });

  it('a handler that exports no handler function: an error finding, exit 1', async () => {
    await writeFile(path.join(work, 'no-export.mjs'), 'export const authorize = async () => ({});\n');
    const result = await doctor(
      exportText('X-Auth-Token', 'X-Auth-Token'),
      'authorizers:\n  OrdersToken:\n    handler: ./no-export.mjs\n',
    );
    expect(result.code).toBe(1);
    expect(rules(result.findings)).toEqual(['config-handler-invalid OrdersToken']);
    expect(result.findings[0]?.message).toContain('exports no handler function');
  });

  it('a handler file that does not exist: exit 2, one line with the file, key and fix', async () => {
    const result = await doctor(
      exportText('X-Auth-Token', 'X-Auth-Token'),
      'authorizers:\n  OrdersToken:\n    handler: ./missing.mjs\n',
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /config-.*\.yaml: authorizers\.OrdersToken\.handler \(line 3.*does not exist\. Fix: /,
    );
  });

  it('a stage variable that an identity source reads but no entry sets: a warning; set, none', async () => {
    const body = exportText('X-Auth-Token', 'X-Auth-Token', true);
    const unset = await doctor(body, '');
    expect(rules(unset.findings)).toEqual(['config-unset-stage-variable ReportsRequest']);
    const set = await doctor(body, 'stageVariables:\n  authStage: prod-auth\n');
    expect(set.findings).toEqual([]);
  });
});
