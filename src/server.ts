import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError, type Database } from './db/client.js';
import { prepareDatabase } from './db/bootstrap.js';
import { describeDemoAccounts, hasDemoRegion, isEmpty, seedDemoRegion } from './db/seed/demo-region.js';
import { generateTasks } from './modules/casework/task-service.js';
import { purgeExpiredSessions } from './platform/auth/session-service.js';
import { startSweeps } from './platform/sweeps.js';
import type { Kysely } from 'kysely';
import type { Schema } from './db/schema.js';
import { remindProviders } from './modules/directory/directory-reminders.js';
import { expireReferrals } from './modules/connections/connection-service.js';
import { sendQueuedEmails, smtpMailer } from './modules/notifications/mailer.js';

/**
 * The only file that listens. Start-up failures print one clear line and exit non-zero.
 * With WEB_CONCURRENCY above 1 (PostgreSQL only) this process migrates and seeds, then starts that
 * many copies of the app sharing the port (node:cluster), replaces any that crash, and passes on
 * SIGTERM/SIGINT so each finishes its requests in flight.
 */
async function main() {
  const config = loadConfig();
  if (cluster.isPrimary && config.webConcurrency > 1) return supervise(config.webConcurrency, config);
  const database = await prepare(config, { seed: cluster.isPrimary });

  const app = await buildApp({ config, database });
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
  const sweeps = startSweeps(app, [
    { name: 'expired sessions', lock: 727_101, everyMs: 15 * 60_000, run: (db) => purgeExpiredSessions(db, config) },
    { name: 'casework tasks', lock: 727_102, everyMs: 60 * 60_000, run: (db) => generateTasks(db) },
    { name: 'directory reminders', lock: 727_103, everyMs: 6 * 60 * 60_000, run: (db) => remindProviders(db) },
    { name: 'referral expiry', lock: 727_105, everyMs: 60 * 60_000, run: (db) => expireReferrals(db) },
    ...(mailer ? [{ name: 'e-mail', lock: 727_104, everyMs: 60_000, run: (db: Kysely<Schema>) => sendQueuedEmails(db, mailer, config.publicUrl) }] : []),
  ]);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      if (cluster.isWorker) return; // a terminal's Ctrl-C reaches the copies and the supervisor, which passes it on
      console.log(`${signal} again: stopping now.`);
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    sweeps.stop();
    const timer = setTimeout(() => {
      app.log.error('shutdown took longer than 20 seconds; stopping');
      process.exit(1);
    }, 20_000);
    timer.unref();
    // Keep-alive connections that finish a request after close() began would otherwise linger until their timeout.
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
    await app.close();
    clearInterval(sweeper);
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  if (cluster.isWorker) {
    process.send?.('listening');
    return;
  }
  await announce(config.publicUrl, database);
}

async function announce(publicUrl: string, database: Database, copies = 1) {
  console.log(`\nAnchorpoint is running at ${publicUrl} (database: ${database.describe()}${copies > 1 ? `; ${copies} copies` : ''})`);
  if (await hasDemoRegion(database.db)) console.log(`\n${describeDemoAccounts()}\n\nSign in at ${publicUrl}/sign-in`);
}

/** Migrates, and seeds the demo region into an empty database: done once, by the first process. */
async function prepare(config: ReturnType<typeof loadConfig>, { seed }: { seed: boolean }) {
  const { database, applied } = await prepareDatabase(config);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
  if (seed && config.seedDemo && (await isEmpty(database.db))) {
    await seedDemoRegion(database.db, { casework: true });
    console.log('Seeded the demo region (Scunthorpe, synthetic data).');
  }
  return database;
}

async function supervise(copies: number, config: ReturnType<typeof loadConfig>) {
  const database = await prepare(config, { seed: true });
  let stopping = false;
  let listening = 0;
  const start = () =>
    cluster.fork().on('message', (message) => {
      if (message === 'listening' && ++listening === copies) void announce(config.publicUrl, database, copies);
    });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void database.close().then(() => process.exit(0));
      return;
    }
    console.error(`A copy of the app stopped (${signal ?? `exit ${code}`}); starting another.`);
    start();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < copies; i++) start();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    console.error(error.message);
  } else {
    console.error('Anchorpoint could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
