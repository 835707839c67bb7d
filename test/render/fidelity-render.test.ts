/**
 * Rendering of the issue-7 cases from a derived plan: the Bearer case sends `Bearer <token>` raw (the folder's
 * oauth2 auth would send the token without the prefix), the CORS folder is a plain folder whose requests carry
 * `Origin`, and API key cases send or withhold `x-api-key`.
 */

import { describe, expect, it } from 'vitest';
import { derivePlan } from '../../src/cases/index.js';
import { petstoreConfig, petstoreModel } from '../support/models.js';
import { renderCollection, renderEnvironment } from '../../src/render/index.js';
import type { PostmanItem } from '../../src/render/index.js';
import { allItems, folderNamed } from './collection-helpers.js';

function render(bearer: boolean) {
  const model = petstoreModel();
  model.routes = model.routes.map((r) =>
    r.method === 'DELETE' && r.path === '/orders/{orderId}' ? { ...r, apiKeyRequired: true } : r,
  );
  const config = petstoreConfig();
  const cognito = config.authorizers.CognitoAuth?.cognito;
  if (cognito) cognito.bearerPrefixCase = bearer;
  const plan = derivePlan(model, config);
  return { plan, collection: renderCollection(plan), environment: renderEnvironment(plan) };
}

function item(items: PostmanItem[], name: string): PostmanItem {
  const found = items.find((i) => i.name === name);
  if (!found) throw new Error(`no item ${name}`);
  return found;
}

describe('rendering the fidelity cases', () => {
  const { collection, environment } = render(true);
  const items = allItems(collection.item);

  it('the Bearer case sends "Bearer {{token}}" raw under noauth, inside the scope folder', () => {
    const bearer = item(items, '[GET] /pets - allow: valid ID token with a "Bearer " prefix (CognitoAuth)');
    expect(bearer.request.auth).toEqual({ type: 'noauth' });
    expect(bearer.request.header).toEqual([
      { key: 'Authorization', value: 'Bearer {{_CognitoAuth.idToken}}', type: 'text' },
    ]);
    const scopeFolder = folderNamed(collection, 'ID token (no scopes)');
    expect(scopeFolder.item.map((i) => i.name)).toContain(bearer.name);
  });

  it('without the switch there is no Bearer item', () => {
    expect(allItems(render(false).collection.item).some((i) => i.name.includes('Bearer'))).toBe(false);
  });

  it('the CORS folder is plain (no oauth2, no scope sub-folders), its requests send Origin', () => {
    const cors = folderNamed(collection, 'CORS on errors');
    expect(cors.auth).toBeUndefined();
    expect(cors.event).toBeUndefined();
    expect(cors.item.every((node) => !('item' in node))).toBe(true);
    const names = cors.item.map((node) => node.name);
    expect(names).toEqual([
      '[GET] /pets - cors: UNAUTHORIZED answer carries Access-Control-Allow-Origin',
      '[ANY] /files/{proxy+} - cors: ACCESS_DENIED answer carries Access-Control-Allow-Origin',
      '[ANY] /admin/{proxy+} - cors: MISSING_AUTHENTICATION_TOKEN answer carries Access-Control-Allow-Origin',
      '[DELETE] /orders/{orderId} - cors: INVALID_API_KEY answer carries Access-Control-Allow-Origin',
      '[ANY] /admin/{proxy+} - cors: INVALID_SIGNATURE answer carries Access-Control-Allow-Origin',
    ]);
    for (const node of cors.item as PostmanItem[]) {
      expect(node.request.header).toContainEqual({
        key: 'Origin',
        value: 'https://app.apigw-authz.example',
        type: 'text',
      });
    }
  });

  it('API key cases: the missing case sends no x-api-key, the wrong one a fixed wrong key; apiKey is a secret', () => {
    const missing = item(
      items,
      '[DELETE] /orders/{orderId} - apikey: valid credentials, no x-api-key (TokenAuth)',
    );
    expect((missing.request.header ?? []).map((h) => h.key)).toEqual(['X-Auth-Token']);
    const wrong = item(
      items,
      '[DELETE] /orders/{orderId} - apikey: valid credentials, wrong x-api-key (TokenAuth)',
    );
    expect(wrong.request.header).toContainEqual({
      key: 'x-api-key',
      value: 'apigw-authz-wrong-api-key',
      type: 'text',
    });
    const allow = item(items, '[DELETE] /orders/{orderId} - allow: valid token (TokenAuth)');
    expect(allow.request.header).toContainEqual({ key: 'x-api-key', value: '{{apiKey}}', type: 'text' });
    expect(environment.values.find((v) => v.key === 'apiKey')).toMatchObject({ type: 'secret', value: '' });
  });
});
