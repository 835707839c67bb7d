/**
 * The README's runnable parts, parsed: every ```console block is a list of `$ ` commands with the output the block
 * shows under each; HTML comments on the line above a fence steer the doc test.
 *
 * Markers (the nearest non-blank line above the opening fence):
 * - `<!-- doc-test: skip (reason) -->`: the console block is not run; the reason is required.
 * - `<!-- doc-test: file NAME -->`: the block below (any language) is written to NAME in the work folder before any
 *   command runs, so the README can show a file that its commands use.
 * - `<!-- doc-test: exit N -->`: the block's last command is expected to exit with N (default: every command 0).
 *
 * Commands: `[VAR=value ...] npx apigw-authz ARGS` (or `apigw-authz ARGS`), `npm start`, `npm run NAME [-- ARGS]`,
 * `node scripts/NAME.mjs ARGS`. A trailing `&` runs the command in the background (serve always does) until the
 * block ends. `VAR=…` takes the doc test's value for VAR. A `…` argument (an abridged command) is an error: a
 * reader cannot guess what it stands for.
 */

export interface DocCommand {
  /** 1-based README line of the `$`. */
  line: number;
  /** The command as written (continuations joined). */
  text: string;
  env: Record<string, string>;
  program: 'apigw-authz' | 'npm' | 'node';
  args: string[];
  background: boolean;
  /** The lines the block shows under the command (blank lines dropped). */
  expected: string[];
}

export interface DocBlock {
  line: number;
  skip?: string;
  exitCode?: number;
  commands: DocCommand[];
}

export interface DocFile {
  line: number;
  name: string;
  content: string;
}

export interface ParsedReadme {
  blocks: DocBlock[];
  files: DocFile[];
  /** Problems that fail the doc test: a skip without a reason, an unsupported or abridged command. */
  errors: string[];
}

/** The value the doc test gives `VAR=…`. */
export const ELIDED = '…';

export function parseReadme(text: string): ParsedReadme {
  const lines = text.split('\n');
  const parsed: ParsedReadme = { blocks: [], files: [], errors: [] };
  for (let index = 0; index < lines.length; index++) {
    const fence = /^(`{3,})(\S*)\s*$/.exec(lines[index] ?? '');
    if (!fence) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] ?? '').startsWith(fence[1] ?? '```'); index++) {
      body.push(lines[index] ?? '');
    }
    const marker = markerAbove(lines, start);
    if (marker?.kind === 'file') {
      parsed.files.push({ line: start + 1, name: marker.value, content: `${body.join('\n')}\n` });
      continue;
    }
    if (fence[2] !== 'console') continue;
    const block: DocBlock = { line: start + 1, commands: [] };
    if (marker?.kind === 'skip') {
      if (!/^\(.*\S.*\)$/.test(marker.value)) {
        parsed.errors.push(`README line ${start}: "doc-test: skip" needs a reason in parentheses.`);
      }
      block.skip = marker.value || '(no reason)';
    }
    if (marker?.kind === 'exit') block.exitCode = Number(marker.value);
    if (marker?.kind === 'unknown')
      parsed.errors.push(`README line ${start}: unknown doc-test marker "${marker.value}".`);
    readCommands(body, start + 2, block, parsed.errors);
    parsed.blocks.push(block);
  }
  return parsed;
}

type Marker = { kind: 'skip' | 'file' | 'exit' | 'unknown'; value: string };

function markerAbove(lines: string[], fenceIndex: number): Marker | undefined {
  // Prettier keeps a blank line between an HTML comment and the fence: the nearest non-blank line counts.
  let index = fenceIndex - 1;
  while (index > 0 && (lines[index] ?? '').trim() === '') index -= 1;
  const above = (lines[index] ?? '').trim();
  const match = /^<!--\s*doc-test:\s*(\w+)\s*(.*?)\s*-->$/.exec(above);
  if (!match) return undefined;
  const [, kind = '', value = ''] = match;
  if (kind === 'skip') return { kind, value };
  if (kind === 'file' && value !== '') return { kind, value };
  if (kind === 'exit' && /^\d+$/.test(value)) return { kind, value };
  return { kind: 'unknown', value: `${kind} ${value}`.trim() };
}

function readCommands(body: string[], firstLine: number, block: DocBlock, errors: string[]): void {
  let current: DocCommand | undefined;
  for (let index = 0; index < body.length; index++) {
    let line = body[index] ?? '';
    const lineNumber = firstLine + index;
    if (!line.startsWith('$ ')) {
      if (current && line.trim() !== '') current.expected.push(line);
      continue;
    }
    while (line.endsWith('\\')) line = `${line.slice(0, -1).trimEnd()} ${(body[++index] ?? '').trim()}`;
    const text = line.slice(2).trim();
    current = parseCommand(text, lineNumber, errors);
    if (current) block.commands.push(current);
  }
}

function parseCommand(text: string, line: number, errors: string[]): DocCommand | undefined {
  const words = shellWords(text);
  const env: Record<string, string> = {};
  while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const word = words.shift() ?? '';
    const at = word.indexOf('=');
    env[word.slice(0, at)] = word.slice(at + 1);
  }
  let background = false;
  if (words.at(-1) === '&') {
    background = true;
    words.pop();
  }
  if (words.includes(ELIDED)) {
    errors.push(`README line ${line}: \`${text}\` is abridged ("${ELIDED}"): spell out every argument.`);
    return undefined;
  }
  const fail = (): undefined => {
    errors.push(
      `README line ${line}: \`${text}\` is not a command the doc test can run (see test/readme/doc-blocks.ts).`,
    );
    return undefined;
  };
  const [first, second, ...rest] = words;
  if (first === 'npx' && second === 'apigw-authz') return command('apigw-authz', rest);
  if (first === 'apigw-authz') return command('apigw-authz', [second ?? '', ...rest].filter(Boolean));
  if (first === 'npm' && (second === 'start' || second === 'run')) return command('npm', [second, ...rest]);
  if (first === 'node' && second?.startsWith('scripts/')) return command('node', [second, ...rest]);
  return fail();

  function command(program: DocCommand['program'], args: string[]): DocCommand {
    const serve = program === 'apigw-authz' && args[0] === 'serve';
    return { line, text, env, program, args, background: background || serve, expected: [] };
  }
}

/** Splits a command line like a POSIX shell does for plain words and '…' / "…" quotes (no expansions). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Output as the comparison sees it: no ANSI, no blank lines, times and sizes as N. */
export function normalizeOutput(text: string): string[] {
  return text
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .map(normalizeLine);
}

export function normalizeLine(line: string): string {
  return line
    .replace(/\b\d+(?:\.\d+)?\s?(ms|s|B|KB|kB|MB)\b/g, 'N$1')
    .replace(/^wrote .*[/\\]([^/\\]+)$/, 'wrote generated/$1');
}

/**
 * Whether `actual` matches `expected`: a line `…` stands for any number of lines, a `…` inside a line for any text
 * on it; other lines must be equal after `normalizeLine`.
 */
export function matchesAbridged(actual: string[], expected: string[]): boolean {
  const [head, ...rest] = expected;
  if (head === undefined) return actual.length === 0;
  if (head.trim() === ELIDED) {
    for (let skip = 0; skip <= actual.length; skip++) {
      if (matchesAbridged(actual.slice(skip), rest)) return true;
    }
    return false;
  }
  const first = actual[0];
  return first !== undefined && lineMatches(first, head) && matchesAbridged(actual.slice(1), rest);
}

function lineMatches(actual: string, expected: string): boolean {
  const want = normalizeLine(expected.trimEnd());
  if (!want.includes(ELIDED)) return normalizeLine(actual) === want;
  const pattern = want
    .split(ELIDED)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(normalizeLine(actual));
}

/**
 * Every `127.0.0.1:N`, `localhost:N` and `--*port N` in `text` with N replaced through `ports` (README port -> a
 * free port), so the doc test never collides with another server and stays consistent across commands and files.
 */
export function remapPorts(text: string, ports: Map<number, number>): string {
  const map = (port: string): string => String(ports.get(Number(port)) ?? port);
  return text
    .replace(
      /\b(127\.0\.0\.1|localhost):(\d{2,5})\b/g,
      (_m, host: string, port: string) => `${host}:${map(port)}`,
    )
    .replace(/(--[\w-]*port[ =])(\d{2,5})\b/g, (_m, flag: string, port: string) => `${flag}${map(port)}`);
}

/** The ports `remapPorts` would replace. */
export function portsIn(text: string): number[] {
  const found = new Set<number>();
  for (const m of text.matchAll(/\b(?:127\.0\.0\.1|localhost):(\d{2,5})\b/g)) found.add(Number(m[1]));
  for (const m of text.matchAll(/--[\w-]*port[ =](\d{2,5})\b/g)) found.add(Number(m[1]));
  found.delete(0);
  return [...found].sort((a, b) => a - b);
}
