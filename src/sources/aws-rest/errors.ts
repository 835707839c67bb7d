import {
  AwsAccessDeniedError,
  AwsCredentialsError,
  AwsNotFoundError,
  AwsRequestError,
  EnvironmentError,
  UsageError,
  type ApigwAuthzError,
} from '../../errors.js';

/** What the failing call was about, for the one-line message. */
export interface AwsCallContext {
  /** Control-plane operation, e.g. `GetResources`. */
  call: string;
  region?: string;
  restApi?: string;
  /** An HTTP API (v2 control plane) instead of a REST API. */
  httpApi?: string;
  stage?: string;
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'UnauthorizedException',
]);

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  cause?: unknown;
}

/**
 * Turns whatever the SDK threw into one of our EnvironmentError subclasses with a one-line message that names
 * the call and a fix. Never lets a raw SDK error (and its stack) reach the user.
 */
export function translateAwsError(error: unknown, context: AwsCallContext): ApigwAuthzError {
  if (error instanceof EnvironmentError) return error;
  const sdk = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as SdkErrorLike;
  const name = sdk.name ?? 'Error';
  const status = sdk.$metadata?.httpStatusCode;
  const detail = oneLine(sdk.message ?? name);
  const what = describeCall(context);
  const details = { cause: error };

  if (CREDENTIAL_ERRORS.has(name) || /could not load credentials/i.test(detail)) {
    const expired = /expired/i.test(`${name} ${detail}`);
    return new AwsCredentialsError(
      `${what} failed: ${expired ? 'the AWS credentials have expired' : 'no valid AWS credentials'} (${name}: ${detail}).`,
      {
        ...details,
        fix: expired
          ? 'refresh the credentials (e.g. `aws sso login`, or a new session token) and retry.'
          : 'configure credentials for the default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile, SSO) and retry.',
      },
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    return new AwsAccessDeniedError(`${what} was denied (${name}: ${detail}).`, {
      ...details,
      fix: `allow the read-only action apigateway:GET${context.call === 'TestInvokeAuthorizer' ? ' and apigateway:POST on the authorizer' : ''} on arn:aws:apigateway:${context.region ?? '<region>'}::/${context.httpApi === undefined ? 'restapis' : 'apis'}/* for this identity.`,
    });
  }
  if (name === 'NotFoundException' || status === 404) {
    return new AwsNotFoundError(`${what} failed: not found (${detail}).`, {
      ...details,
      fix: `check the ${context.httpApi === undefined ? 'REST' : 'HTTP'} API id or name${context.stage ? ` and the stage "${context.stage}"` : ''}, and that --region${context.region ? ` (${context.region})` : ''} is the region the API lives in.`,
    });
  }
  if (/region is missing/i.test(detail)) {
    return new AwsRequestError(`${what} failed: no AWS region is configured.`, {
      ...details,
      fix: 'pass --region (e.g. --region us-east-1) or set AWS_REGION.',
    });
  }
  if (name === 'TooManyRequestsException' || status === 429) {
    return new AwsRequestError(
      `${what} was throttled after ${sdk.$metadata?.attempts ?? 'several'} attempts (${detail}).`,
      {
        ...details,
        fix: `other clients share the account quota (${context.httpApi === undefined ? 'GetResources: 5 requests every 2 s' : '10 requests per second'}); retry in a minute.`,
      },
    );
  }
  const code = networkCode(sdk);
  if (
    name === 'TimeoutError' ||
    code === 'ETIMEDOUT' ||
    /timed? ?out|exceeded the configured/i.test(detail)
  ) {
    return new AwsRequestError(`${what} timed out (${detail}).`, {
      ...details,
      fix: `check the network${context.region ? ` and --region (${context.region})` : ''}, then retry.`,
    });
  }
  if (code) {
    return new AwsRequestError(`${what} could not reach the API Gateway endpoint (${code}: ${detail}).`, {
      ...details,
      fix: `check --region${context.region ? ` (${context.region})` : ''}, AWS_ENDPOINT_URL_API_GATEWAY and the network.`,
    });
  }
  return new AwsRequestError(`${what} failed (${name}${status ? ` ${status}` : ''}: ${detail}).`, {
    ...details,
    fix:
      status !== undefined && status >= 500
        ? 'API Gateway had a server error; retry later.'
        : 'check the request and retry.',
  });
}

/** Makes one control-plane call: `call` names it in errors, `progress` in the progress line (e.g. with a page). */
export type Send = <T>(call: string, progress: string, run: () => Promise<T>) => Promise<T>;

/**
 * The one way the live readers (REST and HTTP) make their control-plane calls: each call counted and reported to
 * `onProgress`, each SDK error turned into one line that names the call and the API.
 *
 * @param context - what a failing call names, read at the time of the call (a name becomes an id once resolved)
 * @param onProgress - called after every call that succeeded, with how many succeeded so far
 */
export function countedCalls(
  context: (call: string) => AwsCallContext,
  onProgress?: (progress: { call: string; done: number }) => void,
): { send: Send; calls: () => number } {
  let calls = 0;
  const send: Send = async (call, progress, run) => {
    const where = context(call);
    try {
      const result = await run();
      calls += 1;
      onProgress?.({ call: progress, done: calls });
      return result;
    } catch (error) {
      throw translateAwsError(error, where);
    }
  };
  return { send, calls: () => calls };
}

/**
 * The one API of a listing named `name`; undefined when none is; a usage error (pass the id) when several are.
 *
 * @param named - the APIs of the listing whose name is `name`
 * @param idOf - an API's id, for the error's fix
 * @param what - the kind, `REST` or `HTTP`
 */
export function onlyNamed<T>(
  named: T[],
  idOf: (api: T) => string | undefined,
  what: 'REST' | 'HTTP',
  name: string,
  region: string,
): T | undefined {
  if (named.length > 1) {
    throw new UsageError(`${named.length} ${what} APIs in ${region} are named "${name}".`, {
      fix: `pass the id instead: ${named.map(idOf).join(', ')}.`,
    });
  }
  return named[0];
}

function describeCall(context: AwsCallContext): string {
  const on = [
    context.restApi ? `REST API ${context.restApi}` : undefined,
    context.httpApi ? `HTTP API ${context.httpApi}` : undefined,
    context.stage ? `stage ${context.stage}` : undefined,
    context.region,
  ].filter(Boolean);
  return `${context.call}${on.length > 0 ? ` (${on.join(', ')})` : ''}`;
}

function networkCode(error: SdkErrorLike, depth = 0): string | undefined {
  if (error.code && NETWORK_CODES.has(error.code)) return error.code;
  if (depth < 5 && typeof error.cause === 'object' && error.cause !== null) {
    return networkCode(error.cause as SdkErrorLike, depth + 1);
  }
  return undefined;
}

function oneLine(text: string): string {
  // The SDK prefixes some messages with its package and log level; they say nothing to the user.
  const flat = text
    .replace(/@smithy\/[\w-]+ - \[\w+\] /g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '');
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
