/**
 * Errors are values with a status. Services throw these; one handler renders them
 * as a page (NHS error summary or an error page) or as `{ error, fields }` in the API.
 */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldErrors = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields: FieldErrors = {}) => new AppError(400, message, fields);
export const validationFailed = (fields: FieldErrors) =>
  new AppError(422, 'There is a problem with what was sent. Check the fields listed and try again.', fields);
export const unauthorised = () => new AppError(401, 'Sign in to continue.');
export const forbidden = () => new AppError(403, 'You do not have permission to do this.');
export const notFound = (what = 'page') => new AppError(404, `We could not find that ${what}.`);
export const conflict = (message: string, fields: FieldErrors = {}) => new AppError(409, message, fields);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, message, {}, { 'retry-after': String(retryAfterSeconds) });
export const serviceUnavailable = () =>
  new AppError(503, 'The service is temporarily unavailable. Try again in a minute.', {}, { 'retry-after': '30' });

/** Errors from the database driver that mean "the database is not reachable", not "your query is wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
    // Class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now), 53300 (too many connections).
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|driver has already been destroyed/i.test(
    error.message,
  );
}
