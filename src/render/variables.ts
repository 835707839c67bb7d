import type { TestPlan, VariableSpec } from '../cases/types.js';
import {
  cachedTokenVariable,
  cognitoRenderings,
  flowsInUse,
  jwksUrlVariable,
  oidcRenderings,
  tokenIssuerOf,
  tokenProviderOf,
} from './cognito.js';
import type { CognitoRendering, OidcRendering } from './cognito.js';

function spec(
  key: string,
  value: string,
  secret: boolean,
  required: boolean,
  description: string,
): VariableSpec {
  // Secrets never carry a value into a generated file, whatever the caller passed.
  return { key, value: secret ? '' : value, secret, required, description };
}

/** The stage URL every request goes to: config `baseUrl`, else the model's stage URL. */
export function defaultBaseUrl(plan: TestPlan): string {
  return (plan.config.baseUrl ?? plan.model.stage.baseUrl).replace(/\/+$/, '');
}

/** The AWS region for SigV4: the API's region, else the one in an execute-api URL, else us-east-1. */
export function defaultAwsRegion(plan: TestPlan): string {
  const fromUrl = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(defaultBaseUrl(plan))?.[1];
  return plan.model.api.region ?? fromUrl ?? 'us-east-1';
}

/** The test user the password flow (Cognito) or grant (OIDC) signs in as; the password is a secret. */
function testUserVariables(n: string, flow: 'password flow' | 'password grant'): VariableSpec[] {
  return [
    spec(`${n}.username`, '', false, true, `${n}: user name of a test user (${flow}).`),
    spec(
      `${n}.password`,
      '',
      true,
      true,
      `${n}: password of the test user (${flow}). Secret: supply at run time.`,
    ),
  ];
}

function cognitoVariables(c: CognitoRendering): VariableSpec[] {
  const n = c.name;
  const s = c.settings;
  const flows = flowsInUse(s);
  const separateAccessClient = s.accessTokenFlow !== undefined && Boolean(s.accessTokenClientId);
  const mainClientCredentials =
    s.tokenFlow === 'client_credentials' ||
    (s.accessTokenFlow === 'client_credentials' && !separateAccessClient);
  const out: VariableSpec[] = [
    spec(
      `${n}.clientId`,
      s.clientId ?? '',
      false,
      !s.clientId &&
        (s.tokenFlow !== 'static' ||
          (s.accessTokenFlow !== undefined && s.accessTokenFlow !== 'static' && !separateAccessClient)),
      `${n}: app client id of the user pool (not a secret); used by the token script and by the Postman app's OAuth 2.0 settings.`,
    ),
    spec(
      `${n}.domain`,
      s.domain ?? '',
      false,
      false,
      `${n}: hosted-UI domain (https://<prefix>.auth.<region>.amazoncognito.com); the Postman app's authorization URL is {{${n}.domain}}/oauth2/authorize.`,
    ),
    spec(
      `${n}.tokenUrl`,
      s.tokenUrl ?? '',
      false,
      !s.tokenUrl && flows.has('client_credentials'),
      `${n}: hosted-UI token endpoint (<domain>/oauth2/token), for the client_credentials grant and the Postman app.`,
    ),
    spec(
      `${n}.idpEndpoint`,
      s.idpEndpoint,
      false,
      !s.idpEndpoint && flows.has('password'),
      `${n}: Cognito JSON API endpoint the token script sends InitiateAuth USER_PASSWORD_AUTH to (https://cognito-idp.<region>.amazonaws.com/, or a local stand-in).`,
    ),
    spec(
      `${n}.callbackUrl`,
      s.callbackUrl,
      false,
      false,
      `${n}: OAuth 2.0 callback URL registered on the app client, used by the Postman app's Get New Access Token.`,
    ),
  ];
  if (flows.has('password')) {
    out.push(...testUserVariables(n, 'password flow'));
  }
  out.push(
    spec(
      `${n}.clientSecret`,
      '',
      true,
      mainClientCredentials,
      `${n}: app client secret. Secret: supply at run time; needed for client_credentials, and for the password flow only when the app client has a secret (SECRET_HASH).`,
    ),
  );
  if (flows.has('static')) {
    if (s.tokenFlow === 'static') {
      out.push(
        spec(
          `${n}.idToken`,
          '',
          true,
          true,
          `${n}: an ID token of the user pool (static token flow). Secret.`,
        ),
      );
    }
    out.push(
      spec(
        `${n}.accessToken`,
        '',
        true,
        true,
        `${n}: an access token of the user pool (static token flow). Secret.`,
      ),
    );
  }
  if (s.accessTokenFlow !== undefined) {
    out.push(
      spec(
        `${n}.accessTokenClientId`,
        s.accessTokenClientId ?? '',
        false,
        false,
        `${n}: app client id for scoped access tokens (accessTokenFlow ${s.accessTokenFlow}); empty: ${n}.clientId.`,
      ),
      spec(
        `${n}.accessTokenClientSecret`,
        '',
        true,
        separateAccessClient && s.accessTokenFlow === 'client_credentials',
        `${n}: client secret of ${n}.accessTokenClientId. Secret: supply at run time.`,
      ),
    );
  }
  out.push(
    spec(
      `${n}.expiredToken`,
      '',
      true,
      false,
      `${n}: optional expired token of the user pool; when given, the expired-token case runs. Secret.`,
    ),
  );
  return out;
}

function oidcVariables(o: OidcRendering): VariableSpec[] {
  const n = o.name;
  const s = o.settings;
  const fetches = s.tokenFlow !== 'static';
  const out: VariableSpec[] = [
    spec(
      `${n}.clientId`,
      s.clientId ?? '',
      false,
      fetches && !s.clientId,
      `${n}: OAuth 2.0 client id at the issuer ${o.issuer ?? ''} (not a secret); used by the token script and the Postman app.`,
    ),
    spec(
      `${n}.tokenUrl`,
      s.tokenUrl ?? '',
      false,
      fetches && !s.tokenUrl,
      `${n}: the issuer's token endpoint (${s.tokenFlow} grant; from the discovery document or config oidc.tokenUrl). Point it elsewhere to fetch tokens from a stand-in.`,
    ),
    spec(
      `${n}.authUrl`,
      s.authUrl ?? '',
      false,
      false,
      `${n}: the issuer's authorization endpoint, for the Postman app's Get New Access Token (authorization code with PKCE).`,
    ),
    spec(
      `${n}.audience`,
      s.audience ?? '',
      false,
      false,
      `${n}: the audience parameter of the token request, for issuers that need one (Auth0); empty: not sent.`,
    ),
    spec(
      `${n}.callbackUrl`,
      s.callbackUrl,
      false,
      false,
      `${n}: OAuth 2.0 callback URL registered for the client, used by the Postman app's Get New Access Token.`,
    ),
  ];
  if (s.tokenFlow === 'password') {
    out.push(...testUserVariables(n, 'password grant'));
  }
  out.push(
    spec(
      `${n}.clientSecret`,
      '',
      true,
      s.tokenFlow === 'client_credentials',
      `${n}: client secret (HTTP Basic at the token endpoint). Secret: supply at run time; needed for client_credentials, and for the password grant only when the client has one.`,
    ),
  );
  if (s.tokenFlow === 'static') {
    out.push(
      spec(
        `${n}.accessToken`,
        '',
        true,
        o.needs.includes('access'),
        `${n}: an access token of the issuer carrying the routes' scopes (static token flow). Secret.`,
      ),
      spec(
        `${n}.unscopedAccessToken`,
        '',
        true,
        o.needs.includes('unscoped-access'),
        `${n}: an access token of the issuer without the routes' scopes (static token flow; the missing-scope cases). Secret.`,
      ),
    );
  }
  return out;
}

/**
 * Tokens only the issuer can mint, supplied at run time to enable their cases (each skipped while empty): the
 * variables the plan's cases name in `skipUnlessVariable`, with a description each.
 */
const SUPPLIED_TOKENS: Record<string, string> = {
  expiredToken: 'an expired token of the issuer; when given, the expired-token case runs',
  notYetValidToken: 'a token of the issuer whose nbf is in the future; when given, its case runs',
  otherIssuerToken: 'a validly signed token whose iss is another issuer; when given, its case runs',
  issuerSlashToken:
    'a token whose iss is the issuer with its trailing slash added or removed; when given, its case runs',
  otherAudienceToken:
    'a token of the issuer whose aud (and client_id) the authorizer does not accept; when given, its case runs',
  missingClaimToken:
    'a token of the issuer without the first required claim (REST); when given, its case runs',
  wrongClaimToken:
    'a token of the issuer whose first required claim has a wrong value (REST); when given, its case runs',
};

function suppliedTokenVariables(plan: TestPlan): VariableSpec[] {
  const out = new Map<string, VariableSpec>();
  for (const c of plan.cases) {
    const key = c.skipUnlessVariable;
    if (key === undefined || c.authorizer === undefined || out.has(key)) continue;
    const suffix = key.startsWith(`${c.authorizer}.`) ? key.slice(c.authorizer.length + 1) : undefined;
    const what = suffix === undefined ? undefined : SUPPLIED_TOKENS[suffix];
    if (what === undefined) continue;
    out.set(key, spec(key, '', true, false, `${c.authorizer}: optional, ${what}. Secret.`));
  }
  return [...out.values()];
}

/** `NAME.jwksUrl` of each authorizer whose tokens the algorithm-confusion forgery needs the key set of. */
function jwksVariables(plan: TestPlan): VariableSpec[] {
  const names: string[] = [];
  for (const c of plan.cases) {
    const cred = c.credential;
    if (cred.kind !== 'forged-token' || cred.forgery !== 'hs256-public-key') continue;
    const name = cred.source.kind === 'cognito' ? cred.source.authorizer : c.authorizer;
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names.map((name) => {
    const authorizer = plan.model.authorizers.find((a) => a.name === name);
    const settings = plan.config.authorizers[name];
    const issuer = tokenIssuerOf(plan, name);
    const value =
      tokenProviderOf(authorizer, plan) === 'cognito'
        ? (settings?.cognito?.jwksUrl ?? (issuer === undefined ? '' : `${issuer}/.well-known/jwks.json`))
        : (settings?.oidc?.jwksUrl ?? '');
    return spec(
      jwksUrlVariable(name),
      value,
      false,
      false,
      `${name}: the issuer's key set (JWKS) URL, for the algorithm-confusion forgery (HS256 keyed with the issuer's public key); empty: the jwks_uri of <iss>/.well-known/openid-configuration of the real token.`,
    );
  });
}

function awsVariables(plan: TestPlan): VariableSpec[] {
  if (!plan.cases.some((c) => c.credential.kind === 'sigv4')) return [];
  return [
    spec('awsAccessKeyId', '', false, true, 'AWS access key id that signs AWS_IAM requests (SigV4).'),
    spec(
      'awsSecretAccessKey',
      '',
      true,
      true,
      'AWS secret access key for SigV4. Secret: supply at run time.',
    ),
    spec(
      'awsSessionToken',
      '',
      true,
      false,
      'AWS session token for temporary credentials; leave empty for long-term keys. Secret.',
    ),
    spec(
      'awsRegion',
      defaultAwsRegion(plan),
      false,
      false,
      'AWS region the API is deployed in (SigV4 scope).',
    ),
  ];
}

/**
 * Every variable the collection reads at run time, as the environment file lists them: `baseUrl`, the Cognito
 * and AWS settings of the authorizers the plan uses, then the plan's own variables. Secrets have empty values.
 */
export function allVariables(plan: TestPlan): VariableSpec[] {
  const baseUrl = defaultBaseUrl(plan);
  const own: VariableSpec[] = [
    spec(
      'baseUrl',
      baseUrl,
      false,
      baseUrl === '',
      'Stage URL the requests go to, without a trailing slash.',
    ),
    ...cognitoRenderings(plan).flatMap(cognitoVariables),
    ...oidcRenderings(plan).flatMap(oidcVariables),
    ...suppliedTokenVariables(plan),
    ...jwksVariables(plan),
    ...awsVariables(plan),
  ];
  const seen = new Set<string>();
  const ownOnce = own.filter((v) => !seen.has(v.key) && seen.add(v.key));
  const fromPlan = plan.variables.filter((v) => !seen.has(v.key) && seen.add(v.key));
  return [...ownOnce, ...fromPlan.map((v) => spec(v.key, v.value, v.secret, v.required, v.description))];
}

/** The variables that must be supplied at run time (`--env-var` or the environment file). */
export function requiredVariables(plan: TestPlan): VariableSpec[] {
  return allVariables(plan).filter((v) => v.required);
}

/** The token script's cache, declared as (empty) collection variables. */
export function internalVariables(plan: TestPlan): { key: string; description: string }[] {
  const oidc = oidcRenderings(plan).flatMap(({ name }) => [
    {
      key: cachedTokenVariable(name, 'access'),
      description: `Internal: ${name} access token with the routes' scopes, fetched once per run by the token script. Never set by hand.`,
    },
    {
      key: cachedTokenVariable(name, 'unscoped-access'),
      description: `Internal: ${name} access token without the routes' scopes, fetched by the token script.`,
    },
    {
      key: `_${name}.expiresAt`,
      description: `Internal: when the cached ${name} tokens expire (ms since the epoch, from the JWT exp).`,
    },
    {
      key: `_apigwAuthz.tokenError.${name}`,
      description: `Internal: why the ${name} token fetch failed (JSON), recorded once per run; its cases are blocked.`,
    },
  ]);
  return [...cognitoInternalVariables(plan), ...oidc];
}

function cognitoInternalVariables(plan: TestPlan): { key: string; description: string }[] {
  return cognitoRenderings(plan).flatMap(({ name }) => [
    {
      key: cachedTokenVariable(name, 'id'),
      description: `Internal: ${name} ID token, fetched once per run by the token script. Never set by hand.`,
    },
    {
      key: cachedTokenVariable(name, 'access'),
      description: `Internal: ${name} access token for scoped methods, fetched by the token script.`,
    },
    {
      key: cachedTokenVariable(name, 'unscoped-access'),
      description: `Internal: ${name} access token of the main token flow (no custom scopes), fetched by the token script.`,
    },
    {
      key: `_${name}.expiresAt`,
      description: `Internal: when the cached ${name} tokens expire (ms since the epoch, from the JWT exp).`,
    },
    {
      key: `_apigwAuthz.tokenError.${name}`,
      description: `Internal: why the ${name} token fetch failed (JSON), recorded once per run; its cases are blocked.`,
    },
  ]);
}
