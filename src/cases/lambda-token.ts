/**
 * Cases for Lambda TOKEN authorizers: one folder per authorizer.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * @see https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer
 */

import type { Authorizer } from '../model/types.js';
import { cacheBleedCases } from './cache-bleed.js';
import {
  allowCase,
  apiKeyCases,
  missingTokenHeaderCase,
  orderGroup,
  rejectCase,
  settingsFor,
  variableRef,
  wantsDeepCases,
  wantsDeepKeyCases,
} from './context.js';
import type { CaseSpec, DeriveContext, Derived, Deriver, RouteCases } from './context.js';
import { REJECT } from './expectations.js';
import { hint } from './hints.js';
import { forgedVariants } from './jwt-forgeries.js';
import {
  fullyMatches,
  matchesUnderAnySemantics,
  matchingSample,
  nonMatchingSample,
} from './regex-samples.js';
import type { AuthCase, Credential } from './types.js';

/** The unknown token when there is no validation expression to satisfy. */
export const UNKNOWN_TOKEN = 'apigw-authz-unknown-token';

/** Whether a configured value is a literal (not, or not only, a `{{variable}}` resolved at run time). */
export function isLiteral(value: string): boolean {
  return !/\{\{[^}]+\}\}/.test(value);
}

function rawHeader(name: string, value: string): Credential {
  return { kind: 'raw', headers: [{ name, value }], query: [] };
}

/** Warns when a literal configured token cannot pass the validation expression under every anchoring. */
function checkLiteral(
  authorizer: Authorizer,
  key: string,
  value: string | undefined,
  regex: string,
): string[] {
  if (value === undefined || !isLiteral(value)) return [];
  if (fullyMatches(regex, value) !== false) return [];
  const where = `${authorizer.name}: the configured ${key} "${value}"`;
  return matchesUnderAnySemantics(regex, value)
    ? [
        `${where} matches the validation expression ${regex} only in part; AWS does not document its anchoring.`,
      ]
    : [
        `${where} fails the validation expression ${regex}: API Gateway answers 401 without calling the Lambda.`,
      ];
}

interface RegexPlan {
  mismatch?: string;
  unknown?: string;
  warnings: string[];
}

function planRegex(authorizer: Authorizer, validToken: string, denyToken: string | undefined): RegexPlan {
  const regex = authorizer.validationExpression;
  if (regex === undefined) return { unknown: UNKNOWN_TOKEN, warnings: [] };
  if (fullyMatches(regex, '') === undefined) {
    return {
      warnings: [
        `${authorizer.name}: the validation expression ${regex} is not a valid regex here; no regex cases.`,
      ],
    };
  }
  const warnings = [...checkLiteral(authorizer, 'validToken', validToken, regex)];
  warnings.push(...checkLiteral(authorizer, 'denyToken', denyToken, regex));
  const exclude = [validToken, ...(denyToken === undefined ? [] : [denyToken])].filter(isLiteral);
  const mismatch = nonMatchingSample(regex);
  const unknown = matchingSample(regex, exclude);
  if (mismatch === undefined) {
    warnings.push(
      `${authorizer.name}: no token fails the validation expression ${regex}; no regex-mismatch case.`,
    );
  }
  if (unknown === undefined) {
    warnings.push(
      `${authorizer.name}: no sample token matches the validation expression ${regex}; no unknown-token case.`,
    );
  }
  return {
    ...(mismatch === undefined ? {} : { mismatch }),
    ...(unknown === undefined ? {} : { unknown }),
    warnings,
  };
}

function deeperNegatives(
  ctx: DeriveContext,
  base: Pick<CaseSpec, 'route' | 'authorizer' | 'group'>,
  header: string,
  validToken: string,
  denyToken: string | undefined,
  regex: RegexPlan,
  jwt: boolean,
): AuthCase[] {
  const negative = (spec: Pick<CaseSpec, 'id' | 'label' | 'credential' | 'hint'>): CaseSpec => ({
    ...base,
    ...spec,
    polarity: 'negative',
  });
  const lambdaRejects = [REJECT.unauthorized, REJECT.implicitDeny, REJECT.explicitDeny];
  const cases: AuthCase[] = [];
  if (regex.mismatch !== undefined) {
    cases.push(
      rejectCase(
        ctx,
        negative({
          id: 'regex-mismatch',
          label: 'token failing the validation expression',
          credential: rawHeader(header, regex.mismatch),
          hint: hint('validationRegex'),
        }),
        [REJECT.unauthorized],
      ),
    );
  }
  if (regex.unknown !== undefined) {
    cases.push(
      rejectCase(
        ctx,
        negative({
          id: 'unknown-token',
          label: 'unknown well-formed token',
          credential: rawHeader(header, regex.unknown),
          hint: hint('lambdaDecision', 'authorizerConfiguration'),
        }),
        lambdaRejects,
      ),
    );
  }
  if (denyToken !== undefined) {
    cases.push(
      rejectCase(
        ctx,
        negative({
          id: 'deny-token',
          label: 'deny token (explicit deny)',
          credential: rawHeader(header, denyToken),
          hint: hint('lambdaDecision', 'validationRegex'),
        }),
        [REJECT.explicitDeny],
      ),
    );
  }
  if (jwt) {
    for (const { spec, credential } of forgedVariants({ kind: 'value', value: validToken }, header)) {
      cases.push(
        rejectCase(
          ctx,
          negative({ id: spec.id, label: `forged JWT: ${spec.label}`, credential, hint: hint('jwtForgery') }),
          lambdaRejects,
        ),
      );
    }
  }
  return cases;
}

/** @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html */
export const deriveTokenCases: Deriver = (authorizer, routes, ctx): Derived => {
  const settings = settingsFor(ctx, authorizer.name);
  const header = authorizer.identitySources[0]?.name ?? 'Authorization';
  const validToken = settings.validToken ?? variableRef(authorizer.name, 'validToken');
  const regex = planRegex(authorizer, validToken, settings.denyToken);
  const valid = rawHeader(header, validToken);
  const group = { title: authorizer.name };
  const perRoute: RouteCases[] = routes.map((route, index) => {
    const base = { route, authorizer, group };
    const positive = allowCase(ctx, {
      ...base,
      id: 'allow',
      label: 'valid token',
      credential: valid,
      polarity: 'positive',
      hint: hint('tokenSourceHeader', 'validationRegex', 'authorizerConfiguration', 'redeploy'),
    });
    const missing = missingTokenHeaderCase(ctx, base, header);
    const deeper = wantsDeepCases(ctx.depth, index)
      ? deeperNegatives(
          ctx,
          base,
          header,
          validToken,
          settings.denyToken,
          regex,
          settings.tokenFormat === 'jwt',
        )
      : [];
    const keyCases = apiKeyCases(ctx, base, valid, wantsDeepKeyCases(ctx.depth, routes, route));
    return { positive, negatives: [missing, ...keyCases, ...deeper] };
  });
  const bleed = cacheBleedCases(ctx, authorizer, routes, valid, 'valid token');
  return { cases: orderGroup(perRoute, bleed), warnings: regex.warnings };
};
