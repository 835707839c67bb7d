/**
 * Values that templates leave in an OpenAPI document: CloudFormation intrinsics (`Fn::Sub`, `Ref`, `Fn::GetAtt`,
 * …) and `${var}` placeholders where `get-export` would write a plain string. Pure.
 *
 * A value that is known (a pseudo parameter the caller supplied, a `Fn::Join` of literals) is resolved; one that is
 * not stays a NAMED PLACEHOLDER in Fn::Sub syntax (`${AuthFunction.Arn}`, `${AWS::Region}`,
 * `${ImportValue:SharedPool}`), the form the CloudFormation reader uses too. Nothing is invented.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */

import { partitionOf, urlSuffixOf } from '../../model/parse.js';

/** Facts about the deployment the caller may know (`--region`, `--account`). */
export interface PseudoParameters {
  region?: string;
  account?: string;
}

/** A template value rendered to a string. */
export interface TemplateText {
  /** The value with what is known substituted and the rest as `${Name}` placeholders. */
  text: string;
  /** The intrinsic function that produced it (`Fn::Sub`), or `${}` for a plain string with placeholders. */
  form: string;
}

const INTRINSIC_KEY = /^(?:Ref|Fn::[A-Za-z0-9]+|Condition)$/;
const PLACEHOLDER = /\$\{([^{}]*)\}/g;
/** A placeholder the template engine resolves before deploy; `${stageVariables.x}` is API Gateway's own, at run time. */
const TEMPLATE_PLACEHOLDER = /\$\{(?!stageVariables\.)[^{}]+\}/;

/** Whether `value` is a one-key intrinsic function object (`{"Fn::Sub": "…"}`, `{"Ref": "Name"}`). */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSIC_KEY.test(keys[0] as string);
}

/** Whether a string holds a placeholder a template engine would resolve (not a `${stageVariables.x}` reference). */
export function hasTemplatePlaceholder(value: string): boolean {
  return TEMPLATE_PLACEHOLDER.test(value);
}

/**
 * Renders a template value to a string.
 *
 * @param value - a string (pseudo parameters in it are substituted) or an intrinsic function object
 * @param pseudo - the region and account, when the caller knows them
 * @returns the text and its form, or undefined when `value` is neither a string nor an intrinsic (the caller
 *   reports that as the type error it is)
 */
export function renderTemplateValue(value: unknown, pseudo: PseudoParameters): TemplateText | undefined {
  if (typeof value === 'string') return { text: substitutePseudo(value, pseudo), form: '${}' };
  if (!isIntrinsic(value)) return undefined;
  return { text: render(value, pseudo), form: Object.keys(value)[0] as string };
}

/**
 * The readable words of a templated name: its literal parts, placeholders dropped (`petstore-${Stage}` ->
 * `petstore`, `${AWS::StackName}` -> ``).
 */
export function literalParts(text: string): string {
  return text
    .replace(PLACEHOLDER, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-_.:/]+|[\s\-_.:/]+$/g, '');
}

function render(value: unknown, pseudo: PseudoParameters): string {
  if (typeof value === 'string') return substitutePseudo(value, pseudo);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isIntrinsic(value)) return '${?}';
  const [fn, arg] = Object.entries(value)[0] as [string, unknown];
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? pseudoValue(arg, pseudo) : '${Ref}';
    case 'Fn::GetAtt': {
      const parts = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? arg.map(String) : [];
      return parts.length > 0 ? `\${${parts.join('.')}}` : '${Fn::GetAtt}';
    }
    case 'Fn::Sub':
      return renderSub(arg, pseudo);
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return '${Fn::Join}';
      const separator = arg[0];
      return (arg[1] as unknown[]).map((part) => render(part, pseudo)).join(separator);
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || !Array.isArray(arg[1])) return '${Fn::Select}';
      const index = Number(render(arg[0], pseudo));
      const list = arg[1] as unknown[];
      return Number.isInteger(index) && index >= 0 && index < list.length
        ? render(list[index], pseudo)
        : '${Fn::Select}';
    }
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3) return '${Fn::If}';
      const [condition, whenTrue, whenFalse] = arg as [unknown, unknown, unknown];
      const a = render(whenTrue, pseudo);
      const b = render(whenFalse, pseudo);
      // The condition is the template's business: only a value both branches agree on is known.
      return a === b ? a : `\${If:${typeof condition === 'string' ? condition : '?'}}`;
    }
    case 'Fn::ImportValue':
      return `\${ImportValue:${render(arg, pseudo).replace(PLACEHOLDER, '$1')}}`;
    default:
      return `\${${fn}}`;
  }
}

/** `Fn::Sub` in both forms: `"text ${Name}"` and `["text ${Name}", {"Name": value}]`. */
function renderSub(arg: unknown, pseudo: PseudoParameters): string {
  const [template, variables] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
  if (typeof template !== 'string') return '${Fn::Sub}';
  const vars =
    typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    // `${!Literal}` is Fn::Sub's escape for a literal `${Literal}`.
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in vars) return render(vars[name], pseudo);
    return pseudoValue(name, pseudo, whole);
  });
}

function substitutePseudo(text: string, pseudo: PseudoParameters): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => pseudoValue(name, pseudo, whole));
}

/** A pseudo parameter's value when the caller knows it, else the placeholder. */
function pseudoValue(name: string, pseudo: PseudoParameters, placeholder = `\${${name}}`): string {
  const { region, account } = pseudo;
  switch (name) {
    case 'AWS::Region':
      return region ?? placeholder;
    case 'AWS::AccountId':
      return account ?? placeholder;
    case 'AWS::Partition':
      return region === undefined ? placeholder : partitionOf(region);
    case 'AWS::URLSuffix':
      return region === undefined ? placeholder : urlSuffixOf(region);
    default:
      return placeholder;
  }
}
