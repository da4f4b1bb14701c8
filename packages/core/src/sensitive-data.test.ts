import { describe, expect, it } from 'vitest';
import { createSensitiveDataGuard, luhn } from './sensitive-data.js';

const guard = createSensitiveDataGuard();
const ask = (text: string) => ({ messages: [{ role: 'user', content: [{ text }] }] });

describe('createSensitiveDataGuard', () => {
  it.each([
    ['email', 'write to jane.doe@example.com please'],
    ['phone', 'call me on +1 415-555-0132'],
    ['phone', 'my number is (020) 7946 0958'],
    ['card', 'card 4111 1111 1111 1111 exp 12/29'],
    ['ssn', 'SSN 123-45-6789'],
    ['aws-access-key', 'key AKIAIOSFODNN7EXAMPLE leaked'],
    ['ip-address', 'the server at 10.0.12.7 is down'],
  ])('flags %s', (name, text) => {
    expect(guard(ask(text))).toBe(name);
  });

  it.each([
    'What is machine learning?',
    'Explain TTL in 3 sentences, version 1.2.3',
    'order 1234 5678 9012 3456 is not a card (fails Luhn)',
    'SSN-like 000-12-3456 is invalid',
    'The year 2026 and 42 apples',
  ])('lets ordinary text through: %s', (text) => {
    expect(guard(ask(text))).toBeUndefined();
  });

  it('scans responses too, unless told not to', () => {
    expect(guard(ask('who is on call?'), { text: 'ping ops@example.com' })).toBe('email');
    expect(
      createSensitiveDataGuard({ scanResponse: false })(ask('who?'), { text: 'ops@example.com' }),
    ).toBeUndefined();
  });

  it('takes a subset of detectors and custom patterns', () => {
    const custom = createSensitiveDataGuard({
      detectors: ['card'],
      patterns: [{ name: 'employee-id', pattern: /\bEMP-\d{6}\b/ }],
    });
    expect(custom(ask('jane@example.com'))).toBeUndefined();
    expect(custom(ask('badge EMP-004211'))).toBe('employee-id');
  });

  it('checks card numbers with Luhn', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
  });
});
