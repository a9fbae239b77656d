import { describe, expect, it } from 'vitest';
import { apiReference, fieldRows, notesOf, typeOf, type OpenApiDocument } from './api-reference.js';

describe('the API reference', () => {
  it('names types as developers read them', () => {
    expect(typeOf({ type: 'string', format: 'uuid' })).toBe('string (uuid)');
    expect(typeOf({ anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] })).toBe('string (date) or null');
    expect(typeOf({ type: 'array', items: { type: 'integer' } })).toBe('array of integer');
    expect(typeOf({ anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] })).toBe('string or array of string');
    expect(typeOf({})).toBe('any');
  });

  it('says the limits and allowed values in words', () => {
    expect(notesOf({ type: 'string', enum: ['phone', 'video'], description: 'How' })).toBe('How. One of: phone, video.');
    expect(notesOf({ type: 'string', pattern: '^\\d+$', description: 'Local time.' })).toBe('Local time. Matches `^\\d+$`.');
    expect(notesOf({ type: 'integer', minimum: 1, maximum: 600 })).toBe('From 1 to 600.');
    expect(notesOf({ anyOf: [{ type: 'string', maxLength: 20, description: 'A term code' }, { type: 'null' }] })).toBe('A term code. At most 20 characters.');
    expect(notesOf({ type: 'array', maxItems: 30, items: { type: 'string', enum: ['a', 'b'] } })).toBe('At most 30 items. Each one of: a, b.');
    expect(notesOf({ type: 'string' }, 'From the parameter')).toBe('From the parameter.');
  });

  it('lists nested fields with their path, and which are required', () => {
    const rows = fieldRows({
      type: 'object',
      required: ['person'],
      properties: {
        person: { type: 'object', required: ['givenName'], properties: { givenName: { type: 'string' }, nhsNumber: { anyOf: [{ type: 'string' }, { type: 'null' }] } } },
        holding: { anyOf: [{ type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }, { type: 'null' }] },
        contacts: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } },
      },
    });
    expect(rows.map((r) => [r.name, r.type, r.required])).toEqual([
      ['person', 'object', true],
      ['person.givenName', 'string', true],
      ['person.nhsNumber', 'string or null', false],
      ['holding', 'object or null', false],
      ['holding.reason', 'string', true],
      ['contacts', 'array of object', false],
      ['contacts[].id', 'string (uuid)', false],
    ]);
  });

  it('groups operations by tag in route order, each with its parameters, body, answer and errors', () => {
    const error = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } } } } } });
    const document: OpenApiDocument = {
      info: { title: 'Test API', version: '1.0.0', description: 'Use `Bearer` tokens.' },
      paths: {
        '/api/v1/things/{id}': {
          get: {
            summary: 'One thing',
            tags: ['Things'],
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } }],
            responses: { '200': { description: 'Default Response', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } }, '404': error('Not there') },
          },
          put: {
            summary: 'Change a thing',
            tags: ['Things'],
            requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } },
            responses: { '200': { description: 'Default Response', content: { 'application/json': { schema: { type: 'object', additionalProperties: true, description: 'The thing, as stored' } } } }, '422': error('Fix a field'), '404': error('Not there') },
          },
        },
        '/api/v1/me': { get: { summary: 'Who', tags: ['Account'], responses: { '401': error('No token') } } },
      },
    };
    const reference = apiReference(document);
    expect(reference.groups.map((g) => [g.tag, g.operations.map((o) => `${o.method} ${o.path}`)])).toEqual([
      ['Things', ['GET /api/v1/things/{id}', 'PUT /api/v1/things/{id}']],
      ['Account', ['GET /api/v1/me']],
    ]);
    expect(reference.contents.map((c) => c.href)).toEqual(['#things', '#account', '#errors']);
    const [get, put] = reference.groups[0]!.operations;
    expect(get!.id).toBe('get-api-v1-things-id');
    expect(get!.parameters).toEqual([{ name: 'id', type: 'string', required: true, notes: 'In the path. At most 64 characters.' }]);
    expect(get!.body).toBeNull();
    expect(get!.success).toEqual([{ status: '200', description: '', fields: [{ name: 'id', type: 'string', required: false, notes: '' }] }]);
    expect(put!.body).toEqual([{ name: 'name', type: 'string', required: true, notes: '' }]);
    expect(put!.success[0]).toEqual({ status: '200', description: 'The thing, as stored', fields: [] });
    expect(put!.errors.map((e) => e.status)).toEqual(['404', '422']);
    expect(reference.errorMeanings).toEqual([
      { status: '401', meaning: 'No token' },
      { status: '404', meaning: 'Not there' },
      { status: '422', meaning: 'Fix a field' },
    ]);
  });
});
