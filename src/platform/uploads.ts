import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Forms with file uploads. Their routes live in a scope of their own with the multipart parser, so
 * the rest of the app keeps its plain form parser. Fields arrive on the body (CSRF reads its token
 * there); files are read into memory within the given limits.
 */

interface Part {
  type: 'file' | 'field';
  filename?: string;
  value?: unknown;
  toBuffer?: () => Promise<Buffer>;
}

export interface UploadedFile {
  filename: string;
  text(): Promise<string>;
}

export function registerUploadRoutes(app: FastifyInstance, limits: { fileSize: number; files: number }, routes: (scope: FastifyInstance) => void) {
  void app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: true, limits: { ...limits, fields: 10 } });
    routes(scope);
  });
}

const partsOf = (request: FastifyRequest, name: string): Part[] => {
  if (!request.isMultipart()) return [];
  const value = (request.body as Record<string, Part | Part[] | undefined>)[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};

/** The files chosen in the field `name` (none when nothing was chosen). */
export const uploadedFiles = (request: FastifyRequest, name: string): UploadedFile[] =>
  partsOf(request, name)
    .filter((part) => part.type === 'file' && part.filename)
    .map((part) => ({ filename: part.filename!, text: async () => (await part.toBuffer!()).toString('utf8') }));

/** A plain field of an upload form, trimmed. */
export const uploadedField = (request: FastifyRequest, name: string): string => {
  const part = partsOf(request, name)[0];
  return part?.type === 'field' && typeof part.value === 'string' ? part.value.trim() : '';
};
