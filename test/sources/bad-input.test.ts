import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InputNotFoundError,
  InputUnreadableError,
  InvalidExportError,
  InvalidJsonError,
  InvalidYamlError,
  UnsupportedAuthorizerError,
  type ApigwAuthzError,
} from '../../src/errors.js';
import { loadExportFile } from '../../src/sources/openapi/export-file.js';
import { runCli } from '../cli/cli-helpers.js';

const dir = 'test/fixtures/bad-input';

type ErrorClass = abstract new (...args: never[]) => ApigwAuthzError;

/** Each bad input: the error class, where it must point, and words the message must contain. */
const cases: Array<[file: string, errorClass: ErrorClass, location: RegExp, message: RegExp]> = [
  ['truncated.json', InvalidJsonError, /^line \d+, column \d+$/, /Invalid JSON: unexpected end of input/],
  ['invalid.yaml', InvalidYamlError, /^line 10, column \d+$/, /Invalid YAML/],
  [
    'not-openapi.json',
    InvalidExportError,
    /^#\/openapi \(line 1, column 1\)$/,
    /Not an OpenAPI 3 or Swagger 2\.0/,
  ],
  ['no-extensions.yaml', InvalidExportError, /^# \(line 2, column 1\)$/, /No API Gateway extensions/],
  [
    'unknown-authorizer-type.yaml',
    UnsupportedAuthorizerError,
    /^#\/components\/securitySchemes\/TokenAuth\/x-amazon-apigateway-authorizer\/type \(line 21, column 15\)$/,
    /^Unknown authorizer type "jwtx"\. Expected one of: token, request, cognito_user_pools, jwt\.$/,
  ],
  [
    'invalid-regex.yaml',
    InvalidExportError,
    /^#\/components\/securitySchemes\/TokenAuth\/x-amazon-apigateway-authorizer\/identityValidationExpression \(line 23, column 39\)$/,
    /identityValidationExpression "\^\[a-z\(\+\$" is not a valid regular expression/,
  ],
  [
    'missing-scheme.yaml',
    InvalidExportError,
    /^#\/paths\/~1orders\/get\/security\/0\/OrdersAuth \(line 9, column 23\)$/,
    /Security scheme "OrdersAuth" is not defined in #\/components\/securitySchemes\./,
  ],
  ['empty.yaml', InvalidExportError, /^line 1, column 1$/, /The export file is empty\./],
  // HTTP API exports (issue 10)
  [
    'jwt-without-issuer.yaml',
    InvalidExportError,
    /^#\/components\/securitySchemes\/CognitoJwt\/x-amazon-apigateway-authorizer\/jwtConfiguration\/issuer \(line 33, column 11\)$/,
    /^A JWT authorizer needs an issuer URL\.$/,
  ],
  [
    'jwt-audience-not-a-list.yaml',
    InvalidExportError,
    /^#\/components\/securitySchemes\/CognitoJwt\/x-amazon-apigateway-authorizer\/jwtConfiguration\/audience \(line 33, column 21\)$/,
    /^Audience must be a list of strings, not "4e2x8mple5cl1ent6id7abc890"\.$/,
  ],
  [
    'unknown-payload-format.yaml',
    InvalidExportError,
    /^#\/components\/securitySchemes\/LambdaAuth\/x-amazon-apigateway-authorizer\/authorizerPayloadFormatVersion \(line 34, column 41\)$/,
    /^Unknown payload format version "3\.0"\.$/,
  ],
  [
    'route-key-does-not-parse.yaml',
    InvalidExportError,
    /^#\/paths\/orders~1\{orderId\} \(line 13, column 5\)$/,
    /^Route key "GET orders\/\{orderId\}" does not parse: the path "orders\/\{orderId\}" does not start with "\/"\.$/,
  ],
  [
    'alias-bomb.yaml',
    InvalidYamlError,
    /^line 8, column 12$/,
    /^Invalid YAML: its aliases expand past 100 nodes \(an alias bomb, "billion laughs"\)\.$/,
  ],
];

describe('bad export files', () => {
  it.each(cases)('%s -> %o', async (name, errorClass, location, message) => {
    const file = join(dir, name);
    const err = await loadExportFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(errorClass);
    const error = err as ApigwAuthzError;
    expect(error.file).toBe(file);
    expect(error.location).toMatch(location);
    expect(error.message).toMatch(message);
    expect(error.fix).toBeTruthy();
    const line = error.toLine();
    expect(line).not.toContain('\n');
    expect(line.startsWith(`${file}: ${error.location}: `)).toBe(true);
  });

  it('the truncated JSON error points at the end of the text', async () => {
    const err = (await loadExportFile(join(dir, 'truncated.json')).catch(
      (e: unknown) => e,
    )) as ApigwAuthzError;
    // 700 bytes cut from a pretty-printed file: the last line of the fixture, just past its last character.
    expect(err.location).toBe('line 29, column 10');
  });
});

describe('export file paths', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'apigw-authz-export-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('a missing file is InputNotFoundError with a fix', async () => {
    const file = join(tmp, 'nope.yaml');
    const err = (await loadExportFile(file).catch((e: unknown) => e)) as ApigwAuthzError;
    expect(err).toBeInstanceOf(InputNotFoundError);
    expect(err.message).toContain(file);
    expect(err.fix).toContain('aws apigateway get-export');
  });

  it('a directory is InputUnreadableError', async () => {
    const err = (await loadExportFile(tmp).catch((e: unknown) => e)) as ApigwAuthzError;
    expect(err).toBeInstanceOf(InputUnreadableError);
    expect(err.message).toBe(`${tmp} is a directory, expected an export file.`);
  });
});

/** A valid export with one Latin-1 byte (0xE9, "é") in its title: a file saved in the wrong encoding. */
function latin1Export(): Buffer {
  const text = [
    'openapi: 3.0.1',
    'info:',
    '  title: Caf\u00e9 orders', // written below as the single byte 0xE9
    'paths:',
    '  /orders:',
    '    get:',
    '      x-amazon-apigateway-integration: { type: mock }',
    '',
  ].join('\n');
  return Buffer.from(text, 'latin1');
}

describe('bytes that are not UTF-8', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'apigw-authz-latin1-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('are refused with their byte offset, never replaced (small and large files)', async () => {
    const small = join(tmp, 'latin1.yaml');
    await writeFile(small, latin1Export());
    const err = (await loadExportFile(small).catch((e: unknown) => e)) as ApigwAuthzError;
    expect(err).toBeInstanceOf(InputUnreadableError);
    expect(err.location).toBe('byte offset 33 (line 3, column 13)');
    expect(err.message).toMatch(/^Not UTF-8 text: byte 0xE9 at byte offset 33/);

    // A large JSON export is streamed: the same refusal, at the same exact offset.
    const large = join(tmp, 'large.json');
    const padding = 'x'.repeat(5 * 1024 * 1024);
    await writeFile(
      large,
      Buffer.concat([
        Buffer.from(`{"openapi":"3.0.1","info":{"title":"Caf`),
        Buffer.from([0xe9]),
        Buffer.from(`","description":"${padding}"}}`),
      ]),
    );
    const largeErr = (await loadExportFile(large).catch((e: unknown) => e)) as ApigwAuthzError;
    expect(largeErr).toBeInstanceOf(InputUnreadableError);
    expect(largeErr.location).toBe('byte offset 39 (line 1, column 40)');
  });
});

/** The CLI contract for bad input: exit 2, one line naming the file and the place, nothing on stdout or disk. */
describe('generate with bad bytes (CLI)', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'apigw-authz-bad-cli-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it.each<[name: string, file: () => Promise<string>, line: RegExp]>([
    [
      'an alias bomb',
      () => Promise.resolve(join(dir, 'alias-bomb.yaml')),
      /^apigw-authz: test\/fixtures\/bad-input\/alias-bomb\.yaml: line 8, column 12: Invalid YAML: its aliases expand past 100 nodes/,
    ],
    [
      'a file that is not UTF-8',
      async () => {
        const file = join(tmp, 'latin1.yaml');
        await writeFile(file, latin1Export());
        return file;
      },
      /latin1\.yaml: byte offset 33 \(line 3, column 13\): Not UTF-8 text: byte 0xE9 .* Fix: Save the file as UTF-8/,
    ],
  ])('%s: exit 2, one line, quickly, nothing written', async (_, file, line) => {
    const input = await file();
    const out = join(tmp, `out-${_.replace(/\W+/g, '-')}`);
    const started = Date.now();
    const result = await runCli(['generate', '--export', input, '--out', out]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(result.stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

/** Issue 8 point 9, CloudFormation, CDK and `--api` (H5a): exit 2, one line naming the file, the place and the fix. */
describe('infrastructure-as-code sources (CLI)', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'apigw-authz-bad-iac-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const bad = 'test/fixtures/cloudformation/bad';
  it.each<[name: string, args: string[], line: string]>([
    [
      'a template with no API Gateway',
      [`${bad}/no-api.yaml`],
      `${bad}/no-api.yaml: #/Resources: No API Gateway API in this template: expected an AWS::ApiGateway::RestApi, AWS::Serverless::Api, AWS::ApiGatewayV2::Api (HTTP) or AWS::Serverless::HttpApi resource. Fix: Pass the template that defines the API (for CDK, the cdk.out folder; for Serverless, .serverless/).`,
    ],
    [
      'a circular DependsOn chain',
      [`${bad}/circular-dependson.yaml`],
      `${bad}/circular-dependson.yaml: #/Resources/Deployment: Circular dependency between resources: Deployment -> Stage -> Deployment. Fix: Remove one of the Ref, Fn::GetAtt, Fn::Sub or DependsOn links in the chain.`,
    ],
    [
      'a circular Ref chain',
      [`${bad}/circular-ref.yaml`],
      `${bad}/circular-ref.yaml: #/Resources/PetId: Circular dependency between resources: PetId -> Pets -> PetId. Fix: Remove one of the Ref, Fn::GetAtt, Fn::Sub or DependsOn links in the chain.`,
    ],
    [
      'an unknown YAML tag',
      [`${bad}/unknown-tag.yaml`],
      `${bad}/unknown-tag.yaml: line 12, column 17: Unknown YAML tag !GetAttribute: not a CloudFormation intrinsic function. Fix: Use one of !Ref !Condition !Sub !GetAtt !Join !If !Select !Split !FindInMap !ImportValue !Base64 !Cidr !GetAZs !Equals !And !Or !Not !Transform !Length !ToJsonString, or the long form {"Fn::Name": ...}.`,
    ],
    [
      'a cdk.out without manifest.json',
      ['test/fixtures/cdk/no-manifest.cdk.out'],
      'test/fixtures/cdk/no-manifest.cdk.out: manifest.json: This cdk.out folder has no manifest.json, so its stacks are unknown. Fix: Run `cdk synth` again (it writes manifest.json) and pass the cdk.out folder.',
    ],
    [
      '--api naming nothing',
      ['test/fixtures/cloudformation/petstore-authz.yaml', '--api', 'Orders'],
      'test/fixtures/cloudformation/petstore-authz.yaml: #/Resources: --api Orders names no REST API in this source. Candidates: PetstoreApi (petstore-authz). Fix: Pass one of the candidates to --api (a path is unique).',
    ],
  ])('%s: exit 2, one line, nothing written', async (name, args, line) => {
    const out = join(tmp, name.replace(/\W+/g, '-'));
    const result = await runCli(['generate', ...args, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([`apigw-authz: ${line}`]);
    expect(result.stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});
