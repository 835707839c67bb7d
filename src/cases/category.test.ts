import { describe, expect, it } from 'vitest';
import { CASE_CATEGORIES } from '../run/types.js';
import type { CaseCategory } from '../run/types.js';
import { petstoreConfig, petstoreModel } from '../../test/support/models.js';
import { caseCategory } from './category.js';
import { derivePlan } from './index.js';
import type { CasePolarity } from './types.js';

describe('caseCategory', () => {
  it.each<[string, CasePolarity, CaseCategory]>([
    ['GET /pets#allow', 'positive', 'positive'],
    ['GET /pets#bearer-prefix', 'positive', 'positive'],
    ['GET /health#public', 'positive', 'positive'],
    ['GET /pets#missing-credentials', 'negative', 'missing'],
    ['GET /reports#missing-header-X-Tenant-Id', 'negative', 'missing'],
    ['GET /reports#missing-query-apiVersion', 'negative', 'missing'],
    ['GET /pets#not-a-jwt', 'negative', 'malformed'],
    ['GET /orders#regex-mismatch', 'negative', 'malformed'],
    ['GET /pets#forged-alg-none', 'negative', 'forged'],
    ['ANY /admin/{proxy+}#wrong-secret', 'negative', 'forged'],
    ['GET /orders#unknown-token', 'negative', 'forged'],
    ['GET /reports#unknown-identity', 'negative', 'forged'],
    ['GET /pets#expired', 'negative', 'expired'],
    ['GET /pets/{petId}#missing-scope', 'negative', 'wrong-scope'],
    ['GET /pets#wrong-token-use', 'negative', 'wrong-scope'],
    ['GET /orders#deny-token', 'negative', 'wrong-scope'],
    ['GET /status#api-key', 'positive', 'api-key'],
    ['DELETE /orders/{orderId}#api-key-missing', 'negative', 'api-key'],
    ['DELETE /orders/{orderId}#api-key-wrong', 'negative', 'api-key'],
    ['GET /orders#cache-bleed', 'positive', 'cache-bleed'],
    ['GET /pets#cors-unauthorized', 'negative', 'cors'],
    ['GET /internal#unprotected', 'negative', 'other'],
  ])('%s (%s) -> %s', (key, polarity, category) => {
    expect(caseCategory({ key, polarity })).toBe(category);
  });

  it('puts every case of the petstore plan in a known column, using every column but other', () => {
    const plan = derivePlan(petstoreModel(), petstoreConfig());
    const used = new Set(plan.cases.map(caseCategory));
    for (const category of used) expect(CASE_CATEGORIES).toContain(category);
    expect(used.has('positive') && used.has('missing') && used.has('forged')).toBe(true);
  });
});
