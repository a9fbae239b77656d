import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Validators for the ORUK 3.0 response schemas shipped as test fixtures. */

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../modules/openreferral/fixtures/oruk-3.0-schema');
const BASE = 'https://openreferraluk.org/specifications/3.0/schema/';
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let ajv: Ajv | undefined;
function load(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'open_api.json')) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as object, `${BASE}${file}`);
  }
  return ajv;
}

export function orukValidator(schema: string): ValidateFunction {
  const validate = load().getSchema(`${BASE}${schema}`);
  if (!validate) throw new Error(`No ORUK schema ${schema}`);
  return validate;
}

/** The schema errors of a document, as readable lines (empty when it is valid). */
export function orukProblems(schema: string, document: unknown): string[] {
  const validate = orukValidator(schema);
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
