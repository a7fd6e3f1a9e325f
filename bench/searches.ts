/**
 * What people type into the directory's search, for the directory scenarios of bench/run.ts:
 * conditions and situations in everyday words, abbreviations, typos, and a few other languages.
 */
export const searches = [
  'diabetis',
  'MS',
  'bereavement',
  'grief support',
  'dementia carers',
  'my mum has dementia',
  'anxiety',
  'depression',
  'AA',
  'alcohol recovery',
  'type 1 diabetes',
  'cancer',
  'breast cancer',
  'PTSD',
  'new parents',
  'postnatal depression',
  'autism',
  'ADHD adults',
  'chronic pain',
  'fibro',
  'long covid',
  'menopause',
  'lonely',
  'eating disorder recovery',
  'gambling',
  'carers',
  'loss of a child',
  'miscarriage',
  'domestic abuse',
  'LGBTQ+',
  'parkinsons',
  'alzheimers',
  'bipolar',
  'OCD',
  'panic attacks',
  'divorce',
  'job loss',
  'stroke',
  'epilepsy',
  'crohns',
  'depresion',
  'anxeity',
  'bereavment',
  'alzhiemers',
  'schizofrenia',
  'fibromyalga',
  'caring for my dad',
  'sober',
  'widowed',
  'veterans',
  'duelo',
  'salud mental',
  'deuil',
  'Trauer',
];

/** Places typed into "near", as a visitor would: a town's name. */
export const places = [
  'London',
  'Leeds',
  'Manchester',
  'Birmingham',
  'Glasgow',
  'Bristol',
  'New York',
  'Chicago',
  'Houston',
  'Seattle',
  'Toronto',
  'Sydney',
  'Dublin',
  'Madrid',
  'Paris',
  'Berlin',
];

const formats = ['forum', 'chat', 'online_meetings', 'in_person', 'phone', 'mailing_list'];
const leadership = ['peer', 'professional'];

/**
 * The n-th directory search: a text query and two facets (format, leadership), and with `near`
 * a place within 25 km. Each pass through the searches shifts the facets and places, so that
 * the same words come with different filters.
 */
export function directorySearchPath(n: number, near: boolean): string {
  const i = n % searches.length;
  const pass = Math.floor(n / searches.length);
  const params = new URLSearchParams({
    q: searches[i]!,
    format: near ? ((i + pass) % 3 === 0 ? 'phone' : 'in_person') : formats[(i + pass) % formats.length]!,
    leadership: leadership[(i + pass) % leadership.length]!,
  });
  if (near) {
    params.set('near', places[(i + pass) % places.length]!);
    params.set('within', '25');
  }
  return `/groups?${params.toString()}`;
}
