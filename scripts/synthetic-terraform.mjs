// `terraform show -json` documents built from a compact resource list, in the shapes Terraform 1.x writes
// (https://developer.hashicorp.com/terraform/internals/json-format): a plan of resources being created (ids and
// other computed values unknown, `after_unknown`, links only in `configuration` references) or the state after
// apply (every value known, links by id). Used by the benchmark and to write the Terraform test fixtures.
import { createHash } from 'node:crypto';

const PROVIDER = 'registry.terraform.io/hashicorp/aws';

/**
 * @typedef {{ to: string, attr?: string, refs: string[] }} LinkSpec
 *   `to`: the full address of the target instance; `attr`: `id` (default) or `root_resource_id`; `refs`: the
 *   configuration's references for the argument, as Terraform lists them.
 * @typedef {{
 *   module?: string, type: string, name: string, index?: string | number,
 *   values?: Record<string, unknown>, computed?: Record<string, unknown>,
 *   links?: Record<string, LinkSpec>, expressions?: Record<string, unknown>,
 *   forEach?: string[], count?: string[],
 * }} ResourceSpec
 *   `values`: known at plan time; `computed`: known only after apply (their state values); `forEach`/`count`:
 *   the references of the block's for_each/count expression.
 * @typedef {{ source: string, expressions: Record<string, unknown>, outputs?: Record<string, string[]> }} ModuleCall
 */

/** A stable fake id for a resource, as API Gateway makes them: 10 lowercase letters and digits. */
export function fakeId(address, attr = 'id') {
  return createHash('sha256').update(`${address}#${attr}`).digest('hex').slice(0, 10);
}

/** The full address of an instance. */
export function addressOf(spec) {
  const index =
    spec.index === undefined
      ? ''
      : typeof spec.index === 'number'
        ? `[${spec.index}]`
        : `[${JSON.stringify(spec.index)}]`;
  return `${spec.module ? `${spec.module}.` : ''}${spec.type}.${spec.name}${index}`;
}

/**
 * @param {ResourceSpec[]} resources
 * @param {{ kind: 'plan' | 'state', region?: string, variables?: Record<string, unknown>,
 *   modules?: Record<string, ModuleCall> }} options
 */
export function terraformShowJson(resources, options) {
  const plan = options.kind === 'plan';
  const byAddress = new Map(resources.map((spec) => [addressOf(spec), spec]));
  const stateValue = (address, attr) => {
    const spec = byAddress.get(address);
    if (!spec) throw new Error(`no resource ${address}`);
    return spec.computed?.[attr] ?? spec.values?.[attr] ?? fakeId(address, attr);
  };

  const modules = new Map();
  const resourceChanges = [];
  for (const spec of resources) {
    const address = addressOf(spec);
    const values = { ...(spec.values ?? {}) };
    const afterUnknown = {};
    for (const [attr, value] of Object.entries(spec.computed ?? {})) {
      if (plan) afterUnknown[attr] = true;
      else values[attr] = value;
    }
    for (const [arg, link] of Object.entries(spec.links ?? {})) {
      if (plan) afterUnknown[arg] = true;
      else values[arg] = stateValue(link.to, link.attr ?? 'id');
    }
    if (!plan && values.id === undefined) values.id = fakeId(address);
    const moduleAddress = spec.module ?? '';
    const list = modules.get(moduleAddress) ?? [];
    list.push({
      address,
      mode: 'managed',
      type: spec.type,
      name: spec.name,
      ...(spec.index === undefined ? {} : { index: spec.index }),
      provider_name: PROVIDER,
      schema_version: 0,
      values: sortKeys(values),
      sensitive_values: {},
    });
    modules.set(moduleAddress, list);
    if (plan) {
      resourceChanges.push({
        address,
        ...(moduleAddress === '' ? {} : { module_address: moduleAddress }),
        mode: 'managed',
        type: spec.type,
        name: spec.name,
        ...(spec.index === undefined ? {} : { index: spec.index }),
        provider_name: PROVIDER,
        change: {
          actions: ['create'],
          before: null,
          after: sortKeys(values),
          after_unknown: sortKeys(afterUnknown),
          before_sensitive: false,
          after_sensitive: {},
        },
      });
    }
  }

  const rootModule = {
    resources: modules.get('') ?? [],
    ...(modules.size > 1
      ? {
          child_modules: [...modules.entries()]
            .filter(([address]) => address !== '')
            .map(([address, list]) => ({ address, resources: list })),
        }
      : {}),
  };
  if (!plan) {
    return { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: rootModule } };
  }
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    variables: Object.fromEntries(
      Object.entries(options.variables ?? {}).map(([name, value]) => [name, { value }]),
    ),
    planned_values: { root_module: rootModule },
    resource_changes: resourceChanges,
    configuration: configuration(resources, options),
  };
}

function configuration(resources, options) {
  const blocks = new Map();
  for (const spec of resources) {
    const callPath = (spec.module ?? '')
      .replace(/\[[^\]]*\]/g, '')
      .replace(/module\./g, '')
      .replace(/^\./, '');
    const key = `${callPath}|${spec.type}.${spec.name}`;
    if (blocks.has(key)) continue;
    const expressions = {};
    for (const [arg, value] of Object.entries(spec.values ?? {})) {
      if (value !== null) expressions[arg] = { constant_value: value };
    }
    for (const [arg, link] of Object.entries(spec.links ?? {})) expressions[arg] = { references: link.refs };
    Object.assign(expressions, spec.expressions ?? {});
    blocks.set(key, {
      callPath,
      block: {
        address: `${spec.type}.${spec.name}`,
        mode: 'managed',
        type: spec.type,
        name: spec.name,
        provider_config_key: 'aws',
        expressions: sortKeys(expressions),
        schema_version: 0,
        ...(spec.forEach ? { for_each_expression: { references: spec.forEach } } : {}),
        ...(spec.count ? { count_expression: { references: spec.count } } : {}),
      },
    });
  }
  const moduleBlock = (callPath) => ({
    resources: [...blocks.values()].filter((b) => b.callPath === callPath).map((b) => b.block),
  });
  const root = moduleBlock('');
  const calls = Object.entries(options.modules ?? {});
  if (calls.length > 0) {
    root.module_calls = Object.fromEntries(
      calls.map(([name, call]) => [
        name,
        {
          source: call.source,
          expressions: call.expressions,
          module: {
            ...moduleBlock(name),
            outputs: Object.fromEntries(
              Object.entries(call.outputs ?? {}).map(([output, refs]) => [
                output,
                { expression: { references: refs } },
              ]),
            ),
          },
        },
      ]),
    );
  }
  root.variables = Object.fromEntries(Object.keys(options.variables ?? {}).map((name) => [name, {}]));
  return {
    provider_config: {
      aws: {
        name: 'aws',
        full_name: PROVIDER,
        expressions: {
          region: options.region ? { constant_value: options.region } : { references: ['var.region'] },
        },
      },
    },
    root_module: root,
  };
}

function sortKeys(record) {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}

/** Configuration references to an instance attribute, unwrapped as Terraform lists them. */
export function refsTo(address, attr = 'id') {
  const base = address.replace(/\[[^\]]*\]$/, '');
  return address === base ? [`${address}.${attr}`, address] : [`${address}.${attr}`, address, base];
}

const SYNTHETIC_LAMBDA = (fn) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;

/**
 * A plan that creates the same API as `syntheticExport(routes)` (scripts/synthetic-export.mjs) from
 * aws_api_gateway_resource and aws_api_gateway_method resources: the same authorizers, routes and gateway response.
 *
 * @param {number} routes
 */
export function syntheticTerraformPlan(routes) {
  const api = 'aws_api_gateway_rest_api.api';
  const apiLink = { to: api, refs: refsTo(api) };
  const rootLink = { to: api, attr: 'root_resource_id', refs: refsTo(api, 'root_resource_id') };
  const resources = [
    {
      type: 'aws_api_gateway_rest_api',
      name: 'api',
      values: { name: `synthetic-${routes}`, api_key_source: 'HEADER', body: null },
      computed: { id: 'abcde12345', root_resource_id: 'r00t' },
    },
    {
      type: 'aws_api_gateway_stage',
      name: 'prod',
      values: { stage_name: 'prod', variables: null },
      computed: { invoke_url: 'https://abcde12345.execute-api.us-east-1.amazonaws.com/prod' },
      links: { rest_api_id: apiLink },
    },
    {
      type: 'aws_api_gateway_gateway_response',
      name: 'default_4xx',
      values: {
        response_type: 'DEFAULT_4XX',
        status_code: null,
        response_parameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
        response_templates: { 'application/json': '{"message":$context.error.messageString}' },
      },
      links: { rest_api_id: apiLink },
    },
    authorizerSpec('CognitoAuth', 'cognito', {
      type: 'COGNITO_USER_POOLS',
      identity_source: 'method.request.header.Authorization',
      provider_arns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PetStore1'],
    }),
    authorizerSpec('TokenAuth', 'token', {
      type: 'TOKEN',
      identity_source: 'method.request.header.X-Auth-Token',
      identity_validation_expression: '^[a-z][a-z0-9-]{3,63}$',
      authorizer_uri: SYNTHETIC_LAMBDA('token'),
    }),
    authorizerSpec('RequestAuth', 'request', {
      type: 'REQUEST',
      identity_source: 'method.request.header.X-Tenant-Id, method.request.querystring.apiVersion',
      authorizer_uri: SYNTHETIC_LAMBDA('request'),
    }),
  ].map((spec) =>
    spec.type === 'aws_api_gateway_authorizer' ? { ...spec, links: { rest_api_id: apiLink } } : spec,
  );

  // for_each blocks keyed by the top-level path part, as modules that generate routes write them:
  // aws_api_gateway_resource.r["r7"] (/r7), .item["r7"] (/r7/{itemId}), aws_api_gateway_method.get["r7"], ...
  const resourceLink = (block, key) => ({
    to: `aws_api_gateway_resource.${block}["${key}"]`,
    refs: [`aws_api_gateway_resource.${block}`, 'each.key'],
  });
  const kinds = ['cognito', 'token', 'request', 'iam'];
  const method = (block, key, resourceBlock, httpMethod, kind, scopes) => {
    const authorizer = kind === 'iam' ? undefined : `aws_api_gateway_authorizer.${kind}`;
    resources.push({
      type: 'aws_api_gateway_method',
      name: block,
      index: key,
      forEach: ['local.routes'],
      values: {
        http_method: httpMethod,
        authorization: kind === 'cognito' ? 'COGNITO_USER_POOLS' : kind === 'iam' ? 'AWS_IAM' : 'CUSTOM',
        authorization_scopes: scopes,
        api_key_required: false,
      },
      links: {
        rest_api_id: apiLink,
        resource_id: resourceLink(resourceBlock, key),
        ...(authorizer ? { authorizer_id: { to: authorizer, refs: refsTo(authorizer) } } : {}),
      },
    });
  };

  resources.push(
    {
      type: 'aws_api_gateway_resource',
      name: 'health',
      values: { path_part: 'health' },
      computed: { path: '/health' },
      links: { rest_api_id: apiLink, parent_id: rootLink },
    },
    {
      type: 'aws_api_gateway_method',
      name: 'health',
      values: {
        http_method: 'GET',
        authorization: 'NONE',
        authorization_scopes: null,
        api_key_required: false,
      },
      links: {
        rest_api_id: apiLink,
        resource_id: {
          to: 'aws_api_gateway_resource.health',
          refs: refsTo('aws_api_gateway_resource.health'),
        },
      },
    },
  );
  for (let index = 0; index < routes; index += 1) {
    const kind = kinds[index % kinds.length];
    const key = `r${Math.floor(index / 2)}`;
    const item = index % 2 === 1;
    if (!item) {
      resources.push({
        type: 'aws_api_gateway_resource',
        name: 'r',
        index: key,
        forEach: ['local.routes'],
        values: { path_part: key },
        computed: { path: `/${key}` },
        links: { rest_api_id: apiLink, parent_id: rootLink },
      });
    } else {
      resources.push({
        type: 'aws_api_gateway_resource',
        name: 'item',
        index: key,
        forEach: ['local.routes'],
        values: { path_part: '{itemId}' },
        computed: { path: `/${key}/{itemId}` },
        links: { rest_api_id: apiLink, parent_id: resourceLink('r', key) },
      });
    }
    const httpMethod = index % 3 === 0 ? 'POST' : 'GET';
    const scopes = kind === 'cognito' && index % 8 !== 0 ? ['pets/read'] : null;
    // One block per authorizer and verb: a for_each block names one authorizer in its configuration.
    method(
      `${kind}_${item ? 'item_' : ''}${httpMethod.toLowerCase()}`,
      key,
      item ? 'item' : 'r',
      httpMethod,
      kind,
      scopes,
    );
    // Its integration: read by nobody here, but part of every real plan's size.
    const block = `${kind}_${item ? 'item_' : ''}${httpMethod.toLowerCase()}`;
    resources.push({
      type: 'aws_api_gateway_integration',
      name: block,
      index: key,
      forEach: ['local.routes'],
      values: {
        http_method: httpMethod,
        type: 'HTTP_PROXY',
        integration_http_method: httpMethod,
        uri: `https://backend.example.com/${key}${item ? '/{itemId}' : ''}`,
        connection_type: 'INTERNET',
        timeout_milliseconds: 29000,
        passthrough_behavior: 'WHEN_NO_MATCH',
        request_parameters: null,
        request_templates: null,
      },
      computed: { cache_namespace: 'x' },
      links: {
        rest_api_id: apiLink,
        resource_id: resourceLink(item ? 'item' : 'r', key),
      },
    });
  }
  return terraformShowJson(resources, { kind: 'plan', region: 'us-east-1' });
}

function authorizerSpec(name, resourceName, values) {
  return {
    type: 'aws_api_gateway_authorizer',
    name: resourceName,
    values: {
      name,
      identity_validation_expression: null,
      authorizer_result_ttl_in_seconds: 300,
      authorizer_uri: null,
      provider_arns: null,
      ...values,
    },
  };
}
