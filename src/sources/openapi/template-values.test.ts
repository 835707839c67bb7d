import { describe, expect, it } from 'vitest';
import {
  hasTemplatePlaceholder,
  isIntrinsic,
  literalParts,
  renderTemplateValue,
  type PseudoParameters,
} from './template-values.js';

const none: PseudoParameters = {};
const known: PseudoParameters = { region: 'eu-west-1', account: '210987654321' };

describe('renderTemplateValue', () => {
  it.each<[string, unknown, PseudoParameters, string, string]>([
    ['a plain string', 'arn:aws:x', none, 'arn:aws:x', '${}'],
    [
      'pseudo parameters in a plain string',
      'arn:${AWS::Partition}:${AWS::Region}:${AWS::AccountId}',
      known,
      'arn:aws:eu-west-1:210987654321',
      '${}',
    ],
    ['unknown pseudo parameters stay named', 'x-${AWS::Region}', none, 'x-${AWS::Region}', '${}'],
    ['Ref to a resource', { Ref: 'UserPool' }, none, '${UserPool}', 'Ref'],
    ['Ref AWS::Region, known', { Ref: 'AWS::Region' }, known, 'eu-west-1', 'Ref'],
    ['Ref AWS::Region, unknown', { Ref: 'AWS::Region' }, none, '${AWS::Region}', 'Ref'],
    ['GetAtt list form', { 'Fn::GetAtt': ['Fn', 'Arn'] }, none, '${Fn.Arn}', 'Fn::GetAtt'],
    ['GetAtt string form', { 'Fn::GetAtt': 'Fn.Arn' }, none, '${Fn.Arn}', 'Fn::GetAtt'],
    [
      'Sub with pseudo parameters and a resource',
      { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/functions/${Fn.Arn}/invocations' },
      known,
      'arn:aws:apigateway:eu-west-1:lambda:path/functions/${Fn.Arn}/invocations',
      'Fn::Sub',
    ],
    [
      'Sub with its own variables, and an escaped literal',
      { 'Fn::Sub': ['${Name}-${!Literal}', { Name: { Ref: 'AWS::AccountId' } }] },
      known,
      '210987654321-${Literal}',
      'Fn::Sub',
    ],
    [
      'Join of literals and intrinsics',
      { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, { 'Fn::GetAtt': ['Pool', 'Arn'] }]] },
      known,
      'arn:aws:${Pool.Arn}',
      'Fn::Join',
    ],
    ['Select from a literal list', { 'Fn::Select': [1, ['a', { Ref: 'B' }]] }, none, '${B}', 'Fn::Select'],
    [
      'Select from an unknown list',
      { 'Fn::Select': [0, { Ref: 'Pools' }] },
      none,
      '${Fn::Select}',
      'Fn::Select',
    ],
    ['If with equal branches', { 'Fn::If': ['C', 'same', 'same'] }, none, 'same', 'Fn::If'],
    ['If with different branches', { 'Fn::If': ['IsProd', 'a', 'b'] }, none, '${If:IsProd}', 'Fn::If'],
    [
      'ImportValue',
      { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-PoolArn' } },
      none,
      '${ImportValue:Env-PoolArn}',
      'Fn::ImportValue',
    ],
    ['another intrinsic', { 'Fn::Base64': 'x' }, none, '${Fn::Base64}', 'Fn::Base64'],
    [
      'AWS::URLSuffix in China',
      { 'Fn::Sub': 'x.${AWS::URLSuffix}' },
      { region: 'cn-north-1' },
      'x.amazonaws.com.cn',
      'Fn::Sub',
    ],
  ])('%s', (_, value, pseudo, text, form) => {
    expect(renderTemplateValue(value, pseudo)).toEqual({ text, form });
  });

  it.each([[42], [null], [['a']], [{ a: 1, b: 2 }], [{ NotAnIntrinsic: 'x' }]])(
    'is undefined for %j (neither a string nor an intrinsic)',
    (value) => {
      expect(renderTemplateValue(value, none)).toBeUndefined();
    },
  );
});

describe('isIntrinsic, hasTemplatePlaceholder, literalParts', () => {
  it('recognizes one-key intrinsic objects only', () => {
    expect(isIntrinsic({ Ref: 'X' })).toBe(true);
    expect(isIntrinsic({ 'Fn::Sub': 'x' })).toBe(true);
    expect(isIntrinsic({ Ref: 'X', Other: 1 })).toBe(false);
    expect(isIntrinsic({ type: 'token' })).toBe(false);
    expect(isIntrinsic('Ref')).toBe(false);
  });

  it.each<[string, boolean]>([
    ['${Stage}', true],
    ['arn:${AWS::Region}:x', true],
    // API Gateway resolves stage variables at run time: not a template value.
    ['userpool/${stageVariables.pool}', false],
    ['{basePath}', false],
    ['plain', false],
  ])('hasTemplatePlaceholder(%j) = %s', (text, want) => {
    expect(hasTemplatePlaceholder(text)).toBe(want);
  });

  it.each<[string, string]>([
    ['petstore-${Stage}', 'petstore'],
    ['${AWS::StackName}-orders-api', 'orders-api'],
    ['Pets ${Stage} API', 'Pets API'],
    ['${Name}', ''],
  ])('literalParts(%j) = %j', (text, want) => {
    expect(literalParts(text)).toBe(want);
  });
});
