/**
 * How the demo's groups are described in the directory (topics, formats, who they are for,
 * where and when they meet), and a few groups hosted elsewhere. Plain data, read by
 * scripts/demo-seed.ts. Every group and listing here is invented.
 */

export interface DemoMeeting {
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
  start: string;
  durationMinutes: number;
  timeZone: string;
  place: 'online' | 'in_person' | 'phone';
}

export interface DemoProfile {
  topics: string[];
  formats: string[];
  audiences: string[];
  /** A place name the gazetteer knows, or none. */
  place?: string;
  meetings?: DemoMeeting[];
  /** The group chose to be listed by search engines. */
  searchEngines?: boolean;
}

/** By group name (scripts/demo-content.ts). */
export const demoProfiles: Record<string, DemoProfile> = {
  'Losing a Parent': {
    topics: ['bereavement'],
    formats: ['forum', 'online_meetings'],
    audiences: ['self'],
    meetings: [{ weekday: 0, start: '19:00', durationMinutes: 60, timeZone: 'Europe/London', place: 'online' }],
    searchEngines: true,
  },
  'Type 1 & Type 2 Diabetes Together': {
    topics: ['diabetes'],
    formats: ['forum', 'chat'],
    audiences: ['self', 'carers'],
    searchEngines: true,
  },
  "Dementia Carers' Corner": {
    topics: ['dementia-carers', 'ageing-parents'],
    formats: ['forum', 'online_meetings', 'in_person'],
    audiences: ['carers'],
    place: 'Leeds',
    meetings: [
      { weekday: 2, start: '19:30', durationMinutes: 90, timeZone: 'Europe/London', place: 'online' },
      { weekday: 6, start: '10:30', durationMinutes: 120, timeZone: 'Europe/London', place: 'in_person' },
    ],
    searchEngines: true,
  },
  'Recovery Together': {
    topics: ['alcohol', 'drugs'],
    formats: ['forum', 'online_meetings', 'phone'],
    audiences: ['self'],
    meetings: [
      { weekday: 1, start: '20:00', durationMinutes: 60, timeZone: 'America/New_York', place: 'online' },
      { weekday: 4, start: '20:00', durationMinutes: 60, timeZone: 'America/New_York', place: 'phone' },
    ],
  },
  'Long COVID Community': {
    topics: ['me-cfs'],
    formats: ['forum'],
    audiences: ['self'],
    searchEngines: true,
  },
  'New Parents & Postnatal Depression': {
    topics: ['perinatal-mental-health', 'new-parents'],
    formats: ['forum', 'online_meetings'],
    audiences: ['self'],
    meetings: [{ weekday: 3, start: '10:00', durationMinutes: 60, timeZone: 'Europe/London', place: 'online' }],
  },
  'Chronic Pain Companions': {
    topics: ['chronic-pain', 'fibromyalgia', 'arthritis'],
    formats: ['forum'],
    audiences: ['self'],
  },
  "Cancer Carers' Circle": {
    topics: ['cancer', 'partner-carers'],
    formats: ['forum', 'online_meetings'],
    audiences: ['carers'],
    meetings: [{ weekday: 4, start: '18:30', durationMinutes: 75, timeZone: 'Europe/London', place: 'online' }],
    searchEngines: true,
  },
  'Calm Harbour — Anxiety Support': {
    topics: ['anxiety'],
    formats: ['forum', 'chat'],
    audiences: ['self'],
    searchEngines: true,
  },
  "St Mary's Hospital cardiac rehab circle": {
    topics: ['heart-disease'],
    formats: ['forum', 'in_person'],
    audiences: ['self', 'carers'],
    place: 'Manchester',
    meetings: [{ weekday: 3, start: '14:00', durationMinutes: 90, timeZone: 'Europe/London', place: 'in_person' }],
  },
  "Bereaved by Suicide — Survivors' Circle": {
    topics: ['suicide-bereavement'],
    formats: ['forum', 'online_meetings'],
    audiences: ['self'],
    meetings: [{ weekday: 1, start: '19:00', durationMinutes: 90, timeZone: 'Europe/London', place: 'online' }],
  },
  'Rainbow Peer Support': {
    topics: ['lgbtq', 'coming-out'],
    formats: ['forum', 'chat'],
    audiences: ['self'],
  },
  "Veterans' Brew & Talk": {
    topics: ['veterans', 'veterans-mental-health'],
    formats: ['forum', 'in_person'],
    audiences: ['self'],
    place: 'Plymouth',
    meetings: [{ weekday: 6, start: '11:00', durationMinutes: 120, timeZone: 'Europe/London', place: 'in_person' }],
  },
  'Cuidadores de personas con demencia': {
    topics: ['dementia-carers'],
    formats: ['forum', 'online_meetings'],
    audiences: ['carers'],
    place: 'Madrid',
    meetings: [{ weekday: 2, start: '18:00', durationMinutes: 60, timeZone: 'Europe/Madrid', place: 'online' }],
  },
  'Après bébé — entraide post-partum': {
    topics: ['perinatal-mental-health', 'new-parents'],
    formats: ['forum'],
    audiences: ['self'],
  },
};

export interface DemoListing {
  name: string;
  summary: string;
  description: string;
  contact: string;
  website?: string;
  organiser: string;
  leadership: 'peer' | 'professional';
  access: 'open' | 'approval' | 'invitation' | 'paid';
  free: boolean;
  language: string;
  profile: DemoProfile;
}

/** Groups that meet elsewhere, approved by the site admin. */
export const demoListings: DemoListing[] = [
  {
    name: "Leeds Parkinson's Café",
    summary: 'A relaxed monthly café for people with Parkinson’s and the people close to them.',
    description:
      'Tea, cake and a chat on the first Saturday of the month, with a short talk now and then. Step-free venue; come as you are.',
    contact: 'Call 0113 496 0000 and ask for the café',
    website: 'https://example.org/leeds-parkinsons-cafe',
    organiser: 'Leeds Parkinson’s volunteers',
    leadership: 'peer',
    access: 'open',
    free: true,
    language: 'en',
    profile: {
      topics: ['parkinsons'],
      formats: ['in_person'],
      audiences: ['self', 'carers'],
      place: 'Leeds',
      meetings: [{ weekday: 6, start: '14:00', durationMinutes: 120, timeZone: 'Europe/London', place: 'in_person' }],
    },
  },
  {
    name: 'Carers’ Phone Circle',
    summary: 'A weekly phone call for unpaid carers: ten minutes each to say how it really is.',
    description:
      'Run by a trained volunteer. Ring the number at the start time; no video, no travel, nobody to look presentable for.',
    contact: 'Phone 0300 123 0000 at the start time',
    organiser: 'Carers Together (charity)',
    leadership: 'professional',
    access: 'open',
    free: true,
    language: 'en',
    profile: {
      topics: ['caregiving', 'ageing-parents'],
      formats: ['phone'],
      audiences: ['carers'],
      meetings: [{ weekday: 4, start: '20:00', durationMinutes: 60, timeZone: 'Europe/London', place: 'phone' }],
    },
  },
  {
    name: 'Grief Walks Manchester',
    summary: 'Gentle walks in the park for anyone who has lost someone. Talk, or just walk.',
    description: 'We meet by the café at Heaton Park and walk for about an hour, whatever the weather.',
    contact: 'griefwalks@example.org',
    website: 'https://example.org/grief-walks',
    organiser: 'Grief Walks volunteers',
    leadership: 'peer',
    access: 'open',
    free: true,
    language: 'en',
    profile: {
      topics: ['bereavement'],
      formats: ['in_person'],
      audiences: ['self'],
      place: 'Manchester',
      meetings: [{ weekday: 0, start: '10:00', durationMinutes: 60, timeZone: 'Europe/London', place: 'in_person' }],
    },
  },
];
