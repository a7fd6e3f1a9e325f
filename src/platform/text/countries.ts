/**
 * Countries (for crisis resources, settings): ISO 3166-1 alpha-2 codes (with XK, Kosovo, which is in common
 * use), named in the reader's language by Intl.DisplayNames.
 */
const codes = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN
IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF
MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH
PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM
ZW`.split(/\s+/);

export const countryCodes: ReadonlySet<string> = new Set(codes);

const lists = new Map<string, { code: string; name: string }[]>();

/** Every country, named and sorted in the reader's language (made once per language). */
export function countryList(locale: string): { code: string; name: string }[] {
  let list = lists.get(locale);
  if (!list) {
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    const collator = new Intl.Collator(locale);
    list = codes
      .map((code) => ({ code, name: names.of(code) ?? code }))
      .sort((a, b) => collator.compare(a.name, b.name));
    lists.set(locale, list);
  }
  return list;
}

export function countryName(locale: string, code: string): string {
  return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
}

/**
 * The country whose help to show: the person's own choice, else the region of the first language
 * their browser asks for that names one ("en-GB" → GB), else none (the international list).
 */
export function countryFor(chosen: string | null | undefined, acceptLanguage: string | undefined): string | null {
  if (chosen && countryCodes.has(chosen)) return chosen;
  for (const part of (acceptLanguage ?? '').split(',').slice(0, 10)) {
    const tag = part.split(';')[0]!.trim();
    try {
      const region = new Intl.Locale(tag).maximize().region;
      // maximize() guesses a region for a bare language ("es" → ES): only an explicit one is trusted.
      if (region && countryCodes.has(region) && tag.toUpperCase().includes(region)) return region;
    } catch {
      // Not a language tag: look at the next one.
    }
  }
  return null;
}
