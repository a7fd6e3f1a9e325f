import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberNameSql } from '../groups/index.js';
import type { PollRow } from './schema.js';

/** One option as a reader sees it: its votes, whether the reader chose it, and who did (named polls). */
export interface OptionView {
  id: number;
  label: string;
  /** "Find a time": the time offered. */
  startsAt: Date | null;
  votes: number;
  chosen: boolean;
  /** Voters by their names in the group; null for an anonymous poll, whoever reads it. */
  voters: string[] | null;
}

export interface PollView extends Pick<
  PollRow,
  | 'id'
  | 'kind'
  | 'question'
  | 'multiple'
  | 'anonymous'
  | 'results'
  | 'timeZone'
  | 'durationMinutes'
  | 'closesAt'
  | 'closedAt'
  | 'meetingId'
> {
  /** The first date of the meeting the chosen time became. */
  occurrenceId: number | null;
  /** The reader started it. */
  mine: boolean;
  /** How many people voted. */
  voterCount: number;
  options: OptionView[];
}

/**
 * The polls of the threads `where` picks (a condition on `p`), with their options, counts and the
 * reader's own votes, in one SELECT (the thread page asks it inside the thread's own statement).
 * Who voted for what is asked only of named polls, by the voters' names in the group; an
 * anonymous poll's voters are never read, for anyone.
 */
export function pollViewsSql(viewerId: number | null, where: SQL): SQL {
  const me = viewerId ?? -1;
  const voterName = memberNameSql(sql`p.group_id`, sql`v.user_id`);
  return sql`select p.id, p.kind, p.question, p.multiple, p.anonymous, p.results, p.time_zone as "timeZone",
      p.duration_minutes as "durationMinutes", p.closes_at as "closesAt", p.closed_at as "closedAt",
      p.meeting_id as "meetingId",
      (select o.id from meeting_occurrences o where o.meeting_id = p.meeting_id
        order by o.starts_at limit 1) as "occurrenceId",
      coalesce(p.created_by = ${me}, false) as "mine",
      (select count(distinct v.user_id)::int from poll_votes v where v.poll_id = p.id) as "voterCount",
      (select coalesce(json_agg(json_build_object(
          'id', o.id, 'label', o.label, 'startsAt', o.starts_at,
          'votes', (select count(*)::int from poll_votes v where v.option_id = o.id),
          'chosen', exists (select 1 from poll_votes v where v.option_id = o.id and v.user_id = ${me}),
          'voters', case when p.anonymous then null else
            (select coalesce(json_agg(n.name order by n.name), '[]'::json)
              from (select ${voterName} as name from poll_votes v where v.option_id = o.id) n) end
        ) order by o.position), '[]'::json)
        from poll_options o where o.poll_id = p.id) as "options"
    from polls p where ${where}`;
}

const dateOf = (v: unknown): Date | null =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v));

/** The rows of pollViewsSql (as JSON objects or as driver rows) as views. */
export function readPollViews(rows: Record<string, unknown>[]): PollView[] {
  return rows
    .map((row) => {
      const options = (typeof row.options === 'string' ? JSON.parse(row.options) : row.options) as
        Record<string, unknown>[] | null;
      return {
        id: Number(row.id),
        kind: row.kind as PollView['kind'],
        question: String(row.question),
        multiple: Boolean(row.multiple),
        anonymous: Boolean(row.anonymous),
        results: row.results as PollView['results'],
        timeZone: row.timeZone === null ? null : String(row.timeZone),
        durationMinutes: row.durationMinutes === null ? null : Number(row.durationMinutes),
        closesAt: dateOf(row.closesAt),
        closedAt: dateOf(row.closedAt),
        meetingId: row.meetingId === null ? null : Number(row.meetingId),
        occurrenceId: row.occurrenceId === null || row.occurrenceId === undefined ? null : Number(row.occurrenceId),
        mine: Boolean(row.mine),
        voterCount: Number(row.voterCount ?? 0),
        options: (options ?? []).map((o) => ({
          id: Number(o.id),
          label: String(o.label),
          startsAt: dateOf(o.startsAt),
          votes: Number(o.votes ?? 0),
          chosen: Boolean(o.chosen),
          voters: Array.isArray(o.voters) ? o.voters.map(String) : null,
        })),
      };
    })
    .sort((a, b) => a.id - b.id);
}

/** One poll as the reader sees it (for the fragment htmx swaps in after a vote). */
export async function readPollView(db: DbOrTx, viewerId: number | null, pollId: number): Promise<PollView | null> {
  const result = (await db.execute(pollViewsSql(viewerId, sql`p.id = ${pollId}`))) as unknown as {
    rows: Record<string, unknown>[];
  };
  return readPollViews(result.rows)[0] ?? null;
}

/** The poll as its reader sees it, as a column of another statement (a JSON array of one row). */
export function pollViewColumn(viewerId: number | null, pollId: number): SQL {
  return sql`(select coalesce(json_agg(x), '[]'::json) from (${pollViewsSql(viewerId, sql`p.id = ${pollId}`)}) x)`;
}

/** The value of pollViewColumn, read back. */
export function pollViewOf(value: unknown): PollView | null {
  const rows = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(rows) ? (readPollViews(rows as Record<string, unknown>[])[0] ?? null) : null;
}
