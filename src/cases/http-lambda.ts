/** Placeholder until the HTTP_LAMBDA deriver lands (issue 10). */
import { InternalError } from '../errors.js';
import type { Deriver } from './context.js';

export const deriveHttpLambdaCases: Deriver = (authorizer) => {
  throw new InternalError(`No cases for HTTP_LAMBDA authorizer ${authorizer.name} yet.`);
};
