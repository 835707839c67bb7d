/**
 * The symbolic evaluator: what is known offline resolves, what is not becomes a named placeholder with one warning
 * naming the JSON pointer. Table-driven: input, expected value, expected warnings.
 */
import { describe, expect, it } from 'vitest';
import { InvalidTemplateError } from '../../../src/errors.js';
import {
  NO_VALUE,
  evaluate,
  evaluateCondition,
  referencedIds,
  type EvalContext,
} from '../../../src/sources/cloudformation/intrinsics.js';
import { parseTemplateText } from '../../../src/sources/cloudformation/template-text.js';

function context(overrides: Partial<EvalContext> = {}): EvalContext & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    parameters: { Stage: 'prod', Subnets: ['subnet-a', 'subnet-b'], Env: 'prod' },
    declaredParameters: new Set(['Stage', 'Subnets', 'Env', 'NoDefault']),
    conditions: { IsProd: true, IsDev: false, Unknown: undefined },
    resources: { Api: {}, Fn: {}, Child: {} },
    mappings: { Regions: { 'us-east-1': { Ami: 'ami-1' } }, Cache: { prod: { Ttl: '300' } } },
    file: 't.yaml',
    warned: new Set(),
    warn: (message) => warnings.push(message),
    warnings,
    ...overrides,
  };
}

/** YAML with short tags, evaluated at `#/Value`. */
function run(yaml: string, ctx = context()): { value: unknown; warnings: string[] } {
  const data = parseTemplateText(`Value: ${yaml}\n`, 't.yaml').data as { Value: unknown };
  return { value: evaluate(data.Value, ctx, '#/Value'), warnings: ctx.warnings };
}

const cases: Array<[name: string, yaml: string, value: unknown, warnings: RegExp[]]> = [
  ['Ref to a parameter with a default', '!Ref Stage', 'prod', []],
  [
    'Ref to a resource: its placeholder',
    '!Ref Api',
    '${Api}',
    [/#\/Value\/Ref: kept \$\{Api\} .*the id of the resource Api/],
  ],
  [
    'Ref to a parameter without a value',
    '!Ref NoDefault',
    '${NoDefault}',
    [/pass --parameter NoDefault=VALUE/],
  ],
  ['Ref AWS::Region without --region', '!Ref AWS::Region', '${AWS::Region}', [/pass --region/]],
  ['Ref AWS::NoValue', '!Ref AWS::NoValue', NO_VALUE, []],
  ['GetAtt dotted', '!GetAtt Fn.Arn', '${Fn.Arn}', [/#\/Value\/Fn::GetAtt: kept \$\{Fn\.Arn\}/]],
  [
    'GetAtt splits at the first dot',
    '!GetAtt Child.Outputs.PoolArn',
    '${Child.Outputs.PoolArn}',
    [/attribute Outputs\.PoolArn of Child/],
  ],
  ['GetAtt list form', '!GetAtt [Api, RootResourceId]', '${Api.RootResourceId}', [/RootResourceId/]],
  ['Sub with a parameter', "!Sub 'api-${Stage}'", 'api-prod', []],
  [
    'Sub keeps unknowns as placeholders',
    '!Sub arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*',
    'arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*',
    [/\$\{AWS::Region\}/, /\$\{AWS::AccountId\}/, /\$\{Api\}/],
  ],
  ['Sub list form with variables', "!Sub ['${Name}-${Stage}', {Name: !Ref Env}]", 'prod-prod', []],
  ['Sub escape ${!Literal}', "!Sub 'x-${!Literal}'", 'x-${Literal}', []],
  ['Join', "!Join ['-', [a, !Ref Stage, 1]]", 'a-prod-1', []],
  ['Join of a list parameter', "!Join [',', !Ref Subnets]", 'subnet-a,subnet-b', []],
  ['Select from a list', '!Select [1, !Ref Subnets]', 'subnet-b', []],
  ['Select from Split', "!Select [2, !Split ['/', 'a/b/c']]", 'c', []],
  [
    'Select from the Split of an ARN known only after deploy (CDK writes this)',
    "!Select [3, !Split [':', !GetAtt Fn.Arn]]",
    '${Fn.Arn[3]}',
    [/kept \$\{Fn\.Arn\}/],
  ],
  [
    'the Split of a partly unknown string is an unknown list',
    "!Select [1, !Split [':', !Sub 'arn:${AWS::Partition}:x']]",
    '${Select:1:arn:${AWS::Partition}:x}',
    [/\$\{AWS::Partition\}/],
  ],
  ['If on a true condition', '!If [IsProd, yes-prod, no]', 'yes-prod', []],
  ['If on a false condition', '!If [IsDev, dev, !Ref AWS::NoValue]', NO_VALUE, []],
  ['If on an unknown condition', '!If [Unknown, a, b]', '${If:Unknown}', [/condition Unknown/]],
  ['FindInMap', '!FindInMap [Cache, !Ref Env, Ttl]', '300', []],
  [
    'FindInMap with an unknown key',
    '!FindInMap [Regions, !Ref AWS::Region, Ami]',
    '${FindInMap:Regions:${AWS::Region}:Ami}',
    [/AWS::Region/, /mapping entry chosen by an unknown key/],
  ],
  [
    'ImportValue',
    '!ImportValue shared-pool-arn',
    '${ImportValue:shared-pool-arn}',
    [/an export of another stack/],
  ],
  ['Base64 of a known string', '!Base64 hi', 'aGk=', []],
  ['GetAZs', "!GetAZs ''", '${GetAZs}', [/availability zones/]],
  ['nested: list drops NoValue', '[a, !Ref AWS::NoValue, !If [IsProd, b, c]]', ['a', 'b'], []],
];

describe('evaluate', () => {
  it.each(cases)('%s', (_name, yaml, value, warnings) => {
    const result = run(yaml);
    expect(result.value).toEqual(value);
    expect(result.warnings).toHaveLength(warnings.length);
    warnings.forEach((pattern, i) => {
      expect(result.warnings[i]).toMatch(pattern);
      expect(result.warnings[i]).toMatch(/^t\.yaml: #\/Value/);
    });
  });

  it('with --region and --account, pseudo parameters resolve and the partition follows the region', () => {
    const ctx = context({ region: 'cn-north-1', account: '123456789012' });
    expect(
      run('!Sub arn:${AWS::Partition}:s3:::${AWS::Region}-${AWS::AccountId}.${AWS::URLSuffix}', ctx),
    ).toEqual({
      value: 'arn:aws-cn:s3:::cn-north-1-123456789012.amazonaws.com.cn',
      warnings: [],
    });
  });

  it('warns once per placeholder, not at every use', () => {
    const ctx = context();
    run('[!Ref Api, !Sub "${Api}/x", !Ref Api]', ctx);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('a nested stack output comes from the getAtt hook', () => {
    const ctx = context({
      getAtt: (id, attr) => (id === 'Child' && attr === 'Outputs.PoolArn' ? 'arn:pool' : undefined),
    });
    expect(run('!GetAtt Child.Outputs.PoolArn', ctx).value).toBe('arn:pool');
    expect(run('!Sub "${Child.Outputs.PoolArn}/x"', ctx).value).toBe('arn:pool/x');
  });

  it.each([
    [
      'Select out of range',
      '!Select [5, !Ref Subnets]',
      /Malformed Fn::Select: expected an index from 0 to 1/,
    ],
    ['If on an undefined condition', '!If [Nope, a, b]', /names the condition "Nope"/],
    [
      'FindInMap of a missing entry',
      '!FindInMap [Cache, dev, Ttl]',
      /the mapping Cache has no entry dev\.Ttl/,
    ],
    ['Join without a list', '!Join [",", 3]', /Malformed Fn::Join/],
  ])('%s is bad input naming the pointer', (_name, yaml, message) => {
    const error = (() => {
      try {
        run(yaml);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidTemplateError);
    expect((error as InvalidTemplateError).message).toMatch(message);
    expect((error as InvalidTemplateError).location).toMatch(/^#\/Value\/Fn::/);
  });
});

describe('evaluateCondition', () => {
  it.each<[string, boolean | undefined]>([
    ['!Equals [!Ref Env, prod]', true],
    ['!Equals [!Ref Env, dev]', false],
    ['!Equals [!Ref NoDefault, dev]', undefined],
    ['!Not [!Equals [!Ref Env, dev]]', true],
    ['!And [!Condition IsProd, !Equals [a, a]]', true],
    ['!And [!Condition IsDev, !Condition Unknown]', false],
    ['!Or [!Condition IsDev, !Condition Unknown]', undefined],
    ['!Or [!Condition IsProd, !Condition Unknown]', true],
  ])('%s -> %s', (yaml, expected) => {
    const data = parseTemplateText(`C: ${yaml}\n`, 't.yaml').data as { C: unknown };
    expect(evaluateCondition(data.C, context(), '#/Conditions/C')).toBe(expected);
  });
});

describe('referencedIds', () => {
  it('collects Ref, GetAtt and Fn::Sub names, not pseudo parameters or Sub variables', () => {
    const data = parseTemplateText(
      'V: [!Ref A, !GetAtt B.Arn, !Sub "${C}-${D.Arn}-${AWS::Region}-${!E}-${F}", {"Fn::Sub": ["${G}", {G: !Ref H}]}]\n',
      't.yaml',
    ).data as { V: unknown };
    expect([...referencedIds(data.V)].sort()).toEqual(['A', 'B', 'C', 'D', 'F', 'H']);
  });
});
