import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { todayInLondon } from '../../shared/dates.js';
import { isUuid, text } from '../../shared/form.js';
import { dateField } from '../people/people-service.js';
import type { CaseContext } from './casework-service.js';

/** Follow-ups, reviews and reminders: made by hand or by the daily sweep (idempotent by generated_key). */

export function listMyTasks(db: Kysely<Schema>, actor: Actor, options: { dueBy: string }) {
  return db
    .selectFrom('task as t')
    .leftJoin('episode as e', 'e.id', 't.episode_id')
    .leftJoin('person as p', 'p.id', 'e.person_id')
    .select(['t.id', 't.kind', 't.title', 't.due_on', 't.episode_id', 'p.given_name', 'p.family_name'])
    .where('t.service_id', '=', actor.serviceId!)
    .where('t.assigned_user_id', '=', actor.userId)
    .where('t.done_at', 'is', null)
    .where('t.due_on', '<=', options.dueBy)
    .orderBy('t.due_on')
    .limit(200)
    .execute();
}

export const listEpisodeTasks = (db: Kysely<Schema>, serviceId: string, episodeId: string) =>
  db
    .selectFrom('task as t')
    .leftJoin('app_user as u', 'u.id', 't.assigned_user_id')
    .select(['t.id', 't.kind', 't.title', 't.due_on', 't.done_at', 'u.display_name as assigned_to'])
    .where('t.service_id', '=', serviceId)
    .where('t.episode_id', '=', episodeId)
    .orderBy(sql`t.done_at is not null`)
    .orderBy('t.due_on')
    .execute();

export async function createTask(ctx: CaseContext, episodeId: string, input: unknown) {
  const title = text(input, 'title');
  const due = dateField(input, 'dueOn', 'Due date');
  const errors: FieldErrors = {};
  if (!title) errors.title = 'Say what needs doing';
  else if (title.length > 200) errors.title = 'Task must be 200 characters or fewer';
  if (due.error) errors.dueOn = due.error;
  else if (due.empty) errors.dueOn = 'Enter the date it is due';
  if (Object.keys(errors).length) throw validationFailed(errors);
  const serviceId = ctx.actor.serviceId!;
  const episode = isUuid(episodeId)
    ? await ctx.db.selectFrom('episode').select(['id', 'person_id', 'link_worker_user_id']).where('service_id', '=', serviceId).where('id', '=', episodeId).executeTakeFirst()
    : undefined;
  if (!episode) throw notFound('episode');
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('task')
      .values({ service_id: serviceId, episode_id: episode.id, assigned_user_id: episode.link_worker_user_id, kind: 'manual', title, due_on: due.date!, created_by_user_id: ctx.actor.userId })
      .execute();
    await writeAudit(trx, { actor: ctx.actor, action: 'task.create', recordType: 'person', recordId: episode.person_id, serviceId, requestId: ctx.requestId, detail: { episode_id: episode.id } });
  });
}

export async function completeTask(ctx: CaseContext, taskId: string) {
  const serviceId = ctx.actor.serviceId!;
  if (!isUuid(taskId)) throw notFound('task');
  const task = await ctx.db.selectFrom('task').select(['id', 'episode_id', 'done_at']).where('service_id', '=', serviceId).where('id', '=', taskId).executeTakeFirst();
  if (!task) throw notFound('task');
  if (task.done_at) return task;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('task').set({ done_at: new Date(), done_by_user_id: ctx.actor.userId }).where('id', '=', taskId).where('done_at', 'is', null).execute();
    await writeAudit(trx, { actor: ctx.actor, action: 'task.complete', recordType: 'task', recordId: taskId, serviceId, requestId: ctx.requestId });
  });
  return task;
}

/**
 * The daily sweep: a "no contact" task for open episodes with no attended contact for the service's
 * interval and nothing booked, and a "review plan" task when the plan has not been reviewed for its interval.
 * Set-based and idempotent: the generated_key stops a task being made twice for the same gap.
 */
export async function generateTasks(db: Kysely<Schema>, today = todayInLondon()): Promise<number> {
  const noContact = await sql`
    insert into task (service_id, episode_id, assigned_user_id, kind, title, due_on, generated_key)
    select e.service_id, e.id, e.link_worker_user_id, 'no_contact',
           'No contact for ' || coalesce(s.no_contact_days, 21) || ' days', ${today}::date,
           'no_contact:' || e.id || ':' || coalesce(e.last_contact_at, e.opened_at)::date
    from episode e
    left join service_setting s on s.service_id = e.service_id
    where e.status <> 'closed'
      and e.next_contact_at is null
      and coalesce(e.last_contact_at, e.opened_at) < ${today}::date - coalesce(s.no_contact_days, 21)
    on conflict do nothing`.execute(db);
  const review = await sql`
    insert into task (service_id, episode_id, assigned_user_id, kind, title, due_on, generated_key)
    select e.service_id, e.id, e.link_worker_user_id, 'review_plan', 'Review the support plan', ${today}::date,
           'review_plan:' || e.id || ':' || coalesce(last_review.at, e.first_contact_at)::date
    from episode e
    left join service_setting s on s.service_id = e.service_id
    left join lateral (select max(c.starts_at) as at from contact c where c.service_id = e.service_id and c.episode_id = e.id and c.contact_type = 'review' and c.status = 'attended') last_review on true
    where e.status in ('active', 'holding')
      and exists (select 1 from goal g where g.service_id = e.service_id and g.episode_id = e.id and g.status in ('not_started', 'in_progress'))
      and coalesce(last_review.at, e.first_contact_at) < ${today}::date - 7 * coalesce(s.review_weeks, 6)
    on conflict do nothing`.execute(db);
  return Number(noContact.numAffectedRows ?? 0) + Number(review.numAffectedRows ?? 0);
}
