/**
 * The config file (`--config FILE`, YAML or JSON): validated key by key with precise errors, defaults filled in.
 * `resolveConfig` and `applyModelDefaults` are pure; `loadConfig` is the I/O edge. See DESIGN.md "Configuration".
 */

import { dirname, resolve } from 'node:path';
import { AWS_RESPONSE_TEXTS } from '../aws-responses.js';
import { InvalidConfigError } from '../errors.js';
import { toPointer } from '../model/json-pointer.js';
import {
  isObject,
  isPlaceholder,
  parseHttpIdentitySource,
  parseIdentitySource,
  type UserPoolFacts,
} from '../model/parse.js';
import type { AuthModel, Authorizer } from '../model/types.js';
import { readTextFile } from '../sources/openapi/export-file.js';
import { parseDataText } from '../sources/data-text.js';
import { checkHandlerFiles } from './check-config.js';
import { didYouMean } from './did-you-mean.js';
import { parsePublicRoute } from './public-route.js';
import { cognitoIssuerPool, jwtTokenProvider } from './token-provider.js';

export { cognitoIssuerPool, jwtTokenProvider };
import {
  DEPTHS,
  MISSING_SOURCE_WITHOUT_CACHE,
  OIDC_TOKEN_FLOWS,
  TOKEN_FLOWS,
  defaultAuthorizerSettings,
  type AuthorizerSettings,
  type CognitoSettings,
  type ExpectationOverride,
  type IssuerStandIn,
  type OidcSettings,
  type ProjectConfig,
  type ServeSettings,
  type TokenFlow,
} from './types.js';

/** The callback URL the Postman app registers for OAuth 2.0 (must be an allowed callback of the app client). */
export const DEFAULT_CALLBACK_URL = 'https://oauth.pstmn.io/v1/callback';

/** The Cognito JSON API endpoint of a region, where InitiateAuth is sent. */
export function cognitoIdpEndpoint(region: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/`;
}

type Segments = Array<string | number>;
type Json = Record<string, unknown>;
type Locate = (pointer: string) => string | undefined;

const TOP_KEYS = [
  'baseUrl',
  'publicRoutes',
  'depth',
  'pathParameters',
  'stageVariables',
  'authorizers',
  'expectations',
  'serve',
] as const;
const SERVE_KEYS = ['requestWithoutCacheMissingSource', 'issuers'] as const;
const ISSUER_STAND_IN_KEYS = ['issuer', 'jwksUrl'] as const;
const AUTHORIZER_KEYS = [
  'handler',
  'validToken',
  'denyToken',
  'tokenFormat',
  'validIdentity',
  'cognito',
  'oidc',
  'expectContext',
] as const;
const OIDC_KEYS = [
  'issuer',
  'discoveryDocument',
  'authUrl',
  'tokenUrl',
  'jwksUrl',
  'clientId',
  'scopes',
  'audience',
  'callbackUrl',
  'tokenFlow',
] as const;
const COGNITO_KEYS = [
  'clientId',
  'domain',
  'callbackUrl',
  'tokenFlow',
  'accessTokenFlow',
  'accessTokenClientId',
  'idpEndpoint',
  'tokenUrl',
  'jwksUrl',
  'issuer',
  'bearerPrefixCase',
  'userPoolId',
  'region',
] as const;
const TOKEN_FORMATS = ['opaque', 'jwt'] as const;
const USER_POOL_ID = {
  regex: /^[a-z]{2}(?:-[a-z]+)+-\d+_[0-9A-Za-z]+$/,
  shape: 'a user pool id like us-east-1_AbC123',
};
const AWS_REGION = { regex: /^[a-z]{2}(?:-[a-z]+)+-\d+$/, shape: 'an AWS region like us-east-1' };
const EXPECTATION_KEYS = ['messages', 'status', 'errorType'] as const;

/**
 * Values that must come at run time, keyed by the key with case and punctuation removed: the run-time variable
 * name (prefixed with the authorizer name where it has one). See DESIGN.md for the fixed names.
 */
const RUN_TIME_VALUES: Record<string, { variable: string; perAuthorizer: boolean }> = {
  clientsecret: { variable: 'clientSecret', perAuthorizer: true },
  password: { variable: 'password', perAuthorizer: true },
  username: { variable: 'username', perAuthorizer: true },
  idtoken: { variable: 'idToken', perAuthorizer: true },
  accesstoken: { variable: 'accessToken', perAuthorizer: true },
  expiredtoken: { variable: 'expiredToken', perAuthorizer: true },
  unscopedaccesstoken: { variable: 'unscopedAccessToken', perAuthorizer: true },
  notyetvalidtoken: { variable: 'notYetValidToken', perAuthorizer: true },
  otherissuertoken: { variable: 'otherIssuerToken', perAuthorizer: true },
  issuerslashtoken: { variable: 'issuerSlashToken', perAuthorizer: true },
  otheraudiencetoken: { variable: 'otherAudienceToken', perAuthorizer: true },
  missingclaimtoken: { variable: 'missingClaimToken', perAuthorizer: true },
  wrongclaimtoken: { variable: 'wrongClaimToken', perAuthorizer: true },
  secretaccesskey: { variable: 'awsSecretAccessKey', perAuthorizer: false },
  awssecretaccesskey: { variable: 'awsSecretAccessKey', perAuthorizer: false },
  accesskeyid: { variable: 'awsAccessKeyId', perAuthorizer: false },
  awsaccesskeyid: { variable: 'awsAccessKeyId', perAuthorizer: false },
  sessiontoken: { variable: 'awsSessionToken', perAuthorizer: false },
  awssessiontoken: { variable: 'awsSessionToken', perAuthorizer: false },
};
// Anything else that looks like a secret is refused too, with a generic hint.
const SECRET_LIKE = /secret|passw|privatekey|credential|refreshtoken|sessiontoken|apikey/;

/**
 * Validates a parsed config file and fills every default.
 *
 * @param raw - the parsed YAML/JSON; undefined or null for no config (all defaults)
 * @param file - the config file, for errors and `ProjectConfig.file`
 * @param baseDir - absolute directory that relative paths (`handler`) resolve against
 * @param locate - optional JSON pointer -> `line N, column M`, to add lines to errors
 * @returns the config; Cognito `idpEndpoint` stays empty until `applyModelDefaults` knows the pool's region
 * @throws InvalidConfigError naming the key path, what was expected and what was found
 */
export function resolveConfig(
  raw: unknown,
  file: string | undefined,
  baseDir: string,
  locate?: Locate,
): ProjectConfig {
  return new ConfigReader(file, baseDir, locate).read(raw);
}

class ConfigReader {
  constructor(
    private readonly file: string | undefined,
    private readonly baseDir: string,
    private readonly locate: Locate | undefined,
  ) {}

  read(raw: unknown): ProjectConfig {
    const config: ProjectConfig = {
      ...(this.file === undefined ? {} : { file: this.file }),
      baseDir: this.baseDir,
      publicRoutes: [],
      depth: 'standard',
      pathParameters: {},
      stageVariables: {},
      authorizers: {},
    };
    if (raw === undefined || raw === null) return config;
    const top = this.object(raw, []);
    this.checkKeys(top, TOP_KEYS, []);
    if (present(top.baseUrl)) config.baseUrl = this.url(top.baseUrl, ['baseUrl']);
    if (present(top.publicRoutes))
      config.publicRoutes = this.publicRoutes(top.publicRoutes, ['publicRoutes']);
    if (present(top.depth)) config.depth = this.oneOf(top.depth, DEPTHS, ['depth']);
    if (present(top.pathParameters))
      config.pathParameters = this.stringMap(top.pathParameters, ['pathParameters']);
    if (present(top.stageVariables))
      config.stageVariables = this.stringMap(top.stageVariables, ['stageVariables']);
    if (present(top.authorizers)) {
      const authorizers = this.object(top.authorizers, ['authorizers']);
      for (const [name, settings] of Object.entries(authorizers)) {
        config.authorizers[name] = this.authorizer(settings, ['authorizers', name]);
      }
    }
    if (present(top.expectations))
      config.expectations = this.expectations(top.expectations, ['expectations']);
    if (present(top.serve)) config.serve = this.serve(top.serve, ['serve']);
    return config;
  }

  private authorizer(raw: unknown, path: Segments): AuthorizerSettings {
    const settings = defaultAuthorizerSettings();
    // `TokenAuth:` with nothing under it is a YAML null: the defaults.
    if (raw === null || raw === undefined) return settings;
    const input = this.object(raw, path);
    this.checkKeys(input, AUTHORIZER_KEYS, path);
    if (present(input.handler)) {
      settings.handler = resolve(this.baseDir, this.nonEmptyString(input.handler, [...path, 'handler']));
    }
    if (present(input.validToken))
      settings.validToken = this.scalar(input.validToken, [...path, 'validToken']);
    if (present(input.denyToken)) settings.denyToken = this.scalar(input.denyToken, [...path, 'denyToken']);
    if (present(input.tokenFormat)) {
      settings.tokenFormat = this.oneOf(input.tokenFormat, TOKEN_FORMATS, [...path, 'tokenFormat']);
    }
    if (present(input.validIdentity)) {
      const at = [...path, 'validIdentity'];
      settings.validIdentity = this.stringMap(input.validIdentity, at);
      for (const expression of Object.keys(settings.validIdentity)) {
        // REST (`method.request.header.X`) or HTTP API (`$request.header.X`) syntax: the model decides which.
        if (
          parseIdentitySource(expression) === undefined &&
          parseHttpIdentitySource(expression) === undefined
        ) {
          this.fail(
            [...at, expression],
            `expected an identity source expression (REST: method.request.header.<Name>, ` +
              `method.request.querystring.<Name>, stageVariables.<Name> or context.<Name>; HTTP API: ` +
              `$request.header.<Name>, $request.querystring.<Name>, $stageVariables.<Name> or $context.<Name>), ` +
              `got ${JSON.stringify(expression)}.`,
          );
        }
      }
    }
    if (present(input.cognito)) settings.cognito = this.cognito(input.cognito, [...path, 'cognito']);
    if (present(input.oidc)) settings.oidc = this.oidc(input.oidc, [...path, 'oidc']);
    if (settings.cognito !== undefined && settings.oidc !== undefined) {
      this.fail(
        [...path, 'oidc'],
        'expected either cognito or oidc settings, not both: a JWT authorizer gets its tokens from one issuer.',
        'Keep cognito: for a Cognito user pool issuer, oidc: for any other OIDC issuer.',
      );
    }
    if (present(input.expectContext)) {
      const at = [...path, 'expectContext'];
      const context = this.object(input.expectContext, at);
      if (Object.keys(context).length === 0) {
        this.fail(at, 'expected at least one key: value (the context value the integration must receive).');
      }
      settings.expectContext = { ...context };
    }
    return settings;
  }

  /** `oidc:` of a JWT authorizer whose issuer is not a Cognito user pool. */
  private oidc(raw: unknown, path: Segments): OidcSettings {
    const input = this.object(raw, path);
    this.checkKeys(input, OIDC_KEYS, path);
    const at = (key: string): Segments => [...path, key];
    const oidc: OidcSettings = {
      scopes: [],
      callbackUrl: this.callbackUrl(input, path),
      tokenFlow: present(input.tokenFlow)
        ? this.oneOf(input.tokenFlow, OIDC_TOKEN_FLOWS, at('tokenFlow'))
        : 'client_credentials',
    };
    // The issuer is compared with a token's `iss` exactly, trailing slash included: kept as written.
    if (present(input.issuer)) oidc.issuer = this.exactUrl(input.issuer, at('issuer'));
    if (present(input.discoveryDocument)) {
      oidc.discoveryDocument = resolve(
        this.baseDir,
        this.nonEmptyString(input.discoveryDocument, at('discoveryDocument')),
      );
    }
    if (present(input.authUrl)) oidc.authUrl = this.url(input.authUrl, at('authUrl'));
    if (present(input.tokenUrl)) oidc.tokenUrl = this.url(input.tokenUrl, at('tokenUrl'));
    if (present(input.jwksUrl)) oidc.jwksUrl = this.url(input.jwksUrl, at('jwksUrl'));
    if (present(input.clientId)) oidc.clientId = this.nonEmptyString(input.clientId, at('clientId'));
    if (present(input.audience)) oidc.audience = this.nonEmptyString(input.audience, at('audience'));
    if (present(input.scopes)) {
      const scopes = input.scopes;
      if (!Array.isArray(scopes)) {
        this.fail(
          at('scopes'),
          `expected a list of scope names (e.g. [openid, profile]), got ${describe(scopes)}.`,
        );
      }
      oidc.scopes = (scopes as unknown[]).map((scope, i) => {
        const value = this.nonEmptyString(scope, [...path, 'scopes', i]);
        if (/\s/.test(value)) {
          this.fail(
            [...path, 'scopes', i],
            `expected one scope name without spaces, got ${JSON.stringify(value)}.`,
          );
        }
        return value;
      });
    }
    return oidc;
  }

  /** `callbackUrl` of `cognito:` or `oidc:`: Postman's own callback unless the app client registers another. */
  private callbackUrl(input: Json, path: Segments): string {
    return present(input.callbackUrl)
      ? this.url(input.callbackUrl, [...path, 'callbackUrl'])
      : DEFAULT_CALLBACK_URL;
  }

  private cognito(raw: unknown, path: Segments): CognitoSettings {
    const input = this.object(raw, path);
    this.checkKeys(input, COGNITO_KEYS, path);
    const at = (key: string): Segments => [...path, key];
    const cognito: CognitoSettings = {
      callbackUrl: this.callbackUrl(input, path),
      tokenFlow: present(input.tokenFlow)
        ? this.oneOf(input.tokenFlow, TOKEN_FLOWS, at('tokenFlow'))
        : 'password',
      // Unknown until the model gives the user pool's region: see applyModelDefaults.
      idpEndpoint: present(input.idpEndpoint) ? this.url(input.idpEndpoint, at('idpEndpoint')) : '',
    };
    if (present(input.clientId)) cognito.clientId = this.nonEmptyString(input.clientId, at('clientId'));
    if (present(input.domain)) cognito.domain = this.url(input.domain, at('domain'));
    if (present(input.accessTokenFlow)) {
      cognito.accessTokenFlow = this.oneOf<TokenFlow>(
        input.accessTokenFlow,
        TOKEN_FLOWS,
        at('accessTokenFlow'),
      );
    }
    if (present(input.accessTokenClientId)) {
      cognito.accessTokenClientId = this.nonEmptyString(input.accessTokenClientId, at('accessTokenClientId'));
    }
    if (present(input.tokenUrl)) cognito.tokenUrl = this.url(input.tokenUrl, at('tokenUrl'));
    if (present(input.jwksUrl)) cognito.jwksUrl = this.url(input.jwksUrl, at('jwksUrl'));
    if (present(input.issuer)) cognito.issuer = this.nonEmptyString(input.issuer, at('issuer'));
    if (present(input.userPoolId))
      cognito.userPoolId = this.matching(input.userPoolId, USER_POOL_ID, at('userPoolId'));
    if (present(input.region)) cognito.region = this.matching(input.region, AWS_REGION, at('region'));
    if (present(input.bearerPrefixCase)) {
      if (typeof input.bearerPrefixCase !== 'boolean') {
        this.fail(at('bearerPrefixCase'), `expected true or false, got ${describe(input.bearerPrefixCase)}.`);
      }
      cognito.bearerPrefixCase = input.bearerPrefixCase as boolean;
    }
    return cognito;
  }

  /** `serve: { requestWithoutCacheMissingSource: reject | invoke, issuers: { URL: { issuer, jwksUrl? } } }`. */
  private serve(raw: unknown, path: Segments): ServeSettings {
    const input = this.object(raw, path);
    this.checkKeys(input, SERVE_KEYS, path);
    const serve: ServeSettings = {
      requestWithoutCacheMissingSource: present(input.requestWithoutCacheMissingSource)
        ? this.oneOf(input.requestWithoutCacheMissingSource, MISSING_SOURCE_WITHOUT_CACHE, [
            ...path,
            'requestWithoutCacheMissingSource',
          ])
        : 'reject',
    };
    if (present(input.issuers)) serve.issuers = this.issuers(input.issuers, [...path, 'issuers']);
    return serve;
  }

  /** `serve.issuers`: cloud issuer URL (exactly as the API names it) -> the local issuer standing in for it. */
  private issuers(raw: unknown, path: Segments): Record<string, IssuerStandIn> {
    const input = this.object(raw, path);
    const out: Record<string, IssuerStandIn> = {};
    for (const [cloud, value] of Object.entries(input)) {
      const at = [...path, cloud];
      this.exactUrl(cloud, at, 'key');
      const entry = this.object(value, at);
      this.checkKeys(entry, ISSUER_STAND_IN_KEYS, at);
      if (!present(entry.issuer)) {
        this.fail(
          [...at, 'issuer'],
          'expected the issuer (iss) the local identity server writes into its tokens, got nothing.',
          `Add issuer: http://127.0.0.1:<port>/... under serve.issuers["${cloud}"].`,
        );
      }
      out[cloud] = {
        issuer: this.exactUrl(entry.issuer, [...at, 'issuer']),
        ...(present(entry.jwksUrl) ? { jwksUrl: this.url(entry.jwksUrl, [...at, 'jwksUrl']) } : {}),
      };
    }
    return out;
  }

  /** `expectations: { <AWS_RESPONSE_TEXTS id>: { messages?, status?, errorType? } }`. */
  private expectations(raw: unknown, path: Segments): ProjectConfig['expectations'] {
    const input = this.object(raw, path);
    const ids = Object.keys(AWS_RESPONSE_TEXTS);
    const out: NonNullable<ProjectConfig['expectations']> = {};
    for (const [id, value] of Object.entries(input)) {
      const at = [...path, id];
      if (!ids.includes(id)) {
        this.fail(at, `unknown response "${id}".${didYouMean(id, ids)} Expected one of: ${ids.join(', ')}.`);
      }
      const entry = this.object(value, at);
      this.checkKeys(entry, EXPECTATION_KEYS, at);
      const override: ExpectationOverride = {};
      if (present(entry.messages)) {
        const messages = entry.messages;
        if (!Array.isArray(messages) || messages.length === 0) {
          this.fail(
            [...at, 'messages'],
            `expected a non-empty list of message texts, got ${describe(messages)}.`,
          );
        }
        override.messages = (messages as unknown[]).map((message, i) =>
          this.nonEmptyString(message, [...at, 'messages', i]),
        );
      }
      if (present(entry.status)) {
        const status = entry.status;
        if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
          this.fail([...at, 'status'], `expected an HTTP status code (100-599), got ${describe(status)}.`);
        }
        override.status = status as number;
      }
      if (present(entry.errorType)) {
        override.errorType = this.nonEmptyString(entry.errorType, [...at, 'errorType']);
      }
      if (Object.keys(override).length === 0) {
        this.fail(at, `expected at least one of: ${EXPECTATION_KEYS.join(', ')}.`);
      }
      out[id as keyof typeof AWS_RESPONSE_TEXTS] = override;
    }
    return out;
  }

  // ---- value validators ----

  private checkKeys(input: Json, allowed: readonly string[], path: Segments): void {
    for (const key of Object.keys(input)) {
      if (allowed.includes(key)) continue;
      const normalized = key.toLowerCase().replace(/[^a-z]/g, '');
      const runTime = RUN_TIME_VALUES[normalized];
      if (runTime !== undefined || SECRET_LIKE.test(normalized)) {
        // The authorizer name is the second segment of `authorizers.NAME...`.
        const owner = path[0] === 'authorizers' && path[1] !== undefined ? `${String(path[1])}.` : '';
        const variable =
          runTime === undefined ? undefined : `${runTime.perAuthorizer ? owner : ''}${runTime.variable}`;
        this.fail(
          [...path, key],
          `"${key}" must not be in the config file: secrets and credentials are supplied at run time only.`,
          variable === undefined
            ? 'Remove it and pass the value at run time (`apigw-authz run --env-var NAME=VALUE`).'
            : `Remove it and pass it at run time as the variable ${variable} ` +
                `(\`apigw-authz run --env-var ${variable}=…\`, or newman --env-var).`,
        );
      }
      this.fail(
        [...path, key],
        `unknown key "${key}".${didYouMean(key, allowed)} Expected one of: ${allowed.join(', ')}.`,
      );
    }
  }

  private object(raw: unknown, path: Segments): Json {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.fail(path, `expected a mapping (key: value), got ${describe(raw)}.`);
    }
    return raw as Json;
  }

  private scalar(raw: unknown, path: Segments): string {
    if (typeof raw === 'string') return raw;
    if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
    return this.fail(path, `expected a string, got ${describe(raw)}.`);
  }

  private nonEmptyString(raw: unknown, path: Segments): string {
    if (typeof raw !== 'string' || raw.trim() === '')
      this.fail(path, `expected a non-empty string, got ${describe(raw)}.`);
    return (raw as string).trim();
  }

  /** A string in a known shape: `pattern` has the shape's name and an example, for the message. */
  private matching(raw: unknown, pattern: { regex: RegExp; shape: string }, path: Segments): string {
    const value = this.nonEmptyString(raw, path);
    if (!pattern.regex.test(value)) this.fail(path, `expected ${pattern.shape}, got ${describe(raw)}.`);
    return value;
  }

  private oneOf<T extends string>(raw: unknown, allowed: readonly T[], path: Segments): T {
    if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
    const hint = typeof raw === 'string' ? didYouMean(raw, allowed) : '';
    return this.fail(path, `expected one of ${allowed.join(', ')}, got ${describe(raw)}.${hint}`);
  }

  /** The trimmed value when it is an http(s) URL; else fails with `expected` (what, with an example). */
  private httpUrl(raw: unknown, path: Segments, expected: string): string {
    const value = this.nonEmptyString(raw, path);
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      this.fail(path, `expected ${expected}, got ${JSON.stringify(value)}.`);
    }
    return value;
  }

  private url(raw: unknown, path: Segments): string {
    const value = this.httpUrl(raw, path, 'an http(s) URL such as https://example.com/path');
    // A trailing slash would double up when paths are appended (`<domain>/oauth2/token`); idpEndpoint keeps its own.
    return path[path.length - 1] === 'idpEndpoint' ? value : value.replace(/\/+$/, '');
  }

  /**
   * An http(s) URL kept exactly as written (issuers: a token's `iss` must equal them, trailing slash included).
   * `what` `key`: the value is a mapping key (`serve.issuers` entries), named as such in the message.
   */
  private exactUrl(raw: unknown, path: Segments, what: 'value' | 'key' = 'value'): string {
    return this.httpUrl(
      raw,
      path,
      `${what === 'key' ? 'an issuer URL as the key' : 'an http(s) issuer URL'} such as ` +
        'https://login.example.com/ (kept exactly, trailing slash included)',
    );
  }

  private stringMap(raw: unknown, path: Segments): Record<string, string> {
    const input = this.object(raw, path);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(input)) out[key] = this.scalar(value, [...path, key]);
    return out;
  }

  private publicRoutes(raw: unknown, path: Segments): string[] {
    if (!Array.isArray(raw))
      this.fail(path, `expected a list of "METHOD /path" entries, got ${describe(raw)}.`);
    return (raw as unknown[]).map((entry, i) => {
      const route = typeof entry === 'string' ? parsePublicRoute(entry) : undefined;
      if (!route) {
        this.fail(
          [...path, i],
          `expected "METHOD /path" (e.g. "GET /health"; METHOD is an HTTP method or ANY), got ${describe(entry)}.`,
        );
      }
      return `${route.method} ${route.path}`;
    });
  }

  private fail(path: Segments, message: string, fix?: string): never {
    const line = this.locate?.(toPointer(path));
    const keyPath = formatKeyPath(path);
    throw new InvalidConfigError(message, {
      ...(this.file === undefined ? {} : { file: this.file }),
      location: line === undefined ? keyPath : `${keyPath} (${line})`,
      ...(fix === undefined ? {} : { fix }),
    });
  }
}

/**
 * Completes a config with what only the model knows, and checks the config against the model.
 *
 * - Cognito authorizers get `idpEndpoint` from their first user pool's region and `tokenUrl` from `domain`;
 *   Cognito authorizers without a config entry get one with the defaults.
 * - Every configured authorizer must exist in the model; `cognito` only on Cognito authorizers; `validIdentity`
 *   keys must be identity sources of that authorizer; `publicRoutes` entries must be `METHOD /path`.
 *
 * @param config - from `resolveConfig` (or built by a library user)
 * @param model - the API's model
 * @param options - `lenient` (doctor): keep authorizers and `validIdentity` keys the model does not have, for
 *   doctor to report as findings, instead of refusing them
 * @returns a new config; the input is not modified
 * @throws InvalidConfigError naming the key path and the known names
 */
export function applyModelDefaults(
  config: ProjectConfig,
  model: AuthModel,
  options: { lenient?: boolean } = {},
): ProjectConfig {
  const fail = (path: Segments, message: string, fix?: string): never => {
    throw new InvalidConfigError(message, {
      ...(config.file === undefined ? {} : { file: config.file }),
      location: formatKeyPath(path),
      ...(fix === undefined ? {} : { fix }),
    });
  };
  config.publicRoutes.forEach((entry, i) => {
    if (parsePublicRoute(entry) === undefined) {
      fail(
        ['publicRoutes', i],
        `expected "METHOD /path" (e.g. "GET /health"), got ${JSON.stringify(entry)}.`,
      );
    }
  });

  const known = model.authorizers.map((a) => a.name);
  const authorizers: Record<string, AuthorizerSettings> = {};
  for (const [name, settings] of Object.entries(config.authorizers)) {
    const authorizer = model.authorizers.find((a) => a.name === name);
    if (authorizer === undefined && options.lenient) {
      authorizers[name] = { ...settings, validIdentity: { ...settings.validIdentity } };
      continue;
    }
    if (authorizer === undefined) {
      fail(
        ['authorizers', name],
        `unknown authorizer "${name}": the API has ${known.length === 0 ? 'no authorizers' : known.join(', ')}.` +
          didYouMean(name, known),
        'Key authorizers by their security scheme name (export) or authorizer name (AWS).',
      );
      continue;
    }
    if (
      settings.cognito !== undefined &&
      authorizer.kind !== 'COGNITO_USER_POOLS' &&
      authorizer.kind !== 'JWT'
    ) {
      fail(
        ['authorizers', name, 'cognito'],
        `"${name}" is a ${authorizer.kind} authorizer; cognito settings apply to Cognito user pool and JWT authorizers only.`,
      );
    }
    if (settings.oidc !== undefined && authorizer.kind !== 'JWT') {
      fail(
        ['authorizers', name, 'oidc'],
        `"${name}" is a ${authorizer.kind} authorizer; oidc settings apply to JWT authorizers only.`,
        authorizer.kind === 'COGNITO_USER_POOLS'
          ? 'A Cognito user pool authorizer takes cognito: settings.'
          : 'Remove the oidc: settings.',
      );
    }
    const sources = authorizer.identitySources.map((s) => s.expression);
    for (const expression of Object.keys(settings.validIdentity)) {
      if (!sources.includes(expression) && !options.lenient) {
        fail(
          ['authorizers', name, 'validIdentity', expression],
          `"${expression}" is not an identity source of "${name}" (its sources: ${sources.join(', ') || 'none'}).` +
            didYouMean(expression, sources),
        );
      }
    }
    authorizers[name] = { ...settings, validIdentity: { ...settings.validIdentity } };
  }

  for (const authorizer of model.authorizers) {
    if (authorizer.kind === 'JWT') {
      authorizers[authorizer.name] = withJwtTokenDefaults(
        authorizer,
        authorizers[authorizer.name] ?? defaultAuthorizerSettings(),
        model,
      );
      continue;
    }
    if (authorizer.kind !== 'COGNITO_USER_POOLS') continue;
    const settings = authorizers[authorizer.name] ?? defaultAuthorizerSettings();
    const cognito: CognitoSettings = settings.cognito
      ? { ...settings.cognito }
      : { callbackUrl: DEFAULT_CALLBACK_URL, tokenFlow: 'password', idpEndpoint: '' };
    if (cognito.idpEndpoint === '') {
      // A region a template left as a placeholder is no region (fillUserPools fills it from cognito.region).
      const region = [authorizer.userPools[0]?.region, cognito.region, model.api.region].find(
        (r) => r !== undefined && !isPlaceholder(r),
      );
      cognito.idpEndpoint = cognitoIdpEndpoint(region ?? 'us-east-1');
    }
    if (cognito.tokenUrl === undefined && cognito.domain !== undefined)
      cognito.tokenUrl = `${cognito.domain}/oauth2/token`;
    authorizers[authorizer.name] = { ...settings, cognito };
  }
  return { ...config, publicRoutes: [...config.publicRoutes], authorizers };
}

/**
 * A JWT authorizer's token settings with every default: `cognito` (idpEndpoint from the issuer's region) when the
 * provider is Cognito; else `oidc` with the authorizer's first issuer, and the static token flow when the config
 * says nothing (a token supplied at run time as `NAME.accessToken`: no endpoint to guess).
 */
export function withJwtTokenDefaults(
  authorizer: Authorizer,
  settings: AuthorizerSettings,
  model: Pick<AuthModel, 'api'>,
): AuthorizerSettings {
  const issuer = authorizer.jwt?.issuers[0]?.issuer;
  if (jwtTokenProvider(authorizer, settings) === 'cognito') {
    const cognito: CognitoSettings = settings.cognito
      ? { ...settings.cognito }
      : { callbackUrl: DEFAULT_CALLBACK_URL, tokenFlow: 'password', idpEndpoint: '' };
    if (cognito.idpEndpoint === '') {
      const pool = issuer === undefined ? undefined : cognitoIssuerPool(issuer);
      const region = [pool?.region, cognito.region, model.api.region].find(
        (r) => r !== undefined && !isPlaceholder(r),
      );
      cognito.idpEndpoint = cognitoIdpEndpoint(region ?? 'us-east-1');
    }
    if (cognito.tokenUrl === undefined && cognito.domain !== undefined)
      cognito.tokenUrl = `${cognito.domain}/oauth2/token`;
    return { ...settings, cognito };
  }
  const oidc: OidcSettings = settings.oidc
    ? { ...settings.oidc, scopes: [...settings.oidc.scopes] }
    : { scopes: [], callbackUrl: DEFAULT_CALLBACK_URL, tokenFlow: 'static' };
  if (oidc.issuer === undefined && issuer !== undefined) oidc.issuer = issuer;
  return { ...settings, oidc };
}

/**
 * What the config knows about each Cognito authorizer's user pool, for `fillUserPools` (model/parse.ts) to
 * complete a pool that a template named by a placeholder.
 */
export function userPoolFacts(config: ProjectConfig): Record<string, UserPoolFacts | undefined> {
  return Object.fromEntries(Object.entries(config.authorizers).map(([name, s]) => [name, s.cognito]));
}

/**
 * Reads and validates the config file.
 *
 * @param file - `--config` as given (relative to `cwd`), or undefined for no config file (all defaults)
 * @param cwd - the working directory: base of `file`, and of relative paths when there is no file
 * @throws InputNotFoundError, InputUnreadableError, InvalidJsonError, InvalidYamlError, InvalidConfigError
 */
export async function loadConfig(file: string | undefined, cwd: string): Promise<ProjectConfig> {
  if (file === undefined) return resolveConfig(undefined, undefined, resolve(cwd));
  const absolute = resolve(cwd, file);
  const text = await readTextFile(
    absolute,
    'config file',
    'Check the --config path; see examples/apigw-authz.config.yaml for the format.',
  );
  // An empty (or comment-only) file is a config with every default.
  const parsed = text.trim() === '' ? undefined : parseDataText(text, absolute);
  const config = resolveConfig(parsed?.data, absolute, dirname(absolute), parsed?.locate);
  for (const [name, settings] of Object.entries(config.authorizers)) {
    if (settings.oidc?.discoveryDocument === undefined) continue;
    const line = parsed?.locate(toPointer(['authorizers', name, 'oidc', 'discoveryDocument']));
    const key = `authorizers.${name}.oidc.discoveryDocument`;
    settings.oidc = await withDiscoveryDocument(
      settings.oidc,
      absolute,
      line === undefined ? key : `${key} (${line})`,
    );
  }
  // A handler file that does not exist is refused by every command, before anything runs.
  const [missing] = checkHandlerFiles(config);
  if (missing !== undefined) {
    const line = parsed?.locate(toPointer(['authorizers', missing.subject, 'handler']));
    throw new InvalidConfigError(missing.message, {
      file: absolute,
      location: line === undefined ? missing.key : `${missing.key} (${line})`,
      fix: missing.fix,
    });
  }
  return config;
}

const DISCOVERY_FIELDS = {
  authUrl: 'authorization_endpoint',
  tokenUrl: 'token_endpoint',
  jwksUrl: 'jwks_uri',
} as const;

/**
 * Fills `authUrl`, `tokenUrl`, `jwksUrl` and `issuer` of OIDC settings from the saved discovery document, where the
 * config does not set them. @throws InputNotFoundError, InvalidJsonError, InvalidYamlError, InvalidConfigError
 */
async function withDiscoveryDocument(
  oidc: OidcSettings,
  configFile: string,
  location: string,
): Promise<OidcSettings> {
  const file = oidc.discoveryDocument ?? '';
  const text = await readTextFile(
    file,
    'OIDC discovery document',
    `Save the issuer's <issuer>/.well-known/openid-configuration there, or fix ${location} in ${configFile}.`,
  );
  const document = text.trim() === '' ? undefined : parseDataText(text, file).data;
  const refuse = (what: string): never => {
    throw new InvalidConfigError(`the discovery document ${file} ${what}.`, {
      file: configFile,
      location,
      fix: "Save the issuer's <issuer>/.well-known/openid-configuration (JSON) and point discoveryDocument at it.",
    });
  };
  if (!isObject(document)) return refuse('is not a JSON object');
  const out: OidcSettings = { ...oidc, scopes: [...oidc.scopes] };
  for (const [key, field] of Object.entries(DISCOVERY_FIELDS) as [keyof typeof DISCOVERY_FIELDS, string][]) {
    const value = document[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !/^https?:\/\//.test(value)) {
      refuse(`has a ${field} that is not an http(s) URL (${JSON.stringify(value)})`);
    }
    if (out[key] === undefined) out[key] = (value as string).replace(/\/+$/, '');
  }
  const issuer = document.issuer;
  if (issuer !== undefined && typeof issuer !== 'string') refuse('has an issuer that is not a string');
  if (typeof issuer === 'string') {
    if (oidc.issuer !== undefined && oidc.issuer !== issuer) {
      refuse(
        `names the issuer ${JSON.stringify(issuer)}, but oidc.issuer is ${JSON.stringify(oidc.issuer)} ` +
          '(compared exactly, trailing slash included)',
      );
    }
    out.issuer = issuer;
  }
  return out;
}

/** `authorizers.TokenAuth.tokenFormat`; keys that are not identifiers in brackets: `validIdentity["a.b"]`. */
export function formatKeyPath(path: Segments): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
