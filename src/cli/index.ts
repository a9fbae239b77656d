import { SingleBar, Presets } from 'cli-progress';
import { exportDirectory, importDirectory, importPostcodes } from './directory-commands.js';
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
  import-directory FILE|FOLDER|URL [--source NAME]
                  import services: an Open Referral (UK v1 or 3.0) JSON feed file, the folder of an
                  HSDS 3.0 CSV data package, or a feed's /services address (read page by page to the
                  end); re-running updates by source id
  import-postcodes FILE
                  load every UK postcode's location (postcode,latitude,longitude; .csv or .csv.gz), so
                  distances use full postcodes instead of outward-code centres
  export-directory FILE [--format json|csv]
                  write the whole directory as Open Referral UK 3.0 JSON, or as CSV

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
      case 'import-directory':
        return await importDirectory(database.db, argv);
      case 'import-postcodes':
        return await importPostcodes(database.db, argv[1]);
      case 'export-directory':
        return await exportDirectory(database.db, argv);
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
