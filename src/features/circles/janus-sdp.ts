/*
 * What the Janus path checks and changes in the SDP it relays between a browser and Janus.
 */

interface Section {
  kind: string;
  mid: string | undefined;
}

function sections(sdp: string): Section[] {
  return sdp
    .split(/\r?\nm=/)
    .slice(1)
    .map((s) => ({ kind: s.split(' ', 1)[0]!, mid: /^a=mid:(\S+)/m.exec(s)?.[1] }));
}

/**
 * A video publisher's offer Mutual will pass on: its first m-line is audio with mid "0" (the one
 * a facilitator's mute moderates), and it carries at most one audio and one video line and no data
 * channel, so no second microphone line can slip past a mute.
 */
export function isPublisherOffer(sdp: string): boolean {
  const list = sections(sdp);
  if (list.length === 0 || list[0]!.kind !== 'audio' || list[0]!.mid !== '0') return false;
  const count = (kind: string) => list.filter((s) => s.kind === kind).length;
  return count('audio') === 1 && count('video') <= 1 && list.length === count('audio') + count('video');
}

/** The audio mid every publisher's offer has (isPublisherOffer): what a mute moderates. */
export const publisherAudioMid = '0';

/**
 * Labels each m-line of Janus's subscription offer with the person it carries ("mutual-<pid>" as
 * its stream id), so the browser can put each stream in the right tile. Janus's own labels go.
 */
export function labelSubscription(sdp: string, feedsByMid: Map<string, number>): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const [head, ...media] = sdp.split(/\r?\nm=/);
  const labelled = media.map((section) => {
    const lines = section
      .split(/\r?\n/)
      .filter((l) => !/^a=msid:/.test(l) && !/^a=ssrc:\d+ (msid|mslabel|label):/.test(l));
    const mid = lines.find((l) => l.startsWith('a=mid:'))?.slice(6);
    const feed = mid === undefined ? undefined : feedsByMid.get(mid);
    if (feed !== undefined) {
      const at = lines.findIndex((l) => l.startsWith('a=mid:'));
      lines.splice(at + 1, 0, `a=msid:mutual-${feed} mutual-${feed}-${mid}`);
    }
    return lines.join(eol);
  });
  return [head, ...labelled].join(`${eol}m=`);
}

/** Janus names the room in its SDP's session line ("s=AudioBridge 1234"); browsers are not told it. */
export function withoutRoom(sdp: string): string {
  return sdp.replace(/^s=.*$/m, 's=-');
}
