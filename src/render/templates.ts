import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { InternalError } from '../errors.js';

/** The Postman script templates shipped with the package (`templates/` at the package root). */
export type TemplateName =
  | 'assert-case.js'
  | 'cognito-token.js'
  | 'forge-token.js'
  | 'oidc-token.js'
  | 'prerequest.js'
  | 'token-fetch.js';

/** `templates/` beside `src/` (tests) and beside `dist/` (the published package): both are two levels up. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

const cache = new Map<string, string>();

function readTemplateFile(file: string): string {
  const hit = cache.get(file);
  if (hit !== undefined) return hit;
  let text: string;
  try {
    text = readFileSync(new URL(file, new URL('../../templates/', import.meta.url)), 'utf8');
  } catch (cause) {
    throw new InternalError(`cannot read the template ${file} from ${TEMPLATES_DIR}`, {
      cause,
      fix: 'reinstall apigw-authz: the templates/ directory ships with the package',
    });
  }
  cache.set(file, text);
  return text;
}

/** A script template as Postman `exec` lines (no trailing empty line). */
export function templateLines(name: TemplateName): string[] {
  const lines = readTemplateFile(name).replace(/\r\n/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The deliberately public RSA test key the forge script signs `foreign-key`/`other-issuer` tokens with. */
export interface ForeignTestKey {
  kty: 'RSA';
  kid: string;
  n: string;
  e: string;
  d: string;
}

/** `templates/foreign-test-key.json` (a JWK), without its description. */
export function foreignTestKey(): ForeignTestKey {
  const jwk = JSON.parse(readTemplateFile('foreign-test-key.json')) as ForeignTestKey;
  return { kty: jwk.kty, kid: jwk.kid, n: jwk.n, e: jwk.e, d: jwk.d };
}
