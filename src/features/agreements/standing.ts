import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';

/*
 * The leaf of the agreements feature: what the groups feature asks of it while it loads (the
 * standing column of a group's access, the form field its ways in read), with no import of any
 * feature, so that groups and agreements can use each other.
 */

/** A group's agreements as one person stands with them: the current version (0: none) and the one they accepted. */
export interface AgreementStanding {
  version: number;
  accepted: number;
}

export const noAgreements: AgreementStanding = { version: 0, accepted: 0 };

/**
 * For the group access query: the group's agreements version and the version this person accepted
 * (0 when never), as one JSON object, or null when the group has no agreements row.
 */
export function agreementStandingSql(groupId: SQL, userId: number): SQL<AgreementStanding | null> {
  return sql`(select json_build_object('version', ga.version, 'accepted', coalesce((select aa.version
      from agreement_acceptances aa where aa.group_id = ga.group_id and aa.user_id = ${userId}), 0))
    from group_agreements ga where ga.group_id = ${groupId})`;
}

/** A group's own welcome message (a qualified column holding its id); null or '' when it has none. */
export function welcomeMessageSql(groupId: SQL): SQL<string | null> {
  return sql`(select ga.welcome_message from group_agreements ga where ga.group_id = ${groupId})`;
}

/**
 * "I accept the group's agreements", as every way into a group reads it: a ticked box ('on'), or
 * true from the JSON API (`acceptAgreements: true`).
 */
export const acceptAgreementsField = z
  .union([z.literal('on'), z.literal('true'), z.literal(''), z.boolean()])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);
