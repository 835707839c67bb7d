/** YAML short tags -> long form; JSON templates as they are; positions for errors. */
import { describe, expect, it } from 'vitest';
import { InvalidYamlError } from '../../../src/errors.js';
import { parseTemplateText } from '../../../src/sources/cloudformation/template-text.js';

const value = (yaml: string): unknown =>
  (parseTemplateText(`V: ${yaml}\n`, 't.yaml').data as { V: unknown }).V;

describe('short tags', () => {
  it.each<[string, unknown]>([
    ['!Ref Api', { Ref: 'Api' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Sub "x-${Stage}"', { 'Fn::Sub': 'x-${Stage}' }],
    ['!Sub ["${A}", {A: !Ref B}]', { 'Fn::Sub': ['${A}', { A: { Ref: 'B' } }] }],
    ['!GetAtt Fn.Arn', { 'Fn::GetAtt': ['Fn', 'Arn'] }],
    ['!GetAtt Stack.Outputs.Pool', { 'Fn::GetAtt': ['Stack', 'Outputs.Pool'] }],
    ['!GetAtt [Api, RootResourceId]', { 'Fn::GetAtt': ['Api', 'RootResourceId'] }],
    ['!Join ["", [a, !Ref B]]', { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }],
    ['!If [C, 1, 2]', { 'Fn::If': ['C', 1, 2] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", "a,b"]', { 'Fn::Split': [',', 'a,b'] }],
    ['!FindInMap [M, K, L]', { 'Fn::FindInMap': ['M', 'K', 'L'] }],
    ['!ImportValue shared', { 'Fn::ImportValue': 'shared' }],
    ['!Base64 text', { 'Fn::Base64': 'text' }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    [
      '!Or [!Condition A, !Not [!Condition B]]',
      { 'Fn::Or': [{ Condition: 'A' }, { 'Fn::Not': [{ Condition: 'B' }] }] },
    ],
    [
      '!Transform {Name: AWS::Include, Parameters: {Location: ./x.yaml}}',
      { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: './x.yaml' } } },
    ],
    ['!!str 300', '300'],
    ['plain', 'plain'],
  ])('%s', (yaml, expected) => {
    expect(value(yaml)).toEqual(expected);
  });
});

describe('parseTemplateText', () => {
  it('reads JSON templates as they are, with positions', () => {
    const parsed = parseTemplateText('{\n  "Resources": {\n    "A": {"Type": "X"}\n  }\n}\n', 't.json');
    expect(parsed.data).toEqual({ Resources: { A: { Type: 'X' } } });
    expect(parsed.locate('#/Resources/A/Type')).toBe('line 3, column 19');
  });

  it('locates a pointer through a short tag (the long-form key is not a YAML node)', () => {
    const parsed = parseTemplateText('Resources:\n  A:\n    Properties:\n      X: !Sub "${B}"\n', 't.yaml');
    expect(parsed.locate('#/Resources/A/Properties/X/Fn::Sub')).toBe('line 4, column 15');
  });

  it('an unknown tag is an InvalidYamlError at the tag, never a plain string', () => {
    const error = (() => {
      try {
        parseTemplateText('Resources:\n  A:\n    Type: !GetAttr A.B\n', 't.yaml');
      } catch (err) {
        return err as InvalidYamlError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidYamlError);
    expect(error?.toLine()).toMatch(
      /^t\.yaml: line 3, column 11: Unknown YAML tag !GetAttr: not a CloudFormation intrinsic function\. Fix: Use one of !Ref/,
    );
  });

  it('refuses an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}]`,
      );
    expect(() => parseTemplateText(`${bomb.join('\n')}\n`, 'bomb.yaml')).toThrow(InvalidYamlError);
  });
});
