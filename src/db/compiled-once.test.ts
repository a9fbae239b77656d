import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, DummyDriver } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compiledOnce } from './compiled-once.js';

interface Tables {
  session: { id_hash: string; user_id: string; expires_at: Date };
}

const db = new Kysely<Tables>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
});

describe('compiledOnce', () => {
  it('gives the same SQL and parameters as compiling each time, with the value swapped in', () => {
    const build = (d: Kysely<Tables>, idHash: string) => d.selectFrom('session').select('user_id').where('expires_at', '>', new Date(0)).where('id_hash', '=', idHash);
    const once = compiledOnce(build);
    for (const value of ['first', 'second']) {
      const fresh = build(db, value).compile();
      const reused = once(db, value);
      expect(reused.sql).toBe(fresh.sql);
      expect(reused.parameters).toEqual(fresh.parameters);
    }
  });

  it('refuses a query whose value is not its one parameter', () => {
    const twice = compiledOnce((d: Kysely<Tables>, v: string) => d.selectFrom('session').select('user_id').where('id_hash', '=', v).where('user_id', '=', v));
    expect(() => twice(db, 'x')).toThrow(/one parameter/);
  });
});
