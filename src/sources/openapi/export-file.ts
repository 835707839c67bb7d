/**
 * Reads an API Gateway export file (OpenAPI 3 or Swagger 2.0, JSON or YAML) into an AuthModel.
 * `parseExportText` is pure; `loadExportFile` is the I/O edge.
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
import { buildModelFromExport } from './build-model.js';
import type { AuthModel } from '../../model/types.js';
import { lineColumn, parseDataText } from '../data-text.js';
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

/**
 * Parses the text of an export file and builds its model.
 *
 * @param text - the file content; JSON when the first non-space character is `{`, else YAML
 * @param file - the file name used in errors
 * @throws InvalidExportError (also for an empty file), InvalidJsonError, InvalidYamlError,
 *   UnsupportedAuthorizerError
 */
export function parseExportText(text: string, file: string): AuthModel {
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new InvalidExportError('The export file is empty.', {
      file,
      location: lineColumn(1, 1),
      fix: `Export the API again: \`${GET_EXPORT}\`.`,
    });
  }
  const parsed = parseDataText(text, file);
  return buildModelFromExport(parsed.data, { file, locate: parsed.locate });
}

/**
 * Reads and parses an export file.
 *
 * @param file - path as the user gave it (errors repeat it verbatim)
 * @throws InputNotFoundError when the path does not exist, InputUnreadableError for a directory or an unreadable
 *   file, and everything `parseExportText` throws
 */
export async function loadExportFile(file: string): Promise<AuthModel> {
  const fixNotFound = `Export the API first: \`${GET_EXPORT}\`.`;
  // A path that is missing or not a file takes the plain path, where readTextFile names the problem.
  const size = await stat(file).then(
    (info) => (info.isFile() ? info.size : 0),
    () => 0,
  );
  if (size > LARGE_EXPORT_BYTES && (await startsLikeJson(file))) {
    // Large JSON export: never hold the whole text and its whole tree at once (see json-prune.ts).
    try {
      return parseExportText(await readPrunedJson(file), file);
    } catch (err) {
      if (!(err instanceof InvalidJsonError)) throw err;
      // Malformed JSON: parse the original text, whose error positions are exact.
    }
  }
  return parseExportText(await readTextFile(file, 'export file', fixNotFound), file);
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
async function readPrunedJson(file: string): Promise<string> {
  const pruner = new JsonPruner(UNREAD_EXPORT_KEYS);
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    pruner.push(chunk as string);
  }
  return pruner.end();
}

/**
 * Reads a UTF-8 text file, turning file-system failures into input errors.
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
    return await readFile(file, 'utf8');
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
