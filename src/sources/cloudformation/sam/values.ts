/** Small value helpers shared by the SAM expansion. */

import { isObject } from '../../../model/parse.js';

export type Json = Record<string, unknown>;

/** Whether a value is one intrinsic function object (`{"Ref": …}`, `{"Fn::GetAtt": …}`). */
export function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}
