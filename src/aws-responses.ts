/**
 * What API Gateway answers when it refuses a request: one data table, each entry with every documented wording and
 * where it comes from (`../shared/reference/api-gateway-authorizers.md`, sections 1-6, cited as AGA; JWT
 * authorizers and HTTP APIs: `../shared/reference/jwt-and-http-api-authorizers.md`, cited as JHA).
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
  // --- JWT authorizers on REST APIs (reference Part A.3: the wire answers are open questions) ---
  restJwtUnauthorized: {
    // [inference] the UNAUTHORIZED gateway response; x-amzn-ErrorType not stated, so not asserted.
    type: 'UNAUTHORIZED',
    status: 401,
    current: 'Unauthorized',
    variants: ['Unauthorized'],
    messageKey: 'message',
    sources: ['JHA §A.3 Responses [inference: UNAUTHORIZED gateway response, AGA §6]'],
  },
  restJwtForbidden: {
    // A valid token without any of the method's scopes: 403 documented, its body is not: any message.
    type: 'ACCESS_DENIED',
    status: 403,
    current: 'Forbidden',
    variants: [],
    messageKey: 'message',
    sources: ['JHA §A.3 (RJWT -methods: "403 Forbidden"; body not stored)'],
  },
  // --- HTTP APIs (no gateway responses, no x-amzn-ErrorType; reference Part B) ---
  httpUnauthorized: {
    // JWT authorizer: missing or invalid token; `www-authenticate: Bearer ...` is asserted separately.
    type: 'UNAUTHORIZED',
    status: 401,
    current: 'Unauthorized',
    variants: ['Unauthorized'],
    messageKey: 'message',
    sources: ['JHA §B.3 [observed] SCHULER (26-byte body); AGDG http-api-troubleshooting-jwt'],
  },
  httpForbidden: {
    // JWT authorizer: a valid token without any of the route's scopes (`error="insufficient_scope"`).
    type: 'ACCESS_DENIED',
    status: 403,
    current: 'Forbidden',
    variants: ['Forbidden'],
    messageKey: 'message',
    sources: ['JHA §B.3 [observed] SCHULER (23-byte body)'],
  },
  httpLambdaUnauthorized: {
    // An identity source missing or empty: 401 without invoking the Lambda; the body is not stated (status only).
    type: 'UNAUTHORIZED',
    status: 401,
    current: 'Unauthorized',
    variants: [],
    messageKey: 'message',
    sources: ['JHA §B.4 Identity sources (V2REF; body [inference], SST sample README)'],
  },
  httpLambdaForbidden: {
    // isAuthorized false, an explicit Deny or no matching Allow: 403 [inference]; the body is not stated.
    type: 'ACCESS_DENIED',
    status: 403,
    current: 'Forbidden',
    variants: [],
    messageKey: 'message',
    sources: ['JHA §B.4 Failures [inference: by analogy with the JWT scope denial]'],
  },
  httpLambdaFailure: {
    // The Lambda cannot be invoked, throws, or answers in an invalid format.
    type: 'AUTHORIZER_FAILURE',
    status: 500,
    current: 'Internal Server Error',
    variants: ['Internal Server Error'],
    messageKey: 'message',
    sources: [
      'JHA §B.4 Failures (AGDG http-api-lambda-authorizer; body [inference] http-api-troubleshooting-lambda)',
    ],
  },
  httpIamForbidden: {
    // Unsigned or badly signed request to an AWS_IAM route: no HTTP-specific AWS source; status only.
    type: 'ACCESS_DENIED',
    status: 403,
    current: 'Forbidden',
    variants: [],
    messageKey: 'message',
    sources: ['JHA §B.5 ([emulator] yulin #303, floci PR #2895; no AWS source)'],
  },
} as const satisfies Record<string, AwsResponseText>;

export type AwsResponseId = keyof typeof AWS_RESPONSE_TEXTS;
