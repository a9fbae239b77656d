import type { Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { GOAL_STATUSES, NEED_DOMAINS, PRIORITIES, READINESS, isOneOf } from '../../shared/vocabulary.js';
import { dateField } from '../people/people-service.js';
import { lockEpisode, requireCommand, type CaseContext } from './casework-service.js';

/** "What matters to me", the needs assessment and the support plan: all in the person's words, all audited. */

type Episode = { id: string; person_id: string; service_id: string };

async function withOpenEpisode<T>(ctx: CaseContext, episodeId: string, action: string, work: (trx: Transaction<Schema>, episode: Episode) => Promise<T>) {
  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    requireCommand(state, 'record_contact');
    const result = await work(trx, episode);
    await writeAudit(trx, {
      actor: ctx.actor,
      action,
      recordType: 'person',
      recordId: episode.person_id,
      serviceId: episode.service_id,
      requestId: ctx.requestId,
      detail: { episode_id: episode.id },
    });
    return result;
  });
}

export async function recordWhatMatters(ctx: CaseContext, episodeId: string, input: unknown) {
  const words = text(input, 'whatMatters');
  if (!words) throw validationFailed({ whatMatters: 'Write what matters to the person, in their words' });
  if (words.length > 5000) throw validationFailed({ whatMatters: 'What matters must be 5,000 characters or fewer' });
  await withOpenEpisode(ctx, episodeId, 'plan.what_matters', (trx, episode) =>
    trx.insertInto('what_matters').values({ service_id: episode.service_id, episode_id: episode.id, what_matters: words, recorded_by_user_id: ctx.actor.userId }).execute(),
  );
}

/** A needs assessment: a priority for each need domain that applies; the rest are left out. */
export async function recordNeeds(ctx: CaseContext, episodeId: string, input: unknown) {
  const priorities: Record<string, string> = {};
  const errors: FieldErrors = {};
  for (const domain of Object.keys(NEED_DOMAINS)) {
    const value = text(input, `need-${domain}`);
    if (!value || value === 'none') continue;
    if (!isOneOf(PRIORITIES, value)) errors[`need-${domain}`] = 'Select high, medium, low or not a need';
    else priorities[domain] = value;
  }
  if (Object.keys(priorities).length === 0 && Object.keys(errors).length === 0) errors['need-loneliness'] = 'Give a priority to at least one need';
  if (Object.keys(errors).length) throw validationFailed(errors);
  await withOpenEpisode(ctx, episodeId, 'plan.needs', (trx, episode) =>
    trx
      .insertInto('need_assessment')
      .values({ service_id: episode.service_id, episode_id: episode.id, assessed_by_user_id: ctx.actor.userId, priorities: JSON.stringify(priorities) })
      .execute(),
  );
}

export async function addGoal(ctx: CaseContext, episodeId: string, input: unknown) {
  const errors: FieldErrors = {};
  const goal = text(input, 'goal');
  const readiness = text(input, 'readiness');
  const owner = text(input, 'owner');
  const target = dateField(input, 'targetDate', 'Target date');
  if (!goal) errors.goal = 'Write the goal in the person’s own words';
  else if (goal.length > 1000) errors.goal = 'Goal must be 1,000 characters or fewer';
  if (!isOneOf(READINESS, readiness)) errors.readiness = 'Select how ready the person feels';
  if (owner.length > 100) errors.owner = 'Who will lead it must be 100 characters or fewer';
  if (target.error) errors.targetDate = target.error;
  if (Object.keys(errors).length) throw validationFailed(errors);
  return withOpenEpisode(ctx, episodeId, 'plan.goal_add', async (trx, episode) => {
    const row = await trx
      .insertInto('goal')
      .values({
        service_id: episode.service_id,
        episode_id: episode.id,
        goal,
        readiness,
        owner: owner || null,
        target_date: target.date ?? null,
        created_by_user_id: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function updateGoal(ctx: CaseContext, episodeId: string, goalId: string, input: unknown) {
  const status = text(input, 'status');
  const readiness = text(input, 'readiness');
  const errors: FieldErrors = {};
  if (!isOneOf(GOAL_STATUSES, status)) errors.status = 'Select the goal’s status';
  if (readiness && !isOneOf(READINESS, readiness)) errors.readiness = 'Select how ready the person feels';
  if (Object.keys(errors).length) throw validationFailed(errors);
  if (!isUuid(goalId)) throw notFound('goal');
  await withOpenEpisode(ctx, episodeId, 'plan.goal_update', async (trx, episode) => {
    const result = await trx
      .updateTable('goal')
      .set({ status, ...(readiness ? { readiness } : {}), updated_at: new Date() })
      .where('id', '=', goalId)
      .where('episode_id', '=', episode.id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw notFound('goal');
  });
}

export async function addStep(ctx: CaseContext, episodeId: string, goalId: string, input: unknown) {
  const step = text(input, 'step');
  const owner = text(input, 'owner');
  const target = dateField(input, 'targetDate', 'Target date');
  const errors: FieldErrors = {};
  if (!step) errors.step = 'Write the step';
  else if (step.length > 500) errors.step = 'Step must be 500 characters or fewer';
  if (owner.length > 100) errors.owner = 'Who will do it must be 100 characters or fewer';
  if (target.error) errors.targetDate = target.error;
  if (Object.keys(errors).length) throw validationFailed(errors);
  if (!isUuid(goalId)) throw notFound('goal');
  await withOpenEpisode(ctx, episodeId, 'plan.step_add', async (trx, episode) => {
    const goal = await trx.selectFrom('goal').select('id').where('id', '=', goalId).where('episode_id', '=', episode.id).executeTakeFirst();
    if (!goal) throw notFound('goal');
    await trx
      .insertInto('goal_step')
      .values({ service_id: episode.service_id, goal_id: goalId, step, owner: owner || null, target_date: target.date ?? null })
      .execute();
  });
}

export async function completeStep(ctx: CaseContext, episodeId: string, stepId: string) {
  if (!isUuid(stepId)) throw notFound('step');
  await withOpenEpisode(ctx, episodeId, 'plan.step_done', async (trx, episode) => {
    const step = await trx
      .selectFrom('goal_step as s')
      .innerJoin('goal as g', 'g.id', 's.goal_id')
      .select(['s.id', 's.done_at'])
      .where('s.id', '=', stepId)
      .where('g.episode_id', '=', episode.id)
      .executeTakeFirst();
    if (!step) throw notFound('step');
    // Done twice (a double click) is still done.
    if (!step.done_at) await trx.updateTable('goal_step').set({ done_at: new Date() }).where('id', '=', stepId).execute();
  });
}
