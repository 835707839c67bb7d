/**
 * The file edges of the CloudFormation family: a template file (CloudFormation or SAM, JSON or YAML), a CDK cloud
 * assembly (`cdk.out/`) and a Serverless Framework package (`.serverless/`). Each ends in `{ model, warnings }`.
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/apps.html (cloud assembly)
 * @see https://www.serverless.com/framework/docs/providers/aws/cli-reference/package
 */

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputNotFoundError, InputUnreadableError, InvalidTemplateError } from '../../errors.js';
import type { AuthModel } from '../../model/types.js';
import {
  buildModel,
  findApis,
  pickApi,
  SAM_TRANSFORM,
  type ApiCandidate,
  type TemplateIo,
} from './read-template.js';
import { parseTemplateText, type TemplateText } from './template-text.js';
import { isObject } from '../../model/parse.js';

export { SAM_TRANSFORM } from './read-template.js';

/** What the CLI flags say about a template source. */
export interface CloudFormationOptions {
  /** `--parameter KEY=VALUE` */
  parameters?: Record<string, string>;
  region?: string;
  account?: string;
  /** `--api` */
  api?: string;
  /** `--stage` */
  stage?: string;
  /** doctor: keep what generate refuses (a validation regex that does not compile) for doctor to report. */
  lenient?: boolean;
}

export interface SourceResult {
  model: AuthModel;
  warnings: string[];
}

/** The Serverless Framework writes the packaged stack here (`serverless package`). */
export const SERVERLESS_TEMPLATE = 'cloudformation-template-update-stack.json';

/**
 * Reads a CloudFormation or SAM template file.
 *
 * @param file - the template path (YAML with short tags, or JSON)
 * @param text - its content, when the caller already read it
 * @throws InvalidTemplateError, InvalidYamlError, InvalidJsonError, UnsupportedAuthorizerError,
 *   InputNotFoundError (an included or nested file that is missing)
 */
export async function readTemplateFile(
  file: string,
  options: CloudFormationOptions,
  text?: TemplateText,
): Promise<SourceResult> {
  const parsed = text ?? readParsed(file);
  return readTemplates([{ text: parsed, file, prefix: '' }], file, options);
}

/**
 * Reads a CDK cloud assembly: every `aws:cloudformation:stack` artifact of `manifest.json`, their nested stacks
 * through `aws:asset:path` metadata.
 *
 * @param dir - the `cdk.out` folder
 * @throws InvalidTemplateError when manifest.json is missing or names no stack
 */
export async function readCdkAssembly(dir: string, options: CloudFormationOptions): Promise<SourceResult> {
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = readJson(manifestFile, dir, 'cdk.out folder without manifest.json');
  const artifacts = isObject(manifest) && isObject(manifest.artifacts) ? manifest.artifacts : {};
  const stacks: Array<{ text: TemplateText; file: string; prefix: string }> = [];
  for (const [id, artifact] of Object.entries(artifacts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!isObject(artifact) || artifact.type !== 'aws:cloudformation:stack') continue;
    const props = isObject(artifact.properties) ? artifact.properties : {};
    if (typeof props.templateFile !== 'string') continue;
    const file = path.join(dir, props.templateFile);
    stacks.push({ text: readParsed(file), file, prefix: `${id}/` });
  }
  if (stacks.length === 0) {
    throw new InvalidTemplateError(
      'manifest.json lists no CloudFormation stack (type aws:cloudformation:stack).',
      {
        file: manifestFile,
        location: '#/artifacts',
        fix: 'Run `cdk synth` for the app that defines the API, and pass its cdk.out folder.',
      },
    );
  }
  // A single stack: logical ids alone are unambiguous, so candidates need no stack prefix.
  if (stacks.length === 1) (stacks[0] as { prefix: string }).prefix = '';
  return readTemplates(stacks, dir, options, assetFiles(dir, artifacts));
}

/**
 * Reads a Serverless Framework package: `.serverless/cloudformation-template-update-stack.json`.
 *
 * @param dir - the `.serverless` folder, or the service folder that contains it
 */
export async function readServerlessPackage(
  dir: string,
  options: CloudFormationOptions,
): Promise<SourceResult> {
  const direct = path.join(dir, SERVERLESS_TEMPLATE);
  const file = isFile(direct) ? direct : path.join(dir, '.serverless', SERVERLESS_TEMPLATE);
  return readTemplateFile(file, options);
}

/** Whether a path is an existing regular file. */
export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `objectKey` -> local file, from the asset manifests (`cdk:asset-manifest` artifacts) of a cloud assembly. */
function assetFiles(dir: string, artifacts: Record<string, unknown>): Map<string, string> {
  const files = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    if (!isObject(artifact) || artifact.type !== 'cdk:asset-manifest') continue;
    const props = isObject(artifact.properties) ? artifact.properties : {};
    if (typeof props.file !== 'string') continue;
    const manifest = readJson(path.join(dir, props.file), dir, 'cdk.out asset manifest');
    const entries = isObject(manifest) && isObject(manifest.files) ? manifest.files : {};
    for (const entry of Object.values(entries)) {
      if (!isObject(entry) || !isObject(entry.source) || typeof entry.source.path !== 'string') continue;
      // Only files: a zipped directory (a Lambda bundle) is no OpenAPI body.
      if (entry.source.packaging === 'zip') continue;
      for (const destination of Object.values(isObject(entry.destinations) ? entry.destinations : {})) {
        if (isObject(destination) && typeof destination.objectKey === 'string') {
          files.set(destination.objectKey, path.join(dir, entry.source.path));
        }
      }
    }
  }
  return files;
}

async function readTemplates(
  roots: Array<{ text: TemplateText; file: string; prefix: string }>,
  source: string,
  options: CloudFormationOptions,
  assets: Map<string, string> = new Map(),
): Promise<SourceResult> {
  const warnings = new Set<string>();
  const warn = (message: string): void => {
    warnings.add(message);
  };
  const io: TemplateIo = { readTemplateFile: readParsed, localAsset: (key) => assets.get(key) };
  if (roots.some((root) => usesSam(root.text.data))) io.expandSam = await loadSamExpansion();
  const templateOptions = { ...options, warn };
  const candidates: ApiCandidate[] = roots.flatMap((root) =>
    findApis(root.text, root.file, io, templateOptions, root.prefix),
  );
  const picked = pickApi(candidates, source, options.api);
  const model = buildModel(picked, templateOptions);
  return { model, warnings: [...warnings] };
}

function usesSam(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  const t = doc.Transform;
  return t === SAM_TRANSFORM || (Array.isArray(t) && t.includes(SAM_TRANSFORM));
}

type ExpandSam = NonNullable<TemplateIo['expandSam']>;

/** SAM expansion is another module (src/sources/cloudformation/sam/); only SAM templates load it. */
async function loadSamExpansion(): Promise<ExpandSam> {
  const { expandSam } = await import('./sam/expand-sam.js');
  return expandSam;
}

function readParsed(file: string): TemplateText {
  return parseTemplateText(readText(file, 'template'), file);
}

function readJson(file: string, where: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InvalidTemplateError(`${what}: ${file} does not exist.`, {
      file: where,
      location: 'manifest.json',
      fix: 'Pass the folder `cdk synth` writes (cdk.out), which holds manifest.json; run `cdk synth` first.',
    });
  }
  return parseTemplateText(text, file).data;
}

function readText(file: string, what: string): string {
  try {
    if (statSync(file).isDirectory()) {
      throw new InputUnreadableError(`${file} is a directory, expected a ${what} file.`, {
        file,
        fix: `Pass the path of the ${what} itself.`,
      });
    }
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputUnreadableError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputNotFoundError(`No such ${what} file: ${file}.`, {
        file,
        fix: 'Check the path (included snippets and nested templates resolve against the template folder).',
        cause: err,
      });
    }
    throw new InputUnreadableError(`Cannot read ${file} (${code ?? String(err)}).`, {
      file,
      fix: 'Check the file permissions.',
      cause: err,
    });
  }
}
