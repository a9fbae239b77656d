import { createHash, randomBytes } from 'node:crypto';

/** A random, unguessable token for a cookie or a link (256 bits, URL-safe). */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Tokens are stored only as their SHA-256, so a copy of the database cannot be used to sign in. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
