import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { keepWhatTheyWrote } from './quotes.js';

/*
 * Replies as mail clients write them: each fixture is a real client's message (plain text with an
 * HTML part, or HTML only), read by mailparser as the inbound server reads it; the .txt beside it
 * is what the member wrote, which is all that may be posted.
 */
const fixtures = new URL('../../../test/fixtures/mail/', import.meta.url);

describe('keeping what the member wrote', () => {
  it.each([
    ['gmail', 'Gmail: attribution wrapped over two lines, then quoted lines'],
    ['gmail-html-only', 'Gmail HTML only: the quote is a blockquote'],
    ['outlook', 'Outlook: the header block under a line, and "Get Outlook for Android"'],
    ['outlook-html-only', 'Outlook HTML only: the header block after a rule'],
    ['outlook-original-message', 'Outlook: -----Original Message-----'],
    ['apple-mail', 'Apple Mail: "On <date>, at <time>, <name> wrote:"'],
    ['apple-mail-iphone', 'iPhone: "Sent from my iPhone" and a quoted attribution'],
    ['thunderbird', 'Thunderbird: answers below each quote, and a "-- " signature'],
  ])('%s (%s)', async (name) => {
    const mail = await simpleParser(readFileSync(new URL(`${name}.eml`, fixtures)));
    const expected = readFileSync(new URL(`${name}.txt`, fixtures), 'utf8');
    expect(keepWhatTheyWrote(mail.text ?? '')).toBe(expected);
  });

  it.each([
    [
      'Gmail in Spanish',
      'Gracias, Sam.\n\nEl jue, 26 nov 2026 a las 14:50, Sam via Caregivers Circle (<caregivers@lists.test>) escribió:\n\n> Ha sido una semana dura.',
      'Gracias, Sam.',
    ],
    [
      'Gmail in French',
      'Merci Sam.\n\nLe jeu. 26 nov. 2026 à 14:50, Sam via Caregivers Circle <\ncaregivers@lists.test> a écrit :\n\n> Une semaine difficile.',
      'Merci Sam.',
    ],
    [
      'Gmail in German',
      'Danke, Sam.\n\nAm Do., 26. Nov. 2026 um 14:50 Uhr schrieb Sam via Caregivers Circle <\ncaregivers@lists.test>:\n\n> Eine schwere Woche.',
      'Danke, Sam.',
    ],
    [
      'Thunderbird in German',
      'Am 26.11.26 um 14:50 schrieb Sam via Caregivers Circle:\n> Eine schwere Woche.\n\nBei uns auch.',
      'Bei uns auch.',
    ],
    [
      'Outlook in French',
      'Courage.\n\nDe : Sam via Caregivers Circle <caregivers@lists.test>\nEnvoyé : jeudi 26 novembre 2026 14:50\nÀ : Alex\nObjet : Une semaine difficile\n\nUne semaine difficile.',
      'Courage.',
    ],
    [
      'Outlook in Spanish',
      'Ánimo.\n\nDe: Sam via Caregivers Circle <caregivers@lists.test>\nEnviado: jueves, 26 de noviembre de 2026 14:50\nPara: Alex\nAsunto: Una semana dura',
      'Ánimo.',
    ],
    [
      'Outlook in German',
      'Alles Gute.\n\nVon: Sam via Caregivers Circle <caregivers@lists.test>\nGesendet: Donnerstag, 26. November 2026 14:50\nAn: Alex\nBetreff: Eine schwere Woche',
      'Alles Gute.',
    ],
    ['phone signatures in Spanish', 'Un abrazo.\n\nEnviado desde mi iPhone', 'Un abrazo.'],
    ['phone signatures in French', 'Je pense à toi.\n\nEnvoyé de mon iPhone', 'Je pense à toi.'],
  ])('%s', (_name, text, expected) => {
    expect(keepWhatTheyWrote(text)).toBe(expected);
  });

  it('keeps the member’s own words that only look like a quote', () => {
    const own = [
      'On Monday my sister wrote:',
      'It will be fine, you are doing everything you can.',
      '',
      'Regards to everyone,',
      'Best wishes,',
      '-- that was the whole letter, and it helped.',
      '',
      'From: a friend who cares',
      'To: all of you',
    ].join('\n');
    expect(keepWhatTheyWrote(own)).toBe(own);
  });

  it('finds nothing in a reply that is only a quote', () => {
    expect(keepWhatTheyWrote('\n\nOn Thu, Nov 26, 2026 at 2:50 PM Sam wrote:\n\n> Hello\n> there\n')).toBe('');
  });

  it('takes time in proportion to the message, however it is made', () => {
    const started = performance.now();
    const hostile = [
      'On '.repeat(100_000),
      `From: x\n${'To: y\n'.repeat(50_000)}`,
      `${'> '.repeat(200_000)}\n`,
      'a'.repeat(1_000_000),
    ].join('\n');
    keepWhatTheyWrote(hostile);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
