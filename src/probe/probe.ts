/**
 * `probe`: runs the Lambda authorizer cases through TestInvokeAuthorizer, which calls the authorizer as the
 * deployed API would, without deploying anything. The I/O edge; the cases come from `probe-cases.ts`.
 */

import {
  GetAuthorizersCommand,
  TestInvokeAuthorizerCommand,
  type APIGatewayClient,
  type TestInvokeAuthorizerCommandOutput,
} from '@aws-sdk/client-api-gateway';
import type { ProjectConfig } from '../config/types.js';
import type { AuthModel } from '../model/types.js';
import { ensurePacing } from '../sources/aws-rest/client.js';
import { translateAwsError } from '../sources/aws-rest/errors.js';
import { deriveProbeCases } from './probe-cases.js';
import type { ProbeExpectation, ProbeOutcome, ProbeResult } from './types.js';

export interface ProbeOptions {
  client: APIGatewayClient;
  restApiId: string;
  model: AuthModel;
  config: ProjectConfig;
}

/**
 * Test-invokes every TOKEN and REQUEST authorizer of the model with its probe cases, one call at a time.
 *
 * @returns one result per case, in case order; skipped cases say why
 * @throws AwsCredentialsError, AwsNotFoundError, AwsAccessDeniedError or AwsRequestError naming the call
 */
export async function probeAuthorizers(options: ProbeOptions): Promise<ProbeResult[]> {
  const { client, restApiId } = options;
  ensurePacing(client);
  const cases = deriveProbeCases(options.model, options.config);
  if (cases.length === 0) return [];
  const ids = await authorizerIds(client, restApiId);
  const results: ProbeResult[] = [];
  for (const probe of cases) {
    const base = {
      authorizer: probe.authorizer,
      kind: probe.kind,
      case: probe.case,
      description: probe.description,
      expected: probe.expected,
    };
    const authorizerId = ids.get(probe.authorizer);
    if (!probe.request || authorizerId === undefined) {
      results.push({
        ...base,
        skipped: probe.skipped ?? `GetAuthorizers has no authorizer named ${probe.authorizer}`,
      });
      continue;
    }
    let output: TestInvokeAuthorizerCommandOutput;
    try {
      output = await client.send(
        new TestInvokeAuthorizerCommand({
          restApiId,
          authorizerId,
          headers: probe.request.headers,
          pathWithQueryString: probe.request.pathWithQueryString,
          stageVariables: probe.request.stageVariables,
        }),
      );
    } catch (error) {
      throw translateAwsError(error, { call: 'TestInvokeAuthorizer', restApi: restApiId });
    }
    results.push(toResult(base, output));
  }
  return results;
}

async function authorizerIds(client: APIGatewayClient, restApiId: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let position: string | undefined;
  do {
    try {
      const out = await client.send(new GetAuthorizersCommand({ restApiId, limit: 500, position }));
      for (const item of out.items ?? []) if (item.name && item.id) ids.set(item.name, item.id);
      position = out.position;
    } catch (error) {
      throw translateAwsError(error, { call: 'GetAuthorizers', restApi: restApiId });
    }
  } while (position);
  return ids;
}

function toResult(
  base: Pick<ProbeResult, 'authorizer' | 'kind' | 'case' | 'description' | 'expected'>,
  output: TestInvokeAuthorizerCommandOutput,
): ProbeResult {
  const policy = parsePolicy(output.policy);
  const clientStatus = output.clientStatus;
  const outcome = classify(clientStatus, policy);
  return {
    ...base,
    outcome,
    ok: meets(outcome, base.expected),
    ...(clientStatus === undefined ? {} : { clientStatus }),
    ...(output.latency === undefined ? {} : { latencyMs: output.latency }),
    ...(output.principalId ? { principalId: output.principalId } : {}),
    ...(policy === undefined ? {} : { policy }),
  };
}

function parsePolicy(raw: string | undefined): unknown {
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Allow only when the authorizer succeeded and its policy allows without any explicit Deny. */
export function classify(clientStatus: number | undefined, policy: unknown): ProbeOutcome {
  if (clientStatus === 401) return 'unauthorized';
  if (clientStatus === 403) return 'deny';
  if (clientStatus !== undefined && clientStatus !== 0 && clientStatus !== 200) return 'error';
  const effects = statements(policy).map((statement) => String(statement.Effect ?? '').toLowerCase());
  if (effects.includes('deny')) return 'deny';
  if (effects.includes('allow')) return 'allow';
  return policy === undefined ? 'error' : 'deny';
}

function statements(policy: unknown): Record<string, unknown>[] {
  if (typeof policy !== 'object' || policy === null) return [];
  const raw = (policy as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

function meets(outcome: ProbeOutcome, expected: ProbeExpectation): boolean {
  if (expected === 'not-allowed') return outcome === 'unauthorized' || outcome === 'deny';
  return outcome === expected;
}
