/**
 * What the REST REQUEST and the HTTP API Lambda derivers share: the identity sources a client sends (headers and
 * query strings; stage variables and context values come from API Gateway itself), the credential that carries
 * them, and the cases that withhold them. The two kinds differ only in their answers and hints.
 */

import type { Authorizer, IdentitySource } from '../model/types.js';
import { rejectCase } from './context.js';
import type { CaseSpec, DeriveContext } from './context.js';
import type { Rejection } from './expectations.js';
import type { AuthCase, Credential } from './types.js';

/** The value every client-supplied source gets in the unknown-values case. */
export const UNKNOWN_IDENTITY_VALUE = 'apigw-authz-unknown';

/** A source the client sends, with the valid value the cases put in. */
export interface ClientSource {
  source: IdentitySource;
  value: string;
}

export function isClientSupplied(source: IdentitySource): boolean {
  return source.location === 'header' || source.location === 'querystring';
}

export function describeSource(source: IdentitySource): string {
  return source.location === 'header' ? `header ${source.name}` : `query string ${source.name}`;
}

/** Raw headers and query parameters for the given sources, each with the value `valueOf` picks. */
export function credentialOf(sources: ClientSource[], valueOf: (source: ClientSource) => string): Credential {
  return {
    kind: 'raw',
    headers: sources
      .filter(({ source }) => source.location === 'header')
      .map((entry) => ({ name: entry.source.name, value: valueOf(entry) })),
    query: sources
      .filter(({ source }) => source.location === 'querystring')
      .map((entry) => ({ name: entry.source.name, value: valueOf(entry) })),
  };
}

/** Without a client-supplied source no request can withhold credentials: say so once per authorizer. */
export function noClientSourceWarnings(authorizer: Authorizer, sources: ClientSource[]): string[] {
  return sources.length === 0
    ? [
        `${authorizer.name}: no header or query-string identity source, so a request cannot withhold ` +
          'credentials; only positive cases are generated.',
      ]
    : [];
}

/** How one Lambda kind answers a withheld source and unknown values, and the hints that explain each. */
export interface IdentityAnswers {
  missing: { hint: string; rejections: Rejection[] };
  unknown: { hint: string; rejections: Rejection[] };
}

type Base = Pick<CaseSpec, 'route' | 'authorizer' | 'group' | 'routeHeaders'>;

/** No credentials at all: the one source by name when there is one. */
export function missingSourcesCase(
  ctx: DeriveContext,
  base: Base,
  sources: ClientSource[],
  answers: IdentityAnswers,
): AuthCase {
  const only = sources.length === 1 ? sources[0] : undefined;
  return rejectCase(
    ctx,
    {
      ...base,
      id: 'missing-credentials',
      label: only ? `missing ${describeSource(only.source)}` : 'missing identity sources',
      credential: { kind: 'none' },
      polarity: 'negative',
      hint: answers.missing.hint,
    },
    answers.missing.rejections,
  );
}

/** Each source withheld in turn (when there are several), then every source with an unknown value. */
export function identityNegatives(
  ctx: DeriveContext,
  base: Base,
  sources: ClientSource[],
  answers: IdentityAnswers,
): AuthCase[] {
  const cases: AuthCase[] = [];
  // with one source, "missing credentials" already withholds it
  if (sources.length > 1) {
    for (const missing of sources) {
      const rest = sources.filter((entry) => entry !== missing);
      const prefix = missing.source.location === 'header' ? 'header' : 'query';
      cases.push(
        rejectCase(
          ctx,
          {
            ...base,
            id: `missing-${prefix}-${missing.source.name}`,
            label: `missing ${describeSource(missing.source)}`,
            credential: credentialOf(rest, (entry) => entry.value),
            polarity: 'negative',
            hint: answers.missing.hint,
          },
          answers.missing.rejections,
        ),
      );
    }
  }
  cases.push(
    rejectCase(
      ctx,
      {
        ...base,
        id: 'unknown-identity',
        label: 'unknown identity values',
        credential: credentialOf(sources, () => UNKNOWN_IDENTITY_VALUE),
        polarity: 'negative',
        hint: answers.unknown.hint,
      },
      answers.unknown.rejections,
    ),
  );
  return cases;
}
