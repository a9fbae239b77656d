import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { FeedError, importServices, parseFeed } from '../modules/directory/directory-import-service.js';
import { ConfigError, loadConfig } from '../config.js';
import { DatabaseUnavailableError } from '../db/client.js';
import { prepareDatabase } from '../db/bootstrap.js';
import { NotEmptyError, describeDemoAccounts, seedDemoRegion } from '../db/seed/demo-region.js';
import { verifyAuditChain } from '../platform/audit/audit-service.js';

const HELP = `Usage: npm run cli -- <command>

Commands:
  db:migrate      apply pending database migrations
  seed:demo       seed the synthetic demo region (only into an empty database)
  audit:verify    check the audit trail's hash chains; exits 1 if any row was changed or removed
  import-directory FILE [--source NAME]
                  import an Open Referral (UK v1 or v3) JSON feed of services; re-running updates by source id

The database is PGlite in ./data (DATA_DIR), or PostgreSQL when DATABASE_URL is set.`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  const { database, applied } = await prepareDatabase(config);
  try {
    switch (command) {
      case 'db:migrate':
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
        return 0;
      case 'seed:demo':
        await seedDemoRegion(database.db, { casework: true });
        console.log(describeDemoAccounts());
        return 0;
      case 'audit:verify': {
        const bar = new SingleBar({ format: 'Checking audit trail |{bar}| {value} events', clearOnComplete: true }, Presets.shades_classic);
        bar.start(0, 0);
        const result = await verifyAuditChain(database.db, (checked) => {
          bar.setTotal(checked);
          bar.update(checked);
        });
        bar.stop();
        if (result.problems.length === 0) {
          console.log(`Audit trail intact: ${result.events} events in ${result.chains} chains.`);
          console.log('Chain heads (keep a copy elsewhere to detect rows cut from the end):');
          for (const [chain, head] of Object.entries(result.heads)) console.log(`  ${chain}  event ${head.seq}  ${head.hash}`);
          return 0;
        }
        console.error(`Audit trail BROKEN: ${result.problems.length} problems in ${result.events} events.`);
        for (const problem of result.problems.slice(0, 50)) console.error(`  chain ${problem.chain}, event ${problem.seq}: ${problem.problem}`);
        return 1;
      }
      case 'import-directory': {
        const file = argv[1];
        if (!file) {
          console.error('Give the feed file: npm run cli -- import-directory FILE [--source NAME]');
          return 1;
        }
        const sourceAt = argv.indexOf('--source');
        const source = sourceAt > 0 ? (argv[sourceAt + 1] ?? '') : path.basename(file).replace(/\.json$/i, '');
        if (!/^[A-Za-z0-9._-]{1,100}$/.test(source)) {
          console.error('The source name may use letters, digits, dots, dashes and underscores (up to 100).');
          return 1;
        }
        let records: unknown[];
        try {
          records = parseFeed(fs.readFileSync(file, 'utf8'));
        } catch (error) {
          console.error(error instanceof FeedError ? error.message : `Could not read ${file}: ${(error as Error).message}`);
          return 1;
        }
        const bar = new SingleBar({ format: 'Importing |{bar}| {value}/{total} services', clearOnComplete: true }, Presets.shades_classic);
        bar.start(records.length, 0);
        const report = await importServices(database.db, records, { source, format: 'oruk-json', actor: null, onProgress: (done) => bar.update(done) });
        bar.stop();
        console.log(`Imported ${report.records} records from ${source}: ${report.created} created, ${report.updated} updated, ${report.skipped.length} skipped, ${report.flagged.length} kept with flagged fields.`);
        for (const skip of report.skipped) console.log(`  skipped #${skip.index + 1} ${skip.id ?? '(no id)'} ${skip.name ?? ''}: ${skip.reason}`);
        const problems = new Map<string, number>();
        for (const flag of report.flagged) for (const issue of flag.issues) problems.set(`${issue.field}: ${issue.problem}`, (problems.get(`${issue.field}: ${issue.problem}`) ?? 0) + 1);
        for (const [problem, count] of problems) console.log(`  flagged ${count} × ${problem}`);
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${HELP}`);
        return 1;
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof NotEmptyError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
