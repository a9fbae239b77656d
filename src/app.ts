import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { getOrCreateSetting } from './db/settings.js';
import { registerApi } from './modules/api/api-routes.js';
import { registerApiDocsRoutes } from './modules/api/api-docs-routes.js';
import { registerAccountRoutes } from './modules/accounts/account-routes.js';
import { registerAdminRoutes } from './modules/accounts/admin-routes.js';
import { registerAuditRoutes } from './modules/audit/audit-routes.js';
import { registerHealthRoutes } from './modules/health/health-routes.js';
import { registerHomeRoutes } from './modules/home/home-routes.js';
import { registerCaseworkRoutes } from './modules/casework/casework-routes.js';
import { registerPeopleRoutes } from './modules/people/people-routes.js';
import { registerDirectoryRoutes } from './modules/directory/directory-routes.js';
import { registerOpenReferralRoutes } from './modules/openreferral/oruk-routes.js';
import { registerDirectoryImportRoutes } from './modules/directory/directory-import-routes.js';
import { registerNotificationRoutes } from './modules/notifications/notification-routes.js';
import { registerConnectionRoutes } from './modules/connections/connection-routes.js';
import { registerGapRoutes } from './modules/directory/gap-routes.js';
import { registerMeasureRoutes } from './modules/measures/measure-routes.js';
import { registerMeasureLinkRoutes } from './modules/measures/measure-link-routes.js';
import { registerReportRoutes } from './modules/measures/report-routes.js';
import { registerActivityReportRoutes } from './modules/casework/activity-report-routes.js';
import { registerReferralRoutes } from './modules/referrals/referral-routes.js';
import { registerSelfReferralRoutes } from './modules/referrals/self-referral-routes.js';
import authPlugin from './platform/auth/auth-plugin.js';
import { registerErrorHandling } from './platform/error-handler.js';
import { pathOf, wantsJson } from './platform/http.js';
import { loggerOptions } from './platform/logging.js';
import { navigationFor } from './platform/navigation.js';
import { NHSUK_DIST, createViewEnvironment, inPageOrder } from './platform/views.js';
import type { FieldErrors } from './platform/errors.js';

const NHSUK_VERSION = '10.6.1';
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface AppOptions {
  config: Config;
  database: Database;
  /** Where logs go; standard output unless a test captures them. */
  logStream?: { write(line: string): void };
}

/** Builds the whole app without listening: external plugins, then platform, then modules. */
export async function buildApp({ config, database, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { ...loggerOptions(config), ...(logStream ? { stream: logStream } : {}) },
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routeTable: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });
  app.decorate('routeTable', routeTable);
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('db', database.db);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // External plugins.
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
  });
  const cookieSecret = await getOrCreateSetting(database.db, 'cookie_secret');
  await app.register(cookie, { secret: cookieSecret });
  await app.register(formbody);
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: 'auto' },
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      // A multipart form (file upload) gives each field as { value }.
      const field = body?._csrf as string | { value?: unknown } | undefined;
      const fromBody = typeof field === 'string' ? field : typeof field?.value === 'string' ? field.value : undefined;
      const fromHeader = request.headers['x-csrf-token'];
      // The header's sign-out button is a bare form, so sign-out alone may carry the token in its action.
      const fromQuery = pathOf(request.url) === '/sign-out' ? (request.query as Record<string, string>)._csrf : undefined;
      return fromBody ?? (typeof fromHeader === 'string' ? fromHeader : undefined) ?? fromQuery ?? '';
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(fastifyStatic, {
    root: path.join(NHSUK_DIST, 'nhsuk'),
    prefix: '/nhsuk/',
    allowedPath: (pathname) => /\.(css|js|map|ico|svg|png|json)$/.test(pathname) && !pathname.includes('/components/'),
    maxAge: '1d',
    index: false,
  });
  // NHS.UK frontend's stylesheet without its @font-face rules: Frutiger is licensed for NHS.UK sites and
  // fetched from their CDN, so a self-hosted service uses the design system's Arial fallback (ADR 0005).
  const stylesheet = fs
    .readFileSync(path.join(NHSUK_DIST, 'nhsuk', `nhsuk-frontend-${NHSUK_VERSION}.min.css`), 'utf8')
    .replace(/@font-face\{[^}]*\}/g, '');
  app.get('/nhsuk/nhsuk-frontend.css', (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(stylesheet),
  );
  app.get('/nhsuk/frontend.min.js', (_request, reply) =>
    reply.sendFile(`nhsuk-frontend-${NHSUK_VERSION}.min.js`, path.join(NHSUK_DIST, 'nhsuk')),
  );
  // The stylesheet refers to a few of its images at /assets/images/.
  await app.register(fastifyStatic, {
    root: path.join(NHSUK_DIST, 'nhsuk', 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1d',
    index: false,
  });
  await app.register(fastifyStatic, {
    root: path.resolve('public'),
    prefix: '/public/',
    decorateReply: false,
    maxAge: '1h',
    index: false,
  });
  await app.register(swagger, {
    // Pages are not API: only the tagged /api/v1 routes are documented.
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Anchorpoint API',
        version: '1.0.0',
        description:
          'JSON API for machine clients. Authenticate with `Authorization: Bearer <token>`; an administrator creates tokens, each acting through one membership (one organisation, one role). Errors are `{ error, fields }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  // Platform.
  const views = createViewEnvironment();
  app.decorateReply('page', function page(this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    const request = this.request;
    const context = {
      nhsukVersion: NHSUK_VERSION,
      actor: request.actor,
      signedIn: request.signedIn,
      nav: navigationFor(request.actor, pathOf(request.url), request.signedIn?.unreadMessages ?? 0),
      canSwitchRole: (request.signedIn?.roleCount ?? 0) > 1,
      csrfToken: this.generateCsrf(),
      cspNonce: this.cspNonce?.script,
      currentPath: pathOf(request.url),
      ...data,
    };
    let html = views.render(template, context);
    // Only a page with problems is rendered twice: once to see where its fields are, once with the summary in that order.
    const errors = data.errors as FieldErrors | undefined;
    if (errors && Object.keys(errors).length > 1) {
      const ordered = inPageOrder(html, errors);
      if (Object.keys(ordered).join() !== Object.keys(errors).join()) html = views.render(template, { ...context, errors: ordered });
    }
    return this.type('text/html; charset=utf-8').send(html);
  });
  await app.register(authPlugin);
  app.addHook('preHandler', (request, reply, done) => {
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (unsafe && !wantsJson(request)) return app.csrfProtection(request, reply, done);
    done();
  });
  registerErrorHandling(app);

  // Modules.
  registerHealthRoutes(app);
  registerAccountRoutes(app);
  registerHomeRoutes(app);
  registerAdminRoutes(app);
  registerAuditRoutes(app);
  registerReferralRoutes(app);
  registerSelfReferralRoutes(app);
  registerCaseworkRoutes(app);
  registerPeopleRoutes(app);
  registerDirectoryRoutes(app);
  registerOpenReferralRoutes(app);
  registerDirectoryImportRoutes(app);
  registerNotificationRoutes(app);
  registerConnectionRoutes(app);
  registerGapRoutes(app);
  registerMeasureRoutes(app);
  registerMeasureLinkRoutes(app);
  registerReportRoutes(app);
  registerActivityReportRoutes(app);
  await app.register(registerApi, { prefix: '/api/v1' });
  registerApiDocsRoutes(app);

  return app;
}
