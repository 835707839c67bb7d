import { describe, expect, it } from 'vitest';
import {
  AwsAccessDeniedError,
  AwsCredentialsError,
  AwsNotFoundError,
  AwsRequestError,
} from '../../errors.js';
import { translateAwsError } from './errors.js';

const sdkError = (name: string, message: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...extra,
  });

describe('translateAwsError', () => {
  const context = { call: 'GetResources', region: 'eu-west-1', restApi: 'abc123defg', stage: 'prod' };

  it.each([
    [
      'CredentialsProviderError',
      'Could not load credentials from any providers',
      undefined,
      AwsCredentialsError,
    ],
    [
      'ExpiredTokenException',
      'The security token included in the request is expired',
      403,
      AwsCredentialsError,
    ],
    [
      'InvalidSignatureException',
      'Signature expired: 20240101T000000Z is now earlier than ...',
      403,
      AwsCredentialsError,
    ],
    [
      'AccessDeniedException',
      'User: arn:aws:iam::1:user/x is not authorized to perform: apigateway:GET',
      403,
      AwsAccessDeniedError,
    ],
    ['NotFoundException', 'Invalid API identifier specified 1:abc', 404, AwsNotFoundError],
    ['TooManyRequestsException', 'Too Many Requests', 429, AwsRequestError],
    ['InternalFailure', 'Internal server error', 500, AwsRequestError],
  ])('%s -> %s', (name, message, status, Class) => {
    const error = translateAwsError(sdkError(name, message, status), context);
    expect(error).toBeInstanceOf(Class);
    expect(error.toLine()).toMatch(/^GetResources \(REST API abc123defg, stage prod, eu-west-1\)/);
    expect(error.toLine()).not.toContain('\n');
    expect(error.fix).toBeTruthy();
  });

  it('a DNS failure (e.g. a region that does not exist) names the region to check', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND apigateway.xx-nowhere-1.amazonaws.com'), {
      code: 'ENOTFOUND',
    });
    const error = translateAwsError(Object.assign(new Error('fetch failed'), { cause }), {
      ...context,
      region: 'xx-nowhere-1',
    });
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.toLine()).toContain('could not reach the API Gateway endpoint (ENOTFOUND');
    expect(error.fix).toContain('--region (xx-nowhere-1)');
  });

  it('keeps a multi-line SDK message on one line', () => {
    const error = translateAwsError(
      sdkError('BadRequestException', 'first line\n  second line', 400),
      context,
    );
    expect(error.message).toContain('first line second line');
  });
});
