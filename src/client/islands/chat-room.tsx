import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FileView } from '../../features/files/attaching.js';
import { ChatFiles } from './chat-files.js';

/*
 * A chat room: its history, who is here, and a form to write. The server renders it into the
 * page with the props below, where it works without JavaScript (the form posts and comes back,
 * "Older messages" is a link); in the browser it is hydrated with the same props and then follows
 * the room over /live: messages arrive in order of their ids, whatever order the network brings
 * them in, and after a lost connection it catches up on what it missed, without duplicates.
 * Photos and files are added with the same fields as a post's (attach.js uploads each at once),
 * which the server renders and the island keeps as they are; it sends their ids with the words.
 */

export interface ChatMessage {
  id: number;
  authorName: string | null;
  body: string;
  createdAt: string;
  /** The time as the reader's clock shows it, when the server wrote it. */
  time?: string;
  attachments?: FileView[];
}

/** Every word the room shows, translated on the server. */
export interface ChatStrings {
  log: string;
  empty: string;
  older: string;
  newest: string;
  here: string;
  nobodyHere: string;
  label: string;
  hint: string;
  send: string;
  remove: string;
  formerMember: string;
  paused: string;
  pausedLeader: string;
  ended: string;
  opens: string;
  muted: string;
  gone: string;
  offline: string;
  failed: string;
  description: string;
}

export interface ChatRoomProps {
  roomId: number;
  /** POST to write; GET ?after= / ?before= for pages of messages. */
  messagesUrl: string;
  messages: ChatMessage[];
  /** The page of older history, for a browser without JavaScript; null at the start of the room. */
  olderUrl: string | null;
  /** This page shows older history: the newest messages are at this address, and nothing arrives live. */
  newestUrl: string | null;
  present: string[];
  paused: boolean;
  ended: boolean;
  /** A meeting's room not yet open: when it opens (ISO), and the sentence that says so. */
  opensAt: string | null;
  muted: boolean;
  /** Why this person cannot write here at all (not a member, say); null when they can. */
  refusal: string | null;
  leader: boolean;
  csrf: string;
  /** What they wrote, and why it was not sent, after a form came back. */
  body: string;
  error: string | null;
  /**
   * The form's attachment fields (HTML, from src/features/files), when the person may attach
   * something here; the browser reads them from the page rather than from the props.
   */
  attach: string | null;
  locale: string;
  timeZone: string;
  t: ChatStrings;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** "14:05" on the reader's clock. */
export function timeOf(locale: string, timeZone: string, iso: string): string {
  const key = `${locale} ${timeZone}`;
  let clock = clocks.get(key);
  if (!clock) clocks.set(key, (clock = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone })));
  return clock.format(new Date(iso));
}

/** Adds messages to a list, by id: each once, oldest first. */
function merge(list: ChatMessage[], more: ChatMessage[]): ChatMessage[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of more) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

const jsonHeaders = { accept: 'application/json' };

/** A frame from /live, and an answer from the server, as far as the room reads them. */
interface Frame {
  type: string;
  roomId?: number;
  error?: string;
  message?: ChatMessage;
  messageId?: number;
  present?: string[];
  paused?: boolean;
  ended?: boolean;
  muted?: boolean;
}
interface Answer {
  error?: string;
  message?: ChatMessage;
  help?: string | null;
}

export function ChatRoom(p: ChatRoomProps) {
  const { t } = p;
  const [messages, setMessages] = useState(p.messages);
  const [present, setPresent] = useState(p.present);
  const [paused, setPaused] = useState(p.paused);
  const [ended, setEnded] = useState(p.ended);
  const [muted, setMuted] = useState(p.muted);
  const [notOpen, setNotOpen] = useState(p.opensAt !== null);
  const [gone, setGone] = useState(false);
  const [offline, setOffline] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  const [older, setOlder] = useState(p.olderUrl);
  const [text, setText] = useState(p.body);
  const [error, setError] = useState(p.error);
  const [sending, setSending] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const last = useRef(p.messages.at(-1)?.id ?? 0);
  const stick = useRef(true);

  const add = (more: ChatMessage[]) =>
    setMessages((list) => {
      const next = merge(list, more);
      last.current = Math.max(last.current, next.at(-1)?.id ?? 0);
      return next;
    });

  // Follows the room once hydrated, and catches up after each (re)connection.
  useEffect(() => {
    setHydrated(true);
    if (p.newestUrl !== null || !window.WebSocket) return;
    let socket: WebSocket | null = null;
    let stopped = false;
    let wait = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const catchUp = async () => {
      for (let more = true; more && !stopped;) {
        const res = await fetch(`${p.messagesUrl}?after=${last.current}`, { headers: jsonHeaders });
        if (!res.ok) return;
        const page = (await res.json()) as { messages: ChatMessage[]; more: boolean } & Required<Frame>;
        add(page.messages);
        setPaused(page.paused);
        setEnded(page.ended);
        setMuted(page.muted);
        more = page.more;
      }
    };
    const receive = (f: Frame) => {
      if (f.type === 'subscribed') {
        wait = 1000;
        setOffline(false);
        void catchUp().catch(() => undefined);
      } else if (f.type === 'error') {
        // No longer allowed in (taken out of the room, or out of the group): stay gone.
        if (f.error === 'notFound') {
          stopped = true;
          setGone(true);
        }
        socket?.close();
      } else if (f.roomId !== p.roomId) {
        return;
      } else if (f.type === 'chat.message') add([f.message!]);
      else if (f.type === 'chat.removed') setMessages((list) => list.filter((m) => m.id !== f.messageId));
      else if (f.type === 'chat.presence') setPresent(f.present!);
      else if (f.type === 'chat.state') {
        setPaused(f.paused!);
        setEnded(f.ended!);
      } else if (f.type === 'chat.you') setMuted(f.muted!);
    };
    const connect = () => {
      socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
      socket.onopen = () => socket!.send(JSON.stringify({ type: 'subscribe', topic: 'chat', id: p.roomId }));
      socket.onmessage = (e) => receive(JSON.parse(String(e.data)) as Frame);
      // Reconnects after a restart or a lost network, waiting longer each time (at most half a minute).
      socket.onclose = () => {
        if (stopped) return;
        setOffline(true);
        timer = setTimeout(connect, wait * (1 + Math.random() / 2));
        wait = Math.min(wait * 2, 30_000);
      };
    };
    connect();
    const opens = p.opensAt ? new Date(p.opensAt).getTime() - Date.now() : 0;
    const opening = opens > 0 && opens < 2 ** 31 ? setTimeout(() => setNotOpen(false), opens) : undefined;
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(opening);
      socket?.close();
    };
  }, []);

  // Keeps the newest message in view, unless the reader scrolled up to read.
  useEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const onScroll = () => {
    const el = log.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };

  const loadOlder = async (e: Event) => {
    e.preventDefault();
    const first = messages[0]?.id;
    const res = await fetch(`${p.messagesUrl}?before=${first ?? last.current + 1}`, { headers: jsonHeaders });
    if (!res.ok) return;
    const page = (await res.json()) as { messages: ChatMessage[]; more: boolean };
    stick.current = false;
    setMessages((list) => merge(list, page.messages));
    setOlder(page.more ? older : null);
  };

  const post = async (url: string, body: Record<string, string>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...jsonHeaders, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': p.csrf },
      body: new URLSearchParams(body).toString(),
    });
    const data = (await res.json().catch(() => ({}))) as Answer;
    return { ok: res.ok, data };
  };

  const send = async (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    if (sending || !text.trim()) return;
    setSending(true);
    try {
      // The whole form: the words, and the ids and descriptions of the photos and files it holds.
      const res = await fetch(p.messagesUrl, {
        method: 'POST',
        headers: { ...jsonHeaders, 'x-csrf-token': p.csrf },
        body: new FormData(form),
      });
      const data = (await res.json().catch(() => ({}))) as Answer;
      if (!res.ok) {
        // The words stay in the box, with what to change.
        setError(data.error ?? t.failed);
        return;
      }
      setError(null);
      setText('');
      // Sent with the message: the fields are empty again, for the next one.
      form.querySelector('.attach-list')?.replaceChildren();
      form
        .querySelectorAll<HTMLInputElement>('.chat-attach input[type=file], .chat-attach input[name=alt]')
        .forEach((input) => (input.value = ''));
      stick.current = true;
      if (data.message) add([data.message]);
      // Words that read as a crisis: help, in front of its author, as after any post.
      if (data.help) location.assign(data.help);
    } catch {
      setError(t.failed);
    } finally {
      setSending(false);
      box.current?.focus();
    }
  };

  const remove = (id: number) => async (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const { ok } = await post(e.currentTarget.action, {}).catch(() => ({ ok: false }));
    if (ok) setMessages((list) => list.filter((m) => m.id !== id));
  };

  const status = gone
    ? t.gone
    : ended
      ? t.ended
      : notOpen
        ? t.opens
        : paused
          ? p.leader
            ? t.pausedLeader
            : t.paused
          : muted && !p.leader
            ? t.muted
            : '';
  const closed = gone || ended || notOpen || (!p.leader && (paused || muted));
  const errorId = error ? 'chat-error' : undefined;

  return (
    <div class="chat-room">
      <p class="chat-presence">{present.length > 0 ? `${t.here} ${present.join(', ')}` : t.nobodyHere}</p>
      <p class="chat-status" role="status">
        {status}
        {offline && !gone ? ` ${t.offline}` : ''}
      </p>
      {p.newestUrl !== null ? (
        <p>
          <a href={p.newestUrl}>{t.newest}</a>
        </p>
      ) : null}
      {older !== null ? (
        <p>
          <a href={older} onClick={hydrated && p.newestUrl === null ? loadOlder : undefined}>
            {t.older}
          </a>
        </p>
      ) : null}
      <div class="chat-log" role="log" aria-live="polite" aria-label={t.log} tabIndex={0} ref={log} onScroll={onScroll}>
        {messages.length === 0 ? <p class="muted">{t.empty}</p> : null}
        <ol>
          {messages.map((m) => {
            const author = m.authorName ?? t.formerMember;
            const time = m.time ?? timeOf(p.locale, p.timeZone, m.createdAt);
            return (
              <li key={m.id} id={`message-${m.id}`}>
                <span class="chat-author">{author}</span> <time dateTime={m.createdAt}>{time}</time>
                <p class="chat-body">{m.body}</p>
                <ChatFiles files={m.attachments} locale={p.locale} description={t.description} />
                {p.leader ? (
                  <form method="post" action={`${p.messagesUrl}/${m.id}/remove`} onSubmit={remove(m.id)}>
                    <input type="hidden" name="_csrf" value={p.csrf} />
                    <button type="submit" class="link-button">
                      {t.remove}
                      <span class="visually-hidden">{` (${author}, ${time})`}</span>
                    </button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ol>
      </div>
      {p.refusal !== null ? (
        <p class="chat-refusal">{p.refusal}</p>
      ) : p.newestUrl === null ? (
        <form
          class="chat-form"
          id="chat-form"
          method="post"
          action={p.messagesUrl}
          enctype={p.attach !== null ? 'multipart/form-data' : undefined}
          onSubmit={send}
        >
          <input type="hidden" name="_csrf" value={p.csrf} />
          <label for="chat-body">{t.label}</label>
          {hydrated ? (
            <p class="hint" id="chat-hint">
              {t.hint}
            </p>
          ) : null}
          {error ? (
            <p class="error" id="chat-error" role="alert">
              {error}
            </p>
          ) : null}
          <textarea
            id="chat-body"
            name="body"
            rows={2}
            maxLength={2000}
            required
            disabled={closed}
            value={text}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={[hydrated ? 'chat-hint' : '', errorId ?? ''].filter(Boolean).join(' ') || undefined}
            ref={box}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Enter sends, as in any chat; Shift+Enter starts a new line.
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          {p.attach !== null ? <div class="chat-attach" dangerouslySetInnerHTML={{ __html: p.attach }} /> : null}
          <button type="submit" class="button" disabled={closed} aria-disabled={sending ? 'true' : undefined}>
            {t.send}
          </button>
        </form>
      ) : null}
    </div>
  );
}
