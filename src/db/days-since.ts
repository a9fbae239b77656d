import { sql, type RawBuilder } from 'kysely';

/**
 * Whole days from a moment to today by England's calendar (the session's zone, ADR 22), as people
 * count them: yesterday evening is 1 day ago, this morning 0. Null when the moment is null.
 */
export const daysSince = (moment: RawBuilder<unknown>) => sql<number | null>`(current_date - (${moment})::date)`;
