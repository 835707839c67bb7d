/** Types of scripts/standins.mjs (the local Cognito stand-ins). */

export declare const FIXTURE_DB: string;
export declare const USER_POOL_ID: 'us-east-1_PetStore1';
export declare const OTHER_USER_POOL_ID: 'us-east-1_OtherPool9';

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
  pids: { cognitoLocal: number | undefined; oauth2: number };
  /** Stops both servers (cognito-local by PID, awaiting its exit) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export declare function startStandins(options?: {
  cognitoPort?: number;
  oauthPort?: number;
}): Promise<Standins>;
