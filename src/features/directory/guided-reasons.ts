import type { PageContext } from '../../platform/http/page.js';
import { describeMeetingTime } from './schedule.js';
import type { DirectoryResult } from './types.js';

/** "Español (Spanish)": a language in its own words, then in the reader's. */
export function languageName(code: string, locale: string): string {
  try {
    const own = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
    const here = new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
    return own === here ? here : `${own} (${here})`;
  } catch {
    return code;
  }
}

/**
 * One line on why a group may suit: built from its facts only ("For carers · Peer-led · Meets
 * Tuesdays 19:30–21:00 (your time), online · 40 active members").
 */
export function reasonFor(ctx: PageContext, r: DirectoryResult, wantedLanguage: string | null): string {
  const { t } = ctx;
  const parts: string[] = [];
  if (r.kind === 'listing') parts.push(t('guided.reason.elsewhere'));
  if (r.audiences.includes('carers'))
    parts.push(r.audiences.includes('self') ? t('guided.reason.forCarersAndSelf') : t('guided.reason.forCarers'));
  parts.push(t(`groups.leadership.${r.leadership}`));
  const meeting = r.meetingTimes[0];
  if (meeting)
    parts.push(t('guided.reason.meets', { when: describeMeetingTime(meeting, ctx.viewer?.timeZone ?? null, t) }));
  else if (r.formats.length > 0)
    parts.push(
      new Intl.ListFormat(ctx.locale, { type: 'conjunction' }).format(
        r.formats.map((f, i) => {
          const label = t(`guided.reason.formats.${f}`);
          return i === 0 ? label : label.toLocaleLowerCase(ctx.locale);
        }),
      ),
    );
  if (r.distanceKm !== null)
    parts.push(
      r.distanceKm < 1 ? t('guided.reason.nearby') : t('guided.reason.distance', { km: Math.round(r.distanceKm) }),
    );
  else if (r.placeName && r.formats.includes('in_person')) parts.push(t('guided.reason.place', { place: r.placeName }));
  if (r.language !== (wantedLanguage ?? ctx.locale))
    parts.push(t('guided.reason.language', { language: languageName(r.language, ctx.locale) }));
  if (r.activeMembers >= 2) parts.push(t('guided.reason.active', { count: r.activeMembers }));
  else if (r.kind === 'group' && r.memberCount > 0) parts.push(t('guided.reason.members', { count: r.memberCount }));
  if (r.replyRate >= 0.6) parts.push(t('guided.reason.replies'));
  return parts.join(' · ');
}
