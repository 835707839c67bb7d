/**
 * The local Cognito and OIDC stand-ins and the token lab for tests (implemented once, in scripts/standins.mjs, so
 * `npm start` uses the same), plus the fixture identities. The password and client secrets live only in
 * test/fixtures/cognito and test/fixtures/oidc: tests read them from there and pass them at run time; they never
 * go into generated files.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FIXTURE_DB,
  LAB_TOKENS,
  OTHER_USER_POOL_ID,
  PARTNER_CLIENT_ID,
  PARTNER_CLOUD_ISSUER,
  PARTNER_FIXTURES,
  USER_POOL_ID,
  issuerStandIns,
  labProcessEnv,
  labSubjects,
  mintLabTokens,
  startStandins,
} from '../../scripts/standins.mjs';

export {
  FIXTURE_DB,
  LAB_TOKENS,
  OTHER_USER_POOL_ID,
  PARTNER_CLIENT_ID,
  PARTNER_CLOUD_ISSUER,
  USER_POOL_ID,
  issuerStandIns,
  labProcessEnv,
  labSubjects,
  mintLabTokens,
  startStandins,
};
export type { LabSubject, PartnerIssuer, Standins } from '../../scripts/standins.mjs';

interface ClientsFile {
  Clients: Record<string, { ClientSecret?: string }>;
}
interface PartnerClientsFile {
  clients: Record<string, { clientSecret: string }>;
}
interface PoolFile {
  Users: Record<string, { Password: string }>;
}

const clients = JSON.parse(readFileSync(join(FIXTURE_DB, 'clients.json'), 'utf8')) as ClientsFile;
const pool = JSON.parse(readFileSync(join(FIXTURE_DB, `${USER_POOL_ID}.json`), 'utf8')) as PoolFile;

/** App client for USER_PASSWORD_AUTH in us-east-1_PetStore1 (no secret), as in examples/apigw-authz.config.yaml. */
export const CLIENT_ID = '4e2x8mple5cl1ent6id7abc890';
/** App client for client_credentials in us-east-1_PetStore1, scopes pets/read pets/write orders/read orders/write. */
export const M2M_CLIENT_ID = '7m2m8mple5cl1ent6id7abc890';
/** App client for USER_PASSWORD_AUTH in us-east-1_OtherPool9. */
export const OTHER_CLIENT_ID = '5oth8mple5cl1ent6id7abc890';
export const USERNAME = 'alice';
export const PASSWORD = pool.Users[USERNAME]?.Password ?? '';
export const M2M_CLIENT_SECRET = clients.Clients[M2M_CLIENT_ID]?.ClientSecret ?? '';

const partnerClients = JSON.parse(
  readFileSync(join(PARTNER_FIXTURES, 'clients.json'), 'utf8'),
) as PartnerClientsFile;
/** The partner OIDC issuer's client_credentials client (scopes orders:read orders:write). */
export const PARTNER_CLIENT_SECRET = partnerClients.clients[PARTNER_CLIENT_ID]?.clientSecret ?? '';
