import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { Schema } from '../../db/schema.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';

/**
 * The taxonomies services are filed under and the ORUK API publishes: Open Eligibility (shipped in
 * src/data) and Anchorpoint's need domains. Ids are name-based UUIDs, identical in every installation,
 * so a term id another system saved from one Anchorpoint works against any other.
 */
const NAMESPACE = 'a3c0b1e2-5d4f-4e6a-9b7c-2f1e0d9c8b7a';
export const OPEN_ELIGIBILITY = 'open-eligibility';
export const NEED_DOMAIN_TAXONOMY = 'anchorpoint-need-domains';

export const taxonomyId = (code: string) => uuidv5(`taxonomy:${code}`, NAMESPACE);
export const termId = (taxonomy: string, code: string) => uuidv5(`term:${taxonomy}:${code}`, NAMESPACE);

interface Term {
  code: string;
  name: string;
  description: string;
  parentCode: string | null;
}

interface OeNode {
  '@id': string;
  '@title': string;
  second_level?: OeNode[];
  third_level?: OeNode[];
  fourth_level?: OeNode[];
}

function openEligibilityTerms(): Term[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../data/open-eligibility.json');
  const document = JSON.parse(fs.readFileSync(file, 'utf8')) as { taxonomy: { top_level: OeNode[] } };
  const terms: Term[] = [];
  const walk = (nodes: OeNode[] | undefined, parent: OeNode | null, trail: string[]) => {
    for (const node of nodes ?? []) {
      const names = [...trail, node['@title']];
      terms.push({ code: node['@id'], name: node['@title'], description: names.join(' › '), parentCode: parent ? parent['@id'] : null });
      walk(node.second_level ?? node.third_level ?? node.fourth_level, node, names);
    }
  };
  walk(document.taxonomy.top_level, null, []);
  return terms;
}

export const TAXONOMIES = [
  {
    code: OPEN_ELIGIBILITY,
    name: 'Open Eligibility',
    description: 'The Open Eligibility human services taxonomy (v2), by Aunt Bertha, Inc., CC BY-SA 3.0.',
    uri: 'http://openeligibility.org',
    version: '2.0',
    terms: openEligibilityTerms,
  },
  {
    code: NEED_DOMAIN_TAXONOMY,
    name: 'Social prescribing need domains',
    description: 'The needs a social prescribing link worker helps with, as Anchorpoint records them.',
    uri: null,
    version: '1',
    terms: (): Term[] => Object.entries(NEED_DOMAINS).map(([code, name]) => ({ code, name, description: name, parentCode: null })),
  },
] as const;

/** Puts the shipped taxonomies in the database (idempotent: run at every start). */
export async function ensureTaxonomies(db: Kysely<Schema>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const taxonomy of TAXONOMIES) {
      const id = taxonomyId(taxonomy.code);
      await trx
        .insertInto('directory_taxonomy')
        .values({ id, code: taxonomy.code, name: taxonomy.name, description: taxonomy.description, uri: taxonomy.uri, version: taxonomy.version })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const terms = taxonomy.terms();
      // Parents come before children in the list, so one insert in order satisfies the foreign key.
      await trx
        .insertInto('directory_taxonomy_term')
        .values(
          terms.map((term) => ({
            id: termId(taxonomy.code, term.code),
            directory_taxonomy_id: id,
            code: term.code,
            name: term.name,
            description: term.description,
            parent_id: term.parentCode ? termId(taxonomy.code, term.parentCode) : null,
          })),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  });
}

let serviceTypes: { code: string; label: string }[] | undefined;
/** The Open Eligibility terms as "Health › Addiction & Recovery", for choosing a type of service. */
export function serviceTypeOptions(): { code: string; label: string }[] {
  serviceTypes ??= openEligibilityTerms()
    .map((term) => ({ code: term.code, label: term.description }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return serviceTypes;
}
let broadTypes: { code: string; label: string }[] | undefined;
/** The first two levels of Open Eligibility, for the search page: a narrower term is found under its parent. */
export function broadServiceTypeOptions(): { code: string; label: string }[] {
  broadTypes ??= serviceTypeOptions().filter((t) => t.code.split('-').length <= 2);
  return broadTypes;
}
let typeCodes: Set<string> | undefined;
export const serviceTypeCodes = (): ReadonlySet<string> => (typeCodes ??= new Set(serviceTypeOptions().map((t) => t.code)));
