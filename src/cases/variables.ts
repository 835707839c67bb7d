/**
 * The run-time variables a plan's cases reference (`{{name}}`), with descriptions for the environment file
 * and the `generate` output. Secrets never get a value.
 */

import type { AuthModel } from '../model/types.js';
import { API_KEY_VARIABLE } from './route-request.js';
import type { AuthCase, Credential, VariableSpec } from './types.js';

const REFERENCE = /\{\{([^{}]+)\}\}/g;

/** The optional tokens of a JWT authorizer only its issuer can mint (CONTRACT.md), by variable suffix. */
const JWT_SUPPLIED_TOKENS = {
  expiredToken: 'a token whose exp has passed',
  notYetValidToken: 'a token whose nbf is in the future',
  otherIssuerToken: 'a token with another iss',
  issuerSlashToken: 'a token whose iss is the issuer with its trailing slash added or removed',
  otherAudienceToken: 'a token whose aud (or client_id) is none of the audiences',
  missingClaimToken: 'a token without the first required claim',
  wrongClaimToken: 'a token with a wrong value of the first claim rule with expected values',
} as const;

function referencesIn(value: string): string[] {
  if (!value.includes('{{')) return [];
  return [...value.matchAll(REFERENCE)].map((match) => match[1] ?? '').filter(Boolean);
}

function credentialStrings(credential: Credential): string[] {
  switch (credential.kind) {
    case 'raw':
      return [...credential.headers, ...credential.query].map((entry) => entry.value);
    case 'forged-token':
      return credential.source.kind === 'value' ? [credential.source.value] : [];
    case 'none':
    case 'cognito-token':
    case 'sigv4':
      return [];
  }
}

interface Usage {
  /** Referenced somewhere other than the concrete path (path samples are not secrets). */
  outsidePath: boolean;
  /** Every referencing case is skipped when the variable is empty. */
  optional: boolean;
}

function describe(model: AuthModel, key: string): string | undefined {
  if (key === API_KEY_VARIABLE) return 'API key sent as x-api-key to methods with apiKeyRequired.';
  const authorizer = model.authorizers
    .filter((candidate) => key.startsWith(`${candidate.name}.`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!authorizer) return undefined;
  const rest = key.slice(authorizer.name.length + 1);
  const name = authorizer.name;
  if (authorizer.kind === 'TOKEN' && rest === 'validToken') {
    return `A token the Lambda TOKEN authorizer ${name} allows on all its routes.`;
  }
  if (authorizer.kind === 'TOKEN' && rest === 'denyToken') {
    return `A token the Lambda TOKEN authorizer ${name} answers with an explicit Deny.`;
  }
  if (authorizer.kind === 'COGNITO_USER_POOLS' && rest === 'expiredToken') {
    return `Optional: an expired token of ${name}'s user pool; enables the expired-token case.`;
  }
  if (authorizer.kind === 'JWT' && Object.hasOwn(JWT_SUPPLIED_TOKENS, rest)) {
    const what = JWT_SUPPLIED_TOKENS[rest as keyof typeof JWT_SUPPLIED_TOKENS];
    return `Optional: ${what}, otherwise valid for JWT authorizer ${name} (minted by its issuer); enables its case.`;
  }
  const source = authorizer.identitySources.find((candidate) => candidate.expression === rest);
  if (authorizer.kind === 'REQUEST' && source) {
    return `A value of identity source ${source.expression} that the Lambda REQUEST authorizer ${name} allows.`;
  }
  if (authorizer.kind === 'HTTP_LAMBDA' && source) {
    return `A value of identity source ${source.expression} that the HTTP API Lambda authorizer ${name} allows.`;
  }
  return undefined;
}

/** Every `{{variable}}` the cases reference, sorted by key. */
export function collectVariables(model: AuthModel, cases: AuthCase[]): VariableSpec[] {
  const usages = new Map<string, Usage>();
  const note = (key: string, outsidePath: boolean, testCase: AuthCase) => {
    const previous = usages.get(key) ?? { outsidePath: false, optional: true };
    usages.set(key, {
      outsidePath: previous.outsidePath || outsidePath,
      optional: previous.optional && testCase.skipUnlessVariable === key,
    });
  };
  for (const testCase of cases) {
    for (const key of referencesIn(testCase.path)) note(key, false, testCase);
    const strings = [
      ...testCase.headers.map((header) => header.value),
      ...credentialStrings(testCase.credential),
    ];
    for (const key of strings.flatMap(referencesIn)) note(key, true, testCase);
    if (testCase.skipUnlessVariable !== undefined) note(testCase.skipUnlessVariable, true, testCase);
  }
  return [...usages.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, usage]) => ({
      key,
      value: '',
      // tokens, identity values and API keys are credentials; only path samples are not
      secret: usage.outsidePath,
      required: !usage.optional,
      description: describe(model, key) ?? `Referenced by the configuration; supply it at run time.`,
    }));
}
