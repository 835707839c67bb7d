/**
 * One way in: a source file or folder -> its kind, detected from the CONTENT (never the file name) -> the reader
 * of that kind -> `{ model, warnings }`.
 *
 * Kinds: an OpenAPI/Swagger export; a CloudFormation template (JSON or YAML with short tags); a SAM template
 * (`Transform: AWS::Serverless-2016-10-31`); a CDK cloud assembly folder (`manifest.json`); a Serverless Framework
 * package (`.serverless/cloudformation-template-update-stack.json`, or the service folder holding it); a Terraform
 * plan or state (`terraform show -json`).
 */

import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputNotFoundError, InvalidTemplateError } from '../errors.js';
import type { AuthModel } from '../model/types.js';
import type { CloudFormationOptions } from './cloudformation/index.js';
import type { TemplateText } from './cloudformation/template-text.js';
import { decodeUtf8 } from './data-text.js';
import { isObject } from '../model/parse.js';

export type SourceKind = 'openapi' | 'cloudformation' | 'sam' | 'cdk' | 'serverless' | 'terraform';

export interface DetectedSource {
  kind: SourceKind;
  model: AuthModel;
  warnings: string[];
}

/** The template flags, and doctor's leniency (passed to every OpenAPI reading). */
export type ReadSourceOptions = CloudFormationOptions;

/** Bytes read to recognize an export without parsing it twice (exports may be 50 MB). */
const SNIFF_BYTES = 64 * 1024;

/**
 * Reads any source the tool knows.
 *
 * @param source - a file or folder path as the user gave it
 * @throws InputNotFoundError when it does not exist; the readers' input errors
 */
export async function readSource(source: string, options: ReadSourceOptions = {}): Promise<DetectedSource> {
  const info = await stat(source).catch((err: unknown) => {
    throw new InputNotFoundError(`No such file or folder: ${source}.`, {
      file: source,
      fix: 'Pass an API Gateway export, a CloudFormation/SAM template, a cdk.out or .serverless folder, or a Terraform plan JSON.',
      cause: err,
    });
  });
  if (info.isDirectory()) return readFolder(source, options);

  const head = await sniff(source);
  if (looksLikeExport(head)) return { kind: 'openapi', ...(await readExport(source, options)) };
  const bytes = await readFile(source).catch(() => undefined);
  // An unreadable file: the export reader names the problem (a permission, say).
  if (bytes === undefined) return { kind: 'openapi', ...(await readExport(source, options)) };
  const text = decodeUtf8(bytes, source);
  if (text.replace(/^\uFEFF/, '').trim() === '')
    return { kind: 'openapi', ...(await readExport(source, options)) };
  // The template and Terraform readers load only for a source that is not an export: an export's run never pays
  // for them at start-up.
  const { parseTemplateText } = await import('./cloudformation/template-text.js');
  const { looksLikeTerraformJson, readTerraformJson } = await import('./terraform/index.js');
  let parsed: TemplateText;
  try {
    parsed = parseTemplateText(text, source);
  } catch (err) {
    // Unreadable and not recognizably a template: report it as the export reader always did.
    if (TEMPLATE_KEY.test(text)) throw err;
    return { kind: 'openapi', ...(await readExport(source, options)) };
  }
  const doc = parsed.data;
  if (looksLikeTerraformJson(doc)) {
    const warnings: string[] = [];
    const result = readTerraformJson(doc, {
      file: source,
      ...(options.api === undefined ? {} : { api: options.api }),
      ...(options.stage === undefined ? {} : { stage: options.stage }),
      ...(options.lenient === undefined ? {} : { lenient: options.lenient }),
      warn: (message) => warnings.push(message),
    });
    return {
      kind: 'terraform',
      model: result.model,
      warnings: [...new Set([...warnings, ...result.warnings])],
    };
  }
  if (isObject(doc) && (isObject(doc.Resources) || 'AWSTemplateFormatVersion' in doc || 'Transform' in doc)) {
    const transform = doc.Transform;
    const sam =
      transform === 'AWS::Serverless-2016-10-31' ||
      (Array.isArray(transform) && transform.includes('AWS::Serverless-2016-10-31'));
    const { readTemplateFile } = await import('./cloudformation/index.js');
    return { kind: sam ? 'sam' : 'cloudformation', ...(await readTemplateFile(source, options, parsed)) };
  }
  // Not a template: the OpenAPI reader names what is wrong with it (as `--export` always did).
  return { kind: 'openapi', ...(await readExport(source, options)) };
}

async function readFolder(dir: string, options: ReadSourceOptions): Promise<DetectedSource> {
  const { SERVERLESS_TEMPLATE, isFile, readCdkAssembly, readServerlessPackage } =
    await import('./cloudformation/index.js');
  if (isFile(path.join(dir, 'manifest.json')))
    return { kind: 'cdk', ...(await readCdkAssembly(dir, options)) };
  if (
    isFile(path.join(dir, SERVERLESS_TEMPLATE)) ||
    isFile(path.join(dir, '.serverless', SERVERLESS_TEMPLATE))
  ) {
    return { kind: 'serverless', ...(await readServerlessPackage(dir, options)) };
  }
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.some((name) => name.endsWith('.template.json') || name === 'cdk.out' || name === 'tree.json')) {
    throw new InvalidTemplateError('This cdk.out folder has no manifest.json, so its stacks are unknown.', {
      file: dir,
      location: 'manifest.json',
      fix: 'Run `cdk synth` again (it writes manifest.json) and pass the cdk.out folder.',
    });
  }
  if (isFile(path.join(dir, 'cdk.out', 'manifest.json'))) {
    return { kind: 'cdk', ...(await readCdkAssembly(path.join(dir, 'cdk.out'), options)) };
  }
  throw new InvalidTemplateError(
    `${dir} is a directory, but neither a cdk.out folder nor a Serverless package.`,
    {
      file: dir,
      location: dir,
      fix: `Pass a template file, a cdk.out folder (manifest.json) or a .serverless folder (${SERVERLESS_TEMPLATE}).`,
    },
  );
}

/** A top-level key only CloudFormation templates (and Terraform JSON) have. */
const TEMPLATE_KEY =
  /(^|[{,\s])["']?(Resources|AWSTemplateFormatVersion|format_version|terraform_version)["']?\s*:/m;

/** Whether the first bytes show an OpenAPI/Swagger document (and no CloudFormation `Resources`). */
function looksLikeExport(head: string): boolean {
  const topKey = /^(?:\s*\{\s*)?["']?(openapi|swagger)["']?\s*:/m;
  const jsonKey = /^\s*\{[\s\S]*?"(openapi|swagger)"\s*:/;
  return (topKey.test(head) || jsonKey.test(head.slice(0, 2048))) && !TEMPLATE_KEY.test(head);
}

async function sniff(file: string): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return '';
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readExport(
  file: string,
  options: ReadSourceOptions,
): Promise<{ model: AuthModel; warnings: string[] }> {
  const { loadExport } = await import('./openapi/export-file.js');
  return loadExport(file, {
    ...(options.lenient === undefined ? {} : { lenient: options.lenient }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.account === undefined ? {} : { account: options.account }),
  });
}
