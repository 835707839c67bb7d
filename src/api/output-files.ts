import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { InputUnreadableError } from '../errors.js';
import { jsonChunks } from './json-chunks.js';

export interface OutputFile {
  /** Absolute path. */
  path: string;
  /**
   * The whole text, made on each read. Writing and `--check` use `chunks()`, which never holds a large
   * collection's text at once.
   */
  readonly content: string;
  /** The text in order, in pieces: joined, they are `content`. Each call starts again from the beginning. */
  chunks(): Iterable<string>;
}

/** A file whose text is known. */
export function textFile(filePath: string, text: string): OutputFile {
  return { path: filePath, content: text, chunks: () => [text] };
}

/** A file holding `value` in the generated files' JSON layout (`serializeJson`), serialized when it is written. */
export function jsonFile(filePath: string, value: unknown): OutputFile {
  return {
    path: filePath,
    get content() {
      return [...jsonChunks(value)].join('');
    },
    chunks: () => jsonChunks(value),
  };
}

/**
 * Writes every file or none: each goes to a temporary sibling first, and only when all of them are written
 * are they renamed into place (rename is atomic on one filesystem), so a failure leaves no half-written output.
 */
export async function writeFilesAtomically(files: OutputFile[]): Promise<void> {
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const file of files) {
      await mkdir(path.dirname(file.path), { recursive: true });
      const temp = `${file.path}.${randomBytes(6).toString('hex')}.tmp`;
      staged.push({ temp, target: file.path });
      const handle = await open(temp, 'wx');
      try {
        for (const chunk of file.chunks()) await handle.write(chunk, null, 'utf8');
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    await Promise.all(staged.map((entry) => rm(entry.temp, { force: true })));
    throw new InputUnreadableError(
      `cannot write ${staged.at(-1)?.target ?? 'output'}: ${errorMessage(error)}`,
      {
        fix: 'check that the output directory is writable',
        cause: error,
      },
    );
  }
  for (const entry of staged) await rename(entry.temp, entry.target);
}

/** Files whose content on disk differs from what would be written (missing files count as stale). */
export async function staleFiles(files: OutputFile[]): Promise<string[]> {
  const stale: string[] = [];
  for (const file of files) {
    if (!(await sameOnDisk(file))) stale.push(file.path);
  }
  return stale;
}

/** Whether the file on disk holds exactly the file's text, compared piece by piece; false when unreadable. */
async function sameOnDisk(file: OutputFile): Promise<boolean> {
  const handle = await open(file.path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    let position = 0;
    for (const chunk of file.chunks()) {
      const wanted = Buffer.from(chunk, 'utf8');
      const actual = Buffer.alloc(wanted.length);
      const { bytesRead } = await handle.read(actual, 0, wanted.length, position);
      if (bytesRead !== wanted.length || !actual.equals(wanted)) return false;
      position += bytesRead;
    }
    const { bytesRead } = await handle.read(Buffer.alloc(1), 0, 1, position);
    return bytesRead === 0;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
