import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('are hashed with argon2id and verified', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery ')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it.each([
    ['short', 'Password must be 12 characters or more'],
    ['x'.repeat(129), 'Password must be 128 characters or fewer'],
    ['aaaaaaaaaaaaaaaa', 'Choose a password that is harder to guess'],
    ['password1234', 'Choose a password that is harder to guess'],
    ['sam.jones-and-more', 'Password must not contain your email address'],
  ])('refuses %s', (password, problem) => {
    expect(passwordProblem(password, 'sam.jones@example.org')).toContain(problem);
  });

  it('accepts a long phrase', () => {
    expect(passwordProblem('three random words', 'sam.jones@example.org')).toBeUndefined();
  });
});
