/**
 * The response-text table (src/aws-responses.ts) against the assertion script: every entry has a source, and
 * for every entry the generated assertions accept each documented variant exactly (with the entry's status, body
 * key and error type) and reject a text that is not one of them, e.g. an implicit deny on an explicit-deny case.
 */

import { describe, expect, it } from 'vitest';
import { AWS_RESPONSE_TEXTS } from '../../src/aws-responses.js';
import type { AwsResponseId, AwsResponseText } from '../../src/aws-responses.js';
import { rejected, rejectionOf, withOverride } from '../../src/cases/expectations.js';
import { petstoreModel } from '../support/models.js';
import { templateLines } from '../../src/render/templates.js';
import { failures, runScript } from './sandbox.js';
import type { StubResponse } from './sandbox.js';

const ASSERT = templateLines('assert-case.js').join('\n');
const MODEL = { ...petstoreModel(), gatewayResponses: [] };
const ENTRIES = Object.entries(AWS_RESPONSE_TEXTS) as [AwsResponseId, AwsResponseText][];

/** Runs the assertions of the case that expects entry `id` (optionally overridden) against `response`. */
function judge(id: AwsResponseId, response: StubResponse, override?: Parameters<typeof withOverride>[1]) {
  const name = `[GET] /x - deny: ${id}`;
  const expectation = rejected(MODEL, [withOverride(rejectionOf(id), override)]);
  const data = { name, key: `GET /x#${id}`, expect: expectation, hint: `hint for ${id}` };
  return runScript(ASSERT, { requestName: name, variables: { _case: JSON.stringify(data) }, response });
}

function answer(text: AwsResponseText, message: string | null, key = text.messageKey): StubResponse {
  return {
    code: text.status,
    body: JSON.stringify({ [key]: message }),
    headers: text.errorType === undefined ? {} : { 'x-amzn-ErrorType': text.errorType },
  };
}

/** A text of another entry that this entry must not accept. */
function foreignTexts(id: AwsResponseId, text: AwsResponseText): string[] {
  const own = new Set(text.variants);
  return ENTRIES.filter(([other]) => other !== id)
    .flatMap(([, entry]) => entry.variants)
    .filter((variant): variant is string => typeof variant === 'string' && !own.has(variant))
    .filter((variant) => text.prefix === undefined || !variant.startsWith(text.prefix));
}

describe('AWS_RESPONSE_TEXTS', () => {
  it.each(ENTRIES)('%s: sourced, current wording first, a known status', (_id, text) => {
    expect(text.sources.length).toBeGreaterThan(0);
    for (const source of text.sources) expect(source.trim().length).toBeGreaterThan(5);
    if (text.variants.length > 0) expect(text.variants[0]).toBe(text.current);
    expect(new Set(text.variants).size).toBe(text.variants.length);
    expect([401, 403, 500]).toContain(text.status);
    if (text.prefix !== undefined) {
      for (const variant of text.variants) expect(variant?.startsWith(text.prefix)).toBe(true);
    }
  });

  describe.each(ENTRIES)('%s in the assertion script', (id, text) => {
    it.each(text.variants.map((variant) => [variant]))('accepts %j exactly', (variant) => {
      expect(failures(judge(id, answer(text, variant)))).toEqual([]);
      // the body key is compared case-insensitively: `message` and `Message` both pass
      if (variant !== null) {
        const other = text.messageKey === 'message' ? 'Message' : 'message';
        expect(failures(judge(id, answer(text, variant, other)))).toEqual([]);
      }
    });

    it('rejects a text that is not a documented variant', () => {
      const samples =
        text.variants.length === 0 ? [] : ['Something else entirely', ...foreignTexts(id, text)];
      for (const sample of samples) {
        const run = judge(id, answer(text, sample));
        expect(failures(run), sample).toEqual([expect.stringContaining(': message: ') as unknown as string]);
      }
      if (text.errorType !== undefined) {
        const wrongType = {
          ...answer(text, text.current),
          headers: { 'x-amzn-ErrorType': 'OtherException' },
        };
        expect(failures(judge(id, wrongType))).toEqual([
          expect.stringContaining(`x-amzn-ErrorType ${text.errorType}`) as unknown as string,
        ]);
      }
      const wrongStatus = { ...answer(text, text.current), code: text.status === 401 ? 403 : 401 };
      expect(failures(judge(id, wrongStatus))).toEqual([
        expect.stringContaining(`status ${text.status}`) as unknown as string,
      ]);
    });
  });

  it('an implicit deny never passes an explicit-deny case, nor the reverse', () => {
    const explicit = AWS_RESPONSE_TEXTS.explicitDeny;
    const implicit = AWS_RESPONSE_TEXTS.implicitDeny;
    for (const variant of implicit.variants) {
      expect(failures(judge('explicitDeny', answer(explicit, variant)))).toHaveLength(1);
    }
    for (const variant of explicit.variants) {
      expect(failures(judge('implicitDeny', answer(implicit, variant)))).toHaveLength(1);
    }
  });

  it('a config override pins the accepted wording and the status', () => {
    const explicit = AWS_RESPONSE_TEXTS.explicitDeny;
    const override = { explicitDeny: { messages: ['Regional wording'], status: 401 } };
    expect(
      failures(judge('explicitDeny', { ...answer(explicit, 'Regional wording'), code: 401 }, override)),
    ).toEqual([]);
    expect(
      failures(judge('explicitDeny', { ...answer(explicit, explicit.current), code: 401 }, override)),
    ).toHaveLength(1);
  });
});
