/**
 * Cases for AWS_IAM (SigV4) methods and routes: one folder for all of them. REST APIs answer with documented
 * texts; HTTP APIs with 403 whose body no AWS source records, so those cases check the status only.
 *
 * @see https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */

import {
  allowCase,
  apiKeyCases,
  orderGroup,
  rejectCase,
  wantsDeepCases,
  wantsDeepKeyCases,
} from './context.js';
import type { Derived, Deriver, RouteCases } from './context.js';
import { apiKindOf } from '../model/types.js';
import { REJECT } from './expectations.js';
import { hint } from './hints.js';

export const deriveIamCases: Deriver = (authorizer, routes, ctx): Derived => {
  const group = { title: authorizer.name };
  const http = apiKindOf(ctx.model) === 'HTTP';
  const unsigned = http ? REJECT.httpIamForbidden : REJECT.missingToken;
  const mismatch = http ? REJECT.httpIamForbidden : REJECT.signatureMismatch;
  const perRoute: RouteCases[] = routes.map((route, index) => {
    const base = { route, authorizer, group };
    const positive = allowCase(ctx, {
      ...base,
      id: 'allow',
      label: 'SigV4-signed request',
      credential: { kind: 'sigv4', variant: 'valid' },
      polarity: 'positive',
      hint: hint('sigv4', 'redeploy'),
    });
    const missing = rejectCase(
      ctx,
      {
        ...base,
        id: 'missing-credentials',
        label: 'unsigned request',
        credential: { kind: 'none' },
        polarity: 'negative',
        hint: http ? hint('httpIam', 'sigv4') : hint('sigv4Unsigned', 'redeploy'),
      },
      [unsigned],
    );
    const deeper = wantsDeepCases(ctx.depth, index)
      ? [
          rejectCase(
            ctx,
            {
              ...base,
              id: 'wrong-secret',
              label: 'signed with a wrong secret key',
              credential: { kind: 'sigv4', variant: 'wrong-secret' },
              polarity: 'negative',
              hint: http ? hint('sigv4', 'httpIam') : hint('sigv4'),
            },
            [mismatch],
          ),
        ]
      : [];
    const keyCases = apiKeyCases(
      ctx,
      base,
      { kind: 'sigv4', variant: 'valid' },
      wantsDeepKeyCases(ctx.depth, routes, route),
    );
    return { positive, negatives: [missing, ...keyCases, ...deeper] };
  });
  return { cases: orderGroup(perRoute), warnings: [] };
};
