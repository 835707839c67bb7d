/** Placeholder until the JWT deriver lands (issue 10). */
import { InternalError } from '../errors.js';
import type { Deriver } from './context.js';

export const deriveJwtCases: Deriver = (authorizer) => {
  throw new InternalError(`No cases for JWT authorizer ${authorizer.name} yet.`);
};
