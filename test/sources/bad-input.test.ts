import { mkdtemp, rm } from 'node:fs/promises';
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
    /^Unknown authorizer type "jwtx"\. Expected one of: token, request, cognito_user_pools\.$/,
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
