import { describe, expect, it } from 'vitest';
import { parsePublicRoute, type PublicRoute } from './public-route.js';

describe('parsePublicRoute', () => {
  it.each<[string, PublicRoute | undefined]>([
    ['GET /health', { method: 'GET', path: '/health' }],
    ['  get   /health ', { method: 'GET', path: '/health' }],
    ['ANY /files/{proxy+}', { method: 'ANY', path: '/files/{proxy+}' }],
    ['OPTIONS /', { method: 'OPTIONS', path: '/' }],
    [' $default ', { method: 'ANY', path: '$default' }],
    ['GET $default', undefined],
    ['/health', undefined],
    ['GET health', undefined],
    ['FETCH /a', undefined],
    ['GET /a b', undefined],
    ['', undefined],
  ])('%j', (entry, want) => {
    expect(parsePublicRoute(entry)).toEqual(want);
  });
});
