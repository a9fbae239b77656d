/**
 * The API reference page's content, read from the OpenAPI document that @fastify/swagger generates
 * from the route schemas. Only what the page shows is modelled; the document itself is served whole
 * for tools.
 */

export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
}

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  notes: string;
}

export interface OperationView {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  parameters: FieldRow[];
  /** Null when the operation takes no body. */
  body: FieldRow[] | null;
  success: { status: string; description: string; fields: FieldRow[] }[];
  errors: { status: string; meaning: string }[];
}

export interface ApiReference {
  title: string;
  version: string;
  description: string;
  groups: { tag: string; id: string; operations: OperationView[] }[];
  contents: { href: string; text: string }[];
  errorMeanings: { status: string; meaning: string }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Nested objects are listed to this depth; deeper ones are in the OpenAPI document. */
const MAX_DEPTH = 4;

export const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[{}]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const variants = (schema: JsonSchema) => schema.anyOf ?? [schema];

/** A schema's type as a developer reads it: `string (uuid)`, `array of integer`, `string or null`. */
export function typeOf(schema: JsonSchema): string {
  const parts = variants(schema).map((variant) => {
    if (variant.type === 'array') return `array of ${variant.items ? typeOf(variant.items) : 'any'}`;
    const base = variant.type ?? 'any';
    return variant.format ? `${base} (${variant.format})` : base;
  });
  return [...new Set(parts)].join(' or ');
}

/** Limits and allowed values, in words. */
export function notesOf(schema: JsonSchema, description?: string): string {
  const notes = [description ?? schema.description];
  for (const variant of variants(schema)) {
    if (variant !== schema && variant.description) notes.push(variant.description);
    if (variant.enum) notes.push(`One of: ${variant.enum.map(String).join(', ')}.`);
    if (variant.minLength !== undefined) notes.push(`At least ${variant.minLength} characters.`);
    if (variant.maxLength !== undefined) notes.push(`At most ${variant.maxLength} characters.`);
    if (variant.minimum !== undefined && variant.maximum !== undefined) notes.push(`From ${variant.minimum} to ${variant.maximum}.`);
    else if (variant.minimum !== undefined) notes.push(`At least ${variant.minimum}.`);
    else if (variant.maximum !== undefined) notes.push(`At most ${variant.maximum}.`);
    if (variant.maxItems !== undefined) notes.push(`At most ${variant.maxItems} items.`);
    if (variant.pattern) notes.push(`Matches \`${variant.pattern}\`.`);
    if (variant.items?.enum) notes.push(`Each one of: ${variant.items.enum.map(String).join(', ')}.`);
  }
  return notes
    .filter((note): note is string => Boolean(note))
    .map(asSentence)
    .join(' ');
}

/** Schema descriptions are written as phrases; in a list of notes each is a sentence. */
const asSentence = (note: string) => (/[.!?)`]$/.test(note) ? note : `${note}.`);

/** The object whose fields a property holds: itself, the object in `X or null`, or an array's items. */
function innerObject(schema: JsonSchema): { object: JsonSchema; suffix: string } | undefined {
  for (const variant of variants(schema)) {
    if (variant.properties) return { object: variant, suffix: '' };
    if (variant.type === 'array' && variant.items?.properties) return { object: variant.items, suffix: '[]' };
  }
  return undefined;
}

/** Every field of an object schema, nested ones named with dots (`person.givenName`, `contacts[].id`). */
export function fieldRows(schema: JsonSchema, prefix = '', depth = 0): FieldRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const fullName = prefix ? `${prefix}.${name}` : name;
    const row: FieldRow = { name: fullName, type: typeOf(property), required: required.has(name), notes: notesOf(property) };
    const inner = depth < MAX_DEPTH ? innerObject(property) : undefined;
    return inner ? [row, ...fieldRows(inner.object, fullName + inner.suffix, depth + 1)] : [row];
  });
}

const jsonSchemaOf = (content?: Record<string, { schema?: JsonSchema }>) => content?.['application/json']?.schema;

function operationView(path: string, method: string, operation: Operation): OperationView {
  const responses = Object.entries(operation.responses ?? {});
  const body = jsonSchemaOf(operation.requestBody?.content);
  return {
    id: slug(`${method} ${path}`),
    method: method.toUpperCase(),
    path,
    summary: operation.summary ?? '',
    description: operation.description ?? '',
    parameters: (operation.parameters ?? []).map((p) => ({
      name: p.name,
      type: p.schema ? typeOf(p.schema) : 'string',
      required: Boolean(p.required),
      notes: [p.in === 'path' ? 'In the path.' : 'In the query string.', p.schema ? notesOf(p.schema, p.description) : (p.description ?? '')].join(' ').trim(),
    })),
    body: body ? fieldRows(body) : null,
    success: responses
      .filter(([status]) => status.startsWith('2'))
      .map(([status, response]) => {
        const schema = jsonSchemaOf(response.content);
        return { status, description: schema?.description ?? '', fields: schema ? fieldRows(schema) : [] };
      }),
    errors: responses.filter(([status]) => !status.startsWith('2')).map(([status, response]) => ({ status, meaning: response.description ?? '' })),
  };
}

/** The reference page's content: operations grouped by tag, in the order the routes were registered. */
export function apiReference(document: OpenApiDocument): ApiReference {
  const groups = new Map<string, OperationView[]>();
  const errorMeanings = new Map<string, string>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = operations[method];
      if (!operation) continue;
      const view = operationView(path, method, operation);
      for (const error of view.errors) if (!errorMeanings.has(error.status)) errorMeanings.set(error.status, error.meaning);
      const tag = operation.tags?.[0] ?? 'Other';
      groups.set(tag, [...(groups.get(tag) ?? []), view]);
    }
  }
  const tagged = [...groups].map(([tag, operations]) => ({ tag, id: slug(tag), operations }));
  return {
    title: document.info.title,
    version: document.info.version,
    description: document.info.description ?? '',
    groups: tagged,
    contents: [...tagged.map((group) => ({ href: `#${group.id}`, text: group.tag })), { href: '#errors', text: 'Errors' }],
    errorMeanings: [...errorMeanings].sort(([a], [b]) => a.localeCompare(b)).map(([status, meaning]) => ({ status, meaning })),
  };
}
