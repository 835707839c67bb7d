import path from 'node:path';
import type { GenerateSummary } from '../api/generate.js';

/** The human-readable form of `generate`'s summary (`--json` prints the object itself). */
export function formatGenerateSummary(summary: GenerateSummary, cwd: string): string {
  const lines: string[] = [];
  lines.push(`wrote ${path.relative(cwd, summary.files.collection)}`);
  lines.push(`wrote ${path.relative(cwd, summary.files.environment)}`);
  const { routes } = summary;
  // Only APIs that have API-key-only routes mention them, so the common line stays short.
  const apiKeyOnly = routes.apiKeyOnly > 0 ? `${routes.apiKeyOnly} API key only, ` : '';
  lines.push(
    `${summary.cases.total} cases for ${routes.total} routes of ${summary.api} (stage ${summary.stage}): ` +
      `${routes.protected} protected, ${apiKeyOnly}${routes.public} public, ${routes.unprotected.length} unprotected; depth ${summary.depth}`,
  );
  const width = Math.max(...summary.cases.byAuthorizer.map((count) => count.authorizer.length), 10);
  for (const count of summary.cases.byAuthorizer) {
    lines.push(
      `  ${count.authorizer.padEnd(width)}  ${String(count.positive).padStart(3)} positive  ${String(count.negative).padStart(3)} negative`,
    );
  }
  for (const route of routes.unprotected) {
    lines.push(
      `unprotected: ${route} has no authorizer and is not in publicRoutes (its case fails until it is)`,
    );
  }
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`);
  for (const drift of summary.drift) lines.push(`drift: ${drift}`);
  if (summary.requiredVariables.length > 0) {
    lines.push('');
    lines.push(
      'Supply at run time (newman --env-var KEY=VALUE, or the APIGW_AUTHZ_* environment with apigw-authz run):',
    );
    const keyWidth = Math.max(...summary.requiredVariables.map((variable) => variable.key.length));
    for (const variable of summary.requiredVariables) {
      const secret = variable.secret ? ' [secret]' : '';
      lines.push(`  ${variable.key.padEnd(keyWidth)}  ${variable.description}${secret}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
