/**
 * Bad HTTP API templates through the CLI, as a user meets them: exit 2, one line on stderr naming the file, the
 * property and the fix, no stack trace (needs `npm run build` first).
 */

import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot, runCli } from '../../cli/cli-helpers.js';

const bad = [
  [
    'test/fixtures/cloudformation/http/bad/jwt-without-issuer.yaml',
    '#/Resources/Jwt/Properties/JwtConfiguration/Issuer',
  ],
  [
    'test/fixtures/cloudformation/http/bad/route-without-authorizer.yaml',
    '#/Resources/Route/Properties/AuthorizerId',
  ],
  [
    'test/fixtures/cloudformation/http/bad/rest-jwt-without-issuers.yaml',
    '#/Resources/Jwt/Properties/JwtConfiguration/Issuers',
  ],
  [
    'test/fixtures/sam/http/bad/jwt-without-issuer.yaml',
    '#/Resources/Api/Properties/Auth/Authorizers/Jwt/JwtConfiguration/issuer',
  ],
  [
    'test/fixtures/sam/http/bad/none-without-default.yaml',
    '#/Resources/Fn/Properties/Events/Open/Properties/Auth/Authorizer',
  ],
] as const;

describe('generate on a bad HTTP API template', () => {
  it.each(bad)('%s: exit 2, one line with the pointer and a fix', async (file, pointer) => {
    const result = await runCli([
      'generate',
      file,
      '--region',
      'us-east-1',
      '--out',
      path.join(repoRoot, '.tmp', 'h3-never'),
    ]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${file}: ${pointer}`);
    expect(lines[0]).toContain(' Fix: ');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
