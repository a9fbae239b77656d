import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { testConfig, type Config } from '../config.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoRegion } from '../db/seed/demo-region.js';
import type { Role } from '../platform/access/roles.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestContext extends TestDatabase {
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a fresh database with the demo region, ready for `inject`. */
export async function createTestApp(
  overrides: Partial<Config> = {},
  options: { seed?: boolean; casework?: boolean; logStream?: { write(line: string): void } } = {},
): Promise<TestContext> {
  const testDb = await createTestDatabase();
  if (options.seed !== false) await seedDemoRegion(testDb.database.db, { casework: options.casework ?? false });
  const config = testConfig({ loginRateLimitPerMinute: 10_000, ...overrides });
  const app = await buildApp({ config, database: testDb.database, ...(options.logStream ? { logStream: options.logStream } : {}) });
  return {
    ...testDb,
    app,
    config,
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

export const demoEmail = (role: Role, index = 0) => DEMO_ACCOUNTS.filter((account) => account.role === role)[index]!.email;

/** A cookie-keeping client over `inject`, like a browser: it carries the session and the CSRF secret. */
export class TestBrowser {
  private cookies = new Map<string, string>();
  private csrfToken: string | undefined;

  constructor(readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
    return response;
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** Posts a form as a browser would, with the CSRF token of a page already loaded (or of the sign-in page). */
  async post(url: string, form: Record<string, string | string[]>, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    if (options.csrf !== false && !this.csrfToken) await this.get('/sign-in');
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
    if (options.csrf !== false && this.csrfToken) body.set('_csrf', this.csrfToken);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...options.headers },
      }),
    );
  }

  /** Posts a multipart form with files, as a browser's file upload does. */
  async upload(url: string, fields: Record<string, string>, files: { field: string; filename: string; content: string | Buffer; type?: string }[]) {
    if (!this.csrfToken) await this.get('/sign-in');
    const boundary = `----anchorpoint${Date.now()}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries({ ...fields, _csrf: this.csrfToken ?? '' })) {
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    for (const file of files) {
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\ncontent-type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
      parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
      parts.push(Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: Buffer.concat(parts),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: this.cookieHeader() },
      }),
    );
  }

  async signIn(email: string, password = DEMO_PASSWORD) {
    return this.post('/sign-in', { email, password });
  }
}

export async function signedInAs(app: FastifyInstance, role: Role, index = 0): Promise<TestBrowser> {
  const browser = new TestBrowser(app);
  const response = await browser.signIn(demoEmail(role, index));
  if (response.statusCode !== 302) throw new Error(`Could not sign in as ${role}: ${response.statusCode}`);
  return browser;
}

/** The links of a page's NHS error summary, as "#field: message" lines. */
export function errorSummary(html: string): string[] {
  const list = /nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<a href="([^"]+)">([\s\S]*?)<\/a>/g)].map(([, href, text]) => `${href}: ${decode(text!.replace(/\s+/g, ' ').trim())}`);
}

/** Page text with whitespace collapsed, for matching sentences. */
export const squash = (html: string) => html.replace(/\s+/g, ' ');

/** The radio buttons or checkboxes named `name` on a page, as value and label text. */
export function choices(html: string, name: string): { value: string; label: string }[] {
  const pattern = new RegExp(`id="([^"]+)" name="${name}" type="(?:radio|checkbox)" value="([^"]*)"[\\s\\S]*?<label[^>]*for="\\1">([\\s\\S]*?)</label>`, 'g');
  return [...html.matchAll(pattern)].map((m) => ({ value: m[2]!, label: m[3]!.replace(/\s+/g, ' ').trim() }));
}

/** The options of the select named `name`, as value and text. */
export function selectOptions(html: string, name: string): { value: string; label: string }[] {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1]!, label: decode(m[2]!.trim()) }));
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&amp;': '&', '&lt;': '<', '&gt;': '>' };
export const decode = (text: string) => text.replace(/&quot;|&#39;|&amp;|&lt;|&gt;/g, (e) => ENTITIES[e]!);

/** A bearer token acting as the demo account of `role`, and a caller that sends it. */
export async function apiClientFor(t: TestContext, role: Role, index = 0) {
  const { newApiToken } = await import('../platform/auth/api-token-service.js');
  const membership = await t.database.db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['m.id', 'u.id as user_id'])
    .where('u.email', '=', demoEmail(role, index))
    .executeTakeFirstOrThrow();
  const token = newApiToken();
  await t.database.db
    .insertInto('api_token')
    .values({ membership_id: membership.id, name: `test ${role}`, token_hash: token.hash, token_prefix: token.prefix, created_by: membership.user_id })
    .execute();
  return (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
}
