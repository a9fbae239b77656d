import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '../../platform/access/policy.js';
import { requirePermission, requireRecord } from '../../platform/auth/auth-plugin.js';
import { CONNECTION_STATUS_LABELS } from '../connections/connection-lifecycle.js';
import { lineChart } from '../measures/chart.js';
import { CHANGE_LABELS, TIMEPOINTS } from '../measures/measure-service.js';
import { withForm } from '../../platform/forms.js';
import { datePartsOf, splitIsoDate, todayInLondon } from '../../shared/dates.js';
import { text } from '../../shared/form.js';
import { londonParts } from '../../shared/london-time.js';
import { formatNhsNumber } from '../../shared/nhs-number.js';
import {
  CLOSE_REASONS,
  CONTACT_MODES,
  CONTACT_STATUSES,
  CONTACT_TYPES,
  GOAL_STATUSES,
  HOLDING_REASONS,
  NEED_DOMAINS,
  PRIORITIES,
  READINESS,
  itemsOf,
  DESCRIBED_BENEFITS,
} from '../../shared/vocabulary.js';
import { practicesOf } from '../people/people-service.js';
import { linkWorkersOf } from '../referrals/referral-service.js';
import { EPISODE_STATUS_LABELS } from './episode-lifecycle.js';
import * as casework from './casework-service.js';
import { caseload, diary, readEpisode } from './caseload-service.js';
import { GRACE_MS, recordContact, recordOutcome } from './contact-service.js';
import * as plan from './plan-service.js';
import * as tasks from './task-service.js';

type Params = { id: string; contactId: string; goalId: string; stepId: string; taskId: string };

const ctx = (request: FastifyRequest): casework.CaseContext => ({ db: request.server.db, actor: request.actor!, requestId: request.id });

/** Labels every casework page uses. */
const LABELS = {
  status: EPISODE_STATUS_LABELS,
  holding: HOLDING_REASONS,
  close: CLOSE_REASONS,
  mode: CONTACT_MODES,
  contactStatus: CONTACT_STATUSES,
  contactType: CONTACT_TYPES,
  needs: NEED_DOMAINS,
  priorities: PRIORITIES,
  readiness: READINESS,
  goalStatus: GOAL_STATUSES,
};

/** Before anything else about an episode: is it in the actor's service? If not, not found (and the attempt audited). */
export const episodeInScope = requireRecord('episode.read', 'episode', async (db, id) => {
  const tenant = await casework.episodeTenant(db, id);
  return tenant && { target: { serviceIds: [tenant.service_id], caseData: true }, record: { type: 'person', id: tenant.person_id } };
});

export function registerCaseworkRoutes(app: FastifyInstance) {
  const read = { preValidation: requirePermission('episode.read') };
  const readEpisodeRoute = { preValidation: [requirePermission('episode.read'), episodeInScope] };
  const writeEpisodeRoute = { preValidation: [requirePermission('episode.write'), episodeInScope] };

  app.get('/today', { preValidation: requirePermission('task.manage') }, async (request, reply) => {
    const actor = request.actor!;
    const today = todayInLondon();
    const [due, contacts, mine] = await Promise.all([
      tasks.listMyTasks(app.db, actor, { dueBy: today }),
      diary(app.db, actor, 1),
      caseload(app.db, actor, { linkWorkerUserId: actor.userId }),
    ]);
    return reply.page('casework/today.njk', {
      title: 'Today',
      today,
      due,
      contacts,
      holding: mine.filter((row) => row.status === 'holding').length,
      open: mine.length,
      labels: LABELS,
      columns: 'full',
    });
  });

  app.get('/caseload', read, async (request, reply) => {
    const actor = request.actor!;
    const isManager = actor.role === 'service_manager';
    const query = request.query as Record<string, string>;
    const chosen = text(query, 'linkWorker');
    const linkWorkerUserId = isManager ? (chosen && chosen !== 'all' ? chosen : undefined) : actor.userId;
    const status = text(query, 'status');
    const practiceId = text(query, 'practice');
    const [rows, practices, linkWorkers] = await Promise.all([
      caseload(app.db, actor, { ...(linkWorkerUserId ? { linkWorkerUserId } : {}), status, practiceId }),
      practicesOf(app.db, actor.serviceId!),
      isManager ? linkWorkersOf(app.db, actor.serviceId!) : Promise.resolve([]),
    ]);
    return reply.page('casework/caseload.njk', {
      title: isManager ? 'Caseload of the service' : 'My caseload',
      rows,
      isManager,
      labels: LABELS,
      statusOptions: [{ value: '', text: 'All open' }, ...itemsOf(EPISODE_STATUS_LABELS, status)],
      practiceOptions: [{ value: '', text: 'All practices' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === practiceId }))],
      linkWorkerOptions: [{ value: 'all', text: 'Everyone' }, ...linkWorkers.map((lw) => ({ value: lw.id, text: `${lw.display_name} (${lw.open_episodes})`, selected: lw.id === chosen }))],
      columns: 'full',
    });
  });

  app.get('/diary', read, async (request, reply) => {
    const contacts = await diary(app.db, request.actor!, 28);
    const days = new Map<string, typeof contacts>();
    for (const contact of contacts) {
      const day = londonParts(contact.starts_at).date;
      days.set(day, [...(days.get(day) ?? []), contact]);
    }
    return reply.page('casework/diary.njk', { title: 'Diary', days: [...days.entries()], labels: LABELS, londonParts, columns: 'full' });
  });

  const renderEpisode = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const actor = request.actor!;
    const view = await readEpisode(app.db, actor, request.params.id, request.id);
    const linkWorkers = actor.role === 'service_manager' ? await linkWorkersOf(app.db, actor.serviceId!) : [];
    const values = (extra.values as Record<string, string>) ?? {};
    return reply.page('casework/episode.njk', {
      title: `${view.person.given_name} ${view.person.family_name}`,
      ...view,
      // What happened at a booked contact can be recorded once it is due; until then it can only be cancelled.
      contacts: view.contacts.map((c) => ({ ...c, due: c.starts_at.getTime() <= Date.now() + GRACE_MS })),
      // Closing cancels these, so the close form says so first.
      upcomingBookings: view.contacts.filter((c) => c.status === 'booked' && c.starts_at.getTime() > Date.now()),
      connectionLabels: { status: CONNECTION_STATUS_LABELS },
      measureViews: view.measures.map((m) => ({
        ...m,
        chart: m.instrument.range && m.points.some((p) => p.score !== null)
          ? lineChart(`chart-${m.instrument.code}`, `${m.instrument.shortName} over time`, m.points.filter((p) => p.score !== null).map((p) => ({ label: `${TIMEPOINTS[p.timepoint as keyof typeof TIMEPOINTS]} ${p.completedOn.slice(8, 10)}/${p.completedOn.slice(5, 7)}`, value: p.score! })), m.instrument.range)
          : null,
      })),
      timepointLabels: TIMEPOINTS,
      benefitLabels: DESCRIBED_BENEFITS,
      changeLabels: CHANGE_LABELS,
      measured: text(request.query, 'measured'),
      nhsNumber: view.person.nhs_number ? formatNhsNumber(view.person.nhs_number) : null,
      labels: LABELS,
      londonParts,
      isManager: actor.role === 'service_manager',
      holdingItems: itemsOf(HOLDING_REASONS, values.holdingReason),
      closeItems: itemsOf(CLOSE_REASONS, values.closeReason),
      readinessItems: itemsOf(READINESS, values.readiness),
      goalStatusOptions: (current: string) => Object.entries(GOAL_STATUSES).map(([value, label]) => ({ value, text: label, selected: value === current })),
      linkWorkerItems: linkWorkers.filter((lw) => lw.id !== view.episode.link_worker_user_id).map((lw) => ({ value: lw.id, text: `${lw.display_name} (${lw.open_episodes} open)` })),
      columns: 'full',
      ...extra,
    });
  };

  app.get<{ Params: Params }>('/episodes/:id', readEpisodeRoute, (request, reply) => renderEpisode(request, reply));

  /** Commands on an episode: on invalid input the episode page is shown again with the errors, at the form concerned. */
  const command = (path: string, run: (request: FastifyRequest<{ Params: Params }>) => Promise<unknown>, permission: Permission = 'episode.write') =>
    app.post<{ Params: Params }>(`/episodes/:id/${path}`, { preValidation: [requirePermission(permission), episodeInScope] }, async (request, reply) => {
      const values = request.body as Record<string, string>;
      const result = await withForm(reply, () => run(request), (errors) => renderEpisode(request, reply, { errors, values, openForm: path }));
      return result.ok ? reply.redirect(`/episodes/${request.params.id}`) : reply;
    });

  command('holding/start', (r) => casework.startHolding(ctx(r), r.params.id, r.body));
  command('holding/end', (r) => casework.endHolding(ctx(r), r.params.id, r.body));
  command('close', (r) => casework.closeEpisode(ctx(r), r.params.id, r.body));
  command('reopen', (r) => casework.reopenEpisode(ctx(r), r.params.id, r.body));
  command('reallocate', (r) => casework.reallocate(ctx(r), r.params.id, r.body), 'episode.reallocate');
  command('what-matters', (r) => plan.recordWhatMatters(ctx(r), r.params.id, r.body));
  const renderNeeds = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, values?: Record<string, string>, errors?: Record<string, string>) => {
    const view = await readEpisode(app.db, request.actor!, request.params.id, request.id);
    const current = values ?? Object.fromEntries(Object.entries(view.needs?.priorities ?? {}).map(([domain, priority]) => [`need-${domain}`, priority]));
    return reply.page('casework/needs.njk', {
      title: 'Assess needs',
      episode: view.episode,
      person: view.person,
      labels: LABELS,
      errors,
      priorityItems: (domain: string) => [
        ...Object.entries(PRIORITIES).map(([value, label]) => ({ value, text: label, checked: current[`need-${domain}`] === value })),
        { value: 'none', text: 'Not a need', checked: !current[`need-${domain}`] || current[`need-${domain}`] === 'none' },
      ],
    });
  };
  app.get<{ Params: Params }>('/episodes/:id/needs', writeEpisodeRoute, (request, reply) => renderNeeds(request, reply));
  app.post<{ Params: Params }>('/episodes/:id/needs', writeEpisodeRoute, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => plan.recordNeeds(ctx(request), request.params.id, values), (errors) => renderNeeds(request, reply, values, errors));
    return result.ok ? reply.redirect(`/episodes/${request.params.id}#needs`) : reply;
  });
  command('goals', (r) => plan.addGoal(ctx(r), r.params.id, r.body));
  command('goals/:goalId', (r) => plan.updateGoal(ctx(r), r.params.id, r.params.goalId, r.body));
  command('goals/:goalId/steps', (r) => plan.addStep(ctx(r), r.params.id, r.params.goalId, r.body));
  command('steps/:stepId/done', (r) => plan.completeStep(ctx(r), r.params.id, r.params.stepId));
  command('tasks', (r) => tasks.createTask(ctx(r), r.params.id, r.body), 'task.manage');
  command('contacts/:contactId/outcome', (r) => recordOutcome(ctx(r), r.params.id, r.params.contactId, r.body));

  app.post<{ Params: Params }>('/tasks/:taskId/done', { preValidation: requirePermission('task.manage') }, async (request, reply) => {
    const task = await tasks.completeTask(ctx(request), request.params.taskId);
    const back = text(request.body, 'back');
    return reply.redirect(back === 'today' || !task.episode_id ? '/today' : `/episodes/${task.episode_id}`);
  });

  // ——— Recording or booking a contact ———

  const renderContactForm = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    values: Record<string, string>,
    errors?: Record<string, string>,
    episodeView?: Awaited<ReturnType<typeof readEpisode>>,
  ) => {
    const actor = request.actor!;
    const view = episodeView ?? (await readEpisode(app.db, actor, request.params.id, request.id));
    const practices = await practicesOf(app.db, actor.serviceId!);
    const date = values.date ?? '';
    const heading = values.status === 'booked' ? 'Book a contact' : 'Record a contact';
    return reply.page('casework/contact-new.njk', {
      title: heading,
      heading,
      episode: view.episode,
      person: view.person,
      settings: view.settings,
      attendedContacts: view.attendedContacts,
      values,
      errors,
      dateParts: date ? splitIsoDate(date) : datePartsOf(values, 'date'),
      modeItems: itemsOf(CONTACT_MODES, values.mode),
      statusItems: itemsOf(CONTACT_STATUSES, values.status),
      typeItems: itemsOf(CONTACT_TYPES, values.contactType),
      practiceOptions: [{ value: '', text: 'Select a practice' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.practiceId }))],
      askDiscretion: Boolean(errors?.discretionReason) || Boolean(values.discretionReason),
    });
  };

  app.get<{ Params: Params }>('/episodes/:id/contacts/new', writeEpisodeRoute, async (request, reply) => {
    const from = text(request.query, 'from');
    const values: Record<string, string> = { status: text(request.query, 'status') || 'attended', contactType: 'support' };
    const view = await readEpisode(app.db, request.actor!, request.params.id, request.id);
    if (from) {
      // Book the next one from the last: same place and way, a week on.
      const last = view.contacts.find((c) => c.id === from);
      if (last) {
        const next = londonParts(new Date(last.starts_at.getTime() + 7 * 86_400_000));
        Object.assign(values, { status: 'booked', mode: last.mode, practiceId: last.practice_id ?? '', venue: last.venue ?? '', date: next.date, time: next.time, durationMinutes: String(last.duration_minutes ?? '') });
      }
    }
    return renderContactForm(request, reply, values, undefined, view);
  });

  app.post<{ Params: Params }>('/episodes/:id/contacts', writeEpisodeRoute, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => recordContact(ctx(request), request.params.id, values), (errors) => renderContactForm(request, reply, values, errors));
    return result.ok ? reply.redirect(`/episodes/${request.params.id}#contacts`) : reply;
  });

  // ——— Service settings: the standard offer ———

  app.get('/service/settings', { preValidation: requirePermission('service.configure') }, async (request, reply) => {
    const settings = await casework.getSettings(app.db, request.actor!.serviceId!);
    return reply.page('casework/settings.njk', { title: 'Service settings', values: settings, saved: text(request.query, 'saved') === '1' });
  });

  app.post('/service/settings', { preValidation: requirePermission('service.configure') }, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => casework.saveServiceSettings(ctx(request), values), (errors) =>
      reply.page('casework/settings.njk', { title: 'Service settings', values, errors }),
    );
    return result.ok ? reply.redirect('/service/settings?saved=1') : reply;
  });
}
