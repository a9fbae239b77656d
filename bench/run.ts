import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Presets, SingleBar } from 'cli-progress';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { openDatabase, type Database } from '../src/db/client.js';
import { installSharedExtensions } from '../src/db/extensions.js';
import { migrate } from '../src/db/migrate.js';
import { ensureTaxonomies, NEED_DOMAIN_TAXONOMY, termId } from '../src/modules/directory/taxonomies.js';
import { searchStatement, withSessions } from '../src/modules/directory/directory-search.js';
import { withSummaryColumns } from '../src/modules/openreferral/oruk-service.js';
import { gapRegisterQuery } from '../src/modules/directory/gap-register.js';
import { providerInboxQuery } from '../src/modules/connections/connection-read.js';
import { EMPTY_QUERY, METRES_PER_MILE } from '../src/modules/directory/search-query.js';
import type { Schema } from '../src/db/schema.js';
import { sessionActorQuery, userByEmailQuery } from '../src/platform/auth/auth-repository.js';
import { sha256 } from '../src/platform/auth/secrets.js';
import { caseloadQuery, episodeQuery } from '../src/modules/casework/casework-repository.js';
import { holdingPeriods } from '../src/modules/casework/activity-report.js';
import { londonParts } from '../src/shared/london-time.js';
import { directoryStep } from './synthetic-directory.js';
import { connectionSteps } from './synthetic-connections.js';
import { measureSteps } from './synthetic-measures.js';
import { BENCH_PASSWORD, benchPasswordHash, caseSteps, makeSessions, sampleEmails, steps, type Scale } from './synthetic.js';

/**
 * npm run bench -- --scale 1000 [--people 1000] [--duration 10] [--connections 50] [--rate 1] [--copies 2] [--keep] [--reuse bench_…]
 * Seeds synthetic data at the scale given (number of services), starts the app in its own
 * process, drives each key route with autocannon and prints p50/p95/p99 and requests/s beside
 * the raw SQL time of the route's main query. PostgreSQL when BENCH_DATABASE_URL or DATABASE_URL is set.
 */

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    people: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    directory: { type: 'string' },
    rate: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'string' },
    copies: { type: 'string', default: '1' },
  },
});
/** Directory services to generate: 100 per social prescribing service unless told (100,000 at national scale). */
const directoryServices = values.directory === undefined ? Number(values.scale) * 100 : Number(values.directory);
/** Requests per second each user makes (a human pace, with pacedUsers); as fast as possible (autocannon) when not given. */
const rate = values.rate === undefined ? undefined : Number(values.rate);
/** Drive only routes whose name matches this pattern, e.g. --only 'directory|openreferral'. */
const only = values.only;
const scale: Scale = {
  services: Number(values.scale),
  practicesPerService: 4,
  linkWorkersPerService: 3,
  peoplePerService: Number(values.people),
  contactsPerEpisode: 6,
};
const duration = Number(values.duration);
const connections = Number(values.connections);
const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;

interface Row {
  route: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  unexpected: number;
  query: string;
  sqlP50: number;
  sqlP95: number;
  sqlP99: number;
}

/** Places to search from: the outward codes of some singing groups' venues, with one of each group's needs. */
async function directoryOrigins(db: Kysely<Schema>) {
  const rows = await db
    .selectFrom('directory_service as s')
    .innerJoin('directory_service_at_location as sal', 'sal.directory_service_id', 's.id')
    .innerJoin('directory_location as l', 'l.id', 'sal.directory_location_id')
    .select(['s.need_domains', 'l.latitude', 'l.longitude'])
    .where('s.source', '=', 'bench')
    .where('s.name', 'like', 'Singing%')
    .where('s.status', '=', 'active')
    .limit(50)
    .execute();
  const centroids = fs
    .readFileSync(path.resolve('src/data/outcode-centroids.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((p) => p[1])
    .map((p) => ({ outcode: p[0]!, latitude: Number(p[1]), longitude: Number(p[2]) }));
  return rows.map((row) => {
    // The nearest outward-code centre to the venue: searching from there finds it within a few miles.
    const nearest = centroids.reduce((best, c) =>
      (c.latitude - row.latitude!) ** 2 + (c.longitude - row.longitude!) ** 2 < (best.latitude - row.latitude!) ** 2 + (best.longitude - row.longitude!) ** 2 ? c : best,
    );
    const need = row.need_domains[0]!;
    return { outcode: nearest.outcode, point: { latitude: nearest.latitude, longitude: nearest.longitude }, need, needTermId: termId(NEED_DOMAIN_TAXONOMY, need) };
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

async function freePort() {
  return new Promise<number>((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The raw SQL of a route's main query, compiled beforehand. At a human pace (--rate) it is driven
 * like the route: the same users at the same pace, on a pool the size of the app's. Otherwise one at
 * a time, which is the query's own cost.
 */
async function timeQuery(db: Kysely<Schema>, compiled: () => CompiledQuery, runs = 500) {
  const queries = Array.from({ length: Math.min(runs, 200) }, compiled);
  let turn = 0;
  if (rate) {
    const run = await paced(async () => Boolean(await db.executeQuery(queries[turn++ % queries.length]!)), rate, Math.min(duration, 10));
    return run.latencies;
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const query = queries[i % queries.length]!;
    const start = process.hrtime.bigint();
    await db.executeQuery(query);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

/**
 * Users at a human pace: each of `connections` users does something (a request, or the raw query),
 * waits for the answer, and starts the next about 1/rate seconds after the last began, from a random
 * offset so they do not arrive in step. This is "50 people using it at once", where autocannon
 * (below) is saturation. The same pacing drives the raw SQL, so the two are measured alike.
 */
async function paced(act: () => Promise<boolean>, perSecond: number, seconds = duration) {
  const latencies: number[] = [];
  let unexpected = 0;
  let errors = 0;
  const period = 1000 / perSecond;
  const endAt = Date.now() + seconds * 1000;
  const user = async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * period));
    while (Date.now() < endAt) {
      const began = Date.now();
      const start = process.hrtime.bigint();
      try {
        const expected = await act();
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (!expected) unexpected += 1;
      } catch {
        errors += 1;
      }
      const wait = began + period * (0.5 + Math.random()) - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  await Promise.all(Array.from({ length: connections }, user));
  latencies.sort((a, b) => a - b);
  return { result: { requests: { average: latencies.length / seconds, total: latencies.length }, errors, timeouts: 0 }, latencies, unexpected };
}

/**
 * One HTTP request over kept-alive connections, answered in full. node:http rather than fetch: fetch
 * costs the load generator about a millisecond a request on this machine, which is not the app's time.
 */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: connections });
function request(url: string, options: Parameters<typeof drive>[1]) {
  const target = new URL(url);
  const body = options.body?.();
  return new Promise<boolean>((resolve, reject) => {
    const outgoing = http.request(
      { host: target.hostname, port: target.port, path: options.path?.() ?? target.pathname, method: options.method ?? 'GET', headers: { ...options.headers(), ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) }, agent: keepAlive },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode === options.expect));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const pacedUsers = (url: string, options: Parameters<typeof drive>[1], perSecond: number, seconds = duration) => paced(() => request(url, options), perSecond, seconds);

async function drive(
  url: string,
  options: { method?: 'GET' | 'POST'; body?: () => string; headers: () => Record<string, string>; expect: number; path?: () => string },
  seconds = duration,
) {
  const latencies: number[] = [];
  let unexpected = 0;
  // Without a callback autocannon returns its instance, which is both an event emitter and a promise.
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    method: options.method ?? 'GET',
    requests: [
      {
        setupRequest: (request) => {
          // Path first: it and the headers that follow pick the same worker in turn.
          const path = options.path?.();
          return {
            ...request,
            ...(path ? { path } : {}),
            headers: { ...request.headers, ...options.headers() },
            ...(options.body ? { body: options.body() } : {}),
          };
        },
      },
    ],
  }) as unknown as EventEmitter & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (status !== options.expect) unexpected += 1;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return { result, latencies, unexpected };
}

async function main() {
  const started = Date.now();
  let database: Database;
  let appEnv: Record<string, string>;
  let dataDir: string | undefined;
  let schema: string | undefined;
  const reuse = values.reuse;
  if (reuse && !/^bench_\d+$/.test(reuse)) throw new Error('--reuse takes the name of a schema a run made with --keep, like bench_1795243104771');
  if (baseUrl) {
    schema = reuse ?? `bench_${Date.now()}`;
    if (!reuse) {
      const admin = await openDatabase({ databaseUrl: baseUrl, poolSize: 1 });
      await admin.withOwner((run) => run(`CREATE SCHEMA ${schema}`));
      await installSharedExtensions(admin);
      await admin.close();
    }
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    // The app's pool size, so the raw SQL has as many connections to run on as the app has.
    database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
    appEnv = { DATABASE_URL: url.toString() };
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anchorpoint-bench-'));
    database = await openDatabase({ dataDir });
    appEnv = { DATA_DIR: dataDir };
  }
  console.log(
    `Benchmark at scale ${scale.services} services on ${database.describe()}; ${connections} ${rate ? `users at ${rate} request/s each` : 'connections'}, ${duration}s per route; app in ${values.copies} ${values.copies === '1' ? 'process' : 'processes'}`,
  );
  await migrate(database); // on --reuse, applies only migrations added since
  await ensureTaxonomies(database.db);

  const passwordHash = await benchPasswordHash();
  const plan = [...steps(passwordHash), ...caseSteps, directoryStep(directoryServices), ...connectionSteps(passwordHash), ...measureSteps];
  if (!reuse) {
    const bar = new SingleBar({ format: 'Generating synthetic data |{bar}| {value}/{total} steps: {step}', hideCursor: true }, Presets.shades_classic);
    bar.start(plan.length, 0, { step: plan[0]!.name });
    for (const step of plan) {
      bar.update({ step: step.name });
      await step.run(database.db, scale);
      bar.increment();
    }
    bar.stop();
  }
  // Generated as the owner, so that ANALYZE and VACUUM (owner only) take effect; the app runs as the app role.
  await database.useAppRole();
  const counts = await database.db
    .selectFrom('organisation')
    .select((eb) => [eb.fn.countAll<number>().as('organisations')])
    .executeTakeFirstOrThrow();
  const users = await database.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const people = await database.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const contacts = await database.db.selectFrom('contact').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  console.log(
    `Generated ${counts.organisations} organisations, ${users.n} staff accounts, ${people.n} people and ${contacts.n} contacts in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );

  const linkWorkerSessions = await makeSessions(database.db, 'link_worker', 50);
  // For each link worker session, one of their open episodes, and their user and service for the raw queries.
  const workers = await Promise.all(
    linkWorkerSessions.map(async (token) => {
      const session = await database.db
        .selectFrom('session as s')
        .innerJoin('membership as m', 'm.id', 's.membership_id')
        .select(['s.user_id', 'm.organisation_id as service_id'])
        .where('s.id_hash', '=', sha256(token))
        .executeTakeFirstOrThrow();
      // Two open episodes: one whose page is read, one that contacts are recorded on, so that
      // repeated runs (--reuse) do not keep growing the page being measured.
      const episodes = await database.db
        .selectFrom('episode')
        .select('id')
        .where('service_id', '=', session.service_id)
        .where('link_worker_user_id', '=', session.user_id)
        .where('status', 'in', ['active', 'holding'])
        .orderBy('id')
        .limit(2)
        .execute();
      return { token, userId: session.user_id, serviceId: session.service_id, episodeId: episodes[0]?.id, recordOnId: episodes[1]?.id };
    }),
  );
  const withEpisodes = workers.filter((w): w is typeof w & { episodeId: string; recordOnId: string } => Boolean(w.episodeId && w.recordOnId));
  const managerSessions = await makeSessions(database.db, 'service_manager', 50);
  const emails = await sampleEmails(database.db, 'link_worker', 50);
  const origins = await directoryOrigins(database.db);
  const providerSessions = await makeSessions(database.db, 'provider', 50);
  const organisationOfSession = async (token: string) =>
    (
      await database.db
        .selectFrom('session as s')
        .innerJoin('membership as m', 'm.id', 's.membership_id')
        .select('m.organisation_id')
        .where('s.id_hash', '=', sha256(token))
        .executeTakeFirstOrThrow()
    ).organisation_id;
  const providerActors = await Promise.all(providerSessions.map(organisationOfSession));
  const managerServices = await Promise.all(managerSessions.map(organisationOfSession));
  if (!baseUrl) await database.close(); // PGlite: one process at a time

  const port = await freePort();
  // --profile DIR: the app writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = values.profile ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(values.profile)] : [];
  const server = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...appEnv, WEB_CONCURRENCY: values.copies, PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', LOGIN_MAX_FAILURES: '100' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Anchorpoint is running')) resolve();
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  const url = `http://127.0.0.1:${port}`;

  // A CSRF secret cookie and a token for it, as a browser gets from the sign-in page.
  const signInPage = await fetch(`${url}/sign-in`);
  const csrfCookie = (signInPage.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())![1]!;
  let turn = 0;
  const next = <T>(list: T[]) => list[turn++ % list.length]!;

  const http: { route: string; run: { result: { requests: { average: number; total: number }; errors: number; timeouts: number }; latencies: number[]; unexpected: number } }[] = [];
  const routes: { route: string; options: Parameters<typeof drive>[1] }[] = [
    {
      route: 'POST /sign-in',
      options: {
        method: 'POST' as const,
        expect: 302,
        headers: () => ({ 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie }),
        body: () => new URLSearchParams({ email: next(emails), password: BENCH_PASSWORD, _csrf: csrfToken }).toString(),
      },
    },
    // The floor: what any request costs here (HTTP, hooks, the load generator), with no query at all.
    { route: 'GET /health/live', options: { expect: 200, headers: () => ({}) } },
    // The floor for a signed-in page: the session check and the NHS.UK layout around a page that asks nothing else.
    { route: 'GET /accessibility (signed in)', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(linkWorkerSessions)}` }) } },
    { route: 'GET /today', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(linkWorkerSessions)}` }) } },
    { route: 'GET /manager', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(managerSessions)}` }) } },
    { route: 'GET /caseload', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(linkWorkerSessions)}` }) } },
    {
      route: 'GET /episodes/:id',
      options: {
        expect: 200,
        path: () => `/episodes/${withEpisodes[turn % withEpisodes.length]!.episodeId}`,
        headers: () => ({ cookie: `anchorpoint_session=${next(withEpisodes).token}` }),
      },
    },
    {
      route: 'POST /episodes/:id/contacts',
      options: {
        method: 'POST' as const,
        expect: 302,
        path: () => `/episodes/${withEpisodes[turn % withEpisodes.length]!.recordOnId}/contacts`,
        headers: () => ({ 'content-type': 'application/x-www-form-urlencoded', cookie: `anchorpoint_session=${next(withEpisodes).token}; ${csrfCookie}` }),
        body: () => {
          const { date, time } = londonParts(new Date(Date.now() - 60_000));
          return new URLSearchParams({
            _csrf: csrfToken,
            date,
            time,
            mode: 'phone',
            status: 'attended',
            contactType: 'support',
            durationMinutes: '30',
            notes: 'Bench contact',
            discretionReason: 'Synthetic load test',
          }).toString();
        },
      },
    },
  ];
  routes.push(
    { route: 'GET /provider/referrals', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(providerSessions)}` }) } },
    { route: 'GET /gaps', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(managerSessions)}` }) } },
    { route: 'GET /reports/outcomes', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(managerSessions)}` }) } },
    { route: 'GET /reports/activity', options: { expect: 200, headers: () => ({ cookie: `anchorpoint_session=${next(managerSessions)}` }) } },
  );
  if (origins.length) {
    routes.push(
      {
        route: 'GET /directory (search page)',
        options: {
          expect: 200,
          path: () => {
            const o = origins[turn % origins.length]!;
            return `/directory?q=singing&need=${o.need}&postcode=${o.outcode}&radius=3`;
          },
          headers: () => ({ cookie: `anchorpoint_session=${next(linkWorkerSessions)}` }),
        },
      },
      {
        route: 'GET /openreferral/services',
        options: {
          expect: 200,
          path: () => {
            const o = origins[turn++ % origins.length]!;
            return `/openreferral/services?search=singing&taxonomy_term_id=${o.needTermId}&postcode=${o.outcode}&proximity=4828`;
          },
          headers: () => ({}),
        },
      },
    );
  }
  // The app's sweeps run once as it starts; let them finish before measuring anything.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  for (const { route, options } of routes.filter((r) => !only || new RegExp(only).test(r.route))) {
    process.stdout.write(`Driving ${route}… `);
    const target = `${url}${route.split(' ')[1]}`;
    // Two seconds unmeasured first, so the route's code is compiled and its pages are cached.
    if (rate) await pacedUsers(target, options, rate, 2);
    else await drive(target, options, 2);
    const run = rate ? await pacedUsers(target, options, rate) : await drive(target, options);
    console.log(`${run.result.requests.total} requests`);
    http.push({ route, run });
  }
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('exit', resolve));

  if (!baseUrl) {
    database = await openDatabase({ dataDir });
    await database.useAppRole();
  }
  const db = database.db;
  const sqlTimes = {
    'POST /sign-in': { query: 'user by e-mail', times: await timeQuery(db, () => userByEmailQuery(db, next(emails)).compile()) },
    'GET /health/live': { query: 'select 1', times: await timeQuery(db, () => sql`select 1`.compile(db)) },
    'GET /accessibility (signed in)': { query: 'session → actor', times: await timeQuery(db, () => sessionActorQuery(db, sha256(next(linkWorkerSessions))).compile()) },
    'GET /today': { query: 'session → actor', times: await timeQuery(db, () => sessionActorQuery(db, sha256(next(linkWorkerSessions))).compile()) },
    'GET /manager': { query: 'session → actor', times: await timeQuery(db, () => sessionActorQuery(db, sha256(next(managerSessions))).compile()) },
    'GET /caseload': {
      query: 'caseload',
      times: await timeQuery(db, () => {
        const w = next(workers);
        return caseloadQuery(db, { serviceId: w.serviceId, linkWorkerUserId: w.userId, limit: 1000 }).compile();
      }),
    },
    'GET /episodes/:id': {
      query: 'episode by id',
      times: await timeQuery(db, () => {
        const w = next(withEpisodes);
        return episodeQuery(db, w.serviceId, w.episodeId).compile();
      }),
    },
    'POST /episodes/:id/contacts': {
      query: 'insert contact',
      times: await timeQuery(db, () => {
        const w = next(withEpisodes);
        return db
          .insertInto('contact')
          .values({ service_id: w.serviceId, episode_id: w.recordOnId, starts_at: new Date(), mode: 'phone', duration_minutes: 30, status: 'attended', contact_type: 'support', notes: 'Raw', recorded_by_user_id: w.userId, link_worker_user_id: w.userId })
          .compile();
      }),
    },
    'GET /provider/referrals': {
      query: 'provider inbox',
      times: await timeQuery(db, () => providerInboxQuery(db, next(providerActors)).compile()),
    },
    'GET /gaps': {
      query: 'gaps register',
      times: await timeQuery(db, () => gapRegisterQuery(db, [next(managerServices)], {}).compile()),
    },
    'GET /reports/outcomes': {
      query: 'report responses',
      times: await timeQuery(
        db,
        () => {
          const serviceId = next(managerServices);
          return db
            .selectFrom('measure_response')
            .select(['episode_id', 'instrument_code', 'timepoint', 'completed_on', 'status', 'score', 'item_results'])
            .where('service_id', '=', serviceId)
            .where(
              'episode_id',
              'in',
              db
                .selectFrom('episode as e')
                .innerJoin('referral as r', 'r.id', 'e.referral_id')
                .select('e.id')
                .where('e.service_id', '=', serviceId)
                .where('r.received_at', '>', new Date(Date.now() - 365 * 86_400_000)),
            )
            .compile();
        },
        100,
      ),
    },
    'GET /reports/activity': {
      query: 'holding periods',
      times: await timeQuery(
        db,
        () => {
          const from = londonParts(new Date(Date.now() - 365 * 86_400_000)).date;
          return db.selectFrom(holdingPeriods(db, { serviceIds: [next(managerServices)], from, to: londonParts(new Date()).date, suppress: false }).as('hp')).selectAll().compile();
        },
        100,
      ),
    },
    'GET /directory (search page)': {
      query: 'directory search',
      times: await timeQuery(db, () => {
        const o = next(origins);
        return withSessions(searchStatement(db, { ...EMPTY_QUERY, q: 'singing', need: o.need, radiusMetres: 3 * METRES_PER_MILE }, o.point, 'singing')).compile();
      }),
    },
    'GET /openreferral/services': {
      query: 'directory search',
      times: await timeQuery(db, () => {
        const o = next(origins);
        return withSummaryColumns(searchStatement(db, { ...EMPTY_QUERY, q: 'singing', need: o.need, includeInactive: true, perPage: 50, radiusMetres: 4828 }, o.point, 'singing')).compile();
      }),
    },
  } as const;

  const rows: Row[] = http.map(({ route, run }) => {
    const raw = sqlTimes[route as keyof typeof sqlTimes];
    return {
      route,
      requestsPerSecond: run.result.requests.average,
      p50: percentile(run.latencies, 50),
      p95: percentile(run.latencies, 95),
      p99: percentile(run.latencies, 99),
      unexpected: run.unexpected + run.result.errors + run.result.timeouts,
      query: raw.query,
      sqlP50: percentile(raw.times, 50),
      sqlP95: percentile(raw.times, 95),
      sqlP99: percentile(raw.times, 99),
    };
  });

  console.log(`\nScale: ${scale.services} services, ${counts.organisations} organisations, ${users.n} accounts, ${people.n} people, ${contacts.n} contacts. ${database.describe()}. ${connections} ${rate ? `users at ${rate} request/s each` : 'connections, no pause'} × ${duration}s; app in ${values.copies} process(es). Raw SQL ${rate ? `driven by the same ${connections} users at the same pace, on a pool of 10` : 'one query at a time'}.`);
  console.log('route                          req/s    p50 ms   p95 ms   p99 ms  failures | main query         sql p50  sql p95  sql p99');
  for (const row of rows) {
    console.log(
      `${row.route.padEnd(29)} ${row.requestsPerSecond.toFixed(0).padStart(6)} ${ms(row.p50).padStart(9)} ${ms(row.p95).padStart(8)} ${ms(row.p99).padStart(8)} ${String(row.unexpected).padStart(9)}  | ${row.query.padEnd(18)} ${ms(row.sqlP50).padStart(7)} ${ms(row.sqlP95).padStart(8)} ${ms(row.sqlP99).padStart(8)}`,
    );
  }
  console.log('\nFailures: responses other than the route\'s success status (302 for sign-in, 200 for pages), errors and timeouts.');
  console.log('POST /sign-in time is mostly the argon2id hash, by design (19 MiB, 2 passes).');
  fs.mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  fs.writeFileSync(file, JSON.stringify({ scale, connections, rate: rate ?? null, copies: Number(values.copies), duration, database: database.describe(), rows }, null, 2));
  console.log(`Results written to ${file}`);

  if (schema && !values.keep && !reuse) await database.withOwner((run) => run(`DROP SCHEMA ${schema} CASCADE`));
  await database.close();
  if (dataDir && !values.keep) fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
