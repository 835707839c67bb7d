/**
 * The HTTP API checks of templates/assert-case.js (www-authenticate, body values, headers on authorized cases)
 * in Newman 6's real sandbox, against a stub on 127.0.0.1 that answers each request as written in its path: a
 * right answer passes, a wrong one fails exactly the check it breaks.
 */

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { derivePlan } from '../../src/cases/index.js';
import type { AuthCase } from '../../src/cases/types.js';
import { CASE_FENCE, withFencedBlock } from '../../src/render/descriptor.js';
import { templateLines } from '../../src/render/templates.js';
import { config, httpExampleCheckConfig, httpExampleModel } from '../support/models.js';

const require = createRequire(import.meta.url);
interface Summary {
  run: {
    executions: {
      item: { name: string };
      assertions?: { assertion: string; error?: { message: string } }[];
    }[];
  };
}
const newman = require('newman') as {
  run(options: Record<string, unknown>, callback: (err: Error | null, summary: Summary) => void): unknown;
};

const PLAN = derivePlan(httpExampleModel(), httpExampleCheckConfig());
const AUTOMATIC = derivePlan(
  { ...httpExampleModel(), routes: httpExampleModel().routes.filter((r) => r.method !== 'ANY') },
  config({}, { publicRoutes: ['GET /health'] }),
).cases.find((c) => c.key.endsWith('#cors-preflight'));

function caseOf(key: string): AuthCase {
  const found = [...PLAN.cases, ...(AUTOMATIC ? [AUTOMATIC] : [])].find((c) => c.key === key);
  if (!found) throw new Error(`no case ${key}`);
  return found;
}

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const SCOPE_WWW =
  'Bearer scope="orders/read" error="insufficient_scope" error_description="expected scopes: [orders/read]"';
/** [request name, case key, what the stub answers, failed assertion names (suffixes)] */
const RUNS: [string, string, Answer, string[]][] = [
  [
    'scope ok',
    'GET /orders#missing-scope',
    { status: 403, body: '{"message":"Forbidden"}', headers: { 'www-authenticate': SCOPE_WWW } },
    [],
  ],
  [
    'scope as REST',
    'GET /orders#missing-scope',
    { status: 401, body: '{"message":"Unauthorized"}' },
    ['status 403', 'message', 'www-authenticate'],
  ],
  [
    'expired ok',
    'GET /orders#expired',
    {
      status: 401,
      body: '{"message":"Unauthorized"}',
      headers: {
        'www-authenticate':
          'Bearer scope="orders/read" error="invalid_token" error_description="the token has expired"',
      },
    },
    [],
  ],
  [
    'expired other text',
    'GET /orders#expired',
    {
      status: 401,
      body: '{"message":"Unauthorized"}',
      headers: { 'www-authenticate': 'Bearer error="invalid_token" error_description="JWT Token expired"' },
    },
    ['www-authenticate'],
  ],
  [
    'context ok',
    'ANY /inventory/{proxy+}#authorizer-context',
    {
      status: 200,
      body: JSON.stringify({ authorizer: { lambda: { roles: ['a', 'b'], tier: 'gold', n: 1 } } }),
    },
    [],
  ],
  [
    'context stringified',
    'ANY /inventory/{proxy+}#authorizer-context',
    {
      status: 200,
      body: JSON.stringify({ authorizer: { lambda: { roles: ['a', 'b'], tier: 'gold', n: '1' } } }),
    },
    ['body values'],
  ],
  [
    'preflight answered',
    'POST /admin/reindex#cors-preflight',
    { status: 204, body: '', headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' } },
    [],
  ],
  [
    'preflight not answered',
    'POST /admin/reindex#cors-preflight',
    { status: 404, body: '{"message":"Not Found"}' },
    ['header Access-Control-Allow-Origin'],
  ],
];

let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const index = Number((req.url ?? '').split('/')[1]);
    const answer = RUNS[index]?.[2] ?? { status: 500, body: 'no such run' };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('assert-case.js HTTP checks under Newman', () => {
  it('pass on the right answers and fail exactly the broken check on wrong ones', async () => {
    const collection = {
      info: { name: 'h4', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      event: [{ listen: 'test', script: { type: 'text/javascript', exec: templateLines('assert-case.js') } }],
      item: RUNS.map(([name, key], index) => {
        const c = caseOf(key);
        return {
          name,
          request: {
            method: 'GET',
            url: `${baseUrl}/${index}`,
            description: withFencedBlock('case', CASE_FENCE, {
              key: c.key,
              category: 'other',
              expect: c.expect,
              hint: c.hint,
            }),
          },
        };
      }),
    };
    const summary = await new Promise<Summary>((resolve, reject) =>
      newman.run({ collection, reporters: [] }, (err, result) => (err ? reject(err) : resolve(result))),
    );
    const failed = Object.fromEntries(
      summary.run.executions.map((e) => [
        e.item.name,
        (e.assertions ?? [])
          .filter((a) => a.error)
          .map((a) => a.assertion.slice(a.assertion.lastIndexOf(': ') + 2)),
      ]),
    );
    expect(failed).toEqual(Object.fromEntries(RUNS.map(([name, , , fails]) => [name, fails])));
  });
});
