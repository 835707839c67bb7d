/**
 * Reads an API Gateway export file (OpenAPI 3 or Swagger 2.0, JSON or YAML) into an AuthModel.
 * `parseExport` is pure; `loadExport` is the I/O edge. Both return the reader's warnings with the model;
 * `parseExportText` and `loadExportFile` return the model alone.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html
 */

import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import {
  InputNotFoundError,
  InputUnreadableError,
  InvalidExportError,
  InvalidJsonError,
} from '../../errors.js';
import { readOpenApiDocument, type ExportSource, type SourceReadResult } from './build-model.js';
import { detectApiKind, readHttpApiDocument } from './http-api.js';
import type { AuthModel } from '../../model/types.js';
import { decodeUtf8, lineColumn, parseDataText } from '../data-text.js';
import { JsonPruner } from './json-prune.js';

const GET_EXPORT =
  'aws apigateway get-export --rest-api-id ID --stage-name STAGE --export-type oas30 ' +
  '--parameters extensions=authorizers export.json';

/**
 * Keys of an export that authorization never reads: in a large export they are most of the bytes (a 50 MB export
 * is mostly schemas, descriptions and integration templates). `x-amazon-apigateway-gateway-responses` templates
 * are `responseTemplates`, which is kept.
 */
const UNREAD_EXPORT_KEYS: ReadonlySet<string> = new Set([
  'description',
  'summary',
  'example',
  'examples',
  'externalDocs',
  'schemas',
  'schema',
  'definitions',
  'requestBody',
  'requestTemplates',
  'content',
  'x-amazon-apigateway-documentation',
]);
/** JSON exports above this size are streamed through the pruner; below it, one read and JSON.parse is faster. */
const LARGE_EXPORT_BYTES = 4 * 1024 * 1024;

/** How to read an export: doctor's leniency, and the pseudo parameters a template may reference. */
export interface ExportReadOptions {
  /** doctor: keep a validation regex that does not compile instead of refusing it. */
  lenient?: boolean;
  /** Replaces `${AWS::Region}` / `{"Ref": "AWS::Region"}` in template values. */
  region?: string;
  /** Replaces `${AWS::AccountId}` in template values. */
  account?: string;
}

/**
 * Parses the text of an export file (or an OpenAPI file kept in a repository) and builds its model.
 *
 * @param text - the file content; JSON when the first non-space character is `{`, else YAML
 * @param file - the file name used in errors and warnings
 * @param options - leniency and pseudo parameters
 * @returns the model and what the reader assumed
 * @throws InvalidExportError (also for an empty file), InvalidJsonError, InvalidYamlError,
 *   UnsupportedAuthorizerError
 */
export function parseExport(text: string, file: string, options: ExportReadOptions = {}): SourceReadResult {
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new InvalidExportError('The export file is empty.', {
      file,
      location: lineColumn(1, 1),
      fix: `Export the API again: \`${GET_EXPORT}\`.`,
    });
  }
  const parsed = parseDataText(text, file);
  return readExportDocument(parsed.data, { file, locate: parsed.locate, ...options });
}

/**
 * Reads a parsed export with the reader of its API kind: an HTTP API export (`aws apigatewayv2 export-api`) or a
 * REST API export (`aws apigateway get-export`, the default). `detectApiKind` decides from the document.
 *
 * @param doc - the parsed document
 * @param source - the file name, a pointer locator, leniency and pseudo parameters
 * @returns the model and what the reader assumed
 */
export function readExportDocument(doc: unknown, source: ExportSource): SourceReadResult {
  return detectApiKind(doc).kind === 'HTTP'
    ? readHttpApiDocument(doc, source)
    : readOpenApiDocument(doc, source);
}

/**
 * `parseExport` without the warnings.
 *
 * @param text - the file content
 * @param file - the file name used in errors
 * @param options - `lenient` (doctor): keep a validation regex that does not compile instead of refusing it
 */
export function parseExportText(text: string, file: string, options: ExportReadOptions = {}): AuthModel {
  return parseExport(text, file, options).model;
}

/**
 * Reads and parses an export file.
 *
 * @param file - path as the user gave it (errors repeat it verbatim)
 * @param options - leniency and pseudo parameters
 * @returns the model and what the reader assumed
 * @throws InputNotFoundError when the path does not exist, InputUnreadableError for a directory, an unreadable
 *   file or bytes that are not UTF-8, and everything `parseExport` throws
 */
export async function loadExport(file: string, options: ExportReadOptions = {}): Promise<SourceReadResult> {
  const fixNotFound = `Export the API first: \`${GET_EXPORT}\`.`;
  // A path that is missing or not a file takes the plain path, where readTextFile names the problem.
  const size = await stat(file).then(
    (info) => (info.isFile() ? info.size : 0),
    () => 0,
  );
  if (size > LARGE_EXPORT_BYTES && (await startsLikeJson(file))) {
    // Large JSON export: never hold the whole text and its whole tree at once (see json-prune.ts).
    const pruned = await readPrunedJson(file);
    if (pruned !== undefined) {
      try {
        return parseExport(pruned, file, options);
      } catch (err) {
        if (!(err instanceof InvalidJsonError)) throw err;
        // Malformed JSON: parse the original text, whose error positions are exact.
      }
    }
  }
  return parseExport(await readTextFile(file, 'export file', fixNotFound), file, options);
}

/**
 * `loadExport` without the warnings.
 *
 * @param file - path as the user gave it
 * @param options - `lenient` (doctor): keep a validation regex that does not compile instead of refusing it
 */
export async function loadExportFile(file: string, options: ExportReadOptions = {}): Promise<AuthModel> {
  return (await loadExport(file, options)).model;
}

async function startsLikeJson(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    return /^\uFEFF?\s*\{/.test(buffer.toString('utf8', 0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * The export's JSON with the values of UNREAD_EXPORT_KEYS replaced by null. Chunks of 64 KiB stay in V8's young
 * generation and die young; megabyte chunks would sit in large-object space until a full collection.
 */
async function readPrunedJson(file: string): Promise<string | undefined> {
  const pruner = new JsonPruner(UNREAD_EXPORT_KEYS);
  // Fatal: bytes that are not UTF-8 are refused, never replaced; readTextFile then names their offset.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
      pruner.push(decoder.decode(chunk as Buffer, { stream: true }));
    }
    pruner.push(decoder.decode());
  } catch (err) {
    if (err instanceof TypeError) return undefined;
    throw err;
  }
  return pruner.end();
}

/**
 * Reads a UTF-8 text file, turning file-system failures and bytes that are not UTF-8 into input errors.
 *
 * @param file - the path
 * @param what - what the file is, for messages (`export file`, `config file`)
 * @param fixNotFound - what to do when it does not exist
 */
export async function readTextFile(file: string, what: string, fixNotFound: string): Promise<string> {
  try {
    if ((await stat(file)).isDirectory()) {
      throw new InputUnreadableError(`${file} is a directory, expected an ${what}.`, {
        file,
        fix: `Pass the path of the ${what} itself.`,
      });
    }
    return decodeUtf8(await readFile(file), file);
  } catch (err) {
    if (err instanceof InputUnreadableError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputNotFoundError(`No such ${what}: ${file}.`, { file, fix: fixNotFound, cause: err });
    }
    throw new InputUnreadableError(`Cannot read the ${what} ${file} (${code ?? String(err)}).`, {
      file,
      fix: 'Check the file permissions.',
      cause: err,
    });
  }
}
