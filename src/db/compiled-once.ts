import type { CompiledQuery } from 'kysely';

const PLACEHOLDER = '\u0000compiled-once';

/**
 * A query of one fixed shape that every request runs, compiled by Kysely once instead of on each call.
 * Building and compiling the session query took about 0.09 ms of every page, a tenth of PostgreSQL's time to answer it.
 * `build` is given a placeholder for the one varying value, which each call swaps for the real one.
 * Every database here speaks PostgreSQL's dialect, so the first compilation serves them all.
 */
export function compiledOnce<D, R>(build: (db: D, value: string) => { compile(): CompiledQuery<R> }): (db: D, value: string) => CompiledQuery<R> {
  let compiled: CompiledQuery<R> | undefined;
  let at = -1;
  return (db, value) => {
    if (!compiled) {
      compiled = build(db, PLACEHOLDER).compile();
      at = compiled.parameters.indexOf(PLACEHOLDER);
      if (at === -1 || compiled.parameters.lastIndexOf(PLACEHOLDER) !== at) throw new Error('compiledOnce: the value must be the query’s one parameter');
    }
    const parameters = [...compiled.parameters];
    parameters[at] = value;
    return { ...compiled, parameters };
  };
}
