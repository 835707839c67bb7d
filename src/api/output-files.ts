import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputUnreadableError } from '../errors.js';

export interface OutputFile {
  /** Absolute path. */
  path: string;
  content: string;
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
      await writeFile(temp, file.content, { encoding: 'utf8', flag: 'wx' });
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
    const current = await readFile(file.path, 'utf8').catch(() => undefined);
    if (current !== file.content) stale.push(file.path);
  }
  return stale;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
