/**
 * The probe's cases per Lambda authorizer, from the model and the config. Pure.
 *
 * TOKEN: valid token (config), explicit-deny token (config, when given), no token, a token that fails the
 * validation regex, an unknown token that passes it. REQUEST: every identity source valid (config), each
 * client-supplied source missing in turn, unknown values.
 */

import { concretePath } from '../cases/route-request.js';
import { matchingSample, nonMatchingSample } from '../cases/regex-samples.js';
import type { ProjectConfig } from '../config/types.js';
import type { AuthModel, Authorizer, IdentitySource } from '../model/types.js';
import type { ProbeCase } from './types.js';

export const UNKNOWN_VALUE = 'apigw-authz-unknown';

const literal = (value: string | undefined): string | undefined =>
  value === undefined || value.includes('{{') ? undefined : value;

/**
 * Derives the probe cases of every TOKEN and REQUEST authorizer in the model (Cognito and IAM cannot be
 * test-invoked without real credentials).
 */
export function deriveProbeCases(model: AuthModel, config: ProjectConfig): ProbeCase[] {
  return model.authorizers.flatMap((authorizer) => {
    if (authorizer.kind === 'TOKEN') return tokenCases(authorizer, model, config);
    if (authorizer.kind === 'REQUEST') return requestCases(authorizer, model, config);
    return [];
  });
}

/** The path (with sample parameters) of the first route the authorizer guards; `/` when it guards none. */
function samplePath(authorizer: Authorizer, model: AuthModel, config: ProjectConfig): string {
  const route = model.routes.find(
    (candidate) =>
      candidate.authorization.type === 'AUTHORIZER' && candidate.authorization.authorizer === authorizer.name,
  );
  return route ? concretePath(route.path, config.pathParameters) : '/';
}

function tokenCases(authorizer: Authorizer, model: AuthModel, config: ProjectConfig): ProbeCase[] {
  const settings = config.authorizers[authorizer.name];
  const header = authorizer.identitySources[0]?.name ?? 'Authorization';
  const base = { authorizer: authorizer.name, kind: 'TOKEN' as const };
  const pathWithQueryString = samplePath(authorizer, model, config);
  const request = (token?: string): ProbeCase['request'] => ({
    headers: token === undefined ? {} : { [header]: token },
    pathWithQueryString,
    stageVariables: { ...model.stage.variables },
  });
  const valid = literal(settings?.validToken);
  const deny = literal(settings?.denyToken);
  const pattern = authorizer.validationExpression;
  const cases: ProbeCase[] = [
    valid === undefined
      ? {
          ...base,
          case: 'valid',
          description: `valid token in ${header}`,
          expected: 'allow',
          skipped: `no literal authorizers.${authorizer.name}.validToken in the config`,
        }
      : {
          ...base,
          case: 'valid',
          description: `valid token in ${header}`,
          expected: 'allow',
          request: request(valid),
        },
  ];
  if (deny !== undefined) {
    cases.push({
      ...base,
      case: 'deny',
      description: `deny token in ${header}`,
      expected: 'deny',
      request: request(deny),
    });
  }
  cases.push({
    ...base,
    case: 'missing',
    description: `no ${header} header`,
    expected: 'unauthorized',
    request: request(),
  });
  if (pattern !== undefined) {
    const mismatch = nonMatchingSample(pattern);
    cases.push(
      mismatch === undefined
        ? {
            ...base,
            case: 'regex-mismatch',
            description: `token failing ${pattern}`,
            expected: 'unauthorized',
            skipped: 'no string fails the validation expression',
          }
        : {
            ...base,
            case: 'regex-mismatch',
            description: `token failing ${pattern}`,
            expected: 'unauthorized',
            request: request(mismatch),
          },
    );
  }
  const exclude = [valid, deny].filter((value): value is string => value !== undefined);
  const unknown = pattern === undefined ? UNKNOWN_VALUE : matchingSample(pattern, exclude);
  cases.push(
    unknown === undefined
      ? {
          ...base,
          case: 'unknown',
          description: 'unknown token',
          expected: 'not-allowed',
          skipped: 'no other string passes the validation expression',
        }
      : {
          ...base,
          case: 'unknown',
          description: 'unknown token',
          expected: 'not-allowed',
          request: request(unknown),
        },
  );
  return cases;
}

const clientSupplied = (source: IdentitySource): boolean =>
  source.location === 'header' || source.location === 'querystring';

function requestCases(authorizer: Authorizer, model: AuthModel, config: ProjectConfig): ProbeCase[] {
  const settings = config.authorizers[authorizer.name];
  const base = { authorizer: authorizer.name, kind: 'REQUEST' as const };
  const path = samplePath(authorizer, model, config);
  // A stage variable the config gives no value for has the stage's own value: the live stage knows it.
  const values = new Map(
    authorizer.identitySources.map((source) => [
      source.expression,
      literal(settings?.validIdentity[source.expression]) ??
        (source.location === 'stageVariable' ? model.stage.variables[source.name] : undefined),
    ]),
  );
  const missingValues = [...values.entries()]
    .filter(([, value]) => value === undefined)
    .map(([expression]) => expression);
  const build = (
    override: (source: IdentitySource) => string | undefined,
  ): NonNullable<ProbeCase['request']> => {
    const headers: Record<string, string> = {};
    const query = new URLSearchParams();
    const stageVariables: Record<string, string> = { ...model.stage.variables };
    for (const source of authorizer.identitySources) {
      const value = override(source);
      if (value === undefined) continue;
      if (source.location === 'header') headers[source.name] = value;
      else if (source.location === 'querystring') query.append(source.name, value);
      else if (source.location === 'stageVariable') stageVariables[source.name] = value;
    }
    const search = query.toString();
    return { headers, pathWithQueryString: search ? `${path}?${search}` : path, stageVariables };
  };
  const validOf = (source: IdentitySource): string => values.get(source.expression) ?? UNKNOWN_VALUE;
  const skipped =
    missingValues.length > 0
      ? `no literal value in authorizers.${authorizer.name}.validIdentity for ${missingValues.join(', ')}`
      : undefined;
  const cases: ProbeCase[] = [
    skipped
      ? { ...base, case: 'valid', description: 'every identity source valid', expected: 'allow', skipped }
      : {
          ...base,
          case: 'valid',
          description: 'every identity source valid',
          expected: 'allow',
          request: build(validOf),
        },
  ];
  // With caching on, API Gateway answers 401 itself when a source is missing; with TTL 0 the Lambda decides.
  const whenMissing = authorizer.ttlSeconds > 0 ? 'unauthorized' : 'not-allowed';
  for (const source of authorizer.identitySources.filter(clientSupplied)) {
    const description = `missing ${source.location === 'header' ? 'header' : 'query string'} ${source.name}`;
    cases.push(
      skipped
        ? { ...base, case: 'missing', description, expected: whenMissing, skipped }
        : {
            ...base,
            case: 'missing',
            description,
            expected: whenMissing,
            request: build((other) => (other === source ? undefined : validOf(other))),
          },
    );
  }
  cases.push({
    ...base,
    case: 'unknown',
    description: 'unknown header and query string values',
    expected: 'not-allowed',
    request: build((source) => (clientSupplied(source) ? UNKNOWN_VALUE : validOf(source))),
  });
  return cases;
}
