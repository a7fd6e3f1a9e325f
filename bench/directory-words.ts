/**
 * Words for directory bench data: how groups and listings name and describe themselves, in the
 * languages the generator mixes in. Slots: {label} (what the group is about), {Label}, {city},
 * {who} (who it is for), {kind} (circle, group, …), {when} (its meetings, in words).
 */

export const languages = ['en', 'es', 'fr', 'de', 'pt'] as const;
export type Language = (typeof languages)[number];

/** Most groups are English-speaking; the rest use the languages PostgreSQL can stem. */
export const languageShare: [Language, number][] = [
  ['en', 80],
  ['es', 9],
  ['fr', 5],
  ['de', 4],
  ['pt', 2],
];

/** Where groups of each language are, by ISO country code and share. */
export const countriesByLanguage: Record<Language, [string, number][]> = {
  en: [
    ['US', 38],
    ['GB', 34],
    ['CA', 8],
    ['AU', 8],
    ['IE', 4],
    ['NZ', 3],
    ['ZA', 3],
    ['IN', 2],
  ],
  es: [
    ['ES', 40],
    ['MX', 30],
    ['AR', 15],
    ['CO', 10],
    ['CL', 5],
  ],
  fr: [
    ['FR', 75],
    ['BE', 15],
    ['CH', 10],
  ],
  de: [
    ['DE', 75],
    ['AT', 15],
    ['CH', 10],
  ],
  pt: [
    ['BR', 70],
    ['PT', 30],
  ],
};

/** A city's time zone: one per country, or by longitude in the countries that span several. */
export function timeZoneOf(country: string, longitude: number): string {
  switch (country) {
    case 'US':
      return longitude < -115
        ? 'America/Los_Angeles'
        : longitude < -102
          ? 'America/Denver'
          : longitude < -87
            ? 'America/Chicago'
            : 'America/New_York';
    case 'CA':
      return longitude < -115 ? 'America/Vancouver' : longitude < -90 ? 'America/Winnipeg' : 'America/Toronto';
    case 'AU':
      return longitude < 129 ? 'Australia/Perth' : longitude < 141 ? 'Australia/Adelaide' : 'Australia/Sydney';
    default:
      return zones[country] ?? 'UTC';
  }
}
const zones: Record<string, string> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  NZ: 'Pacific/Auckland',
  ZA: 'Africa/Johannesburg',
  IN: 'Asia/Kolkata',
  ES: 'Europe/Madrid',
  MX: 'America/Mexico_City',
  AR: 'America/Argentina/Buenos_Aires',
  CO: 'America/Bogota',
  CL: 'America/Santiago',
  FR: 'Europe/Paris',
  BE: 'Europe/Brussels',
  CH: 'Europe/Zurich',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  BR: 'America/Sao_Paulo',
  PT: 'Europe/Lisbon',
};

/** The taxonomy's categories (by slug) in each language other than English, for names and summaries. */
export const categoryNames: Record<Exclude<Language, 'en'>, Record<string, string>> = {
  es: {
    'chronic-illness': 'enfermedad crónica',
    'mental-health': 'salud mental',
    'addiction-recovery': 'adicciones y recuperación',
    'grief-loss': 'duelo',
    caregiving: 'cuidadores',
    parenting: 'familias',
    'abuse-survivors': 'supervivientes de abuso',
    lgbtq: 'LGBTQ+',
    veterans: 'veteranos',
    disability: 'discapacidad',
    'womens-health': 'salud de la mujer',
    'life-changes': 'cambios de vida',
  },
  fr: {
    'chronic-illness': 'maladie chronique',
    'mental-health': 'santé mentale',
    'addiction-recovery': 'addictions et rétablissement',
    'grief-loss': 'deuil',
    caregiving: 'aidants',
    parenting: 'parentalité',
    'abuse-survivors': 'victimes de violences',
    lgbtq: 'LGBTQ+',
    veterans: 'anciens combattants',
    disability: 'handicap',
    'womens-health': 'santé des femmes',
    'life-changes': 'moments difficiles',
  },
  de: {
    'chronic-illness': 'chronische Krankheit',
    'mental-health': 'psychische Gesundheit',
    'addiction-recovery': 'Sucht und Genesung',
    'grief-loss': 'Trauer',
    caregiving: 'pflegende Angehörige',
    parenting: 'Eltern und Familie',
    'abuse-survivors': 'Gewaltbetroffene',
    lgbtq: 'LGBTQ+',
    veterans: 'Veteranen',
    disability: 'Behinderung',
    'womens-health': 'Frauengesundheit',
    'life-changes': 'schwere Zeiten',
  },
  pt: {
    'chronic-illness': 'doença crónica',
    'mental-health': 'saúde mental',
    'addiction-recovery': 'dependência e recuperação',
    'grief-loss': 'luto',
    caregiving: 'cuidadores',
    parenting: 'famílias',
    'abuse-survivors': 'sobreviventes de abuso',
    lgbtq: 'LGBTQ+',
    veterans: 'veteranos',
    disability: 'deficiência',
    'womens-health': 'saúde da mulher',
    'life-changes': 'mudanças de vida',
  },
};

export const groupKinds: Record<Language, string[]> = {
  en: ['circle', 'support group', 'peer group', 'community', 'drop-in', 'network', 'meetup', 'café', 'friends'],
  es: ['grupo de apoyo', 'círculo', 'grupo de ayuda mutua', 'comunidad', 'encuentro'],
  fr: ['groupe de parole', "groupe d'entraide", 'cercle', 'café rencontre', 'réseau'],
  de: ['Selbsthilfegruppe', 'Gesprächskreis', 'Treffpunkt', 'Netzwerk', 'Stammtisch'],
  pt: ['grupo de apoio', 'círculo', 'grupo de ajuda mútua', 'comunidade', 'encontro'],
};

/** Names; English ones may name a time of day ({Daypart}) or be about who the group is for ({who}). */
export const nameTemplates: Record<Language, string[]> = {
  en: [
    '{city} {label} {kind}',
    '{city} {label} {kind}',
    '{Daypart} support for {who}',
    '{Label} {kind}, {city}',
    '{Adjective} {label} {kind}',
    '{Label} peer support',
    '{city} {kind} for {who}',
    '{Label} {kind}',
    'Talking about {label}: {city}',
    '{Adjective} {kind} for {who}',
  ],
  es: ['{Kind} de {label} {city}', '{Kind} {label}', '{Label}: {kind} en {city}'],
  fr: ['{Kind} {label} {city}', '{Label} : {kind} de {city}', '{Kind} {label}'],
  de: ['{Kind} {label} {city}', '{Label}: {kind} in {city}', '{Kind} {label}'],
  pt: ['{Kind} de {label} {city}', '{Kind} {label}', '{Label}: {kind} em {city}'],
};

export const dayparts = ['Evening', 'Morning', 'Weekend', 'Lunchtime', 'Late-night', 'Sunday', 'Midweek'];
export const adjectives = [
  'Gentle',
  'Northern',
  'Quiet',
  'Open',
  'Hopeful',
  'Steady',
  'Riverside',
  'Harbour',
  'Hillside',
  'Kind',
  'Brave',
  'Calm',
  'Shared',
  'Together',
  'Local',
  'Online',
  'Friendly',
  'Young adults',
  'Over 50s',
  "Women's",
  "Men's",
];

/** Who an English group is for, by the taxonomy category of its topic: {label} is the topic. */
export const whoByCategory: Record<string, string[]> = {
  'chronic-illness': ['people living with {label}', 'people newly diagnosed with {label}', 'adults with {label}'],
  'mental-health': ['people living with {label}', 'anyone struggling with {label}', 'adults with {label}'],
  'addiction-recovery': ['people in recovery from {label}', 'anyone affected by {label}', 'people in recovery'],
  'grief-loss': ['people coping with {label}', 'anyone grieving', 'people after {label}'],
  caregiving: ['people {label}', 'family carers', 'carers and families'],
  parenting: ['{label}', 'parents', 'families'],
  'abuse-survivors': ['survivors of {label}', 'people recovering from {label}'],
  lgbtq: ['people {label}', 'LGBTQ+ people and friends'],
  veterans: ['veterans and their families', 'people affected by {label}'],
  disability: ['people living with {label}', 'adults with {label}', 'families affected by {label}'],
  'womens-health': ['women living with {label}', 'anyone going through {label}'],
  'life-changes': ['people facing {label}', 'anyone going through {label}'],
};
export const carersOf = [
  'carers of people with {label}',
  'families of people with {label}',
  'partners and parents of people with {label}',
];

export const summaryTemplates: Record<Language, string[]> = {
  en: [
    'A {leadership} group for {who}.',
    'A welcoming {leadership} space for {who}, {where}.',
    'Support, friendship and practical tips for {who}.',
    '{Who} sharing what helps, {where}.',
    'You are not alone: a {leadership} group for {who}.',
  ],
  es: ['Un grupo de apoyo sobre {label} en {city}.', 'Apoyo mutuo para personas afectadas por {label}.'],
  fr: [
    'Un groupe de soutien autour de {label} à {city}.',
    'Entraide et écoute pour les personnes concernées par {label}.',
  ],
  de: ['Eine Selbsthilfegruppe zum Thema {label} in {city}.', 'Austausch und Unterstützung für Menschen mit {label}.'],
  pt: ['Um grupo de apoio sobre {label} em {city}.', 'Ajuda mútua para pessoas afetadas por {label}.'],
};

export const leadershipWords = {
  peer: ['peer-led', 'peer', 'member-run'],
  professional: ['professionally facilitated', 'professionally led'],
};

/** Paragraphs of descriptions; {when} is filled only for groups that meet. */
export const descriptionSentences: Record<Language, string[]> = {
  en: [
    'Everyone is welcome, whether you were diagnosed recently or many years ago.',
    'We share experiences, coping strategies and the small wins that keep us going.',
    'There is no pressure to speak: many people listen for a few weeks before they say hello.',
    'What is said in the group stays in the group.',
    'Family members and friends are welcome to come along too.',
    'We talk about {label} honestly, with kindness and without judgement.',
    'Our volunteers have lived experience of {label} themselves.',
    'Sessions are free and you do not need a referral.',
    'We also keep a list of local services and helplines that members have found useful.',
    'New members can message a volunteer before their first visit if they feel nervous.',
    'Tea, coffee and a quiet room are always available.',
    'We are not a substitute for medical advice, but we understand what you are going through.',
  ],
  es: [
    'Todas las personas son bienvenidas.',
    'Compartimos experiencias y estrategias para afrontar el día a día con {label}.',
    'Lo que se dice en el grupo se queda en el grupo.',
    'Las familias y amistades también pueden participar.',
  ],
  fr: [
    'Tout le monde est le bienvenu.',
    'Nous partageons nos expériences et nos astuces pour vivre avec {label}.',
    'Ce qui se dit dans le groupe reste dans le groupe.',
    'Les proches sont aussi les bienvenus.',
  ],
  de: [
    'Alle sind willkommen.',
    'Wir tauschen Erfahrungen und Tipps zum Leben mit {label} aus.',
    'Was in der Gruppe gesagt wird, bleibt in der Gruppe.',
    'Angehörige und Freunde sind ebenfalls willkommen.',
  ],
  pt: [
    'Todas as pessoas são bem-vindas.',
    'Partilhamos experiências e estratégias para lidar com {label}.',
    'O que se diz no grupo fica no grupo.',
    'Familiares e amigos também são bem-vindos.',
  ],
};

export const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const organisers = [
  'Hope Charity',
  'Northfield Trust',
  'St Mary Hospital patient support',
  'Riverside Recovery Centre',
  'the local council',
  'a volunteer',
  'Lakeside Foundation',
  'Meadow Hospice',
  'Bridge Support Services',
  'the parish hall committee',
];
