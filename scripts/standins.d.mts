/** Types of scripts/standins.mjs (the local Cognito and OIDC stand-ins, and the token lab). */

export declare const FIXTURE_DB: string;
export declare const USER_POOL_ID: 'us-east-1_PetStore1';
export declare const OTHER_USER_POOL_ID: 'us-east-1_OtherPool9';
export declare const PARTNER_FIXTURES: string;
export declare const PARTNER_CLOUD_ISSUER: 'https://login.partner.example/';
export declare const PARTNER_CLIENT_ID: 'partner-orders-m2m';

/** The partner OIDC issuer (oauth2-mock-server with the saved key of test/fixtures/oidc). */
export interface PartnerIssuer {
  /** The issuer the HTTP example's API names: `https://login.partner.example/`. */
  cloudIssuer: string;
  /** `http://127.0.0.1:PORT/`: the `iss` of its tokens (trailing slash, as the cloud issuer). */
  issuer: string;
  /** `${issuer}.well-known/jwks.json` */
  jwksUrl: string;
  /** `${issuer}.well-known/openid-configuration` */
  discoveryUrl: string;
  /** `${issuer}oauth2/token`: client_credentials (Basic or form client auth), `scope`, `audience`. */
  tokenUrl: string;
}

export interface Standins {
  /** `http://127.0.0.1:PORT` of cognito-local. */
  cognitoUrl: string;
  /** `${cognitoUrl}/us-east-1_PetStore1`: the `iss` of every token, user or client_credentials. */
  issuer: string;
  /** `${issuer}/.well-known/jwks.json`: cognito-local's bundled key, which also signs the M2M tokens. */
  jwksUrl: string;
  /** `${cognitoUrl}/us-east-1_OtherPool9`: tokens of the same user in another pool. */
  otherIssuer: string;
  /** `${cognitoUrl}/`: the Cognito JSON API endpoint for InitiateAuth. */
  idpEndpoint: string;
  /** The hosted-UI-style `/oauth2/token` (client_credentials only). */
  tokenUrl: string;
  partner: PartnerIssuer;
  pids: { cognitoLocal: number | undefined; oauth2: number };
  /** Stops every server (cognito-local by PID, awaiting its exit) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export declare function startStandins(options?: {
  cognitoPort?: number;
  oauthPort?: number;
  partnerPort?: number;
}): Promise<Standins>;

/** The parts of a model the lab and the issuer map read (structurally an AuthModel). */
export interface LabModel {
  api: { kind?: 'REST' | 'HTTP' };
  authorizers: readonly {
    name: string;
    jwt?: {
      issuers: readonly {
        issuer: string;
        audiences: readonly string[];
        claims: readonly { name: string; values: readonly string[]; required: boolean }[];
      }[];
    };
  }[];
  routes: readonly {
    authorization:
      | { type: 'NONE' }
      | { type: 'AUTHORIZER'; authorizer: string; scopes: readonly string[] }
      | { type: string };
  }[];
}

/** The config parts the lab reads (structurally a ProjectConfig). */
export interface LabConfig {
  authorizers?: Record<
    string,
    { cognito?: { clientId?: string; accessTokenClientId?: string }; oidc?: { audience?: string } }
  >;
}

/** `serve.issuers` entries: cloud issuer -> the stand-in signing its tokens. */
export declare function issuerStandIns(
  model: LabModel,
  standins: Standins,
): Record<string, { issuer: string; jwksUrl: string }>;

export declare const LAB_TOKENS: readonly string[];

export interface LabSubject {
  /** JWT authorizer name: the tokens are the variables `NAME.expiredToken`, ... */
  authorizer: string;
  /** The stand-in that signs: cognito-local's pool us-east-1_PetStore1, or the partner OIDC issuer. */
  issuer: 'cognito' | 'partner';
  /** `aud` of a valid token (OIDC issuers). */
  audience?: string;
  /** `client_id` of a valid token, no `aud` (a Cognito access token). */
  clientId?: string;
  /** Every scope of the authorizer's routes. */
  scopes: string[];
  /** REST: required claim -> a value it accepts. */
  requiredClaims: Record<string, string>;
  rest: boolean;
}

export declare function labSubjects(model: LabModel, config: LabConfig): LabSubject[];

/** `{ 'NAME.expiredToken': jwt, ... }` for every subject. */
export declare function mintLabTokens(
  standins: Standins,
  subjects: readonly LabSubject[],
  now?: number,
): Promise<Record<string, string>>;

/** `{ APIGW_AUTHZ_NAME_EXPIREDTOKEN: jwt, ... }`, as `apigw-authz run` reads variables from the environment. */
export declare function labProcessEnv(tokens: Record<string, string>): Record<string, string>;
