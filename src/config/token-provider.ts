/**
 * Where a JWT authorizer's real tokens come from (a Cognito user pool or a generic OIDC issuer), shared by the
 * config defaults, the cases and the renderer. Pure and cheap to import.
 */

import type { Authorizer } from '../model/types.js';
import type { AuthorizerSettings } from './types.js';

const COGNITO_ISSUER =
  /^https:\/\/cognito-idp\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?\/([a-z]{2}(?:-[a-z]+)+-\d+_[0-9A-Za-z]+)$/;

/**
 * The user pool of a Cognito issuer URL (`https://cognito-idp.<region>.amazonaws.com/<poolId>`), or undefined when
 * the issuer is not a Cognito user pool.
 */
export function cognitoIssuerPool(issuer: string): { region: string; userPoolId: string } | undefined {
  const match = COGNITO_ISSUER.exec(issuer);
  return match?.[1] === undefined || match[2] === undefined
    ? undefined
    : { region: match[1], userPoolId: match[2] };
}

/**
 * Where a JWT authorizer's tokens come from: `cognito` when the config says `cognito:`, or says neither and the
 * (first) issuer is a Cognito user pool; `oidc` otherwise.
 */
export function jwtTokenProvider(
  authorizer: Authorizer,
  settings: AuthorizerSettings | undefined,
): 'cognito' | 'oidc' {
  if (settings?.cognito !== undefined) return 'cognito';
  if (settings?.oidc !== undefined) return 'oidc';
  const issuer = authorizer.jwt?.issuers[0]?.issuer;
  return issuer !== undefined && cognitoIssuerPool(issuer) !== undefined ? 'cognito' : 'oidc';
}
