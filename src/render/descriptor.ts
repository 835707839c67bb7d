/**
 * The data a request carries instead of scripts: its case descriptor, a fenced JSON block at the end of the
 * request description (Markdown the Postman app shows), and the suite metadata at the end of the collection
 * description. The collection's scripts (templates/*.js) and `run` parse the same blocks.
 */

import type { CognitoTokenUse, Expectation, Forgery } from '../cases/types.js';
import type { CaseCategory } from '../run/types.js';

/** The info string of the fenced block that ends a request description. */
export const CASE_FENCE = 'apigw-authz-case';
/** The info string of the fenced block that ends the collection description. */
export const SUITE_FENCE = 'apigw-authz-suite';

/**
 * What the collection's scripts and `run` need about one request's case, as the request description holds it.
 * The case name is the request name and the route is the key up to `#`: neither is repeated (a 5,000-route
 * suite has 14,000 requests; every byte counts), `caseDescriptorOf` fills them in.
 */
export interface CaseDescriptorData {
  /** Unique in the collection, `METHOD /path-template#case-id`, e.g. `GET /pets#missing-credentials`. */
  key: string;
  authorizer?: string;
  category: CaseCategory;
  /** The expected outcome; a rejection's `headers` is left out when empty. */
  expect: Expectation;
  /** Index into the hint table of the collection-level test script (`apigwAuthzHints`). */
  hint: number;
  /** Skip the request when this variable is empty (an optional input such as the expired token). */
  skipUnless?: string;
  /**
   * The Cognito token the request sends or forges from; the pre-request logic fetches it first. It is cached in
   * `_<authorizer>.idToken` / `.accessToken` / `.unscopedAccessToken` (render's `cachedTokenVariable`).
   */
  token?: { authorizer: string; use: CognitoTokenUse };
  /**
   * Forge `{{_forged}}` from `source` (a `{{variable}}` or a literal) before the request; `jwks` (the
   * algorithm-confusion forgery): the issuer's key set URL, `{{NAME.jwksUrl}}`.
   */
  forge?: { forgery: Forgery; source: string; jwks?: string };
}

/** A case descriptor with the request name and the route filled in. */
export interface CaseDescriptor extends CaseDescriptorData {
  /** The request name. */
  name: string;
  /** `METHOD /path-template` of the route (the key up to `#`). */
  route: string;
}

/** One authorizer as `run` sees it (no secrets: values are `{{variable}}` references or public ids). */
export interface SuiteAuthorizer {
  name: string;
  kind: string;
  /** Where the real tokens come from (Cognito and JWT authorizers): the Cognito or the generic OIDC token script. */
  provider?: 'cognito' | 'oidc';
  tokenHeader?: string;
  issuer?: string;
  userPoolId?: string;
  region?: string;
  clientId?: string;
  /**
   * The token flows: `token` (Cognito: ID tokens and plain access tokens; OIDC: every token) and `accessToken`
   * (Cognito: scoped ones).
   */
  tokenFlows?: { token: string; accessToken?: string };
  /** The collection variables the token logic caches each token use in. */
  tokenVariables?: Partial<Record<CognitoTokenUse, string>>;
}

export interface SuiteMetadata {
  format: 1;
  authorizers: SuiteAuthorizer[];
  variables: { required: string[]; optional: string[] };
}

/** JSON for a fenced block: backticks (only possible inside strings) escaped so no value can close the fence. */
function fencedJson(json: string): string {
  return json.includes('`') ? json.replace(/`/g, '\\u0060') : json;
}

/** `text` followed by a fenced block `info` holding `value` as one line of JSON. */
export function withFencedBlock(text: string, info: string, value: unknown): string {
  return withFencedJson(text, info, JSON.stringify(value));
}

/** `withFencedBlock` of a value already serialized (`json` is `JSON.stringify` of it). */
export function withFencedJson(text: string, info: string, json: string): string {
  return `${text}\n\n\`\`\`${info}\n${fencedJson(json)}\n\`\`\`\n`;
}

/** The text of a Postman description: a string, or an object with `content` (postman-collection's Description). */
function descriptionText(description: unknown): string | undefined {
  if (typeof description === 'string') return description;
  if (description !== null && typeof description === 'object' && 'content' in description) {
    const content = (description as { content: unknown }).content;
    return typeof content === 'string' ? content : undefined;
  }
  return undefined;
}

/** The JSON value of the last fenced block `info` in a description, or undefined when there is none or it is bad. */
export function fencedBlockOf(description: unknown, info: string): unknown {
  const text = descriptionText(description);
  if (text === undefined) return undefined;
  const open = text.lastIndexOf(`\`\`\`${info}\n`);
  if (open < 0) return undefined;
  const start = open + info.length + 4;
  const end = text.indexOf('\n```', start);
  if (end < 0) return undefined;
  try {
    return JSON.parse(text.slice(start, end)) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The case descriptor of a request description, or undefined when it has none (or a malformed one).
 * @param name the request name (the case name)
 */
export function parseCaseDescriptor(description: unknown, name: string): CaseDescriptor | undefined {
  const value = fencedBlockOf(description, CASE_FENCE);
  if (!isRecord(value) || typeof value.key !== 'string' || !isRecord(value.expect)) return undefined;
  const at = value.key.lastIndexOf('#');
  const expect = value.expect as Record<string, unknown>;
  return {
    ...(value as unknown as CaseDescriptorData),
    expect: (expect.outcome === 'rejected' && !Array.isArray(expect.headers)
      ? { ...expect, headers: [] }
      : expect) as unknown as Expectation,
    name: typeof value.name === 'string' ? value.name : name,
    route: typeof value.route === 'string' ? value.route : value.key.slice(0, at < 0 ? undefined : at),
  };
}

/** The suite metadata of a collection description, or undefined when it has none of a known format. */
export function parseSuiteMetadata(description: unknown): SuiteMetadata | undefined {
  const value = fencedBlockOf(description, SUITE_FENCE);
  if (!isRecord(value) || value.format !== 1 || !Array.isArray(value.authorizers)) return undefined;
  if (!isRecord(value.variables)) return undefined;
  return value as unknown as SuiteMetadata;
}
