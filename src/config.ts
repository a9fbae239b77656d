import path from 'node:path';

/** Everything the app reads from the environment, parsed once and validated. */
export interface Config {
  port: number;
  host: string;
  /** postgres://… to use a PostgreSQL server; undefined means embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Base URL people reach the app on, used in links we hand out (set-password links, e-mails). */
  publicUrl: string;
  trustProxy: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxFailures: number;
  loginLockoutMinutes: number;
  loginRateLimitPerMinute: number;
  seedDemo: boolean;
  passwordTokenHours: number;
  /** Copies of the app serving requests on the one port (PostgreSQL only: PGlite serves one process). */
  webConcurrency: number;
  /** smtp://user:password@host:port (or smtps://) to send e-mail; undefined sends none (the inbox still works). */
  smtpUrl: string | undefined;
  mailFrom: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function mailbox(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^([^<>@]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(raw)) throw new ConfigError(name, `must be an e-mail address, like "Anchorpoint <no-reply@example.org>", got "${raw}"`);
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  return {
    port,
    host,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.DATA_DIR?.trim() || 'data'),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    publicUrl: publicUrl.replace(/\/$/, ''),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 7 * 24),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockoutMinutes: integer(env, 'LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    loginRateLimitPerMinute: integer(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 100_000),
    seedDemo: boolean(env, 'SEED_DEMO', true),
    passwordTokenHours: integer(env, 'PASSWORD_TOKEN_HOURS', 72, 1, 24 * 14),
    webConcurrency: copies(env),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: mailbox(env, 'MAIL_FROM', 'Anchorpoint <no-reply@anchorpoint.invalid>'),
  };
}

function copies(env: Env) {
  const value = integer(env, 'WEB_CONCURRENCY', 1, 1, 64);
  if (value > 1 && !env.DATABASE_URL?.trim()) {
    throw new ConfigError('WEB_CONCURRENCY', 'above 1 needs PostgreSQL (set DATABASE_URL): the embedded database serves one process');
  }
  return value;
}

/** Settings for tests and tools: the defaults, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false' }), ...overrides };
}
