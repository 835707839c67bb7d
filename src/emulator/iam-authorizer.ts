/**
 * AWS_IAM methods: SigV4 (service `execute-api`) recomputed over the incoming request with the client's signed
 * headers and X-Amz-Date, against the one identity `serve` knows (its own AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN). IAM policies are not evaluated: a valid signature is allowed.
 *
 * @see https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { gatewayErrors } from './gateway-responses.js';
import type { AuthOutcome, IncomingCall } from './types.js';
import { describeToken, safeText } from './describe.js';
import { rejectWith, type Why } from './outcome.js';

export interface IamCredentials {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

export interface SigV4Header {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** A SHA-256 checksum constructor, as the AWS SDK builds it from `Hash`. */
const Sha256 = Hash.bind(null, 'sha256');
/** AWS accepts signatures up to 5 minutes away from its clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;

/** Parse `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`; a string names what is missing. */
export function parseSigV4Header(value: string): SigV4Header | string {
  const requirements = [
    "Authorization header requires 'Credential' parameter.",
    "Authorization header requires 'Signature' parameter.",
    "Authorization header requires 'SignedHeaders' parameter.",
  ];
  if (!value.startsWith(`${ALGORITHM} `)) return notSigV4Message(value, requirements);
  const params: Record<string, string> = {};
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const missing = [
    params.Credential ? undefined : requirements[0],
    params.Signature ? undefined : requirements[1],
    params.SignedHeaders ? undefined : requirements[2],
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) return missing.join(' ');
  const [accessKeyId = '', date = '', region = '', service = ''] = (params.Credential as string).split('/');
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: (params.SignedHeaders as string).split(';').map((h) => h.trim().toLowerCase()),
    signature: params.Signature as string,
  };
}

/**
 * AWS's IncompleteSignatureException text for an Authorization header that is not SigV4 (reference section 5):
 * `'<token>' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer <token>'.` when a
 * parameter has no `=` (a `Bearer` or raw JWT), else the list of missing SigV4 parameters. AWS quotes the header
 * there; the emulator keeps the shape and writes `<token>` instead, so no credential is ever echoed back.
 */
function notSigV4Message(value: string, requirements: readonly string[]): string {
  const space = value.search(/\s/);
  const scheme = space === -1 ? undefined : value.slice(0, space);
  const params = (space === -1 ? value : value.slice(space + 1)).split(',').map((p) => p.trim());
  if (params.some((p) => !p.includes('='))) {
    const shown =
      scheme !== undefined && /^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(scheme) ? `${scheme} <token>` : '<token>';
    return `'<token>' not a valid key=value pair (missing equal-sign) in Authorization header: '${shown}'.`;
  }
  return `${requirements.join(' ')} Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`;
}

/** `20240501T101500Z` -> Date, or undefined. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function queryBag(rawQuery: string): Record<string, string | string[]> {
  const bag: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const existing = bag[key];
    bag[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return bag;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface VerifySigV4Input {
  call: IncomingCall;
  /** The request path including the stage prefix, as sent. */
  fullPath: string;
  region: string;
  credentials: IamCredentials;
  nowMs: number;
}

/** Verify the SigV4 signature of one request; allow it, or reject with AWS's message for the failure. */
export async function verifySigV4(input: VerifySigV4Input): Promise<AuthOutcome> {
  const { call, credentials } = input;
  const authorization = call.headers.authorization;
  if (authorization === undefined || authorization === '') {
    return rejectWith(gatewayErrors.missingAuthenticationToken(), {
      cause: 'sigv4-missing',
      reason: 'the request is not signed (no Authorization header)',
      invoked: false,
    });
  }
  const parsed = parseSigV4Header(authorization);
  if (typeof parsed === 'string') {
    const notSigV4 = !authorization.startsWith(`${ALGORITHM} `);
    return rejectWith(gatewayErrors.incompleteSignature(parsed), {
      cause: notSigV4 ? 'sigv4-not-sigv4' : 'sigv4-incomplete',
      reason: notSigV4
        ? `the Authorization header (${describeToken(authorization)}) is not a SigV4 signature (${ALGORITHM} Credential=..., SignedHeaders=..., Signature=...)`
        : `the SigV4 Authorization header is incomplete: ${parsed}`,
      invoked: true,
    });
  }
  const dateHeader = call.headers['x-amz-date'];
  const signingDate = dateHeader === undefined ? undefined : parseAmzDate(dateHeader);
  if (dateHeader === undefined || signingDate === undefined) {
    return rejectWith(
      gatewayErrors.incompleteSignature(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      ),
      {
        cause: 'sigv4-date-missing',
        reason:
          dateHeader === undefined
            ? 'no X-Amz-Date header'
            : 'the X-Amz-Date header is not of the form YYYYMMDDTHHMMSSZ',
        invoked: true,
      },
    );
  }
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  if (!accessKeyId || !secretAccessKey || parsed.accessKeyId !== accessKeyId) {
    return rejectWith(gatewayErrors.invalidSecurityToken(), {
      cause: 'sigv4-unknown-access-key',
      reason:
        !accessKeyId || !secretAccessKey
          ? 'serve has no AWS identity (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in its environment)'
          : "the access key in the Credential scope is not serve's AWS_ACCESS_KEY_ID",
      invoked: true,
    });
  }
  if (
    sessionToken !== undefined &&
    sessionToken !== '' &&
    call.headers['x-amz-security-token'] !== sessionToken
  ) {
    return rejectWith(gatewayErrors.invalidSecurityToken(), {
      cause: 'sigv4-session-token',
      reason:
        call.headers['x-amz-security-token'] === undefined
          ? 'no X-Amz-Security-Token header, and the credentials are temporary (AWS_SESSION_TOKEN)'
          : "the X-Amz-Security-Token header is not serve's AWS_SESSION_TOKEN",
      invoked: true,
    });
  }
  const skew = signingDate.getTime() - input.nowMs;
  if (skew < -MAX_SKEW_MS) {
    const limit = amzDate(input.nowMs - MAX_SKEW_MS);
    return rejectWith(
      gatewayErrors.signatureExpired(
        `Signature expired: ${dateHeader} is now earlier than ${limit} (${amzDate(input.nowMs)} - 5 min.)`,
      ),
      {
        cause: 'sigv4-expired',
        reason: `the signature's X-Amz-Date ${dateHeader} is more than 5 minutes in the past`,
        invoked: true,
      },
    );
  }
  if (skew > MAX_SKEW_MS) {
    const limit = amzDate(input.nowMs + MAX_SKEW_MS);
    return rejectWith(
      gatewayErrors.signatureExpired(
        `Signature not yet current: ${dateHeader} is still later than ${limit} (${amzDate(input.nowMs)} + 5 min.)`,
      ),
      {
        cause: 'sigv4-expired',
        reason: `the signature's X-Amz-Date ${dateHeader} is more than 5 minutes in the future`,
        invoked: true,
      },
    );
  }
  const mismatch = (cause: Why['cause'], reason: string): AuthOutcome =>
    rejectWith(gatewayErrors.signatureMismatch(), { cause, reason, invoked: true });

  if (parsed.service !== 'execute-api') {
    return mismatch(
      'sigv4-wrong-service',
      `the credential scope names service ${safeText(parsed.service, 30)}, API Gateway wants execute-api`,
    );
  }
  if (parsed.region !== input.region) {
    return mismatch(
      'sigv4-wrong-region',
      `the credential scope names region ${safeText(parsed.region, 30)}, the API is in ${input.region}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = call.headers[name];
    if (value === undefined) {
      return mismatch('sigv4-signed-header-missing', `signed header ${safeText(name, 60)} was not sent`);
    }
    headers[name] = value;
  }
  // The signer trusts a signed x-amz-content-sha256; make sure it describes the body that actually came.
  const claimedHash = call.headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== 'UNSIGNED-PAYLOAD') {
    const actual = createHash('sha256').update(call.body).digest('hex');
    if (claimedHash !== actual) {
      return mismatch('sigv4-body-hash', 'X-Amz-Content-Sha256 is not the SHA-256 of the body that was sent');
    }
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    region: input.region,
    service: 'execute-api',
    sha256: Sha256,
    // Only what the client signed: the signer must not add x-amz-content-sha256 on its own.
    applyChecksum: false,
  });
  const request = new HttpRequest({
    method: call.method,
    protocol: 'http:',
    hostname: (call.headers.host ?? '').replace(/:\d+$/, ''),
    // As received (encoded once): the signer encodes it again, the double encoding SigV4 wants outside S3.
    path: input.fullPath,
    query: queryBag(call.rawQuery),
    headers,
    body: call.body.length > 0 ? call.body : undefined,
  });
  const signatureMismatch = (): AuthOutcome =>
    mismatch(
      'sigv4-signature-mismatch',
      'the signature does not match: a wrong secret key, or the request changed after signing (host, path, query, signed headers or body)',
    );
  let expected: string;
  try {
    const signed = await signer.sign(request, {
      signingDate,
      signableHeaders: new Set(parsed.signedHeaders),
    });
    expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  } catch {
    return signatureMismatch();
  }
  if (expected === '' || !sameText(expected, parsed.signature)) return signatureMismatch();
  return {
    kind: 'allow',
    principalId: accessKeyId,
    authorizer: {},
    cause: 'allowed',
    reason: "a valid SigV4 signature by serve's AWS identity (IAM policies are not evaluated)",
    invoked: true,
  };
}
