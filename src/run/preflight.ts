/**
 * Pre-flight of `run`, before the first request of the suite: every required variable resolved, the base URL
 * accepting connections, and the collection's own token scripts run once (a tiny Newman run whose requests are
 * all skipped), so that the workers get the tokens in memory and a failed fetch is one clear line, not a cascade.
 */

import { connect } from 'node:net';
import newman from 'newman';
import type { NewmanError, NewmanVariable } from 'newman';
import { NetworkError, UsageError } from '../errors.js';
import { isObject } from '../model/parse.js';
import { caseDescriptorOf, suiteMetadataOf } from './case-descriptor.js';
import { inspectToken } from '../explain/inspect-token.js';
import type { TokenFacts } from '../explain/inspect-token.js';
import type { RunUnit } from './collection-index.js';
import { redactText } from './redact.js';
import type { Redactor } from './redact.js';
import { envNameFor } from './variables.js';

function descriptionOf(node: unknown): string {
  if (!isObject(node)) return '';
  const d = node.description;
  if (typeof d === 'string') return d;
  if (isObject(d) && typeof d.content === 'string') return d.content;
  return '';
}

/**
 * The variables a suite needs supplied: `variables.required` of the suite metadata block in the collection
 * description, and the environment and collection entries described as `Required. ...` (as `generate` writes).
 */
export function requiredVariables(
  collection: Record<string, unknown>,
  environment: Record<string, unknown> | undefined,
): string[] {
  const required = new Set<string>(suiteMetadataOf(collection)?.variables.required ?? []);
  const entries = [
    ...(Array.isArray(environment?.values) ? environment.values : []),
    ...(Array.isArray(collection.variable) ? collection.variable : []),
  ];
  for (const entry of entries) {
    if (isObject(entry) && typeof entry.key === 'string' && /^Required\b/.test(descriptionOf(entry))) {
      required.add(entry.key);
    }
  }
  return [...required];
}

function findNode(node: Record<string, unknown>, id: string, trail: Record<string, unknown>[]): boolean {
  if (node.id === id) return true;
  if (!Array.isArray(node.item)) return false;
  for (const child of node.item) {
    if (!isObject(child)) continue;
    trail.push(child);
    if (findNode(child, id, trail)) return true;
    trail.pop();
  }
  return false;
}

/**
 * The text a subset of units runs: the units and their ancestors' scripts and auth. A variable belongs to the
 * subset when its name, or its authorizer prefix quoted as the token scripts name it, appears there.
 */
function subsetText(collection: Record<string, unknown>, units: readonly RunUnit[]): string {
  const parts: string[] = [];
  for (const unit of units) {
    const trail: Record<string, unknown>[] = [];
    if (!findNode(collection, unit.id, trail)) continue;
    const node = trail.pop();
    for (const ancestor of trail) parts.push(JSON.stringify([ancestor.event ?? null, ancestor.auth ?? null]));
    parts.push(JSON.stringify(node));
  }
  return parts.join('\n');
}

/**
 * Fails with every required variable that has no value. With a subset of units (`--folder`, `--shard`), only the
 * variables that subset uses count. @throws UsageError listing the missing variables and how to supply them
 */
export function checkRequiredVariables(
  required: readonly string[],
  values: ReadonlyMap<string, string>,
  collection: Record<string, unknown>,
  subset: readonly RunUnit[] | undefined,
): void {
  const text = subset === undefined ? undefined : subsetText(collection, subset);
  const used = (key: string): boolean => {
    if (text === undefined || key === 'baseUrl') return true;
    const prefix = key.includes('.') ? key.slice(0, key.indexOf('.')) : undefined;
    return text.includes(key) || (prefix !== undefined && text.includes(`'${prefix}'`));
  };
  const missing = required.filter((key) => used(key) && (values.get(key) ?? '') === '').sort();
  if (missing.length === 0) return;
  throw new UsageError(
    `missing required variable${missing.length === 1 ? '' : 's'} ${missing.join(', ')}; nothing was sent`,
    {
      fix: `supply each with --env-var KEY=VALUE or the process environment (${missing
        .map(envNameFor)
        .join(', ')})`,
    },
  );
}

/** A transport problem with the base URL, or undefined when it accepts connections (or does not answer soon). */
export function probeBaseUrl(
  baseUrl: string,
  timeoutMs = 3000,
): Promise<{ code: string; message: string } | undefined> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UsageError(`baseUrl "${baseUrl}" is not a URL`, {
      fix: 'pass --env-var baseUrl=https://<api-id>.execute-api.<region>.amazonaws.com/<stage>',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`baseUrl "${baseUrl}" is not an http(s) URL`, {
      fix: 'pass --env-var baseUrl=https://<api-id>.execute-api.<region>.amazonaws.com/<stage>',
    });
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    const finish = (problem?: { code: string; message: string }): void => {
      socket.destroy();
      resolvePromise(problem);
    };
    socket.setTimeout(timeoutMs, () => finish());
    socket.once('connect', () => finish());
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ERROR';
      const what =
        code === 'ECONNREFUSED'
          ? 'refuses connections'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'has a host name that does not resolve'
            : 'cannot be reached';
      finish({ code, message: `baseUrl ${baseUrl} ${what} (${code})` });
    });
  });
}

const SKIP_SCRIPT = {
  listen: 'prerequest',
  script: { type: 'text/javascript', exec: ['pm.execution.skipRequest(); // apigw-authz pre-flight'] },
};

function hasPrerequest(node: Record<string, unknown>): boolean {
  return Array.isArray(node.event) && node.event.some((e) => isObject(e) && e.listen === 'prerequest');
}

/**
 * The token collection: the collection's own scripts, with one skipped request per folder whose requests draw on
 * a pre-request script (a folder's or an ancestor's; with collection-level logic, a folder that reads a cached
 * `{{_...}}` variable). Requests never go out; the scripts fetch and cache the tokens as they would in the run.
 */
function tokenCollection(
  collection: Record<string, unknown>,
  selected: ReadonlySet<string> | undefined,
): { json: Record<string, unknown>; items: number } {
  const collectionLogic = hasPrerequest(collection);
  const tokens = new Set<string>();
  let items = 0;
  const prune = (
    node: Record<string, unknown>,
    inherited: boolean,
    inUnit: boolean,
  ): Record<string, unknown> | undefined => {
    const unit = inUnit || selected === undefined || (typeof node.id === 'string' && selected.has(node.id));
    const children = Array.isArray(node.item) ? node.item.filter(isObject) : [];
    const logic = inherited || hasPrerequest(node);
    const kept: Record<string, unknown>[] = [];
    for (const child of children)
      if (Array.isArray(child.item)) {
        const folder = prune(child, logic, unit);
        if (folder) kept.push(folder);
      }
    const requests = children.filter((c) => !Array.isArray(c.item));
    // A request whose case needs a Cognito token; each token (authorizer, use) is fetched once, so one request per
    // token suffices. Collections without descriptors: the folder's first request.
    const needing = requests.find((c) => caseDescriptorOf(c)?.token !== undefined);
    const token = needing === undefined ? undefined : caseDescriptorOf(needing)?.token;
    const tokenKey = token === undefined ? undefined : `${token.authorizer}\u0000${token.use}`;
    const first = needing ?? requests[0];
    const own = { ...node, item: requests };
    const reads = collectionLogic && JSON.stringify(own).includes('{{_');
    const fresh = tokenKey === undefined || !tokens.has(tokenKey);
    if (first && unit && fresh && (logic || reads)) {
      if (tokenKey !== undefined) tokens.add(tokenKey);
      kept.unshift({ ...first, event: [SKIP_SCRIPT] });
      items += 1;
    }
    return kept.length === 0 ? undefined : { ...node, item: kept };
  };
  const top = (Array.isArray(collection.item) ? collection.item.filter(isObject) : []).flatMap((child) => {
    if (!Array.isArray(child.item)) return [];
    const folder = prune(child, false, false);
    return folder ? [folder] : [];
  });
  const events = Array.isArray(collection.event)
    ? collection.event.filter((e) => isObject(e) && e.listen === 'prerequest')
    : [];
  return { json: { ...collection, event: events, item: top }, items };
}

const TOKEN_ERROR_PREFIX = '_apigwAuthz.tokenError.';

export interface FetchedTokens {
  /** Collection variables the token scripts set (cached tokens, their expiry), to seed the run with. */
  variables: Record<string, string>;
  /** Requests the token scripts made. */
  scriptRequests: number;
}

function messageOf(error: NewmanError): string {
  return error.message ?? error.name ?? 'unknown error';
}

/**
 * Runs the collection's token scripts once, before the suite. @throws NetworkError (one line: endpoint, status,
 * AWS error type and message, as the token script words it) when a token fetch fails; UsageError when a script
 * fails without sending anything (a static token not supplied).
 */
export function fetchTokens(
  collection: Record<string, unknown>,
  environment: Record<string, unknown> | undefined,
  envVar: NewmanVariable[],
  units: readonly RunUnit[] | undefined,
  redactor: Redactor,
  timeoutRequest?: number,
): Promise<FetchedTokens> {
  const selected = units === undefined ? undefined : new Set(units.map((u) => u.id));
  const { json, items } = tokenCollection(collection, selected);
  if (items === 0) return Promise.resolve({ variables: {}, scriptRequests: 0 });
  const before = new Map<string, string>();
  for (const v of Array.isArray(collection.variable) ? collection.variable : []) {
    if (isObject(v) && typeof v.key === 'string')
      before.set(v.key, typeof v.value === 'string' ? v.value : '');
  }
  return new Promise((resolvePromise, reject) => {
    let latest: { key: string; value: unknown }[] = [];
    let scriptRequests = 0;
    const problems: string[] = [];
    const emitter = newman.run(
      {
        collection: json,
        ...(environment === undefined ? {} : { environment }),
        envVar,
        reporters: [],
        ...(timeoutRequest === undefined ? {} : { timeoutRequest }),
      },
      (err) => {
        if (err) {
          reject(new NetworkError(`the token scripts could not run: ${redactText(err.message, redactor)}`));
          return;
        }
        // The token script records a failed fetch once, as JSON in `_apigwAuthz.tokenError.<authorizer>`.
        for (const { key, value } of latest) {
          if (!key.startsWith(TOKEN_ERROR_PREFIX) || typeof value !== 'string' || value === '') continue;
          let summary = value;
          try {
            const parsed = JSON.parse(value) as unknown;
            if (isObject(parsed) && typeof parsed.summary === 'string') summary = parsed.summary;
          } catch {
            // not JSON: the raw text is the message
          }
          problems.push(summary);
        }
        if (problems.length > 0) {
          const line = redactText(problems[0] ?? '', redactor);
          const Failure = scriptRequests > 0 ? NetworkError : UsageError;
          reject(
            new Failure(
              `token fetch failed before any case ran (${scriptRequests} request(s) made): ${line}`,
              {
                fix: 'check the token endpoint and the authorizer variables; no case was sent',
              },
            ),
          );
          return;
        }
        const variables: Record<string, string> = {};
        for (const { key, value } of latest) {
          const text =
            typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
          if (text !== '' && text !== before.get(key) && !key.startsWith(TOKEN_ERROR_PREFIX)) {
            variables[key] = text;
          }
        }
        resolvePromise({ variables, scriptRequests });
      },
    );
    emitter.on('request', () => {
      scriptRequests += 1;
    });
    emitter.on(
      'script',
      (err: NewmanError | null, args: { execution?: { collectionVariables?: unknown } }) => {
        if (err) problems.push(messageOf(err));
        // A postman-collection VariableScope; `toObject()` gives its current key -> value map.
        const scope = args.execution?.collectionVariables as { toObject?: () => unknown } | undefined;
        const values = typeof scope?.toObject === 'function' ? scope.toObject() : undefined;
        if (isObject(values)) latest = Object.entries(values).map(([key, value]) => ({ key, value }));
      },
    );
  });
}

export interface TokenCheck {
  severity: 'error' | 'warning';
  /** `CognitoAuth.idToken: the token's iss is ... (jwt-issuer-mismatch)`: the variable, what is wrong, the cause id. */
  message: string;
  fix: string;
}

function resolveRef(value: string | undefined, values: ReadonlyMap<string, string>): string | undefined {
  if (value === undefined) return undefined;
  const ref = /^\{\{([^}]+)\}\}$/.exec(value)?.[1];
  const resolved = ref === undefined ? value : values.get(ref);
  return resolved === undefined || resolved === '' ? undefined : resolved;
}

/**
 * The supplied tokens of a suite (static token flow: `NAME.idToken`, `NAME.accessToken`; and `NAME.expiredToken`)
 * checked with `explain`'s token inspection before anything is sent: another pool, expired, the wrong token use,
 * a space or quotes pasted in. The expired token must be expired; anything else about it is reported too.
 */
export function inspectSuppliedTokens(
  collection: Record<string, unknown>,
  values: ReadonlyMap<string, string>,
  now: number = Date.now(),
): TokenCheck[] {
  const checks: TokenCheck[] = [];
  for (const authorizer of suiteMetadataOf(collection)?.authorizers ?? []) {
    if (authorizer.kind !== 'COGNITO_USER_POOLS') continue;
    const clientId = resolveRef(authorizer.clientId, values);
    const base: TokenFacts = {
      authorizer: authorizer.name,
      kind: 'COGNITO_USER_POOLS',
      ...(authorizer.tokenHeader === undefined ? {} : { header: authorizer.tokenHeader }),
      ...(authorizer.issuer === undefined ? {} : { issuers: [authorizer.issuer] }),
      ...(clientId === undefined ? {} : { clientIds: [clientId] }),
      now,
    };
    const flows = authorizer.tokenFlows;
    const supplied: { variable: string; use?: 'id' | 'access'; expired?: boolean }[] = [];
    if (flows?.token === 'static') supplied.push({ variable: 'idToken', use: 'id' });
    if (flows?.token === 'static' || flows?.accessToken === 'static') {
      supplied.push({ variable: 'accessToken', use: 'access' });
    }
    supplied.push({ variable: 'expiredToken', expired: true });
    for (const { variable, use, expired } of supplied) {
      const key = `${authorizer.name}.${variable}`;
      const token = values.get(key);
      if (token === undefined || token === '') continue;
      const findings = inspectToken(token, { ...base, ...(use === undefined ? {} : { tokenUse: use }) });
      for (const finding of findings) {
        if (finding.severity === 'info') continue;
        if (expired && (finding.cause === 'jwt-expired' || finding.cause === 'token-expires-soon')) continue;
        checks.push({
          severity: finding.severity,
          message: `${key}: ${finding.message} (${finding.cause})`,
          fix: finding.fix,
        });
      }
      if (expired && !findings.some((f) => f.cause === 'jwt-expired' || f.cause === 'jwt-malformed')) {
        checks.push({
          severity: 'error',
          message: `${key}: the token has not expired, so the expired-token case would fail (jwt-not-expired)`,
          fix: `supply a token of the same pool whose exp has passed, or leave ${key} unset to skip that case`,
        });
      }
    }
  }
  return checks.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
