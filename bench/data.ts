/**
 * Generates a realistic community for benchmarks.
 *
 *   npm run bench:data -- [--scale 1] [--database-url postgres://...] [--force]
 *
 * At scale 1: 1,000 groups with discussions, 50,000 users, 100,000 threads, 1,000,000 posts,
 * with memberships and reactions; counters (reply_count, last_post_at, member_count,
 * last_activity_at) consistent. Besides them, the directory: 100,000 groups and listings in all
 * (bench/directory.ts), with topics, places, meeting times and activity.
 * Without a database URL (flag or DATABASE_URL) it writes to the embedded PGlite in
 * DATA_DIR (default ./data-bench).
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import { refreshDirectoryStats } from '../src/features/directory/stats.js';
import { openDatabase } from '../src/platform/db/client.js';
import { DirectoryPlanner } from './directory-plan.js';
import { groupColumns, groupRow, groupSlug, loadTopics, writeDirectory } from './directory.js';
import { connect, Inserter, timings, type Target } from './inserter.js';
import { chance, int, pick, rand, sampler, seedRandom } from './random.js';
import { capitalise, fill, postBody } from './post-text.js';
import * as W from './words.js';

const PASSWORD = 'bench-password';
const DAY = 86_400_000;

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    force: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
  },
});
const scale = Number(args.scale);
if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${args.scale}`);
const databaseUrl = args['database-url'] ?? process.env.DATABASE_URL ?? '';
seedRandom(Number(args.seed));

const iso = (ms: number) => new Date(ms).toISOString();

/** Splits total across weights, every share at least min (when total allows). */
function apportion(total: number, weights: ArrayLike<number>, min: number): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n);
  const base = Math.min(min, Math.floor(total / n));
  let left = total - base * n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  const pickOne = sampler(weights);
  for (let i = 0; i < n; i++) {
    const share = Math.floor((left * weights[i]!) / sum);
    out[i] = base + share;
  }
  let assigned = 0;
  for (let i = 0; i < n; i++) assigned += out[i]!;
  for (let rest = total - assigned; rest > 0; rest--) out[pickOne()]!++;
  left = 0;
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const nUsers = Math.max(10, Math.round(50_000 * scale));
  const nGroups = Math.max(3, Math.round(1_000 * scale));
  const nThreads = Math.max(nGroups, Math.round(100_000 * scale));
  const nPosts = Math.max(nThreads, Math.round(1_000_000 * scale));
  const nOrgs = Math.max(1, Math.round(20 * scale));

  const nEntries = Math.max(nGroups + 2, Math.round(100_000 * scale));
  const nListings = Math.round(nEntries * 0.25);
  const nExtraGroups = Math.max(0, nEntries - nListings - nGroups);

  const target = await connect(databaseUrl);
  console.log(`Bench data at scale ${scale} into ${target.label}`);
  const q = target.query;

  const existing = Number((await q('select count(*)::int as n from users')).rows[0]!.n);
  if (existing > 0 && !args.force) {
    console.error(`The database already has ${existing} users; refusing to add bench data (use --force).`);
    await target.close();
    process.exitCode = 1;
    return;
  }
  const maxId = async (table: string) =>
    Number((await q(`select coalesce(max(id), 0)::int as n from ${table}`)).rows[0]!.n);
  const uBase = await maxId('users');
  const gBase = await maxId('groups');
  const tBase = await maxId('threads');
  const pBase = await maxId('posts');
  const oBase = await maxId('organisations');

  const now = Date.now();
  const siteStart = now - 2 * 365 * DAY;
  const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });

  // Users ------------------------------------------------------------------------------------
  const userCreated = new Float64Array(nUsers);
  {
    const ins = new Inserter(
      target,
      'users',
      ['id', 'email', 'pseudonym', 'password_hash', 'is_admin', 'created_at'],
      ['int', 'text', 'text', 'text', 'bool', 'timestamptz'],
      nUsers,
      { overriding: true },
    );
    for (let i = 0; i < nUsers; i++) {
      const id = uBase + i + 1;
      // Sign-ups grow over time: more recent users than early ones.
      userCreated[i] = i === 0 ? siteStart : siteStart + Math.sqrt(rand()) * (now - siteStart - DAY);
      await ins.add(
        id,
        `user${id}@bench.mutual.test`,
        `Member ${id}`,
        passwordHash,
        i === 0 && uBase === 0,
        iso(userCreated[i]!),
      );
    }
    await ins.finish();
  }

  // Organisations ----------------------------------------------------------------------------
  const kinds = ['hospital', 'rehabilitation', 'correctional', 'charity', 'other'];
  {
    const ins = new Inserter(
      target,
      'organisations',
      ['id', 'slug', 'name', 'kind', 'description', 'created_by', 'created_at'],
      ['int', 'text', 'text', 'organisation_kind', 'text', 'int', 'timestamptz'],
      nOrgs,
      { overriding: true },
    );
    for (let i = 0; i < nOrgs; i++) {
      const id = oBase + i + 1;
      const name = `${pick(W.organisationNames)} ${id}`;
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      await ins.add(id, slug, name, pick(kinds), `${name} runs support groups.`, uBase + 1, iso(siteStart));
    }
    await ins.finish();
  }

  // Groups (plan) -----------------------------------------------------------------------------
  // What each group is about, its name and directory settings come from the taxonomy (bench/directory-plan.ts).
  const planner = new DirectoryPlanner(await loadTopics(target), now, siteStart);
  const groupPlans = [];
  const groupTopic: string[] = [];
  const groupCreated = new Float64Array(nGroups);
  const popularity = new Float64Array(nGroups);
  const professional: boolean[] = [];
  for (let g = 0; g < nGroups; g++) {
    professional.push(chance(0.3));
    const plan = planner.plan('group', { language: 'en', professional: professional[g] });
    // Members of a paid group need payments to read it: these groups' discussions are benched, so none is paid.
    if (plan.access === 'paid') plan.access = 'open';
    groupPlans.push(plan);
    groupTopic.push(plan.label);
    groupCreated[g] = siteStart + rand() * 0.75 * (now - siteStart);
    popularity[g] = 1 / Math.pow(1 + int(nGroups), 0.9); // Zipf-like: a few big groups, many small
  }

  // Memberships (plan): every user joins 1 + geometric groups, weighted by popularity.
  const members: number[][] = Array.from({ length: nGroups }, () => []);
  const owners = new Int32Array(nGroups);
  {
    const pickGroup = sampler(popularity);
    for (let u = 0; u < nUsers; u++) {
      let k = 1;
      while (k < 12 && chance(0.62)) k++;
      const mine = new Set<number>();
      for (let t = 0; t < k * 3 && mine.size < Math.min(k, nGroups); t++) mine.add(pickGroup());
      for (const g of mine) members[g]!.push(u);
    }
    for (let g = 0; g < nGroups; g++) {
      const list = members[g]!;
      if (list.length === 0) list.push(int(nUsers));
      owners[g] = list[int(list.length)]!;
    }
  }

  // Threads and post times (plan) -------------------------------------------------------------
  const memberCounts = members.map((m) => m.length);
  const threadsPerGroup = apportion(nThreads, memberCounts, 1);
  const threadGroup = new Int32Array(nThreads);
  const threadCreated = new Float64Array(nThreads);
  {
    let t = 0;
    for (let g = 0; g < nGroups; g++) {
      for (let i = 0; i < threadsPerGroup[g]!; i++, t++) {
        threadGroup[t] = g;
        threadCreated[t] = groupCreated[g]! + rand() * (now - groupCreated[g]! - 60_000);
      }
    }
  }
  // Heavy-tailed replies per thread: most threads get a few replies, some get hundreds.
  const threadWeights = new Float64Array(nThreads);
  for (let t = 0; t < nThreads; t++) threadWeights[t] = Math.min(300, Math.pow(1 - rand(), -0.75));
  const repliesPerThread = apportion(nPosts - nThreads, threadWeights, 0);
  const threadPostStart = new Int32Array(nThreads + 1);
  for (let t = 0; t < nThreads; t++) threadPostStart[t + 1] = threadPostStart[t]! + 1 + repliesPerThread[t]!;
  const postTime = new Float64Array(nPosts);
  const threadLast = new Float64Array(nThreads);
  const groupLast = Float64Array.from(groupCreated);
  for (let t = 0; t < nThreads; t++) {
    const start = threadPostStart[t]!;
    const end = threadPostStart[t + 1]!;
    const created = threadCreated[t]!;
    // Replies come within a month of the opening post (sooner for busy threads, never in the future).
    const window = Math.min(now - created, 30 * DAY);
    postTime[start] = created;
    for (let p = start + 1; p < end; p++) postTime[p] = created + rand() * window;
    postTime.subarray(start + 1, end).sort();
    threadLast[t] = postTime[end - 1]!;
    const g = threadGroup[t]!;
    if (threadLast[t]! > groupLast[g]!) groupLast[g] = threadLast[t]!;
  }

  // Groups ------------------------------------------------------------------------------------
  {
    const ins = new Inserter(
      target,
      'groups',
      groupColumns.map(([n]) => n),
      groupColumns.map(([, t]) => t),
      nGroups,
      { overriding: true },
    );
    for (let g = 0; g < nGroups; g++) {
      await ins.add(
        ...groupRow(gBase + g + 1, groupPlans[g]!, {
          memberCount: members[g]!.length,
          organisationId: professional[g] && chance(0.5) ? oBase + 1 + int(nOrgs) : null,
          createdBy: uBase + owners[g]! + 1,
          createdAt: groupCreated[g]!,
          lastActivityAt: groupLast[g]!,
        }),
      );
    }
    await ins.finish();
  }

  // Memberships -------------------------------------------------------------------------------
  {
    const total = memberCounts.reduce((a, b) => a + b, 0);
    const ins = new Inserter(
      target,
      'memberships',
      ['group_id', 'user_id', 'role', 'joined_at', 'credential', 'credential_verified_at'],
      ['int', 'int', 'group_role', 'timestamptz', 'text', 'timestamptz'],
      total,
    );
    for (let g = 0; g < nGroups; g++) {
      const list = members[g]!;
      const leaders = Math.min(list.length - 1, professional[g] ? 1 + int(3) : int(3));
      let leadersLeft = leaders;
      for (const u of list) {
        const from = Math.max(groupCreated[g]!, userCreated[u]!);
        const joined = u === owners[g] ? groupCreated[g]! : from + rand() * Math.max(0, now - from);
        let role = 'member';
        let credential: string | null = null;
        if (u === owners[g]) role = 'owner';
        else if (leadersLeft > 0) {
          leadersLeft--;
          role = professional[g] ? 'facilitator' : 'moderator';
          if (professional[g]) credential = pick(W.credentials);
        }
        await ins.add(gBase + g + 1, uBase + u + 1, role, iso(joined), credential, credential ? iso(joined) : null);
      }
    }
    await ins.finish();
  }

  // Threads -----------------------------------------------------------------------------------
  const threadTitle = (topic: string) => capitalise(fill(pick(W.titleTemplates), topic));
  const threadAuthor = new Int32Array(nThreads);
  {
    const ins = new Inserter(
      target,
      'threads',
      ['id', 'group_id', 'author_id', 'title', 'pinned', 'reply_count', 'created_at', 'last_post_at'],
      ['int', 'int', 'int', 'text', 'bool', 'int', 'timestamptz', 'timestamptz'],
      nThreads,
      { overriding: true },
    );
    for (let t = 0; t < nThreads; t++) {
      const g = threadGroup[t]!;
      const list = members[g]!;
      threadAuthor[t] = list[int(list.length)]!;
      await ins.add(
        tBase + t + 1,
        gBase + g + 1,
        uBase + threadAuthor[t]! + 1,
        threadTitle(groupTopic[g]!),
        chance(0.005),
        repliesPerThread[t]!,
        iso(threadCreated[t]!),
        iso(threadLast[t]!),
      );
    }
    await ins.finish();
  }

  // Posts and reactions -----------------------------------------------------------------------
  {
    const posts = new Inserter(
      target,
      'posts',
      ['id', 'group_id', 'thread_id', 'author_id', 'is_opening', 'body', 'body_html', 'created_at'],
      ['int', 'int', 'int', 'int', 'bool', 'text', 'text', 'timestamptz'],
      nPosts,
      { overriding: true },
    );
    const reactionInserts: [number, number, number, string, string][] = [];
    const kindsOf = ['support', 'me_too', 'thinking_of_you', 'helpful'];
    for (let t = 0; t < nThreads; t++) {
      const g = threadGroup[t]!;
      const list = members[g]!;
      const topic = groupTopic[g]!;
      for (let p = threadPostStart[t]!; p < threadPostStart[t + 1]!; p++) {
        const opening = p === threadPostStart[t]!;
        const author = opening ? threadAuthor[t]! : list[int(list.length)]!;
        const { body, html } = postBody(topic, opening);
        const postId = pBase + p + 1;
        await posts.add(
          postId,
          gBase + g + 1,
          tBase + t + 1,
          uBase + author + 1,
          opening,
          body,
          html,
          iso(postTime[p]!),
        );
        // About one reaction per post on average, more on opening posts, from distinct members.
        let n = opening ? int(6) : chance(0.55) ? 0 : 1 + int(3);
        n = Math.min(n, list.length);
        const seen = new Set<number>();
        for (let r = 0; r < n; r++) {
          const u = list[int(list.length)]!;
          if (seen.has(u)) continue;
          seen.add(u);
          const at = Math.min(now, postTime[p]! + rand() * 2 * DAY);
          reactionInserts.push([gBase + g + 1, postId, uBase + u + 1, pick(kindsOf), iso(at)]);
        }
      }
    }
    await posts.finish();

    const reactions = new Inserter(
      target,
      'reactions',
      ['group_id', 'post_id', 'user_id', 'kind', 'created_at'],
      ['int', 'int', 'int', 'reaction_kind', 'timestamptz'],
      reactionInserts.length,
    );
    for (const row of reactionInserts) await reactions.add(...row);
    await reactions.finish();
  }

  // The directory: groups without discussions here, listings, settings, meeting times ----------
  await writeDirectory(target, planner, {
    fullGroups: groupPlans.map((plan, g) => ({ id: gBase + g + 1, plan })),
    counts: { extraGroups: nExtraGroups, listings: nListings },
    userIds: { base: uBase, count: nUsers },
  });

  // Identity sequences continue after the explicit ids; planner statistics are fresh (the stats
  // job's own queries are planned with them too).
  for (const table of ['users', 'organisations', 'threads', 'posts']) {
    await q(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
  }
  const analyseStart = performance.now();
  await q('analyze');
  console.log(`  analyze: ${((performance.now() - analyseStart) / 1000).toFixed(1)} s`);
  await refreshStats(target);
  // Each entry was written three times (the trigger, its settings, the stats job): compact the
  // table as a restored or long-vacuumed database would be, rather than bench three times its size.
  await q('vacuum full analyze directory_entries');
  await q('analyze search_words');
  await target.close();

  const total = (performance.now() - started) / 1000;
  console.log(`\n${'Table'.padEnd(30)}         rows    seconds`);
  for (const [table, rows, secs] of timings) {
    console.log(`${table.padEnd(30)} ${rows.toLocaleString('en').padStart(12)} ${secs.toFixed(1).padStart(10)}`);
  }
  console.log(`Total time: ${total.toFixed(1)} s`);
  console.log('\nBench accounts (every user has the same password):');
  console.log(`  password:  ${PASSWORD}`);
  console.log(`  admin:     user${uBase + 1}@bench.mutual.test${uBase === 0 ? ' (site administrator)' : ''}`);
  console.log(`  member:    user${uBase + 2}@bench.mutual.test … user${uBase + nUsers}@bench.mutual.test`);
  console.log(`  a group:   /g/${groupSlug(gBase + 1, groupPlans[0]!)}`);
}

/**
 * The directory's stats job (activity columns, the "did you mean" lexicon), through the app's own
 * code, on a connection of its own.
 */
async function refreshStats(target: Target): Promise<void> {
  const started = performance.now();
  const database =
    target.kind === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 1 })
      : target.database!;
  try {
    await refreshDirectoryStats(database.db);
  } finally {
    if (target.kind === 'postgres') await database.close();
  }
  const words = Number((await target.query('select count(*)::int as n from search_words')).rows[0]!.n);
  const secs = (performance.now() - started) / 1000;
  timings.push(['directory stats', words, secs]);
  console.log(`  directory stats: ${words.toLocaleString('en')} search words in ${secs.toFixed(1)} s`);
}

await main();
