import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listActiveMemberships } from '../../platform/auth/auth-repository.js';
import { attemptLogin } from '../../platform/auth/login-service.js';
import { SESSION_COOKIE, createSession, destroySession, setSessionMembership } from '../../platform/auth/session-service.js';
import { writeAuditAlone } from '../../platform/audit/audit-service.js';
import { AppError, notFound } from '../../platform/errors.js';
import { START_PAGES } from '../../platform/navigation.js';
import { safeLocalPath, text } from '../../shared/form.js';
import { checkPasswordLink, setPasswordWithLink } from './accounts-service.js';
import { ROLE_LABELS, type Role } from '../../platform/access/roles.js';

const roleItems = (memberships: { id: string; role: string; organisation_name: string }[], current?: string) =>
  memberships.map((m) => ({ value: m.id, text: `${ROLE_LABELS[m.role as Role]} at ${m.organisation_name}`, checked: m.id === current }));

const MAX_EMAIL = 254;
const MAX_PASSWORD = 128;

function sessionCookie(reply: FastifyReply, token: string, maxAgeHours: number) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    maxAge: maxAgeHours * 3600,
  });
}

const signInMessage = (request: FastifyRequest) => {
  const query = request.query as Record<string, string | undefined>;
  if (query.signedOut !== undefined) return 'You have signed out.';
  if (query.passwordSet !== undefined) return 'Your password has been set. Sign in with it now.';
  if (request.sessionEnded) return 'Your session ended because you were away for a while or signed in elsewhere. Sign in again.';
  return undefined;
};

export function registerAccountRoutes(app: FastifyInstance) {
  app.get('/', async (request, reply) => {
    if (request.actor) return reply.redirect(START_PAGES[request.actor.role]);
    if (request.signedIn) return reply.redirect('/choose-role');
    return reply.page('home/landing.njk', { title: 'Social prescribing, joined up' });
  });

  app.get('/sign-in', async (request, reply) => {
    const next = safeLocalPath((request.query as Record<string, unknown>).next);
    return reply.page('auth/sign-in.njk', { title: 'Sign in', next, notice: signInMessage(request), values: {} });
  });

  app.post(
    '/sign-in',
    { config: { rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const email = text(request.body, 'email');
      const password = typeof (request.body as Record<string, unknown>)?.password === 'string' ? String((request.body as Record<string, unknown>).password) : '';
      const next = safeLocalPath(text(request.body, 'next'));
      const errors: Record<string, string> = {};
      if (!email) errors.email = 'Enter your email address';
      else if (email.length > MAX_EMAIL) errors.email = 'Email address must be 254 characters or fewer';
      if (!password) errors.password = 'Enter your password';
      else if (password.length > MAX_PASSWORD) errors.password = 'Password must be 128 characters or fewer';
      const render = (status: number, fieldErrors: Record<string, string>) =>
        reply.code(status).page('auth/sign-in.njk', { title: 'Sign in', next, errors: fieldErrors, values: { email } });
      if (Object.keys(errors).length) return render(422, errors);

      const result = await attemptLogin(app.db, app.config, email, password);
      switch (result.outcome) {
        case 'locked':
          reply.header('retry-after', String(result.retryAfterMinutes * 60));
          return render(429, {
            email: `Too many failed attempts to sign in with this email address. Wait ${result.retryAfterMinutes} minutes, then try again, or ask your administrator to reset your password.`,
          });
        case 'invalid':
          return render(401, { email: 'Enter a correct email address and password. After several wrong attempts you will have to wait before trying again.' });
        case 'success':
          break;
      }
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await destroySession(app.db, previous);
      const memberships = await listActiveMemberships(app.db, result.userId);
      const only = memberships.length === 1 ? memberships[0] : undefined;
      const token = await createSession(app.db, app.config, result.userId, only?.id ?? null);
      sessionCookie(reply, token, app.config.sessionAbsoluteHours);
      await writeAuditAlone(app.db, {
        actor: only ? { userId: result.userId, role: only.role as never, organisationId: only.organisation_id } : null,
        action: 'session.sign_in',
        recordType: 'user',
        recordId: result.userId,
        serviceId: only?.service_id ?? null,
        requestId: request.id,
      });
      if (!only) return reply.redirect(`/choose-role${next ? `?next=${encodeURIComponent(next)}` : ''}`);
      return reply.redirect(next ?? START_PAGES[only.role as keyof typeof START_PAGES]);
    },
  );

  app.post('/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await destroySession(app.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut');
  });

  app.get('/choose-role', async (request, reply) => {
    if (!request.signedIn) return reply.redirect('/sign-in');
    const memberships = await listActiveMemberships(app.db, request.signedIn.userId);
    return reply.page('auth/choose-role.njk', {
      title: 'Choose the role to work in',
      memberships,
      roleItems: roleItems(memberships, request.actor?.membershipId),
      next: safeLocalPath((request.query as Record<string, unknown>).next),
    });
  });

  app.post('/choose-role', async (request, reply) => {
    if (!request.signedIn) return reply.redirect('/sign-in');
    const membershipId = text(request.body, 'membershipId');
    const memberships = await listActiveMemberships(app.db, request.signedIn.userId);
    const chosen = memberships.find((membership) => membership.id === membershipId);
    if (!chosen) {
      return reply.code(422).page('auth/choose-role.njk', {
        title: 'Choose the role to work in',
        memberships,
        roleItems: roleItems(memberships),
        errors: { membershipId: 'Select the role you want to work in' },
      });
    }
    await setSessionMembership(app.db, request.signedIn.idHash, chosen.id);
    const next = safeLocalPath(text(request.body, 'next'));
    return reply.redirect(next ?? START_PAGES[chosen.role as keyof typeof START_PAGES]);
  });

  app.get<{ Params: { token: string } }>('/set-password/:token', async (request, reply) => {
    const link = await checkPasswordLink(app.db, request.params.token);
    if (link.state === 'invalid') return invalidLink(reply);
    return reply.page('auth/set-password.njk', { title: 'Set your password', link });
  });

  app.post<{ Params: { token: string } }>('/set-password/:token', async (request, reply) => {
    const link = await checkPasswordLink(app.db, request.params.token);
    if (link.state === 'invalid') return invalidLink(reply);
    try {
      await setPasswordWithLink(app.db, request.params.token, request.body, request.id);
    } catch (error) {
      if (error instanceof AppError && error.status === 422) {
        return reply.code(422).page('auth/set-password.njk', { title: 'Set your password', link, errors: error.fields });
      }
      throw error;
    }
    return reply.redirect('/sign-in?passwordSet');
  });

  app.get('/accessibility', (_request, reply) => reply.page('home/accessibility.njk', { title: 'Accessibility statement' }));
  app.get('/privacy', (_request, reply) => reply.page('home/privacy.njk', { title: 'Privacy' }));
}

function invalidLink(reply: FastifyReply) {
  const error = notFound('link');
  return reply.code(error.status).page('auth/link-invalid.njk', { title: 'This link has expired or been used' });
}
