/*
 * What a member wrote in a reply, without the message they replied to or their signature.
 *
 * Written here rather than taken from npm: the libraries (email-reply-parser, planer) hide a
 * member's own words after lines such as "Cheers," or "Regards", and run multi-line regular
 * expressions over the whole message, which a crafted message can make take minutes. This works
 * line by line, each pattern anchored and bounded, so its time grows with the message's length only.
 *
 * Mail clients quote in two ways:
 *  - with ">" before each quoted line, under an attribution ("On <date>, <name> wrote:"): Gmail,
 *    Apple Mail, Thunderbird, and HTML mail whose <blockquote> mailparser turns into "> ". Members
 *    may answer between quoted lines, so only the quoted lines and their attribution go.
 *  - with a header block ("From: … Sent: … To: … Subject: …") or "-----Original Message-----" above
 *    the original, unquoted: Outlook. Everything from there on goes.
 */

/** Lines longer than this are nobody's attribution or header: they are not tested (and cost nothing). */
const MAX_HEADER_LINE = 400;

/** "On <date>, <name> wrote:" and its translations, once wrapped lines are joined. */
const attributionStart = /^(On|Le|El|Am|Il|Em|Op|Den|W dniu)\s/i;
const attributionEnd =
  /(wrote|a écrit|escribió|escribio|schrieb\b.*|ha scritto|scrisse|escreveu|schreef\b.*|skrev\b.*|napisał\(a\)|napisał|pisze)\s?:$/i;
/** "<name> wrote:" alone (older Thunderbird, many list clients): only above quoted lines. */
const shortAttribution = /^.{1,200}\s(wrote|a écrit|escribió|schrieb|ha scritto|escreveu|schreef|skrev)\s?:$/i;

/** Outlook's header block: "From:" first, then at least one of the others within a few lines. */
const outlookFrom = /^\*?(From|De|Von|Van|Da|Från|Fra|Od)\s?:\*?\s*\S/i;
const outlookField =
  /^\*?(Sent|Date|To|Cc|Subject|Envoyé|Date|À|A|Objet|Enviado|Fecha|Para|Asunto|Gesendet|Datum|An|Betreff|Verzonden|Aan|Onderwerp|Inviato|Oggetto|Data|Assunto)\s?:\*?(\s|$)/i;
const originalMessage =
  /^-{2,}\s*(Original Message|Mensaje original|Message d'origine|Ursprüngliche Nachricht|Messaggio originale|Mensagem original|Oorspronkelijk bericht)\s*-{2,}$/i;
/** Lines Outlook and converted HTML put above the header block. */
const separator = /^([_=-]\s*){8,}$/;

/** "Sent from my iPhone" and its kin, in several languages: never what the member meant to say. */
const sentFrom = [
  /^Sent from (my|Mail|Yahoo|Outlook|AOL|Samsung|the)\b.{0,60}$/i,
  /^Sent (with|via|using) .{0,60}$/i,
  /^Get Outlook for .{0,40}$/i,
  /^Enviado (desde|de) mi .{0,60}$/i,
  /^Envoyé (de|depuis) mon .{0,60}$/i,
  /^Envoyé à partir de .{0,60}$/i,
  /^(Von|Gesendet von) meine[mr]? .{0,60}$/i,
  /^Von meinem .{0,60} gesendet$/i,
  /^Inviato da .{0,60}$/i,
  /^Verzonden (met|vanaf) .{0,60}$/i,
  /^Télécharger Outlook pour .{0,40}$/i,
];

/** Signatures are short: a "-- " line further up than this is the member's own. */
const MAX_SIGNATURE_LINES = 12;

const looksDated = (line: string) => /\d{1,2}[:.h]\d{2}|\b(19|20)\d{2}\b|@/.test(line);
const isQuoted = (line: string) => /^\s*>/.test(line);
const isBlank = (line: string) => line.trim() === '';

/** The attribution starting at line i (joined with up to two wrapped lines): how many lines it spans. */
function attributionAt(lines: string[], i: number): number {
  const first = lines[i]!.trim();
  if (first.length > MAX_HEADER_LINE || !attributionStart.test(first)) return 0;
  let joined = first;
  for (let span = 1; span <= 3 && i + span <= lines.length; span += 1) {
    if (attributionEnd.test(joined)) return span;
    const next = lines[i + span];
    if (next === undefined || isBlank(next) || isQuoted(next)) return 0;
    joined = `${joined} ${next.trim()}`;
    if (joined.length > MAX_HEADER_LINE) return 0;
  }
  return 0;
}

/** Whether line i begins Outlook's block of headers above the original message. */
function outlookBlockAt(lines: string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (originalMessage.test(line)) return true;
  if (line.length > MAX_HEADER_LINE || !outlookFrom.test(line)) return false;
  let fields = 0;
  for (let j = i + 1; j < Math.min(lines.length, i + 8); j += 1) {
    const next = lines[j]!.trim();
    if (next.length <= MAX_HEADER_LINE && outlookField.test(next)) fields += 1;
  }
  return fields >= 2;
}

/** Index of the first non-blank line at or after i, or lines.length. */
function nextFilled(lines: string[], i: number): number {
  let j = i;
  while (j < lines.length && isBlank(lines[j]!)) j += 1;
  return j;
}

/**
 * Keeps what the member wrote: drops quoted lines and their attribution, Outlook's quoted original,
 * a trailing "-- " signature and "Sent from my phone" lines. Returns '' when nothing is left.
 */
export function keepWhatTheyWrote(text: string): string {
  // HTML mail converted by mailparser names inline images as "[cid:…]": nothing a reader can use.
  let lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\[cid:[^\]\s]{1,300}\]/g, '')
    .split('\n');

  const kept: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (outlookBlockAt(lines, i)) break;
    const span = attributionAt(lines, i);
    if (span > 0) {
      const after = nextFilled(lines, i + span);
      // Quoted lines follow: drop the attribution and let the quoted lines go below.
      if (after < lines.length && isQuoted(lines[after]!)) {
        i += span - 1;
        continue;
      }
      // Nothing quoted follows (HTML turned into text without "> "): the rest is the original, if
      // this is a client's attribution (they carry a time or a year) and not the member's own words.
      if (looksDated(lines.slice(i, i + span).join(' '))) break;
    }
    if (isQuoted(line)) continue;
    const trimmed = line.trim();
    if (trimmed.length <= MAX_HEADER_LINE && shortAttribution.test(trimmed)) {
      const after = nextFilled(lines, i + 1);
      if (after < lines.length && isQuoted(lines[after]!)) continue;
    }
    kept.push(line.replace(/\s+$/, ''));
  }
  lines = kept;

  // A signature: the last "-- " line (the standard delimiter) near the end, and all below it.
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - MAX_SIGNATURE_LINES); i -= 1) {
    if (lines[i] === '--' || lines[i] === '-- ') {
      lines = lines.slice(0, i);
      break;
    }
  }

  // From the end: blank lines, "Sent from my iPhone" lines, and the separators above a quote.
  while (lines.length > 0) {
    const last = lines[lines.length - 1]!.trim();
    if (last === '' || separator.test(last) || sentFrom.some((p) => p.test(last))) lines.pop();
    else break;
  }
  while (lines.length > 0 && isBlank(lines[0]!)) lines.shift();
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
