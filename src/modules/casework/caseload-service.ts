import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { episodeConnections } from '../connections/connection-read.js';
import { episodeBenefitsAndAppointments, episodeMeasures } from '../measures/measure-service.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAuditAlone } from '../../platform/audit/audit-service.js';
import { notFound } from '../../platform/errors.js';
import { daysBetween } from '../../shared/dates.js';
import { isUuid } from '../../shared/form.js';
import { startOfLondonDay } from '../../shared/london-time.js';
import { EPISODE_NEXT_ACTIONS } from './episode-lifecycle.js';
import { stateFromActions } from './casework-service.js';
import * as repo from './casework-repository.js';
import { listEpisodeTasks } from './task-service.js';

export interface CaseloadQuery {
  linkWorkerUserId?: string;
  status?: string;
  practiceId?: string;
}

const STATUSES = ['awaiting_first_contact', 'active', 'holding', 'closed'];

/** A caseload: the actor's own, or (for a manager) anyone's in the service. */
export async function caseload(db: Kysely<Schema>, actor: Actor, query: CaseloadQuery) {
  const rows = await repo.listCaseload(db, {
    serviceId: actor.serviceId!,
    ...(query.linkWorkerUserId && isUuid(query.linkWorkerUserId) ? { linkWorkerUserId: query.linkWorkerUserId } : {}),
    ...(query.status && STATUSES.includes(query.status) ? { status: query.status } : {}),
    ...(query.practiceId && isUuid(query.practiceId) ? { practiceId: query.practiceId } : {}),
    limit: 1000,
  });
  return rows.map(({ holding_days, days_since_contact, ...row }) => ({ ...row, holdingDays: holding_days, daysSinceContact: days_since_contact }));
}

/** From the start of today in England (not the server's midnight), for `days` days. */
export function diaryWindow(now: Date, days: number): { from: Date; to: Date } {
  const from = startOfLondonDay(now);
  return { from, to: new Date(from.getTime() + days * 86_400_000) };
}

export function diary(db: Kysely<Schema>, actor: Actor, days = 28) {
  const { from, to } = diaryWindow(new Date(), days);
  return repo.listDiary(db, actor.serviceId!, actor.userId, from, to);
}

/**
 * Everything the episode page shows. The reads run side by side on the pool; reading is a read of
 * the person's data, so it is audited (in its own short transaction) before anything is returned.
 */
export async function readEpisode(db: Kysely<Schema>, actor: Actor, episodeId: string, requestId: string) {
  const serviceId = actor.serviceId;
  if (!serviceId || !isUuid(episodeId)) throw notFound('episode');
  const episode = await repo.findEpisode(db, serviceId, episodeId);
  if (!episode) throw notFound('episode');
  const [person, referral, actions, contacts, parts, tasks, connections, measures, described] = await Promise.all([
    db
      .selectFrom('person as p')
      .leftJoin('organisation as practice', 'practice.id', 'p.registered_practice_id')
      .selectAll('p')
      .select('practice.name as practice_name')
      .where('p.service_id', '=', serviceId)
      .where('p.id', '=', episode.person_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('referral as r')
      .leftJoin('organisation as o', 'o.id', 'r.referring_organisation_id')
      .selectAll('r')
      .select('o.name as referring_organisation_name')
      .where('r.id', '=', episode.referral_id)
      .executeTakeFirstOrThrow(),
    repo.listEpisodeActions(db, episode.id),
    repo.listContacts(db, serviceId, episode.id),
    repo.episodeParts(db, serviceId, episode.id),
    listEpisodeTasks(db, serviceId, episode.id),
    episodeConnections(db, serviceId, episode.id),
    episodeMeasures(db, serviceId, episode.id),
    episodeBenefitsAndAppointments(db, serviceId, episode.id),
  ]);
  const { discretions, whatMatters, needs, goals, steps, settings } = parts;
  const state = stateFromActions(actions);
  await writeAuditAlone(db, { actor, action: 'person.read', recordType: 'person', recordId: person.id, serviceId, requestId, detail: { episode_id: episode.id } });
  return {
    episode,
    state,
    nextActions: EPISODE_NEXT_ACTIONS[state.status] as readonly string[],
    person,
    referral,
    actions,
    contacts,
    discretions,
    whatMatters,
    needs,
    goals: goals.map((goal) => ({ ...goal, steps: steps.filter((step) => step.goal_id === goal.id) })),
    settings,
    tasks,
    connections,
    measures,
    described,
    attendedContacts: contacts.filter((c) => c.status === 'attended').length,
    daysToFirstContact: state.firstContactAt ? Math.max(0, daysBetween(referral.received_at, state.firstContactAt)) : null,
  };
}

/** The episodes of one person, for their record page. */
export const episodesOfPerson = (db: Kysely<Schema>, serviceId: string, personId: string) =>
  db
    .selectFrom('episode as e')
    .innerJoin('app_user as lw', 'lw.id', 'e.link_worker_user_id')
    .select(['e.id', 'e.status', 'e.opened_at', 'e.closed_at', 'lw.display_name as link_worker_name'])
    .where('e.service_id', '=', serviceId)
    .where('e.person_id', '=', personId)
    .orderBy('e.opened_at', 'desc')
    .execute();
