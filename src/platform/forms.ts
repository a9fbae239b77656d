import type { FastifyReply } from 'fastify';
import { AppError } from './errors.js';

/**
 * Runs a use-case for a page. If the input is invalid (422) or out of date (409), the page is
 * rendered again by `renderInvalid` with the NHS error summary and what the user typed; nothing was saved.
 */
export async function withForm<T>(
  reply: FastifyReply,
  action: () => Promise<T>,
  renderInvalid: (errors: Record<string, string>) => unknown,
): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (error instanceof AppError && (error.status === 422 || error.status === 409)) {
      reply.code(error.status);
      const fields = Object.keys(error.fields).length ? error.fields : { form: error.message };
      await renderInvalid(fields);
      return { ok: false };
    }
    throw error;
  }
}
