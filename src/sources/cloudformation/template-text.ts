/**
 * Parses a CloudFormation template (JSON, or YAML with the short-form tags `!Ref`, `!Sub`, `!GetAtt`, ...) into
 * its long form (`{"Ref": ...}`, `{"Fn::Sub": ...}`), with a JSON pointer -> `line N, column M` locator. Pure.
 *
 * An unknown tag is an error, never a silently dropped value (the `yaml` package would otherwise keep the tagged
 * scalar as a plain string: iac reference trap 12).
 *
 * YAML is read with js-yaml, an order of magnitude faster than `yaml` on large templates (a 2,000-method template
 * must read within 1.5x the export's time); positions come from `yaml`, lazily, only when an error needs one.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html
 */

import jsYaml, { type YAMLException } from 'js-yaml';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InvalidYamlError } from '../../errors.js';
import { fromPointer } from '../../model/json-pointer.js';
import { lineColumn, offsetToLineColumn, parseDataText } from '../data-text.js';

export interface TemplateText {
  data: unknown;
  locate: (pointer: string) => string | undefined;
}

/** Short tag -> long form key. `!GetAtt A.B` is split at the first dot; `!Ref`/`!Condition` keep their names. */
const TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!If': 'Fn::If',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
};

/** The most alias expansions one template may use: a "billion laughs" file is refused, not expanded. */
const MAX_ALIASES = 1000;
/** The most nodes a template may expand to (a 2,000-method template has about 100,000). */
const MAX_EXPANDED_NODES = 5_000_000;

/** js-yaml types for the short tags: scalar, sequence and mapping forms of each. */
const CFN_SCHEMA = jsYaml.CORE_SCHEMA.extend(
  Object.entries(TAGS).flatMap(([tag, long]) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) =>
        new jsYaml.Type(tag, {
          kind,
          construct: (data: unknown) => {
            if (long === 'Fn::GetAtt' && typeof data === 'string') {
              const dot = data.indexOf('.');
              return { [long]: dot > 0 ? [data.slice(0, dot), data.slice(dot + 1)] : data };
            }
            return { [long]: kind === 'scalar' && data === null ? '' : data };
          },
        }),
    ),
  ),
);

/**
 * Parses template text.
 *
 * @param text - JSON (first non-space character `{`) or YAML
 * @param file - the file name, for errors
 * @throws InvalidYamlError for a syntax error or an unknown tag (with `line N, column M`), InvalidJsonError
 */
export function parseTemplateText(text: string, file: string): TemplateText {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (/^\s*[{[]/.test(source)) return parseDataText(source, file);
  let data: unknown;
  try {
    data = jsYaml.load(source, { schema: CFN_SCHEMA, filename: file });
  } catch (err) {
    // The slow parser names the problem with its exact position (an unknown tag at the tag itself).
    parseWithPositions(source, file);
    const mark = (err as YAMLException).mark;
    const at = mark ? offsetToLineColumn(source, mark.position) : { line: 1, column: 1 };
    throw new InvalidYamlError(`Invalid YAML: ${(err as YAMLException).reason ?? String(err)}.`, {
      file,
      location: lineColumn(at.line, at.column),
      fix: 'Correct the YAML syntax at that position.',
      cause: err,
    });
  }
  // js-yaml shares the node an alias names: a "billion laughs" is small in memory but huge to walk. Refuse it.
  // Without an anchor there is no alias: skip the walk (most templates).
  if (/(^|[\s[{,:-])&[^\s]/m.test(source) && expandedSize(data) > MAX_EXPANDED_NODES) {
    parseWithPositions(source, file); // throws at the alias that goes past the limit
    throw new InvalidYamlError(`Its aliases expand past ${MAX_EXPANDED_NODES} nodes.`, {
      file,
      location: lineColumn(1, 1),
      fix: 'Write the values out instead of nesting aliases.',
    });
  }
  let positions: TemplateText | undefined;
  return {
    data,
    locate: (pointer) => {
      positions ??= parseWithPositions(source, file);
      return positions.locate(pointer);
    },
  };
}

/** The number of nodes the value has once its aliases are expanded (shared nodes counted at every use). */
function expandedSize(root: unknown): number {
  const sizes = new Map<object, number>();
  const size = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      total += size(child);
      if (total > MAX_EXPANDED_NODES) break;
    }
    sizes.set(node, total);
    return total;
  };
  return size(root);
}

/** The `yaml` package's reading of the same text: exact positions for errors, slow on large templates. */
function parseWithPositions(source: string, file: string): TemplateText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new InvalidYamlError(
      `Invalid YAML: ${(error.message.split('\n')[0] ?? '').replace(/[.:]\s*$/, '')}.`,
      {
        file,
        location: lineColumn(pos.line, pos.col),
        fix: 'Correct the YAML syntax at that position (indentation, quotes, a missing colon).',
        cause: error,
      },
    );
  }
  const at = (node: YamlNode): string => {
    const pos = lineCounter.linePos(node.range?.[0] ?? 0);
    return lineColumn(pos.line, pos.col);
  };
  let aliases = 0;
  const convert = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (++aliases > MAX_ALIASES) {
        throw new InvalidYamlError(`More than ${MAX_ALIASES} YAML alias expansions.`, {
          file,
          location: at(node),
          fix: 'Write the values out instead of nesting aliases.',
        });
      }
      return convert(node.resolve(doc));
    }
    const yamlNode = node as YamlNode;
    let value: unknown;
    if (isMap(yamlNode)) {
      const out: Record<string, unknown> = {};
      for (const pair of yamlNode.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(convert(pair.key));
        out[key] = convert(pair.value);
      }
      value = out;
    } else if (isSeq(yamlNode)) {
      value = yamlNode.items.map(convert);
    } else if (isScalar(yamlNode)) {
      value = yamlNode.value;
    } else {
      value = null;
    }
    const tag = yamlNode.tag;
    if (tag === undefined || tag.startsWith('tag:yaml.org,2002:')) return value;
    const long = TAGS[tag];
    if (long === undefined) {
      // The node's range starts at its value: point at the tag itself, just before it.
      const tagOffset = source.lastIndexOf(tag, yamlNode.range?.[0] ?? 0);
      const pos = lineCounter.linePos(tagOffset >= 0 ? tagOffset : (yamlNode.range?.[0] ?? 0));
      throw new InvalidYamlError(`Unknown YAML tag ${tag}: not a CloudFormation intrinsic function.`, {
        file,
        location: lineColumn(pos.line, pos.col),
        fix: `Use one of ${Object.keys(TAGS).join(' ')}, or the long form {"Fn::Name": ...}.`,
      });
    }
    if (long === 'Fn::GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      value = dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : value;
    }
    return { [long]: value };
  };
  const data = convert(doc.contents);
  return { data, locate: (pointer) => locate(doc, lineCounter, pointer) };
}

function locate(doc: Document, lineCounter: LineCounter, pointer: string): string | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = node as YamlNode | undefined;
  for (const segment of fromPointer(pointer)) {
    if (isAlias(node)) node = node.resolve(doc);
    const tag = (node as YamlNode | undefined)?.tag;
    // A short tag stands for one more level in the long form: stay on the tagged node.
    if (tag !== undefined && TAGS[tag] === segment) continue;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment,
      );
      next = pair ? (pair.value ?? pair.key) : undefined;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
    }
    if (next === undefined || next === null) break;
    node = next;
    found = next as YamlNode;
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return lineColumn(pos.line, pos.col);
}
