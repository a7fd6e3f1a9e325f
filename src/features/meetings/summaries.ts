import { sql, type SQL } from 'drizzle-orm';

/** An occurrence as another feature's page shows it in passing (a notification): what and when. */
export interface OccurrenceSummary {
  id: number;
  title: string;
  /** ISO, as JSON carries it. */
  startsAt: string;
  cancelled: boolean;
}

/**
 * For another feature's query (the notifications list): the occurrence with this id (a qualified
 * column) as JSON, or null once it is gone, so that a page of notifications needs no extra round trip.
 */
export function occurrenceSummarySql(occurrenceId: SQL): SQL<OccurrenceSummary | null> {
  return sql`(select json_build_object('id', so.id, 'title', sm.title, 'startsAt', so.starts_at,
      'cancelled', so.cancelled_at is not null or sm.cancelled_at is not null)
    from meeting_occurrences so join meetings sm on sm.id = so.meeting_id where so.id = ${occurrenceId})`;
}
