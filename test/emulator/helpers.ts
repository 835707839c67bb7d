/**
 * Emulator-only test helpers: fixture paths, an HTTP call that never throws, and the answers the AWS contract fixes.
 * The model and config builders live in test/support/models.ts.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.join(here, 'fixtures');
export const EXAMPLE_HANDLERS = path.resolve(here, '../../examples/authorizers');

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: Record<string, unknown> | undefined;
}

/** fetch + read the body once; never throws on non-2xx. */
export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** The parts of an answer that the AWS contract fixes. */
export function outcome(reply: Reply): { status: number; body: string; errorType: string | null } {
  return { status: reply.status, body: reply.text, errorType: reply.headers.get('x-amzn-errortype') };
}

export const UNAUTHORIZED = {
  status: 401,
  body: '{"message":"Unauthorized"}',
  errorType: 'UnauthorizedException',
};
export const EXPLICIT_DENY = {
  status: 403,
  body: '{"Message":"User is not authorized to access this resource with an explicit deny in an identity-based policy"}',
  errorType: 'AccessDeniedException',
};
export const IMPLICIT_DENY = {
  status: 403,
  body:
    '{"Message":"User is not authorized to access this resource because no identity-based policy allows the ' +
    'execute-api:Invoke action"}',
  errorType: 'AccessDeniedException',
};
export const CONFIG_ERROR = {
  status: 500,
  body: '{"message":null}',
  errorType: 'AuthorizerConfigurationException',
};
export const MISSING_TOKEN = {
  status: 403,
  body: '{"message":"Missing Authentication Token"}',
  errorType: 'MissingAuthenticationTokenException',
};
