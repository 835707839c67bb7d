/**
 * Config mistakes caught before anything runs: the config against the file system (handler files) and against the
 * model (stage variables an identity source reads, `publicRoutes` entries that match no route). `doctor` reports
 * every problem as a finding; `generate` refuses errors (exit 2) and prints warnings; `loadConfig` refuses a handler
 * file that does not exist, for every command.
 */

import { existsSync, statSync } from 'node:fs';
import { apiKindOf, type AuthModel, type Route } from '../model/types.js';
import { closest, editDistance } from './did-you-mean.js';
import { cognitoIssuerPool } from './token-provider.js';
import { parsePublicRoute } from './public-route.js';
import type { ProjectConfig } from './types.js';

export interface ConfigProblem {
  /** Stable id, the doctor rule id too: `config-unset-stage-variable`. */
  rule: string;
  severity: 'error' | 'warning';
  /** The authorizer name or the route the problem is about. */
  subject: string;
  /** The config key path: `authorizers.TokenAuth.handler`, `publicRoutes[1]`, `stageVariables`. */
  key: string;
  message: string;
  fix: string;
}

/**
 * Handler files that do not exist or are not files. Cheap and safe: no module is imported (doctor imports them).
 *
 * @param config - the resolved config (`handler` paths are absolute)
 * @param isFile - the file test; injectable for tests
 */
export function checkHandlerFiles(
  config: ProjectConfig,
  isFile: (file: string) => boolean = fileExists,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, settings] of Object.entries(config.authorizers)) {
    const handler = settings.handler;
    if (handler === undefined || isFile(handler)) continue;
    problems.push({
      rule: 'config-handler-missing',
      severity: 'error',
      subject: name,
      key: `authorizers.${name}.handler`,
      message: `the handler file ${handler} does not exist.`,
      fix:
        'Point it at the authorizer module (relative to the config file), e.g. ./authorizers/token.mjs, ' +
        'or remove the key to use the built-in sample handler.',
    });
  }
  return problems;
}

function fileExists(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

/**
 * The config against the model, without I/O.
 *
 * - A stage variable that an identity source reads (`stageVariables.NAME`) but neither the config's
 *   `stageVariables` nor the stage sets: the authorizer never gets it, so `serve` answers every request 401.
 * - A `validIdentity` value for a stage variable that differs from the stage variable itself: `serve`'s valid
 *   requests fail.
 * - A `publicRoutes` entry that matches no route, with the route it most likely meant.
 * - JWT and HTTP API settings on the wrong authorizer: `expectContext` where no context reaches the integration
 *   the way the cases check it, an `oidc.issuer` the authorizer does not trust, `cognito:` for a non-Cognito issuer.
 */
export function checkConfigAgainstModel(model: AuthModel, config: ProjectConfig): ConfigProblem[] {
  return [
    ...stageVariableProblems(model, config),
    ...publicRouteProblems(model, config),
    ...jwtSettingsProblems(model, config),
  ];
}

/** `expectContext`, `oidc` and `cognito` settings that do not fit the authorizer they are on. */
export function jwtSettingsProblems(model: AuthModel, config: ProjectConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const authorizer of model.authorizers) {
    const settings = config.authorizers[authorizer.name];
    if (settings === undefined) continue;
    const name = authorizer.name;
    const issuers = authorizer.jwt?.issuers.map((i) => i.issuer) ?? [];
    const contextKind = authorizer.kind === 'HTTP_LAMBDA' || authorizer.kind === 'JWT';
    if (settings.expectContext !== undefined && (!contextKind || apiKindOf(model) !== 'HTTP')) {
      problems.push({
        rule: 'config-expect-context-kind',
        severity: 'error',
        subject: name,
        key: `authorizers.${name}.expectContext`,
        message:
          `${name} is a ${apiKindOf(model)} ${authorizer.kind} authorizer; expectContext applies to HTTP API ` +
          'Lambda and JWT authorizers (the payload-2.0 requestContext.authorizer the integration receives).',
        fix: `Remove authorizers.${name}.expectContext, or move it to an HTTP API Lambda or JWT authorizer.`,
      });
    }
    const oidcIssuer = settings.oidc?.issuer;
    if (authorizer.kind === 'JWT' && oidcIssuer !== undefined && !issuers.includes(oidcIssuer)) {
      const slash = issuers.find((i) => i.replace(/\/+$/, '') === oidcIssuer.replace(/\/+$/, ''));
      problems.push({
        rule: 'config-oidc-issuer',
        severity: 'warning',
        subject: name,
        key: `authorizers.${name}.oidc.issuer`,
        message:
          `oidc.issuer ${JSON.stringify(oidcIssuer)} is not an issuer of ${name} (${issuers.join(', ') || 'none'})` +
          (slash === undefined
            ? ''
            : `: it differs only in the trailing slash, and API Gateway compares iss exactly`) +
          ', so every real token the suite fetches is rejected.',
        fix: `Set oidc.issuer to ${JSON.stringify(slash ?? issuers[0] ?? '')} (the iss the tokens carry), or fix the authorizer's issuer.`,
      });
    }
    const firstIssuer = issuers[0];
    if (
      authorizer.kind === 'JWT' &&
      settings.cognito !== undefined &&
      settings.cognito.issuer === undefined &&
      firstIssuer !== undefined &&
      cognitoIssuerPool(firstIssuer) === undefined
    ) {
      problems.push({
        rule: 'config-cognito-issuer',
        severity: 'warning',
        subject: name,
        key: `authorizers.${name}.cognito`,
        message:
          `${name} trusts ${firstIssuer}, which is not a Cognito user pool issuer ` +
          '(https://cognito-idp.<region>.amazonaws.com/<poolId>): Cognito tokens carry their pool as iss and are rejected.',
        fix: `Use oidc: settings for ${firstIssuer}, or point the authorizer at the user pool's issuer.`,
      });
    }
  }
  return problems;
}

export function stageVariableProblems(model: AuthModel, config: ProjectConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const set = { ...model.stage.variables, ...config.stageVariables };
  for (const authorizer of model.authorizers) {
    for (const source of authorizer.identitySources) {
      if (source.location !== 'stageVariable') continue;
      const value = set[source.name];
      if (value === undefined) {
        const known = Object.keys(set);
        const near = closest(source.name, known);
        problems.push({
          rule: 'config-unset-stage-variable',
          severity: 'warning',
          subject: authorizer.name,
          key: 'stageVariables',
          message:
            `${authorizer.name} reads the identity source ${source.expression}, but no stageVariables entry sets ` +
            `${source.name}${near === undefined ? '' : ` (did you mean "${near}"?)`}: the authorizer never gets it, ` +
            'so every request answers 401 Unauthorized (serve; on AWS, when the stage lacks it).',
          fix: `Add stageVariables: { ${source.name}: <value> } to the config (serve), and set the stage variable on the deployed stage.`,
        });
        continue;
      }
      const expected = config.authorizers[authorizer.name]?.validIdentity[source.expression];
      if (expected !== undefined && expected !== value && !/\{\{.+\}\}/.test(expected)) {
        problems.push({
          rule: 'config-stage-variable-mismatch',
          severity: 'warning',
          subject: authorizer.name,
          key: `authorizers.${authorizer.name}.validIdentity["${source.expression}"]`,
          message:
            `validIdentity gives ${source.expression} the value ${JSON.stringify(expected)}, but the stage variable ` +
            `${source.name} is ${JSON.stringify(value)}: the client cannot send a stage variable, so the authorizer ` +
            'always sees the stage value and the valid-credentials cases fail.',
          fix: `Make authorizers.${authorizer.name}.validIdentity["${source.expression}"] and stageVariables.${source.name} the same value.`,
        });
      }
    }
  }
  return problems;
}

/** `publicRoutes` entries that match no route, each with the route it most likely meant. */
export function publicRouteProblems(model: AuthModel, config: ProjectConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  config.publicRoutes.forEach((entry, index) => {
    const parsed = parsePublicRoute(entry);
    if (parsed === undefined) return;
    const matches = model.routes.some(
      (route) => route.path === parsed.path && (parsed.method === 'ANY' || route.method === parsed.method),
    );
    if (matches) return;
    const name = `${parsed.method} ${parsed.path}`;
    const suggestions = suggestRoutes(name, model.routes);
    const suggestion = suggestions.map((s) => `"${s}"`).join(' or ');
    problems.push({
      rule: 'config-unknown-route',
      severity: 'error',
      subject: name,
      key: `publicRoutes[${index}]`,
      message:
        `The config lists "${name}" in publicRoutes, but the API has no such route` +
        (suggestions.length === 0 ? '.' : `. Did you mean ${suggestion}?`),
      fix:
        (suggestions.length === 0 ? '' : `Replace it with ${suggestion}. `) +
        'Write publicRoutes entries as the API names its routes ("METHOD /path", or "ANY /path" for every method), or remove the entry.',
    });
  });
  return problems;
}

/**
 * The routes a `METHOD /path` entry most likely meant: the methods the API has on the same path (never a wider
 * `ANY`: that would make more public than asked), else the route whose path is nearest (path parameters compared
 * by position, not name), else a close match of the whole text.
 *
 * @returns `METHOD /path` of existing routes; empty when nothing is close
 */
export function suggestRoutes(entry: string, routes: readonly Route[]): string[] {
  const parsed = parsePublicRoute(entry);
  if (parsed === undefined || routes.length === 0) return [];
  const samePath = routes.filter((route) => route.path === parsed.path && route.method !== 'OPTIONS');
  if (samePath.length > 0) return samePath.map((route) => `${route.method} ${route.path}`);
  const shape = (path: string): string =>
    path
      .toLowerCase()
      .replace(/\{[^}]*\+\}/g, '{+}')
      .replace(/\{[^}]*\}/g, '{}')
      .replace(/\/+$/, '');
  const wanted = shape(parsed.path);
  let best: Route | undefined;
  let bestScore = Infinity;
  for (const route of routes) {
    if (route.method === 'OPTIONS') continue;
    const score =
      editDistance(wanted, shape(route.path)) * 2 +
      (parsed.method === 'ANY' || route.method === parsed.method ? 0 : 1);
    if (score < bestScore) {
      best = route;
      bestScore = score;
    }
  }
  const limit = Math.max(2, Math.min(8, Math.floor(wanted.length / 3) * 2));
  if (best !== undefined && bestScore <= limit) return [`${best.method} ${best.path}`];
  const near = closest(
    `${parsed.method} ${parsed.path}`,
    routes.map((route) => `${route.method} ${route.path}`),
  );
  return near === undefined ? [] : [near];
}
