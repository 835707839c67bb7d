import { describe, expect, it } from 'vitest';
import { AWS_RESPONSE_TEXTS, type AwsResponseId, type AwsResponseText } from '../aws-responses.js';
import type { GatewayResponse } from '../model/types.js';
import type { GatewayError } from './types.js';
import {
  gatewayErrors,
  renderGatewayResponse,
  renderTemplate,
  type ResponseContext,
} from './gateway-responses.js';

const ctx: ResponseContext = {
  headers: { origin: 'https://app.example.com' },
  query: {},
  pathParameters: {},
  stageVariables: { env: 'test' },
  requestId: 'req-1',
};

describe('renderGatewayResponse defaults', () => {
  it.each([
    [gatewayErrors.unauthorized(), 401, '{"message":"Unauthorized"}', 'UnauthorizedException'],
    [
      gatewayErrors.explicitDeny(),
      403,
      '{"Message":"User is not authorized to access this resource with an explicit deny in an identity-based policy"}',
      'AccessDeniedException',
    ],
    [
      gatewayErrors.implicitDeny(),
      403,
      '{"Message":"User is not authorized to access this resource because no identity-based policy allows the ' +
        'execute-api:Invoke action"}',
      'AccessDeniedException',
    ],
    [gatewayErrors.authorizerConfiguration(), 500, '{"message":null}', 'AuthorizerConfigurationException'],
    [
      gatewayErrors.missingAuthenticationToken(),
      403,
      '{"message":"Missing Authentication Token"}',
      'MissingAuthenticationTokenException',
    ],
    [
      gatewayErrors.tokenExpired(),
      401,
      '{"message":"The incoming token has expired"}',
      'UnauthorizedException',
    ],
    [gatewayErrors.invalidApiKey(), 403, '{"message":"Forbidden"}', 'ForbiddenException'],
  ])('%o', (error, status, body, errorType) => {
    const rendered = renderGatewayResponse(error, [], ctx);
    expect(rendered).toEqual({
      status,
      body,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': errorType },
    });
  });
});

describe('gatewayErrors speak with the response-text table', () => {
  it.each<[AwsResponseId, () => GatewayError]>([
    ['unauthorized', gatewayErrors.unauthorized],
    ['expiredToken', gatewayErrors.tokenExpired],
    ['explicitDeny', gatewayErrors.explicitDeny],
    ['implicitDeny', gatewayErrors.implicitDeny],
    ['missingAuthenticationToken', gatewayErrors.missingAuthenticationToken],
    ['invalidApiKey', gatewayErrors.invalidApiKey],
    ['invalidSecurityToken', gatewayErrors.invalidSecurityToken],
    ['signatureMismatch', gatewayErrors.signatureMismatch],
    ['authorizerConfiguration', gatewayErrors.authorizerConfiguration],
  ])("%s: today's wording, the table's type, status and body key", (id, make) => {
    const text: AwsResponseText = AWS_RESPONSE_TEXTS[id];
    const error = make();
    expect(error.message).toBe(text.current);
    expect(text.variants[0]).toBe(text.current);
    expect(error.type).toBe(text.type);
    expect(error.messageKey).toBe(text.messageKey);
    if (text.errorType !== undefined) expect(error.errorType).toBe(text.errorType);
    expect(renderGatewayResponse(error, [], ctx).status).toBe(text.status);
  });
});

describe('renderGatewayResponse customizations', () => {
  const default4xx: GatewayResponse = {
    type: 'DEFAULT_4XX',
    headers: [
      { name: 'Access-Control-Allow-Origin', value: '*' },
      { name: 'X-Origin', reference: 'method.request.header.Origin' },
      { name: 'X-Absent', reference: 'method.request.header.X-Absent' },
    ],
    templates: { 'application/json': '{"message":$context.error.messageString}' },
  };

  it('applies DEFAULT_4XX headers to an uncustomized 401 and resolves header references', () => {
    const rendered = renderGatewayResponse(gatewayErrors.unauthorized(), [default4xx], ctx);
    expect(rendered.status).toBe(401);
    expect(rendered.headers).toEqual({
      'Access-Control-Allow-Origin': '*',
      'X-Origin': 'https://app.example.com',
      'Content-Type': 'application/json',
      'x-amzn-ErrorType': 'UnauthorizedException',
    });
    expect(rendered.body).toBe('{"message":"Unauthorized"}');
  });

  it('keeps the wire casing of deny bodies under the default template', () => {
    const rendered = renderGatewayResponse(gatewayErrors.explicitDeny(), [default4xx], ctx);
    expect(JSON.parse(rendered.body)).toEqual({
      Message:
        'User is not authorized to access this resource with an explicit deny in an identity-based policy',
    });
  });

  it('does not apply DEFAULT_4XX to 5XX errors', () => {
    const rendered = renderGatewayResponse(gatewayErrors.authorizerConfiguration(), [default4xx], ctx);
    expect(rendered.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });

  it('uses DEFAULT_4XX status when the type has none, and a customized type only its own headers', () => {
    const statusOnly: GatewayResponse = { ...default4xx, statusCode: 400 };
    expect(renderGatewayResponse(gatewayErrors.missingAuthenticationToken(), [statusOnly], ctx).status).toBe(
      400,
    );
    const own: GatewayResponse = {
      type: 'UNAUTHORIZED',
      statusCode: 418,
      headers: [{ name: 'WWW-Authenticate', value: 'Bearer' }],
      templates: {
        'application/json':
          '{"error":$context.error.messageString,"id":"$context.requestId","env":"$stageVariables.env"}',
      },
    };
    const rendered = renderGatewayResponse(gatewayErrors.unauthorized(), [statusOnly, own], ctx);
    expect(rendered.status).toBe(418);
    expect(rendered.headers['WWW-Authenticate']).toBe('Bearer');
    expect(rendered.headers['Access-Control-Allow-Origin']).toBeUndefined();
    expect(rendered.headers['x-amzn-ErrorType']).toBe('UnauthorizedException');
    expect(JSON.parse(rendered.body)).toEqual({ error: 'Unauthorized', id: 'req-1', env: 'test' });
  });
});

describe('renderTemplate', () => {
  it.each([
    ['$context.error.message.', 'Unauthorized.'],
    ['${context.error.responseType}', 'UNAUTHORIZED'],
    ['$context.unknown stays', '$context.unknown stays'],
    ['$stageVariables.missing', '$stageVariables.missing'],
  ])('%s', (template, expected) => {
    expect(renderTemplate(template, gatewayErrors.unauthorized(), ctx)).toBe(expected);
  });
});
