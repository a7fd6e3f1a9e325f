import { en, type Catalog } from './locales/en.js';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string | Plural ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export interface Plural {
  one: string;
  other: string;
}

export type MessageKey = Leaves<Catalog>;
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const catalogs: Record<string, Catalog> = { en };
export const supportedLocales = Object.keys(catalogs);
export const defaultLocale = 'en';

function lookup(catalog: Catalog, key: string): string | Plural | undefined {
  let node: unknown = catalog;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node as string | Plural | undefined;
}

const translators = new Map<string, Translate>();

/** Returns the translate function for a locale (made once per locale), falling back to English. */
export function translator(locale: string): Translate {
  let t = translators.get(locale);
  if (!t) {
    t = makeTranslator(locale);
    translators.set(locale, t);
  }
  return t;
}

function makeTranslator(locale: string): Translate {
  const catalog = catalogs[locale] ?? en;
  const plurals = new Intl.PluralRules(locale);
  return (key, vars = {}) => {
    let message = lookup(catalog, key) ?? lookup(en, key);
    if (message === undefined) throw new Error(`missing message: ${key}`);
    if (typeof message !== 'string') {
      const count = Number(vars.count ?? 0);
      message = plurals.select(count) === 'one' ? message.one : message.other;
    }
    return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(acceptLanguage: string | undefined): string {
  if (!acceptLanguage) return defaultLocale;
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    const base = tag.split('-')[0] ?? '';
    if (supportedLocales.includes(tag)) return tag;
    if (supportedLocales.includes(base)) return base;
  }
  return defaultLocale;
}
