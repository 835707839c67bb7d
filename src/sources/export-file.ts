/**
 * Reads an API Gateway export file (OpenAPI 3 or Swagger 2.0, JSON or YAML) into an AuthModel.
 * `parseExportText` is pure; `loadExportFile` is the I/O edge.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html
 */

import { readFile, stat } from 'node:fs/promises';
import { InputNotFoundError, InputUnreadableError, InvalidExportError } from '../errors.js';
import { buildModelFromExport } from '../model/build-from-export.js';
import type { AuthModel } from '../model/types.js';
import { lineColumn, parseDataText } from './export-file-text.js';

const GET_EXPORT =
  'aws apigateway get-export --rest-api-id ID --stage-name STAGE --export-type oas30 ' +
  '--parameters extensions=authorizers export.json';

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
  return parseExportText(
    await readTextFile(file, 'export file', `Export the API first: \`${GET_EXPORT}\`.`),
    file,
  );
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
