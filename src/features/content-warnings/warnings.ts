import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';

/*
 * Content warnings. A post's warning is stored in posts.content_warning as a preset's key, or as
 * the author's own words. Each member chooses per topic (each preset, and "other" for own words)
 * whether such posts show open or collapsed behind the warning; collapsed is the default.
 */

export const warningPresets = ['suicide', 'self_harm', 'eating_disorders', 'abuse', 'death', 'medical'] as const;
export type WarningPreset = (typeof warningPresets)[number];
/** The topics a member sets a preference for: the presets, and warnings in an author's own words. */
export const warningTopics = [...warningPresets, 'other'] as const;
export type WarningTopic = (typeof warningTopics)[number];

export const OWN_WORDS_MAX = 60;

export function isPreset(value: string): value is WarningPreset {
  return (warningPresets as readonly string[]).includes(value);
}

/** The topic a stored warning falls under, for preferences. */
export function topicOf(warning: string): WarningTopic {
  return isPreset(warning) ? warning : 'other';
}

/** Own words that name a preset ("Self-harm", "self harm") are that preset, so preferences apply. */
const presetSpellings: Record<string, WarningPreset> = {
  suicide: 'suicide',
  'self harm': 'self_harm',
  'self-harm': 'self_harm',
  self_harm: 'self_harm',
  'eating disorders': 'eating_disorders',
  'eating disorder': 'eating_disorders',
  eating_disorders: 'eating_disorders',
  abuse: 'abuse',
  death: 'death',
  medical: 'medical',
  'graphic medical detail': 'medical',
};

/**
 * A warning as given (a preset's key or own words; '' or null for none), in the form it is stored.
 * Returns 'tooLong' for own words over the limit.
 */
export function normaliseWarning(given: string | null | undefined): string | null | 'tooLong' {
  const words = (given ?? '').trim().replace(/\s+/g, ' ');
  if (words === '') return null;
  const preset = presetSpellings[words.toLowerCase()];
  if (preset) return preset;
  return words.length > OWN_WORDS_MAX ? 'tooLong' : words;
}

/**
 * The warning fields of the new-thread, reply and edit forms: a choice ('' for none, a preset, or
 * 'other') and the author's own words for 'other'. Absent altogether means "leave it as it is".
 */
export const warningFields = {
  warning: z.enum(['', ...warningTopics]).optional(),
  warningOther: z.string().max(1000).optional(),
};

type WarningData = { warning?: '' | WarningTopic | undefined; warningOther?: string | undefined };

/** For a form schema's superRefine: own words are needed for "other", and must be short. */
export function checkWarning(data: WarningData, ctx: z.RefinementCtx): void {
  if (data.warning !== 'other') return;
  const own = normaliseWarning(data.warningOther);
  if (own === null)
    ctx.addIssue({ code: 'custom', path: ['warningOther'], message: 'contentWarnings.errors.ownWords' });
  if (own === 'tooLong')
    ctx.addIssue({ code: 'custom', path: ['warningOther'], message: 'contentWarnings.errors.tooLong' });
}

/** The warning a checked form asks for: undefined when the form did not say (keep it), null for none. */
export function warningFromForm(data: WarningData): string | null | undefined {
  if (data.warning === undefined) return undefined;
  if (data.warning === '') return null;
  const stored = normaliseWarning(data.warning === 'other' ? data.warningOther : data.warning);
  return stored === 'tooLong' ? null : stored;
}

/**
 * For the forum's posts query (the row is `posts`): whether this viewer sees the post open. Posts
 * without a warning, and the viewer's own, are open; others follow the viewer's choice for the topic.
 */
export function warningOpenSql(viewerId: number | null): SQL<boolean> {
  const presets = sql.join(
    warningPresets.map((p) => sql`${p}`),
    sql`, `,
  );
  return sql<boolean>`(posts.content_warning is null or coalesce(posts.author_id = ${viewerId ?? -1}, false)
    or exists (select 1 from content_warning_preferences cwp where cwp.user_id = ${viewerId ?? -1} and cwp.show
      and cwp.topic = case when posts.content_warning in (${presets}) then posts.content_warning else 'other' end))`;
}
