/**
 * What API Gateway answers when it refuses a request: one data table, each entry with every documented wording and
 * where it comes from (`../shared/reference/api-gateway-authorizers.md`, sections 1-6).
 *
 * Cases accept every variant (a suite must not break when AWS rewords a message, as it did for denies in 2025);
 * `serve` answers with `current`, today's wording; hints quote the variants. A team can pin what its own region
 * answers with `expectations:` in the config file. Imports nothing: the emulator, the cases and doctor share it as
 * data, never as logic.
 */

import type { GatewayResponseType } from './model/types.js';

export interface AwsResponseText {
  /** The gateway response type whose status, headers and template apply. */
  type: GatewayResponseType;
  status: number;
  /** Today's wording: what `serve` sends. `null` renders as `{"message":null}`. */
  current: string | null;
  /**
   * Every wording AWS has been seen to send, `current` first. A case accepts any of them exactly; where AWS puts
   * request details into the text (SigV4), `prefix` is the stable part and the variants are only examples.
   */
  variants: readonly (string | null)[];
  /** The stable start of the message, for texts that carry request details. */
  prefix?: string;
  /** The body key AWS uses: deny bodies say `Message` on the wire, everything else `message`. */
  messageKey: 'message' | 'Message';
  /** `x-amzn-ErrorType` where a source documents or shows it; absent where no source settles it. */
  errorType?: string;
  /** Where each fact comes from (reference tags, see the source key of the reference). */
  sources: readonly string[];
}

export const AWS_RESPONSE_TEXTS = {
  unauthorized: {
    type: 'UNAUTHORIZED',
    status: 401,
    current: 'Unauthorized',
    variants: ['Unauthorized'],
    messageKey: 'message',
    errorType: 'UnauthorizedException',
    sources: ['AGA §1 (APIREF-OLD default template; observed 26-byte body)', 'KC-401L', 'KC-COG401'],
  },
  expiredToken: {
    type: 'UNAUTHORIZED',
    status: 401,
    current: 'The incoming token has expired',
    variants: ['The incoming token has expired'],
    messageKey: 'message',
    errorType: 'UnauthorizedException',
    sources: ['AGA §4 Responses (observed: aws-amplify/amplify-js #6060, #10147)'],
  },
  explicitDeny: {
    type: 'ACCESS_DENIED',
    status: 403,
    current:
      'User is not authorized to access this resource with an explicit deny in an identity-based policy',
    variants: [
      'User is not authorized to access this resource with an explicit deny in an identity-based policy',
      'User is not authorized to access this resource with an explicit deny',
    ],
    messageKey: 'Message',
    errorType: 'AccessDeniedException',
    sources: [
      'AGA §3 Outcomes: current repost.aws KC api-gateway-troubleshoot-403-forbidden; 2025-26 captures',
      'KC-403L 2021/2022 (older wording)',
    ],
  },
  implicitDeny: {
    type: 'ACCESS_DENIED',
    status: 403,
    current:
      'User is not authorized to access this resource because no identity-based policy allows the ' +
      'execute-api:Invoke action',
    variants: [
      'User is not authorized to access this resource because no identity-based policy allows the ' +
        'execute-api:Invoke action',
      'User is not authorized to access this resource',
    ],
    messageKey: 'Message',
    errorType: 'AccessDeniedException',
    sources: [
      'AGA §3 Outcomes: 2025-26 public captures (cache pitfall)',
      'KC-403L 2022, KC-CACHE (older wording)',
    ],
  },
  missingAuthenticationToken: {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    status: 403,
    current: 'Missing Authentication Token',
    variants: ['Missing Authentication Token'],
    messageKey: 'message',
    errorType: 'MissingAuthenticationTokenException',
    sources: ['AGA §5 (KC-SIGV4, KC-403)', 'AGA §6 (AGDG gatewayResponse-definition)'],
  },
  invalidApiKey: {
    type: 'INVALID_API_KEY',
    status: 403,
    current: 'Forbidden',
    variants: ['Forbidden'],
    messageKey: 'message',
    errorType: 'ForbiddenException',
    sources: ['AGA §6 x-amzn-ErrorType values (KC-403 current: ForbiddenException with "Forbidden")'],
  },
  signatureMismatch: {
    type: 'INVALID_SIGNATURE',
    status: 403,
    current:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
      'Access Key and signing method. Consult the service documentation for details.',
    variants: [
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
        'Access Key and signing method. Consult the service documentation for details.',
    ],
    prefix: 'The request signature we calculated does not match the signature you provided',
    messageKey: 'message',
    // The error type of a signature mismatch is in no stored AWS source (reference open question 15).
    sources: ['AGA §5 (KC-SIGV4)'],
  },
  incompleteSignature: {
    // Which gateway response type carries it is unsettled; the text quotes the header, so no wording is stable and
    // only the status and error type are checked (reference section 5, open question 14).
    type: 'INVALID_SIGNATURE',
    status: 403,
    current: null,
    variants: [],
    messageKey: 'message',
    errorType: 'IncompleteSignatureException',
    sources: ['AGA §5 [observed] aws-cognito-angular-quickstart #50; blog.cheo.dev TIL'],
  },
  invalidSecurityToken: {
    type: 'ACCESS_DENIED',
    status: 403,
    current: 'The security token included in the request is invalid.',
    variants: ['The security token included in the request is invalid.'],
    messageKey: 'message',
    errorType: 'AccessDeniedException',
    sources: ['AGA §5 (KC-SIGV4; KC-403)'],
  },
  signatureExpired: {
    type: 'EXPIRED_TOKEN',
    status: 403,
    current: 'Signature expired',
    variants: ['Signature expired'],
    prefix: 'Signature expired',
    messageKey: 'message',
    errorType: 'InvalidSignatureException',
    sources: ['AGA §5 (KC-403 "Authentication token expired")'],
  },
  authorizerConfiguration: {
    type: 'AUTHORIZER_CONFIGURATION_ERROR',
    status: 500,
    current: null,
    variants: [null],
    messageKey: 'message',
    errorType: 'AuthorizerConfigurationException',
    sources: ['AGA §3 Outcomes (auth0-samples PR #6; serverless/examples #305; Gonzalez)'],
  },
} as const satisfies Record<string, AwsResponseText>;

export type AwsResponseId = keyof typeof AWS_RESPONSE_TEXTS;
