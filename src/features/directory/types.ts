import type { DirectoryAccess, DirectoryAudience, DirectoryFormat } from './schema.js';

/** Parts of the week a visitor can ask for, in their own time zone (src/features/directory/schedule.ts). */
export const timeWindows = ['mornings', 'afternoons', 'evenings', 'weekdays', 'weekends'] as const;
export type TimeWindow = (typeof timeWindows)[number];

/** The access facet: the join policies, and 'free' (no membership fee). */
export type AccessFilter = DirectoryAccess | 'free';

export const directorySorts = ['relevance', 'active', 'newest', 'distance'] as const;
export type DirectorySort = (typeof directorySorts)[number];

/** A place from the gazetteer (src/features/directory/places.ts), or the visitor's shared location. */
export interface Place {
  /** "Leeds, England, United Kingdom" or "your location". */
  label: string;
  latitude: number;
  longitude: number;
  /** ISO 3166-1 alpha-2, when known. */
  country: string | null;
}

/**
 * What a visitor asked the directory for. In the URL of /groups (and the guided flow's results):
 * q, topic (repeatable, a topic's slug; a category includes its children), format, leadership,
 * access, language, audience, when (all repeatable), tz (IANA time zone), near (a place's name),
 * lat & lon (a shared location), within (km), kind (group | listing), sort, page.
 */
export interface DirectoryQuery {
  text: string;
  topics: string[];
  formats: DirectoryFormat[];
  leadership: ('peer' | 'professional')[];
  access: AccessFilter[];
  languages: string[];
  audiences: DirectoryAudience[];
  when: TimeWindow[];
  timeZone: string;
  near: Place | null;
  withinKm: number;
  kinds: ('group' | 'listing')[];
  sort: DirectorySort;
  page: number;
  pageSize: number;
}

export interface MeetingTimeView {
  weekday: number;
  startMinute: number;
  durationMinutes: number;
  timeZone: string;
  place: string;
}

/** One group or listing in the results: only what the directory may show anyone. */
export interface DirectoryResult {
  entryId: number;
  kind: 'group' | 'listing';
  /** '/g/<slug>' for a group, '/listings/<id>' for a listing. */
  href: string;
  name: string;
  summary: string;
  leadership: 'peer' | 'professional';
  access: DirectoryAccess;
  free: boolean;
  visibility: 'public' | 'members';
  language: string;
  formats: DirectoryFormat[];
  audiences: DirectoryAudience[];
  topics: { slug: string; name: string }[];
  /** The group's own tags ("long covid", "fatigue"). */
  tags?: string[];
  memberCount: number;
  activeMembers: number;
  replyRate: number;
  lastActivityAt: Date | null;
  placeName: string | null;
  /** From the place asked for, when one was. */
  distanceKm: number | null;
  meetingTimes: MeetingTimeView[];
  /** Highlighted name/summary are not offered: the page escapes and renders plain text. */
  score: number;
}

export interface FacetValue {
  value: string;
  /** Results there would be with this value chosen (other facets' choices kept, this facet's own left out). */
  count: number;
}

export type FacetName = 'topic' | 'format' | 'leadership' | 'access' | 'language' | 'audience' | 'when' | 'kind';

export interface DirectoryResults {
  results: DirectoryResult[];
  total: number;
  facets: Record<FacetName, FacetValue[]>;
  /** The query with misspelt words corrected ("diabetis" → "diabetes"), when that is what was searched. */
  correctedText: string | null;
  /** Topics the text named by name or synonym ("MS" → Multiple sclerosis). */
  matchedTopics: { slug: string; name: string }[];
}
