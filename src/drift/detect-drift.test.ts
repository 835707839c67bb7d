import { describe, expect, it } from 'vitest';
import type { AuthModel, Route } from '../model/types.js';
import * as builders from '../../test/support/models.js';
import { detectDrift } from './detect-drift.js';

const route = (
  method: Route['method'],
  path: string,
  authorizer?: string,
  apiKeyRequired = false,
): Route => ({
  ...builders.route(method, path, authorizer),
  apiKeyRequired,
});

const model = (routes: Route[], ttlSeconds = 300): AuthModel =>
  builders.model({
    authorizers: [
      builders.tokenAuthorizer('A', { identitySources: [builders.headerSource('X')], ttlSeconds }),
    ],
    routes,
  });

describe('detectDrift', () => {
  it('finds nothing when both sides agree', () => {
    const same = model([route('GET', '/a', 'A')]);
    expect(detectDrift(same, structuredClone(same), 'prod')).toEqual([]);
  });

  it('reports added, deleted, re-keyed and re-configured routes, sorted by path then method', () => {
    const deployed = model([route('GET', '/a', 'A'), route('GET', '/gone'), route('POST', '/b')]);
    const current = model(
      [route('GET', '/a', 'A'), route('GET', '/new', 'A'), route('POST', '/b', undefined, true)],
      0,
    );
    const findings = detectDrift(current, deployed, 'dev');
    expect(findings.map((f) => [f.route, f.changes, f.current, f.deployed])).toEqual([
      ['GET /a', ['authorizer A TTL 300 -> 0'], 'A (TOKEN)', 'A (TOKEN)'],
      ['POST /b', ['API key required false -> true'], 'NONE + API key', 'NONE'],
      ['GET /gone', ['the route was deleted but is still deployed'], 'absent', 'NONE'],
      ['GET /new', ['the route is not deployed'], 'A (TOKEN)', 'absent'],
    ]);
    expect(findings[0]?.message).toBe(
      'GET /a: authorization changed but not redeployed (authorizer A TTL 300 -> 0): redeploy the API to stage dev.',
    );
  });
});
