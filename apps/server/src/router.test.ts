import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors.js';
import { Router } from './router.js';

describe('Router', () => {
  const router = new Router<string>()
    .add({
      method: 'POST',
      pattern: '/model/{modelId}/converse',
      access: 'caller',
      name: 'converse',
      handle: () => undefined,
    })
    .add({ method: 'GET', pattern: '/v1/stats', access: 'caller', name: 'stats', handle: () => undefined })
    .add({
      method: 'DELETE',
      pattern: '/v1/cache',
      access: 'caller',
      name: 'clear',
      handle: () => undefined,
    });

  it('matches a path with its parameters, still URL-encoded', () => {
    const match = router.match('POST', '/model/amazon.nova-lite-v1%3A0/converse');
    expect(match.route.name).toBe('converse');
    expect(match.params).toEqual({ modelId: 'amazon.nova-lite-v1%3A0' });
  });

  it('serves HEAD with the GET route', () => {
    expect(router.match('HEAD', '/v1/stats').route.name).toBe('stats');
  });

  it('answers an unknown path with 404 and another method with 405 and allow', () => {
    const unknown = (() => {
      try {
        router.match('GET', '/nope');
      } catch (error) {
        return error;
      }
    })() as GatewayError;
    expect(unknown).toBeInstanceOf(GatewayError);
    expect(unknown).toMatchObject({ status: 404, type: 'UnknownOperationException' });
    const wrongMethod = (() => {
      try {
        router.match('GET', '/v1/cache');
      } catch (error) {
        return error;
      }
    })() as GatewayError;
    expect(wrongMethod).toMatchObject({ status: 405, headers: { allow: 'DELETE' } });
  });

  it('does not let a parameter span segments or a pattern match as a regex', () => {
    expect(() => router.match('POST', '/model/a/b/converse')).toThrow(GatewayError);
    expect(() => router.match('GET', '/v1Xstats')).toThrow(GatewayError);
  });
});
