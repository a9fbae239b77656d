import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { pathOf } from './http.js';

/**
 * JSON logs with request ids and no personal data: paths without query strings, no headers,
 * no bodies, no client addresses, and errors without the driver's `detail` (which can hold values).
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>) {
  return {
    level: config.logLevel,
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, path: pathOf(request.url), id: request.id }),
      res: (reply: Pick<FastifyReply, 'statusCode'>) => ({ statusCode: reply.statusCode }),
      err: (error: Error & { code?: unknown; statusCode?: unknown }) => ({
        type: error.name,
        message: error.message,
        code: error.code,
        statusCode: error.statusCode,
        stack: error.stack ?? '',
      }),
    },
  };
}
