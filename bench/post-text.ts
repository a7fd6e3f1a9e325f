/** Words of bench posts and threads, from the word model in bench/words.ts. */
import { chance, int, pick } from './random.js';
import * as W from './words.js';

export function fill(template: string, topic: string): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'feeling':
        return pick(W.feelings);
      case 'person':
        return pick(W.people);
      case 'time':
        return pick(W.times);
      case 'activity':
        return pick(W.activities);
      case 'thing':
        return pick(W.things);
      default:
        return topic;
    }
  });
}
export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeHtml = (s: string) => (/[&<>"]/.test(s) ? s.replace(/[&<>"]/g, (c) => escapes[c]!) : s);

export function postBody(topic: string, opening: boolean): { body: string; html: string } {
  const paragraphs: string[] = [];
  const count = opening ? 1 + int(4) : 1 + (chance(0.6) ? 0 : int(3));
  for (let p = 0; p < count; p++) {
    const parts: string[] = [];
    if (p === 0 && chance(0.4)) parts.push(pick(W.openers) + ',');
    const n = 1 + int(4);
    for (let s = 0; s < n; s++) parts.push(capitalise(fill(pick(W.sentences), topic)));
    paragraphs.push(parts.join(' '));
  }
  return {
    body: paragraphs.join('\n\n'),
    html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n') + '\n',
  };
}
