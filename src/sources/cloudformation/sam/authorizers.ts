/**
 * `AWS::Serverless::Api` `Auth.Authorizers` -> OpenAPI security schemes, as samtranslator's `ApiGatewayAuthorizer`
 * (model/apigateway.py) writes them:
 * - Cognito (`UserPoolArn`): the token header in the scheme's `name` (`Identity.Header`, default `Authorization`),
 *   `identityValidationExpression` from `Identity.ValidationExpression`; `ReauthorizeEvery` is IGNORED (iac trap 7).
 * - Lambda TOKEN (`FunctionArn`, `FunctionPayloadType` absent or `TOKEN`): header as for Cognito, validation
 *   expression, `authorizerResultTtlInSeconds` only when `ReauthorizeEvery` is set.
 * - Lambda REQUEST: `identitySource` from `Identity.Headers/QueryStrings/StageVariables/Context` in that order,
 *   joined with `, `; at least one unless `ReauthorizeEvery` is 0.
 * - `AWS_IAM` as `DefaultAuthorizer`: the `awsSigv4` scheme.
 */

import type { Json } from './values.js';
import { isObject } from '../../../model/parse.js';

export type Segments = Array<string | number>;

/** Reports bad input at a place below the `Auth` block; never returns. */
export type Fail = (at: Segments, message: string, fix?: string) => never;

/** One authorizer of the API, ready for the body. */
export interface SamAuthorizer {
  name: string;
  /** The scheme SAM writes into `securityDefinitions`. */
  scheme: Json;
  /** `AuthorizationScopes` of the authorizer: the default scopes of routes it protects by default. */
  scopes: unknown[];
}

const AUTHORIZER_KEYS = new Set([
  'UserPoolArn',
  'FunctionArn',
  'Identity',
  'FunctionPayloadType',
  'FunctionInvokeRole',
  'AuthorizationScopes',
  'DisableFunctionDefaultPermissions',
]);
const IDENTITY_KEYS = new Set([
  'Header',
  'ValidationExpression',
  'ReauthorizeEvery',
  'Headers',
  'QueryStrings',
  'StageVariables',
  'Context',
]);
const REQUEST_SOURCES: ReadonlyArray<[string, string]> = [
  ['Headers', 'method.request.header.'],
  ['QueryStrings', 'method.request.querystring.'],
  ['StageVariables', 'stageVariables.'],
  ['Context', 'context.'],
];

/**
 * Reads `Auth.Authorizers` (plus the IAM pseudo-authorizer when `DefaultAuthorizer` is `AWS_IAM`).
 *
 * @param config - `Auth.Authorizers`, parameter references already resolved
 * @param at - the pointer segments of `Auth.Authorizers`
 * @returns the authorizers in template order; empty when there are none
 */
export function readAuthorizers(
  config: unknown,
  defaultAuthorizer: unknown,
  at: Segments,
  fail: Fail,
  warn: (at: Segments, message: string) => void,
): SamAuthorizer[] {
  const out: SamAuthorizer[] = [];
  if (defaultAuthorizer === 'AWS_IAM') {
    out.push({
      name: 'AWS_IAM',
      scheme: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      },
      scopes: [],
    });
  }
  if (config === undefined || config === null) return out;
  if (!isObject(config)) fail(at, 'Auth.Authorizers must be a map of authorizer name to authorizer.');
  for (const [name, authorizer] of Object.entries(config)) {
    if (!isObject(authorizer)) fail([...at, name], `Authorizer "${name}" must be an object.`);
    out.push(readAuthorizer(name, authorizer, [...at, name], fail, warn));
  }
  return out;
}

function readAuthorizer(
  name: string,
  config: Json,
  at: Segments,
  fail: Fail,
  warn: (at: Segments, message: string) => void,
): SamAuthorizer {
  const ignored = Object.keys(config).filter((key) => !AUTHORIZER_KEYS.has(key));
  if (ignored.length > 0) {
    warn(
      at,
      `${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not read by SAM for a REST API authorizer ` +
        '(HTTP API keys?) and ignored.',
    );
  }
  const identity = config.Identity ?? undefined;
  if (identity !== undefined && identity !== null && !isObject(identity)) {
    fail([...at, 'Identity'], `The Identity of authorizer "${name}" must be an object.`);
  }
  const id: Json = isObject(identity) ? identity : {};
  const payload = config.FunctionPayloadType;
  if (payload !== undefined && payload !== null && payload !== 'TOKEN' && payload !== 'REQUEST') {
    fail(
      [...at, 'FunctionPayloadType'],
      `Authorizer "${name}" has FunctionPayloadType ${JSON.stringify(payload)}: expected TOKEN or REQUEST.`,
    );
  }
  const scopes = config.AuthorizationScopes ?? [];
  if (!Array.isArray(scopes)) {
    fail(
      [...at, 'AuthorizationScopes'],
      `AuthorizationScopes of authorizer "${name}" must be a list of scopes.`,
    );
  }
  const unknownIdentity = Object.keys(id).filter((key) => !IDENTITY_KEYS.has(key));
  if (unknownIdentity.length > 0) {
    warn([...at, 'Identity'], `${unknownIdentity.join(', ')} in Identity is not read by SAM and ignored.`);
  }

  const cognito =
    config.UserPoolArn !== undefined && config.UserPoolArn !== null && config.UserPoolArn !== '';
  const request = !cognito && payload === 'REQUEST';
  if (!cognito && (config.FunctionArn === undefined || config.FunctionArn === null)) {
    fail(
      at,
      `Authorizer "${name}" has neither UserPoolArn (Cognito) nor FunctionArn (Lambda).`,
      'Set UserPoolArn for a Cognito user pool authorizer, or FunctionArn for a Lambda authorizer.',
    );
  }
  if (request && missingRequestIdentity(id)) {
    fail(
      [...at, 'Identity'],
      `Authorizer "${name}" must specify Identity with at least one of Headers, QueryStrings, StageVariables or ` +
        'Context (only a REQUEST authorizer with ReauthorizeEvery: 0 may have none).',
      'Add the request parts the authorizer reads, e.g. Identity: { Headers: [Authorization] }.',
    );
  }

  const header = id.Header ? id.Header : 'Authorization';
  const authorizer: Json = {};
  const scheme: Json = {
    type: 'apiKey',
    name: request ? 'Unused' : header,
    in: 'header',
    'x-amazon-apigateway-authtype': cognito ? 'cognito_user_pools' : 'custom',
    'x-amazon-apigateway-authorizer': authorizer,
  };
  if (cognito) {
    authorizer.type = 'cognito_user_pools';
    authorizer.providerARNs = Array.isArray(config.UserPoolArn) ? config.UserPoolArn : [config.UserPoolArn];
    if (id.ReauthorizeEvery !== undefined) {
      warn(
        [...at, 'Identity', 'ReauthorizeEvery'],
        `ReauthorizeEvery is ignored for the Cognito authorizer "${name}": SAM does not write a TTL for Cognito.`,
      );
    }
  } else {
    authorizer.type = request ? 'request' : 'token';
    authorizer.authorizerUri = {
      'Fn::Sub': [
        'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations',
        { __FunctionArn__: config.FunctionArn },
      ],
    };
    if (id.ReauthorizeEvery !== undefined && id.ReauthorizeEvery !== null) {
      authorizer.authorizerResultTtlInSeconds = id.ReauthorizeEvery;
    }
    const role = config.FunctionInvokeRole;
    if (role !== undefined && role !== null && role !== '' && role !== 'NONE')
      authorizer.authorizerCredentials = role;
    if (request) {
      const source = requestIdentitySource(id, [...at, 'Identity'], fail);
      if (source !== '') authorizer.identitySource = source;
    }
  }
  if (cognito || !request) {
    if (
      id.ValidationExpression !== undefined &&
      id.ValidationExpression !== null &&
      id.ValidationExpression !== ''
    ) {
      authorizer.identityValidationExpression = id.ValidationExpression;
    }
  }
  return { name, scheme, scopes };
}

/** REQUEST without any identity source is only valid with caching off (`_is_missing_identity_source`). */
function missingRequestIdentity(identity: Json): boolean {
  const none = REQUEST_SOURCES.every(([key]) => {
    const value = identity[key];
    return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
  });
  const ttl = identity.ReauthorizeEvery;
  if (ttl === undefined || ttl === null) return none;
  const seconds = Number(ttl);
  if (typeof ttl === 'boolean' || !Number.isInteger(seconds)) return none;
  return seconds > 0 && none;
}

function requestIdentitySource(identity: Json, at: Segments, fail: Fail): string {
  const parts: string[] = [];
  for (const [key, prefix] of REQUEST_SOURCES) {
    const values = identity[key];
    if (values === undefined || values === null) continue;
    if (!Array.isArray(values)) fail([...at, key], `Identity.${key} must be a list of names.`);
    values.forEach((value: unknown, i) => {
      if (typeof value !== 'string') fail([...at, key, i], `Identity.${key} entries must be strings.`);
      parts.push(`${prefix}${value}`);
    });
  }
  return parts.join(', ');
}
