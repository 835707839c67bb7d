/**
 * Runs a Postman script template in node:vm against a stub `pm` object, for unit tests of templates/*.js.
 * `require('crypto-js')` gets a shim over node:crypto with just the CryptoJS API the templates use, so the
 * same lines also run in Newman's real sandbox (tested separately in newman.test.ts).
 */

import { createHash, createHmac } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { CASE_FENCE, withFencedBlock } from '../../src/render/descriptor.js';

interface WordArray {
  bytes: Buffer;
  toString(encoder?: Encoder): string;
}
interface Encoder {
  stringify(words: WordArray): string;
  parse(text: string): WordArray;
}

function words(bytes: Buffer): WordArray {
  return { bytes, toString: (encoder: Encoder = Hex) => encoder.stringify(words(bytes)) };
}
function encoder(encoding: BufferEncoding): Encoder {
  return {
    stringify: (w) => w.bytes.toString(encoding),
    parse: (text) => words(Buffer.from(text, encoding)),
  };
}
const Hex = encoder('hex');

/** The subset of CryptoJS the templates use. */
export const cryptoJsShim = {
  enc: { Hex, Base64: encoder('base64'), Utf8: encoder('utf8') },
  SHA256: (message: string) => words(createHash('sha256').update(message, 'utf8').digest()),
  HmacSHA256: (message: string, key: string) =>
    words(createHmac('sha256', key).update(message, 'utf8').digest()),
};

export interface TestResult {
  name: string;
  error?: string;
}

export interface StubResponse {
  code: number;
  body: string;
  headers?: Record<string, string>;
}

export interface SentRequest {
  url: string;
  method: string;
  header: Record<string, string>;
  body: { mode: string; raw?: string; urlencoded?: { key: string; value: string }[] };
}

export interface StubOptions {
  requestName?: string;
  /**
   * The request description (`pm.request.description`), where the case descriptor lives. Absent while the
   * variables hold `_case` (case data as a test writes it): that data becomes the descriptor, as render writes it.
   */
  description?: string;
  /** Local variables (`pm.variables.set`) and the environment, highest precedence first. */
  variables?: Record<string, string>;
  collectionVariables?: Record<string, string>;
  response?: StubResponse;
  /** Answers `pm.sendRequest`; an Error is passed as the callback's `err`. */
  send?: (request: SentRequest) => StubResponse | Error;
}

export interface StubRun {
  tests: TestResult[];
  locals: Map<string, string>;
  collectionVariables: Map<string, string>;
  sent: SentRequest[];
  skipped: boolean;
}

/** Evaluates `code` (a whole Postman script) like the sandbox does: wrapped in a function, `pm` in scope. */
export function runScript(code: string, options: StubOptions = {}): StubRun {
  const locals = new Map<string, string>();
  const env = new Map(Object.entries(options.variables ?? {}));
  const collectionVariables = new Map(Object.entries(options.collectionVariables ?? {}));
  const run: StubRun = { tests: [], locals, collectionVariables, sent: [], skipped: false };
  const get = (key: string): string | undefined =>
    locals.get(key) ?? env.get(key) ?? collectionVariables.get(key);
  const response = options.response ?? { code: 200, body: '' };
  const responseHeaders = new Map(
    Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const legacyCase = options.variables?._case;
  const description =
    options.description ??
    (legacyCase === undefined ? undefined : withFencedBlock('', CASE_FENCE, JSON.parse(legacyCase)));
  const pm = {
    info: { requestName: options.requestName ?? 'request' },
    request: { description },
    variables: {
      get,
      set: (key: string, value: string) => locals.set(key, String(value)),
      replaceIn: (text: string) =>
        text.replace(/\{\{([^{}]+)\}\}/g, (whole, key: string) => get(key) ?? whole),
    },
    collectionVariables: {
      get: (key: string) => collectionVariables.get(key),
      set: (key: string, value: string) => collectionVariables.set(key, String(value)),
    },
    execution: { skipRequest: () => (run.skipped = true) },
    test: (name: string, fn: () => void) => {
      try {
        fn();
        run.tests.push({ name });
      } catch (err) {
        run.tests.push({ name, error: (err as Error).message });
      }
    },
    response: {
      code: response.code,
      text: () => response.body,
      headers: { get: (name: string) => responseHeaders.get(name.toLowerCase()) },
    },
    sendRequest: (request: SentRequest, callback: (err: Error | null, res: unknown) => void) => {
      run.sent.push(request);
      const answer = options.send ? options.send(request) : new Error('no send stub');
      if (answer instanceof Error) {
        callback(answer, undefined);
        return;
      }
      callback(null, { code: answer.code, text: () => answer.body, json: () => JSON.parse(answer.body) });
    },
  };
  const require = (name: string): unknown => {
    if (name === 'crypto-js') return cryptoJsShim;
    throw new Error(`Cannot find module '${name}'`);
  };
  runInNewContext(`(function () {\n${code}\n})();`, { pm, require, BigInt, JSON, Date, Math });
  return run;
}

/** The failures of a stub run, as `name: message`. */
export function failures(run: StubRun): string[] {
  return run.tests.filter((t) => t.error !== undefined).map((t) => `${t.name}: ${t.error}`);
}
