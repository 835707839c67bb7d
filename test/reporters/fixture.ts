/**
 * A realistic run of the bundled example's suite, as case records: what the reporters' tests render. Names,
 * messages and hints follow what `templates/assert-case.js` and `src/cases/hints.ts` produce; two cases fail the
 * way the mutation tests make them fail (a forged token let through, a cached policy scoped to one method), one
 * is skipped for a missing optional input and the client-credentials folder is blocked by its token fetch.
 */

import { HINTS } from '../../src/cases/hints.js';
import type { ReportedRun } from '../../src/run/reporters/index.js';
import type { CaseFailure, CaseRecord } from '../../src/run/types.js';

/** A JWT-shaped string that a broken backend echoed: it must not survive into any report. */
export const ECHOED_JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3Qta2V5In0.eyJzdWIiOiJhbGljZSIsInRva2VuX3VzZSI6ImlkIn0.c2lnbmF0dXJlLW5vdC1yZWFs';
/** A client secret that a token endpoint error quoted back: redacted when the run's redactor knows it. */
export const CLIENT_SECRET = 'm2m-client-secret-not-real-0001';

const DENY = {
  outcome: 'rejected',
  statuses: [401],
  messages: ['Unauthorized'],
  errorType: 'UnauthorizedException',
} as const;
const ALLOW = { outcome: 'authorized', statuses: [], messages: [] } as const;

let nextOrder = 0;

/** One case record with example defaults; `order` increases with each call unless given. */
export function caseRecord(
  partial: Partial<CaseRecord> & Pick<CaseRecord, 'name' | 'route' | 'category'>,
): CaseRecord {
  const folder = partial.folder ?? 'CognitoAuth';
  return {
    key: `${partial.route}#${partial.category}-${nextOrder}`,
    folder,
    authorizer: folder === 'Public routes' ? undefined : folder,
    expected: { ...DENY, statuses: [...DENY.statuses], messages: [...DENY.messages] },
    outcome: 'passed',
    failures: [],
    order: nextOrder++,
    ...partial,
  };
}

function deny(
  name: string,
  route: string,
  category: CaseRecord['category'],
  folder = 'CognitoAuth',
): CaseRecord {
  const [method = 'GET', path = '/'] = route.split(' ');
  return caseRecord({
    name: `[${method}] ${path} - deny: ${name} (${folder})`,
    route,
    category,
    folder,
    actual: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  });
}

function allow(
  name: string,
  route: string,
  folder = 'CognitoAuth',
  category: CaseRecord['category'] = 'positive',
): CaseRecord {
  const [method = 'GET', path = '/'] = route.split(' ');
  return caseRecord({
    name: `[${method}] ${path} - allow: ${name} (${folder})`,
    route,
    category,
    folder,
    expected: { ...ALLOW, statuses: [], messages: [] },
    actual: { status: 200, message: null },
  });
}

function failure(record: CaseRecord, what: string, got: string, hint: string): CaseRecord {
  return {
    ...record,
    outcome: 'failed',
    failures: [`[${record.name}] ${what}; ${got}. Hint: ${hint}`],
    hint,
  };
}

/** The example run: 20 cases in 4 folders; 14 passed, 3 failed, 1 skipped, 2 blocked. */
export function exampleRun(extraFailures: CaseFailure[] = []): ReportedRun {
  nextOrder = 0;
  const forged = deny('tampered payload (original signature)', 'GET /pets', 'forged');
  const scopeless = deny('access token without scope pets/write', 'POST /pets', 'wrong-scope');
  const bleed = allow(
    'same token on a second route (cache)',
    'GET /orders/{orderId}',
    'TokenAuth',
    'cache-bleed',
  );
  const cases: CaseRecord[] = [
    caseRecord({
      name: '[GET] /health - public: reachable without credentials',
      route: 'GET /health',
      category: 'other',
      folder: 'Public routes',
      expected: { ...ALLOW, statuses: [], messages: [] },
      actual: { status: 200, message: null },
    }),
    allow('valid ID token', 'GET /pets'),
    deny('missing Authorization header', 'GET /pets', 'missing'),
    deny('not a JWT', 'GET /pets', 'malformed'),
    deny('token with a space inside', 'GET /pets', 'malformed'),
    failure(
      { ...forged, actual: { status: 200, message: `hello ${ECHOED_JWT}` } },
      'expected 401 "Unauthorized" (the token was forged)',
      `got 200 {"message":"hello ${ECHOED_JWT}"}`,
      HINTS.cognitoPoolIssuer,
    ),
    deny('alg none (unsigned)', 'GET /pets', 'forged'),
    {
      ...deny('expired token', 'GET /pets', 'expired'),
      outcome: 'skipped',
      actual: undefined,
      skippedReason: 'needs CognitoAuth.expiredToken',
      expected: { outcome: 'rejected', statuses: [401], messages: ['The incoming token has expired'] },
    },
    deny('CORS header on the 401 answer', 'GET /pets', 'cors'),
    allow('valid access token with scope pets/read', 'GET /pets/{petId}'),
    deny('access token without scope pets/read', 'GET /pets/{petId}', 'wrong-scope'),
    allow('valid access token with scope pets/write', 'POST /pets'),
    failure(
      { ...scopeless, actual: { status: 201, message: null } },
      'expected 401 "Unauthorized"',
      'got 201 {"id":7,"name":"Rex & <Co>"}',
      HINTS.cognitoScope,
    ),
    allow('valid token', 'GET /orders', 'TokenAuth'),
    deny('missing auth header', 'GET /orders', 'missing', 'TokenAuth'),
    deny('token failing the validation expression', 'GET /orders', 'malformed', 'TokenAuth'),
    {
      ...deny('deny token (explicit Deny)', 'GET /orders', 'other', 'TokenAuth'),
      expected: {
        outcome: 'rejected',
        statuses: [403],
        messages: ['User is not authorized to access this resource with an explicit deny'],
        errorType: 'AccessDeniedException',
      },
      actual: {
        status: 403,
        message: 'User is not authorized to access this resource with an explicit deny',
        errorType: 'AccessDeniedException',
      },
    },
    failure(
      {
        ...bleed,
        actual: {
          status: 403,
          message: 'User is not authorized to access this resource',
          errorType: 'AccessDeniedException',
        },
      },
      'expected authorized (not 401/403)',
      'got 403 (x-amzn-ErrorType: AccessDeniedException) {"Message":"User is not authorized to access this resource"}',
      HINTS.caching,
    ),
    ...(['positive', 'wrong-scope'] as const).map((category) =>
      caseRecord({
        name: `[GET] /reports - ${category === 'positive' ? 'allow: valid access token with scope reports/read' : 'deny: access token without scope reports/read'} (CognitoM2M)`,
        route: 'GET /reports',
        category,
        folder: 'CognitoM2M',
        ...(category === 'positive' ? { expected: { ...ALLOW, statuses: [], messages: [] } } : {}),
        outcome: 'blocked',
        blockedBy: `token fetch for CognitoM2M (client_credentials): 400 {"error":"invalid_client","client_secret":"${CLIENT_SECRET}"}`,
      }),
    ),
  ];
  // Run order is the order above (the failing records were built first, to be wrapped).
  cases.forEach((c, i) => (c.order = i));
  const perAuthorizer: Record<string, { passed: number; failed: number }> = {};
  for (const c of cases) {
    const entry = (perAuthorizer[c.folder] ??= { passed: 0, failed: 0 });
    if (c.outcome === 'passed') entry.passed += 1;
    if (c.outcome === 'failed') entry.failed += 1;
  }
  const failed = cases.filter((c) => c.outcome === 'failed');
  const sent = cases.filter((c) => c.actual !== undefined).length;
  return {
    passed: false,
    environmentFailure: false,
    stats: {
      requests: sent,
      failedRequests: 0,
      scriptRequests: 3,
      assertions: sent * 3,
      failedAssertions: failed.length,
      cases: sent,
      failedCases: failed.length,
      skippedCases: 1,
      blockedCases: 2,
      scriptErrors: 0,
    },
    failures: [
      ...failed.map((c) => ({
        caseName: c.name,
        folder: c.folder,
        message: c.failures[0] ?? '',
        hint: c.hint,
      })),
      ...extraFailures,
    ],
    perAuthorizer,
    errors: [],
    reports: {},
    cases,
  };
}
