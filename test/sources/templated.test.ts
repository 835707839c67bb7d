import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/api/generate.js';
import { isPlaceholder } from '../../src/model/parse.js';
import type { AuthModel } from '../../src/model/types.js';
import { loadExport, type ExportReadOptions } from '../../src/sources/openapi/export-file.js';

const dir = 'test/fixtures/exports/templated';
const CLEAN = path.join(dir, 'clean.yaml');

/** The model without what a template cannot know before deploy: the API's name, ids and URL, ARNs. */
function authorization(model: AuthModel) {
  return {
    routes: model.routes,
    authorizers: model.authorizers.map(({ lambdaUri, userPools, ...rest }) => ({
      ...rest,
      lambda: lambdaUri !== undefined,
      userPools: userPools.length,
    })),
    gatewayResponses: model.gatewayResponses,
    cors: model.cors,
  };
}

/** Every value that differs from the clean twin must be a named placeholder, never an invented value. */
function placeholdersOnly(model: AuthModel, clean: AuthModel): void {
  for (const authorizer of model.authorizers) {
    const twin = clean.authorizers.find((a) => a.name === authorizer.name);
    if (authorizer.lambdaUri !== twin?.lambdaUri) expect(authorizer.lambdaUri).toSatisfy(isPlaceholder);
    authorizer.userPools.forEach((pool, i) => {
      const cleanPool = twin?.userPools[i];
      for (const part of ['arn', 'region', 'accountId', 'userPoolId'] as const) {
        if (pool[part] !== cleanPool?.[part]) expect(pool[part]).toSatisfy(isPlaceholder);
      }
    });
  }
  expect(model.api.name).not.toMatch(/[${}]/);
}

const AUTHORIZER_URI = '/x-amazon-apigateway-authorizer/authorizerUri';

/**
 * One row per way a real file differs from `get-export` output: the file, the read options, whether the whole
 * model equals the clean twin's (no template values), and the warnings (each once, naming the field).
 */
const rows: Array<[file: string, options: ExportReadOptions, exact: boolean, warnings: RegExp[]]> = [
  [
    'intrinsics.yaml',
    {},
    false,
    [
      new RegExp(
        `^${dir}/intrinsics\\.yaml #/components/securitySchemes/TokenAuth${AUTHORIZER_URI}: authorizerUri is a ` +
          'template value \\(Fn::Join "arn:aws:apigateway:\\$\\{AWS::Region\\}:lambda:path/2015-03-31/functions/' +
          '\\$\\{TokenAuthorizerFunction\\.Arn\\}/invocations"\\): kept with named placeholders; .*\\(and 1 more like it\\)\\.$',
      ),
      /#\/components\/securitySchemes\/CognitoAuth\/x-amazon-apigateway-authorizer\/providerARNs\/0: providerARNs is a template value \(Fn::Select "\$\{ImportValue:SharedStack-UserPoolArn\}"\): kept as a placeholder user pool; the config can name it/,
      /#\/servers\/0\/url: the API's URL is a template value \(Fn::Sub "https:\/\/\$\{OrdersApi\}\.execute-api\.\$\{AWS::Region\}\.amazonaws\.com\/\$\{Stage\}"\), unknown before deploy: assumed https:\/\/example\.execute-api\.us-east-1\.amazonaws\.com\/prod; set baseUrl in the config\.$/,
      /#\/info\/title: the API name is a template value \(Fn::Sub "orders-api-\$\{Stage\}"\): named "orders-api" after its literal parts\.$/,
    ],
  ],
  [
    'placeholders.json',
    {},
    false,
    [
      /#\/securityDefinitions\/TokenAuth\/x-amazon-apigateway-authorizer\/authorizerUri: authorizerUri is a template value \("\$\{token_authorizer_invoke_arn\}"\).*\(and 1 more like it\)\.$/,
      /#\/securityDefinitions\/CognitoAuth\/x-amazon-apigateway-authorizer\/providerARNs\/0: providerARNs is a template value \("arn:aws:cognito-idp:\$\{aws_region\}:\$\{account_id\}:userpool\/\$\{user_pool_id\}"\)/,
      /#\/host: the API's URL is a template value \("\$\{api_id\}\.execute-api\.\$\{aws_region\}\.amazonaws\.com\/\$\{stage\}"\)/,
      /#\/info\/title: the API name is a template value \("\$\{api_name\}"\): named "api" after its literal parts\.$/,
    ],
  ],
  [
    // The caller's region and account fill `${AWS::Region}` / `Ref AWS::Region`: fewer unknowns, same routes.
    'intrinsics.yaml',
    { region: 'eu-west-1', account: '210987654321' },
    false,
    [
      /TokenAuth\/x-amazon-apigateway-authorizer\/authorizerUri: authorizerUri is a template value \(Fn::Join "arn:aws:apigateway:eu-west-1:lambda:path\/2015-03-31\/functions\/\$\{TokenAuthorizerFunction\.Arn\}\/invocations"\)/,
      /providerARNs\/0: providerARNs is a template value/,
      /#\/servers\/0\/url: the API's URL is a template value \(Fn::Sub "https:\/\/\$\{OrdersApi\}\.execute-api\.eu-west-1\.amazonaws\.com\/\$\{Stage\}"\)/,
      /#\/info\/title: /,
    ],
  ],
  [
    'identity-source-empty.yaml',
    {},
    true,
    [
      /#\/components\/securitySchemes\/TokenAuth\/x-amazon-apigateway-authorizer\/identitySource: identitySource is empty: read as absent, so the token header is the scheme's name \(Authorization\) \(and 1 more like it\)\.$/,
    ],
  ],
  [
    'paths-without-slash.yaml',
    {},
    true,
    [/#\/paths\/health: the path has no leading "\/": read as "\/health" \(and 2 more like it\)\.$/],
  ],
  [
    'security-definitions.yaml',
    {},
    true,
    [
      /#\/securityDefinitions: an OpenAPI 3 file with Swagger 2 securityDefinitions: read them as components\.securitySchemes/,
    ],
  ],
  [
    'sam-none.yaml',
    {},
    true,
    [
      /#\/paths\/~1health\/get\/security\/0\/NONE: security names NONE, which no security scheme defines: read as "no authorization"/,
    ],
  ],
  [
    'root-security.yaml',
    {},
    true,
    [
      /^test\/fixtures\/exports\/templated\/root-security\.yaml #\/security: 1 route inherits the root-level security \(CognitoAuth\); an operation's `security: \[\]` opts out\.$/,
    ],
  ],
];

describe('template-style OpenAPI files give the routes and authorizers of their clean twin', () => {
  let clean: AuthModel;
  beforeAll(async () => {
    const read = await loadExport(CLEAN);
    expect(read.warnings).toEqual([]);
    clean = read.model;
  });

  it.each(rows)('%s %j', async (file, options, exact, warnings) => {
    const read = await loadExport(path.join(dir, file), options);
    expect(authorization(read.model)).toEqual(authorization(clean));
    if (exact) expect(read.model).toEqual(clean);
    else placeholdersOnly(read.model, clean);
    expect(read.warnings).toHaveLength(warnings.length);
    read.warnings.forEach((warning, i) => expect(warning).toMatch(warnings[i] as RegExp));
  });

  it('keeps the known parts of a templated user pool ARN and names the unknown ones', async () => {
    const { model } = await loadExport(path.join(dir, 'placeholders.json'));
    expect(model.authorizers.find((a) => a.name === 'CognitoAuth')?.userPools).toEqual([
      {
        arn: 'arn:aws:cognito-idp:${aws_region}:${account_id}:userpool/${user_pool_id}',
        region: '${aws_region}',
        accountId: '${account_id}',
        userPoolId: '${user_pool_id}',
      },
    ]);
  });
});

describe('generate from template-style files', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'apigw-authz-templated-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const run = (file: string, configFile?: string) =>
    generate({ source: { exportFile: path.join(dir, file) }, configFile, outDir: work, cwd: process.cwd() });

  it.each(rows.filter(([, , exact]) => exact).map(([file]) => file))(
    '%s: the same collection as the clean twin, byte for byte',
    async (file) => {
      const [templated, twin] = await Promise.all([run(file), run('clean.yaml')]);
      expect(templated.files.map((f) => f.content)).toEqual(twin.files.map((f) => f.content));
      expect(templated.summary.warnings.length).toBeGreaterThan(0);
    },
  );

  it('a templated title never reaches a file name: the literal parts, else "api"', async () => {
    const [intrinsics, placeholders] = await Promise.all([run('intrinsics.yaml'), run('placeholders.json')]);
    expect(intrinsics.files.map((f) => path.basename(f.path))).toEqual([
      'orders-api.postman_collection.json',
      'orders-api.postman_environment.json',
    ]);
    expect(placeholders.files.map((f) => path.basename(f.path))).toEqual([
      'api.postman_collection.json',
      'api.postman_environment.json',
    ]);
    const collection = JSON.parse(placeholders.files[0]?.content ?? '{}') as { info: { name: string } };
    expect(collection.info.name).not.toMatch(/[${}]|fn-sub/i);
    // The summary carries the reader's warnings, and the note about the unknown user pool.
    expect(placeholders.summary.warnings.join('\n')).toMatch(/info\/title/);
    expect(placeholders.summary.warnings.join('\n')).toMatch(
      /user pool of Cognito authorizer "CognitoAuth" is a template value .* Set authorizers\.CognitoAuth\.cognito\.userPoolId and \.region/,
    );
  });

  it('the config supplies a templated user pool: the same suite as the clean twin', async () => {
    const config = path.join(work, 'templated.config.yaml');
    await writeFile(
      config,
      [
        'baseUrl: https://k3x9q2w7z1.execute-api.eu-west-1.amazonaws.com/prod',
        'authorizers:',
        '  CognitoAuth:',
        '    cognito:',
        '      userPoolId: eu-west-1_Orders01',
        '      region: eu-west-1',
        '',
      ].join('\n'),
    );
    const [templated, twin] = await Promise.all([run('intrinsics.yaml', config), run('clean.yaml', config)]);
    const pools = templated.plan.model.authorizers.find((a) => a.name === 'CognitoAuth')?.userPools;
    expect(pools?.map((p) => [p.region, p.userPoolId])).toEqual([['eu-west-1', 'eu-west-1_Orders01']]);
    expect(templated.summary.warnings.join('\n')).not.toMatch(/user pool of Cognito authorizer/);
    expect(templated.files.map((f) => f.content)).toEqual(twin.files.map((f) => f.content));
  });
});
