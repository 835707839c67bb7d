/**
 * Mutation tests: serve a MISCONFIGURED model/config and run the suite generated from the CORRECT one. Each
 * misconfiguration must fail the run, and only cases that point at the mutation may fail. The control (TTL 0 with
 * a handler whose policy covers one method) must pass: without caching, a method-scoped policy is harmless.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../src/model/types.js';
import { formatRunSummary } from '../../src/run/index.js';
import type { RunResult } from '../../src/run/index.js';
import { OTHER_USER_POOL_ID } from '../support/standins.js';
import { goldenOutcomes, outcomeRecorder, slugOf } from './equivalence.js';
import type { Outcomes } from './equivalence.js';
import { REST_EXAMPLE_LAB, expectCaughtWhereItIs, runAgainstServe, suiteLab } from '../support/suite.js';
import type { CaughtWhereItIs, Example } from '../support/suite.js';

/** Lambda TOKEN handlers for the mutations; `methodArn`-scoped vs allow-everything. */
const ONE_METHOD_HANDLER = `export const handler = async (event) => {
  const effect = { 'allow-alice': 'Allow', 'deny-mallory': 'Deny' }[event.authorizationToken];
  if (effect === undefined) throw new Error('Unauthorized');
  return { principalId: 'alice', policyDocument: { Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }] } };
};
`;
const ALLOW_ALL_HANDLER = `export const handler = async (event) => {
  const [apiAndStage, stage] = event.methodArn.split('/');
  return { principalId: 'anyone', policyDocument: { Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: apiAndStage + '/' + stage + '/*/*' }] } };
};
`;

function route(example: Example, method: string, path: string): Route {
  const found = example.model.routes.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`the example has no ${method} ${path}`);
  return found;
}

function authorizer(example: Example, name: string) {
  const found = example.model.authorizers.find((a) => a.name === name);
  if (!found) throw new Error(`the example has no authorizer ${name}`);
  return found;
}

function settings(example: Example, name: string) {
  const found = example.config.authorizers[name];
  if (!found) throw new Error(`the example config has no ${name}`);
  return found;
}

interface Mutation extends CaughtWhereItIs {
  name: string;
  mutate: (example: Example) => void;
}

describe('mutations: the correct suite catches each misconfiguration of serve', () => {
  const lab = suiteLab('apigw-authz-mutations-', REST_EXAMPLE_LAB);
  let oneMethodHandler: string;
  let allowAllHandler: string;

  beforeAll(async () => {
    oneMethodHandler = join(lab.dir, 'one-method.mjs');
    allowAllHandler = join(lab.dir, 'allow-all.mjs');
    await writeFile(oneMethodHandler, ONE_METHOD_HANDLER);
    await writeFile(allowAllHandler, ALLOW_ALL_HANDLER);
  });

  /** Serves the mutated model/config, runs the correct suite, stops serve. */
  async function runAgainst(mutate: (example: Example) => void): Promise<RunResult & { outcomes: Outcomes }> {
    const mutated = structuredClone(lab.example);
    mutate(mutated);
    const recorder = outcomeRecorder(lab.suite.plan);
    const result = await runAgainstServe(lab, mutated, [], { onEvent: recorder.onEvent });
    return { ...result, outcomes: recorder.outcomes(result) };
  }

  const mutations: Mutation[] = [
    {
      name: 'authorizer removed from one route',
      mutate: (e) => {
        route(e, 'GET', '/orders').authorization = { type: 'NONE' };
      },
      points: (f) => f.caseName.startsWith('[GET] /orders '),
      mustFail: /^\[GET\] \/orders - deny: missing X-Auth-Token header/,
      hint: /has no authorizer/,
    },
    {
      name: 'TOKEN validation regex changed',
      mutate: (e) => {
        authorizer(e, 'TokenAuth').validationExpression = '^tok-[0-9]+$';
      },
      points: (f) => f.folder === 'TokenAuth',
      mustFail: /- allow: valid token \(TokenAuth\)/,
      hint: /token validation expression/,
    },
    {
      name: 'token-source header renamed',
      mutate: (e) => {
        authorizer(e, 'TokenAuth').identitySources = [
          { location: 'header', name: 'X-Api-Token', expression: 'method.request.header.X-Api-Token' },
        ];
      },
      points: (f) => f.folder === 'TokenAuth',
      mustFail: /- allow: valid token \(TokenAuth\)/,
      hint: /header named as the Token Source/,
    },
    {
      name: 'one REQUEST identity source dropped',
      mutate: (e) => {
        const a = authorizer(e, 'RequestAuth');
        a.identitySources = a.identitySources.filter((s) => s.name !== 'apiVersion');
      },
      points: (f) => f.folder === 'RequestAuth',
      mustFail: /missing query string apiVersion/,
      hint: /identity source/,
    },
    {
      name: 'user pool swapped',
      mutate: (e) => {
        const a = authorizer(e, 'CognitoAuth');
        a.userPools = a.userPools.map((p) => ({
          ...p,
          userPoolId: OTHER_USER_POOL_ID,
          arn: p.arn.replace(p.userPoolId, OTHER_USER_POOL_ID),
        }));
        const cognito = settings(e, 'CognitoAuth').cognito;
        if (cognito) {
          cognito.issuer = lab.standins.otherIssuer;
          cognito.jwksUrl = `${lab.standins.otherIssuer}/.well-known/jwks.json`;
        }
      },
      points: (f) => f.folder === 'CognitoAuth',
      mustFail: /- allow: valid (ID|access) token/,
      hint: /user pool/,
    },
    {
      name: "a method's scopes removed",
      mutate: (e) => {
        const r = route(e, 'POST', '/pets');
        if (r.authorization.type === 'AUTHORIZER') r.authorization.scopes = [];
      },
      points: (f) => f.caseName.startsWith('[POST] /pets '),
      mustFail: /^\[POST\] \/pets - /,
      hint: /scope|ID token|access token/,
    },
    {
      name: "a method's scopes changed",
      mutate: (e) => {
        const r = route(e, 'GET', '/pets/{petId}');
        if (r.authorization.type === 'AUTHORIZER') r.authorization.scopes = ['pets/admin'];
      },
      points: (f) => f.caseName.startsWith('[GET] /pets/{petId} '),
      mustFail: /^\[GET\] \/pets\/\{petId\} - allow: valid access token/,
      hint: /scope/,
    },
    {
      name: 'a handler whose policy covers one method only, with caching on',
      mutate: (e) => {
        settings(e, 'TokenAuth').handler = oneMethodHandler;
      },
      points: (f) => f.folder === 'TokenAuth',
      mustFail: / - cache: valid token cached on/,
      hint: /[Cc]aching/,
    },
    {
      name: 'a handler that allows everything',
      mutate: (e) => {
        settings(e, 'TokenAuth').handler = allowAllHandler;
      },
      // the CORS case of ACCESS_DENIED repeats the deny-token request, which now gets through
      points: (f) =>
        f.folder === 'TokenAuth' ||
        (f.folder === 'CORS on errors' &&
          f.caseName.startsWith('[ANY] /files/{proxy+} - cors: ACCESS_DENIED')),
      mustFail: /unknown well-formed token|deny token/,
      hint: /unknown credential/,
    },
    {
      name: 'an IAM route turned to NONE',
      mutate: (e) => {
        route(e, 'ANY', '/admin/{proxy+}').authorization = { type: 'NONE' };
      },
      points: (f) => f.caseName.startsWith('[ANY] /admin/{proxy+} '),
      mustFail: /deny: unsigned request/,
      hint: /has no authorizer/,
    },
    {
      // CORS has its own cases: a missing DEFAULT_4XX header fails them, and no authorization case
      name: 'the DEFAULT_4XX CORS headers removed',
      mutate: (e) => {
        e.model.gatewayResponses = e.model.gatewayResponses.map((g) =>
          g.type === 'DEFAULT_4XX' ? { ...g, headers: [] } : g,
        );
      },
      points: (f) =>
        f.folder === 'CORS on errors' && /Access-Control-Allow-Origin/i.test(`${f.message} ${f.hint ?? ''}`),
      mustFail: / - cors: UNAUTHORIZED answer carries Access-Control-Allow-Origin/,
      hint: /DEFAULT_4XX/,
    },
    {
      name: 'a gateway that ignores the API key',
      mutate: (e) => {
        route(e, 'DELETE', '/orders/{orderId}').apiKeyRequired = false;
      },
      points: (f) =>
        / - (apikey|cors): /.test(f.caseName) &&
        /Forbidden|INVALID_API_KEY|api key/i.test(`${f.caseName} ${f.message} ${f.hint ?? ''}`),
      mustFail: /^\[DELETE\] \/orders\/\{orderId\} - apikey: valid credentials, no x-api-key/,
      hint: /API key/,
    },
  ];

  it.each(mutations)('$name: fails, and only where the mutation is', async (mutation) => {
    const result = await runAgainst(mutation.mutate);
    // Only where the mutation is; response-driven hints: the first hint of the first failing case names its cause.
    expectCaughtWhereItIs(result, mutation);
    // Equivalence: the same outcome and hint-less failure messages per case as the one-script-per-request rendering.
    expect(result.outcomes).toEqual(
      await goldenOutcomes(`mutation-${slugOf(mutation.name)}`, result.outcomes),
    );
  });

  it('control: TTL 0 with the one-method handler passes (no cache, no bleed)', async () => {
    const result = await runAgainst((e) => {
      settings(e, 'TokenAuth').handler = oneMethodHandler;
      authorizer(e, 'TokenAuth').ttlSeconds = 0;
    });
    expect(result.failures, formatRunSummary(result)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.outcomes).toEqual(await goldenOutcomes('mutation-control', result.outcomes));
  });
});
