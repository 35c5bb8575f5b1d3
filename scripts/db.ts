// Manages the local Postgres cluster (port 54322).
// Usage: tsx scripts/db.ts start | stop | reset | status
//   start  create the cluster if needed and start it (does not touch data)
//   reset  start, then rebuild the `postgres` database from baseline + migrations + seed
import { Steps } from './lib/steps.ts';
import { ensureCluster, startDb, stopDb, buildDatabase, isRunning } from './lib/db.ts';
import { dbUrl, DB_PORT } from './lib/config.ts';

const command = process.argv[2] ?? 'status';

async function main(): Promise<void> {
  switch (command) {
    case 'start': {
      const steps = new Steps(2, 'db ');
      await steps.run('creating the Postgres cluster (first run only)', ensureCluster);
      await steps.run(`starting Postgres on port ${DB_PORT}`, startDb);
      break;
    }
    case 'reset': {
      const steps = new Steps(3, 'db ');
      await steps.run('creating the Postgres cluster (first run only)', ensureCluster);
      await steps.run(`starting Postgres on port ${DB_PORT}`, startDb);
      await steps.run('rebuilding the database (baseline, migrations, seed)', () => buildDatabase('postgres'));
      console.log(`database ready: ${dbUrl()}`);
      break;
    }
    case 'stop':
      await stopDb();
      console.log('Postgres stopped');
      break;
    case 'status':
      console.log((await isRunning()) ? `running: ${dbUrl()}` : 'stopped');
      break;
    default:
      console.error(`unknown command ${command}: use start, stop, reset or status`);
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
