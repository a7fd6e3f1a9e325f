/**
 * npm run demo [-- --force]
 *
 * Fills the database the server would use (same configuration: DATA_DIR or DATABASE_URL) with a
 * small, invented support community, so a newcomer can look around at once. Safe to run twice.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/platform/db/client.js';
import { DEMO_PASSWORD } from './demo-content.js';
import { seedDemo, type DemoAccount } from './demo-seed.js';

const usage =
  'Usage: npm run demo [-- --force]\n  --force  add the demo even though the site already has other accounts';

async function main(args: string[]): Promise<number> {
  if (args.some((a) => a !== '--force')) {
    console.error(usage);
    return 2;
  }
  const force = args.includes('--force');
  const config = loadConfig();
  const database = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir },
  );
  try {
    console.log(`Database: ${config.databaseUrl ? `PostgreSQL at ${safeUrl(config.databaseUrl)}` : config.dataDir}`);
    await database.migrate();
    const started = performance.now();
    const result = await seedDemo(database.db, { force, log: (line) => console.log(line) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    if (result.status === 'refused') {
      console.error(
        [
          '',
          `This site already has ${result.existingUsers} account${result.existingUsers === 1 ? '' : 's'}, so it looks like a real community.`,
          'The demo would add invented people, groups and conversations alongside theirs, so it was not added.',
          'To add it anyway: npm run demo -- --force',
        ].join('\n'),
      );
      return 1;
    }
    if (result.status === 'already-there') {
      console.log('\nThe demo data is already there; nothing was added.');
    } else {
      const c = result.counts;
      console.log(
        `\nCreated ${c.accounts} accounts, ${c.groups} groups, ${c.threads} threads, ${c.replies} replies and ${c.reactions} reactions in ${seconds} s.`,
      );
    }
    printAccounts(result.accounts);
    const sameDatabase = process.env.DATABASE_URL ? 'DATABASE_URL' : process.env.DATA_DIR ? 'DATA_DIR' : null;
    console.log(
      `\nNow run: npm start${sameDatabase ? ` (with the same ${sameDatabase})` : ''} and open ${config.baseUrl}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

function printAccounts(accounts: DemoAccount[]): void {
  console.log(`\nDemo accounts. Every one signs in with the password: ${DEMO_PASSWORD}\n`);
  const nameWidth = Math.max('Pseudonym'.length, ...accounts.map((a) => a.pseudonym.length));
  const emailWidth = Math.max('Email'.length, ...accounts.map((a) => a.email.length));
  const line = (name: string, email: string, roles: string) =>
    `  ${name.padEnd(nameWidth)}  ${email.padEnd(emailWidth)}  ${roles}`;
  console.log(line('Pseudonym', 'Email', 'Roles'));
  console.log(line('-'.repeat(nameWidth), '-'.repeat(emailWidth), '-----'));
  for (const a of accounts) console.log(line(a.pseudonym, a.email, rolesOf(a)));
}

function rolesOf(a: DemoAccount): string {
  const parts: string[] = [];
  if (a.isAdmin) parts.push('site administrator');
  for (const lead of a.leads) parts.push(`${lead.role} of ${lead.group}`);
  const memberOnly = a.groupCount - a.leads.length;
  if (memberOnly > 0) {
    const groups = `${memberOnly} ${a.leads.length ? 'more ' : ''}group${memberOnly === 1 ? '' : 's'}`;
    parts.push(`member of ${groups}`);
  }
  return parts.join('; ') || 'no groups yet';
}

/** The connection URL without its password, for printing. */
function safeUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  },
);
