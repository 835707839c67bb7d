/** The rejections every emulated authorizer returns: one gateway error plus why it was chosen. */

import { gatewayErrors } from './gateway-responses.js';
import type { AuthOutcome, GatewayError, OutcomeWhy } from './types.js';

/** The part of an outcome's why that every rejection states. */
export type Why = Pick<OutcomeWhy, 'cause' | 'reason' | 'invoked'>;

/** Reject the request with `error`, saying why. */
export function rejectWith(error: GatewayError, why: Why): AuthOutcome {
  return { kind: 'reject', error, ...why };
}

/** 401 `Unauthorized`: the answer to a missing, malformed or unverifiable credential. */
export function unauthorized(why: Why): AuthOutcome {
  return rejectWith(gatewayErrors.unauthorized(), why);
}
