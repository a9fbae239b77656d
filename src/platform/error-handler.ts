import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isDatabaseUnavailable, serviceUnavailable, tooManyRequests, type FieldErrors } from './errors.js';
import { wantsJson } from './http.js';

const TITLES: Record<number, string> = {
  400: 'There is a problem with the request',
  401: 'Sign in to continue',
  403: 'You do not have permission to see this page',
  404: 'Page not found',
  409: 'This has changed since you opened it',
  413: 'What you sent is too large',
  422: 'There is a problem',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
};

interface Validation {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Schema validation errors as `{ field: message }`, naming fields the way the client sent them. */
function fieldsFromValidation(validation: Validation[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of validation) {
    const named = issue.params?.missingProperty ?? issue.params?.additionalProperty;
    const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const field = typeof named === 'string' ? [path, named].filter(Boolean).join('.') : path || 'body';
    fields[field] ??= `${field} ${plainly(issue)}`;
  }
  return fields;
}

const count = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : String(n));

/** The schema's complaint in words a developer reading the response can act on (ajv's own are terse). */
function plainly({ keyword, params = {}, message }: Validation): string {
  switch (keyword ?? '') {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field we accept';
    case 'maxLength':
      return `must be ${count(params.limit)} characters or fewer`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${count(params.limit)} characters`;
    case 'maxItems':
      return `must have ${count(params.limit)} items or fewer`;
    case 'minItems':
      return `must have at least ${count(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'maximum':
      return `must be ${count(params.limit)} or less`;
    case 'minimum':
      return `must be ${count(params.limit)} or more`;
    case 'enum':
      return Array.isArray(params.allowedValues) ? `must be one of: ${params.allowedValues.join(', ')}` : (message ?? 'is not one of the values we accept');
    case 'type':
      return `must be ${params.type === 'integer' ? 'a whole number' : `a ${String(params.type)}`}`;
    case 'format':
      return params.format === 'uuid' ? 'must be an id (a UUID)' : params.format === 'date' ? 'must be a date, like 2026-03-27' : `must be a valid ${String(params.format)}`;
    default:
      return message ?? 'is not valid';
  }
}

/** Turns anything thrown into an AppError that is safe to show: 5xx details never leave the server. */
export function toAppError(error: FastifyError | Error, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return new AppError(400, 'The request is not valid. Check the fields listed.', fieldsFromValidation(fastifyError.validation));
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'Send the request body as application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'What you sent is too large.');
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new AppError(403, 'This form has expired or was not sent from Anchorpoint. Go back, reload the page and try again.');
    default:
      break;
  }
  if (fastifyError.statusCode === 429) return tooManyRequests('You have made too many requests. Wait a minute and try again.', 60);
  if (isDatabaseUnavailable(error)) {
    request.log.error({ err: error }, 'database unavailable');
    return serviceUnavailable();
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError(fastifyError.statusCode, 'The request could not be handled.');
  }
  request.log.error({ err: error }, 'unhandled error');
  return new AppError(500, 'Something went wrong on our side. It has been logged.');
}

export function sendError(appError: AppError, request: FastifyRequest, reply: FastifyReply) {
  reply.code(appError.status).headers(appError.headers);
  if (wantsJson(request) || !reply.page) {
    return reply.send({ error: appError.message, fields: appError.fields });
  }
  return reply.page('errors/error.njk', {
    title: TITLES[appError.status] ?? 'There is a problem',
    message: appError.message,
    status: appError.status,
  });
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(toAppError(error, request), request, reply));
  app.setNotFoundHandler(
    { preHandler: app.rateLimit({ max: 120, timeWindow: '1 minute' }) },
    (request, reply) => sendError(new AppError(404, 'We could not find that page.'), request, reply),
  );
}
