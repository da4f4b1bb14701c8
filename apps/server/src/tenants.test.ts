import type { HttpRequest } from '@prompt-cache/bedrock-simulator';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, parseApiKeys, presentedKey } from './tenants.js';

function requestWith(headers: Record<string, string>): HttpRequest {
  return { headers } as unknown as HttpRequest;
}

describe('parseApiKeys', () => {
  it('reads key=tenant pairs separated by commas, semicolons or new lines', () => {
    expect([...parseApiKeys('a1=alpha, b2=beta;c3=gamma\nd4=delta')]).toEqual([
      ['a1', 'alpha'],
      ['b2', 'beta'],
      ['c3', 'gamma'],
      ['d4', 'delta'],
    ]);
  });

  it('refuses pairs without a tenant, and tenants that cannot be namespaces', () => {
    expect(() => parseApiKeys('k1')).toThrow(/key=tenant/);
    expect(() => parseApiKeys('k1=')).toThrow(/key=tenant/);
    expect(() => parseApiKeys('k1=two words')).toThrow(/must be 1-64 letters/);
  });
});

describe('presentedKey', () => {
  it('reads a bearer token, x-api-key, or the access key id of a SigV4 signature', () => {
    expect(presentedKey(requestWith({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(presentedKey(requestWith({ 'x-api-key': 'def' }))).toBe('def');
    expect(
      presentedKey(
        requestWith({
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKID123/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00',
        }),
      ),
    ).toBe('AKID123');
    expect(presentedKey(requestWith({ authorization: 'Basic eHl6' }))).toBeUndefined();
    expect(presentedKey(requestWith({}))).toBeUndefined();
  });
});

describe('createAuthenticator', () => {
  it('without keys, everyone is the local admin in the default namespace', () => {
    const auth = createAuthenticator({ keys: new Map(), adminKey: undefined }, 'prompt-cache');
    expect(auth.enabled).toBe(false);
    expect(auth.identify(requestWith({}))).toEqual({
      tenant: 'local',
      namespace: 'prompt-cache',
      admin: true,
    });
  });

  it('with keys, maps each key to its tenant and namespace, and refuses the rest', () => {
    const auth = createAuthenticator(
      { keys: new Map([['k-a', 'tenant-a']]), adminKey: 'k-admin' },
      'prompt-cache',
    );
    expect(auth.identify(requestWith({ 'x-api-key': 'k-a' }))).toEqual({
      tenant: 'tenant-a',
      namespace: 'tenant-a',
      admin: false,
    });
    expect(auth.identify(requestWith({ authorization: 'Bearer k-admin' }))).toMatchObject({ admin: true });
    expect(() => auth.identify(requestWith({}))).toThrow(/needs an API key/);
    expect(() => auth.identify(requestWith({ 'x-api-key': 'k-b' }))).toThrow(/not known/);
    expect(auth.tryIdentify(requestWith({ 'x-api-key': 'k-b' }))).toBeUndefined();
  });

  it('refuses an admin key that is also a tenant key', () => {
    expect(() => createAuthenticator({ keys: new Map([['same', 't']]), adminKey: 'same' }, 'ns')).toThrow(
      /admin key/,
    );
  });

  it("refuses, at start, a tenant named like the admin's namespace", () => {
    expect(() =>
      createAuthenticator({ keys: new Map([['k1', 'prompt-cache']]), adminKey: 'admin-key' }, 'prompt-cache'),
    ).toThrow(/tenant "prompt-cache" has the name of the admin's namespace/);
  });
});
