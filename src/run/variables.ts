/**
 * Run-time variables: which environment-file keys the process environment may supply, the precedence between
 * `--env-var`, the process environment and the file, and which values are secrets to redact from reports.
 */

/** Prefix of the process-environment names that supply collection variables. */
export const ENV_PREFIX = 'APIGW_AUTHZ_';

/** The standard AWS variables that supply the AWS_IAM variables, in order of preference. */
export const AWS_ENV_NAMES: Readonly<Record<string, readonly string[]>> = {
  awsAccessKeyId: ['AWS_ACCESS_KEY_ID'],
  awsSecretAccessKey: ['AWS_SECRET_ACCESS_KEY'],
  awsSessionToken: ['AWS_SESSION_TOKEN'],
  awsRegion: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
};

/** Keys whose values are credentials even when the environment file does not type them `secret`. */
const SECRET_KEY =
  /(password|secret|sessiontoken|(^|\.)(idtoken|accesstoken|unscopedaccesstoken|expiredtoken|refreshtoken|notyetvalidtoken|otherissuertoken|issuerslashtoken|otheraudiencetoken|missingclaimtoken|wrongclaimtoken))$/i;

export interface VariableEntry {
  key: string;
  value: string;
  /** `secret` in an environment file exported by Postman or written by `generate`. */
  type?: string;
}

export interface ResolvedVariables {
  /** What to pass to Newman's `envVar`: values from `--env-var` and the process environment only. */
  envVar: { key: string; value: string }[];
  /** Every non-empty secret value, longest first, so that replacing one never leaves part of a longer one. */
  secretValues: string[];
  /** The keys treated as secret. */
  secretKeys: string[];
  /** Every declared key's value as the run will see it (flag, process environment or file), for pre-flight. */
  values: Map<string, string>;
}

/**
 * The process-environment name that supplies a variable: `APIGW_AUTHZ_` + the key upper-cased, every
 * character other than A-Z and 0-9 replaced by `_`. `CognitoAuth.password` -> `APIGW_AUTHZ_COGNITOAUTH_PASSWORD`.
 */
export function envNameFor(key: string): string {
  return ENV_PREFIX + key.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

/** True for a key whose value must never appear in a report. */
export function isSecretKey(key: string, type?: string): boolean {
  return type === 'secret' || SECRET_KEY.test(key) || key === 'awsSecretAccessKey';
}

/**
 * Resolves the run-time variables. Precedence: `envVars` (`--env-var`) over the process environment
 * (`APIGW_AUTHZ_<KEY>`, then for the AWS keys `AWS_ACCESS_KEY_ID` etc.) over the file.
 *
 * The process environment is consulted only for keys the environment file or the collection declares, plus
 * the four AWS keys: a name cannot be turned back into a key, and an undeclared variable is never read.
 * @param fileVariables the environment file's `values` and the collection's `variable` entries
 */
export function resolveVariables(
  fileVariables: readonly VariableEntry[],
  envVars: Readonly<Record<string, string>> = {},
  processEnv: Readonly<Record<string, string | undefined>> = {},
): ResolvedVariables {
  const types = new Map<string, string | undefined>();
  const fileValues = new Map<string, string>();
  for (const v of fileVariables) {
    if (!types.has(v.key) || v.type === 'secret') types.set(v.key, v.type);
    if (!fileValues.has(v.key)) fileValues.set(v.key, v.value);
  }
  const keys = new Set([...types.keys(), ...Object.keys(AWS_ENV_NAMES), ...Object.keys(envVars)]);

  const envVar: { key: string; value: string }[] = [];
  const resolved = new Map<string, string>();
  for (const key of [...keys].sort()) {
    const fromFlag = Object.hasOwn(envVars, key) ? envVars[key] : undefined;
    const fromEnv = [envNameFor(key), ...(AWS_ENV_NAMES[key] ?? [])]
      .map((name) => processEnv[name])
      .find((value) => value !== undefined && value !== '');
    const value = fromFlag ?? fromEnv;
    if (value !== undefined) {
      envVar.push({ key, value });
      resolved.set(key, value);
    } else if (fileValues.has(key)) {
      resolved.set(key, fileValues.get(key) ?? '');
    }
  }

  const secretKeys = [...keys].filter((key) => isSecretKey(key, types.get(key))).sort();
  const secretValues = [
    ...new Set(secretKeys.map((key) => resolved.get(key) ?? '').filter((value) => value !== '')),
  ].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return { envVar, secretValues, secretKeys, values: resolved };
}
