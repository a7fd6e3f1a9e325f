import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import type { Frame, LiveClient } from '../../../test/helpers/live.js';
import { files } from '../files/schema.js';

/*
 * Photos and files in the live chat, as members meet them: Willow (who goes by "Quiet Willow" in
 * the circle) shares a photo from a browser without JavaScript; Hazel sees it in the room and
 * receives it live, with its description and nothing about who uploaded it. Outside the circle
 * the photo does not exist. A photo must be described, and a group decides what it takes.
 */

/** A photo as a phone makes it, with the camera in its EXIF and a name that says too much. */
async function photo(): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#d9a441' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneCo', Model: 'Secret 9' } })
    .toBuffer();
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

function form(fields: Record<string, string>, files: { name: string; bytes: Buffer; type?: string }[] = []) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files)
    fd.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  return fd;
}

/** The public ids of the files a page links to, in order. */
const fileIdsIn = (page: string) => [...new Set([...page.matchAll(/\/files\/([A-Za-z0-9_-]+)\//g)].map((m) => m[1]!))];

/** What a page or a frame may say about an attached file: what it shows, never who uploaded it. */
const FILE_VIEW_KEYS = [
  'altText',
  'byteSize',
  'contentType',
  'height',
  'kind',
  'name',
  'publicId',
  'variants',
  'width',
];

describe('photos and files in the live chat', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let owner: Agent;
  let willow: Agent;
  let hazel: Agent;
  let outsider: Agent;
  let outsiderId = 0;
  let willowId = 0;
  let circle: { id: number; slug: string };
  let roomId = 0;
  const sockets: LiveClient[] = [];

  const roomOf = async (agent: Agent, path: string) => {
    const page = await agent.get(path);
    expect(page.statusCode).toBe(200);
    return Number(/data-props="\{&quot;roomId&quot;:(\d+)/.exec(page.body)![1]);
  };
  const follow = async (agent: Agent, id: number) => {
    await new Promise((resolve) => setImmediate(resolve));
    const socket = await agent.live();
    sockets.push(socket);
    expect(await socket.subscribe('chat', id)).toEqual({ type: 'subscribed', topic: 'chat', id });
    return socket;
  };
  /** The next frame about the room's messages (who is here is told whenever people come and go). */
  async function nextEvent(socket: LiveClient): Promise<Frame> {
    for (;;) {
      const frame = await socket.next();
      if (frame.type !== 'chat.presence') return frame;
    }
  }

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const ownerUser = await world.createUser('Oak Owner');
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    circle = await makeGroup(world, ownerUser, { name: 'Evening circle', visibility: 'members' });
    const w = await world.createUser('Willow Pseudo');
    willowId = w.id;
    willow = world.agent();
    await willow.logIn(w.email, w.password);
    await willow.post(`/g/${circle.slug}/join`, { alias: 'Quiet Willow' });
    hazel = await world.member('Hazel');
    await hazel.post(`/g/${circle.slug}/join`);
    const o = await world.createUser('Passer By');
    outsiderId = o.id;
    outsider = world.agent();
    await outsider.logIn(o.email, o.password);
    roomId = await roomOf(owner, `/g/${circle.slug}/chat`);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await world.close();
  });

  let photoId = '';
  let messageId = 0;

  it('shares a described photo without JavaScript; others see it in the room and receive it live, with no uploader', async () => {
    const hazelSees = await follow(hazel, roomId);
    const room = await willow.get(`/g/${circle.slug}/chat`);
    expect(room.body).toContain('enctype="multipart/form-data"');
    expect(textOf(room.body)).toContain('Describe the photo for people who cannot see it');

    const sent = await willow.postMultipart(
      `/chat/rooms/${roomId}/messages`,
      form({ body: 'The sunflowers came up!', alt: 'Tall sunflowers against a blue fence' }, [
        { name: 'IMG_0042 Willow at home.jpg', bytes: await photo(), type: 'image/jpeg' },
      ]),
    );
    expect(sent.statusCode, sent.body).toBe(303);
    expect(sent.headers.location).toBe(`/g/${circle.slug}/chat#chat-form`);

    // Live: the message with its photo, as the page shows it, and nothing about who uploaded it.
    const frame = await nextEvent(hazelSees);
    expect(frame).toMatchObject({
      type: 'chat.message',
      roomId,
      message: {
        authorName: 'Quiet Willow',
        body: 'The sunflowers came up!',
        attachments: [{ kind: 'image', name: 'photo.jpeg', altText: 'Tall sunflowers against a blue fence' }],
      },
    });
    const message = frame.message as { id: number; attachments: Record<string, unknown>[] };
    messageId = message.id;
    expect(Object.keys(message.attachments[0]!).sort()).toEqual(FILE_VIEW_KEYS);
    const raw = JSON.stringify(frame);
    for (const secret of ['uploader', 'Willow Pseudo', 'Willow at home', 'authorId', 'userId'])
      expect(raw).not.toContain(secret);
    photoId = message.attachments[0]!.publicId as string;

    // In the room's history: a small picture, loaded when scrolled near, described, opening the whole photo.
    const page = await hazel.get(`/g/${circle.slug}/chat`);
    expect(page.body).toMatch(
      new RegExp(
        `<a href="/files/${photoId}/main"><picture><source type="image/webp" srcset="/files/${photoId}/thumb.webp"/>`,
      ),
    );
    expect(page.body).toMatch(
      /<img src="\/files\/[^"]+\/thumb\.jpeg" alt="Tall sunflowers against a blue fence"[^>]*loading="lazy"/,
    );
    expect(textOf(page.body)).toContain('Description Tall sunflowers against a blue fence');
    expect(page.body).not.toContain('Willow at home');
    const download = await hazel.get(`/files/${photoId}/thumb.webp`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/webp');

    // Catching up after a lost connection brings the same.
    const missed = (await hazel.get(`/chat/rooms/${roomId}/messages?after=${messageId - 1}`)).json();
    expect(missed.messages[0].attachments[0]).toMatchObject({
      publicId: photoId,
      altText: 'Tall sunflowers against a blue fence',
    });
    expect(Object.keys(missed.messages[0].attachments[0]).sort()).toEqual(FILE_VIEW_KEYS);
  });

  it('keeps a members-only circle’s photo from visitors and non-members, and from everyone once the message is removed', async () => {
    for (const variant of ['main', 'thumb.webp']) {
      expect((await world.agent().get(`/files/${photoId}/${variant}`)).statusCode).toBe(404);
      expect((await outsider.get(`/files/${photoId}/${variant}`)).statusCode).toBe(404);
      expect((await hazel.get(`/files/${photoId}/${variant}`)).statusCode).toBe(200);
    }
    const sent = await willow.postMultipart(
      `/chat/rooms/${roomId}/messages`,
      form({ body: 'Oops, not that one.', alt: 'A receipt' }, [{ name: 'r.jpg', bytes: await photo() }]),
    );
    expect(sent.statusCode).toBe(303);
    const latest = (await hazel.get(`/chat/rooms/${roomId}/messages?after=${messageId}`)).json() as {
      messages: { id: number; attachments: { publicId: string }[] }[];
    };
    const message = latest.messages.at(-1)!;
    const removedId = message.attachments[0]!.publicId;
    expect((await hazel.get(`/files/${removedId}/main`)).statusCode).toBe(200);
    expect((await owner.post(`/chat/rooms/${roomId}/messages/${message.id}/remove`)).statusCode).toBe(303);
    expect((await hazel.get(`/files/${removedId}/main`)).statusCode).toBe(404);
    const page = await hazel.get(`/g/${circle.slug}/chat`);
    expect(fileIdsIn(page.body)).not.toContain(removedId);
    expect(fileIdsIn(page.body)).toContain(photoId);
  });

  it('asks for a description of every photo, keeping the words and the photo meanwhile', async () => {
    const refused = await willow.postMultipart(
      `/chat/rooms/${roomId}/messages`,
      form({ body: 'Look at this sky.' }, [{ name: 'sky.jpg', bytes: await photo(), type: 'image/jpeg' }]),
    );
    expect(refused.statusCode).toBe(400);
    const text = textOf(refused.body);
    expect(text).toContain('Please describe this photo for people who cannot see it.');
    // Said once, beside the photo's own field.
    expect(text.split('Please describe this photo').length).toBe(2);
    expect(text).toContain('Attached: photo.jpeg');
    expect(refused.body).toContain('>Look at this sky.</textarea>');
    const kept = /<input type="hidden" name="attachment" value="([^"]+)"\/>/.exec(refused.body)?.[1];
    expect(kept).toBeDefined();
    expect(refused.body).toContain(`<p class="error" id="alt-${kept}-error">`);

    // Sent again with a description, the kept photo goes with the message; nothing is uploaded twice.
    const willowsFiles = () => world.database.db.select().from(files).where(eq(files.uploaderId, willowId));
    const uploads = (await willowsFiles()).length;
    const again = await willow.postMultipart(
      `/chat/rooms/${roomId}/messages`,
      form({ body: 'Look at this sky.', attachment: kept!, [`alt-${kept}`]: 'A pink sky over rooftops' }),
    );
    expect(again.statusCode).toBe(303);
    expect(await willowsFiles()).toHaveLength(uploads);
    const page = await hazel.get(`/g/${circle.slug}/chat`);
    expect(page.body).toContain('alt="A pink sky over rooftops"');
    expect(fileIdsIn(page.body)).toContain(kept);

    // Words are still needed with a photo, as in a discussion.
    const wordless = await willow.postMultipart(
      `/chat/rooms/${roomId}/messages`,
      form({ body: '', alt: 'Clouds' }, [{ name: 'c.jpg', bytes: await photo() }]),
    );
    expect(wordless.statusCode).toBe(400);
    expect(textOf(wordless.body)).toContain('Write a message first.');
    expect(textOf(wordless.body)).toContain('Attached: photo.jpeg');
  });

  it('sends uploads made ahead (as the page’s script does) and answers the island in JSON', async () => {
    await willow.get(`/g/${circle.slug}/chat`);
    const uploaded = await willow.postMultipart(
      `/uploads?place=g:${circle.slug}`,
      form({}, [{ name: 'notes.pdf', bytes: pdf, type: 'application/pdf' }]),
      { script: true },
    );
    expect(uploaded.statusCode).toBe(201);
    const { publicId } = uploaded.json() as { publicId: string };
    const res = await willow.post(
      `/chat/rooms/${roomId}/messages`,
      { body: 'The leaflet from today.', attachment: publicId },
      { headers: { accept: 'application/json' } },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().message.attachments).toEqual([
      expect.objectContaining({ publicId, kind: 'file', name: 'notes.pdf', contentType: 'application/pdf' }),
    ]);
    const page = await hazel.get(`/g/${circle.slug}/chat`);
    expect(page.body).toContain(`<a href="/files/${publicId}/main" download="notes.pdf">notes.pdf</a>`);
    // Someone else's upload cannot be taken into a message.
    const taken = await hazel.post(
      `/chat/rooms/${roomId}/messages`,
      { body: 'Mine now.', attachment: publicId },
      { headers: { accept: 'application/json' } },
    );
    expect(taken.statusCode).toBe(400);
    expect(taken.json().error).toContain('no longer there');
  });

  it('follows the group’s settings: photos only refuses a PDF, saying why; nothing allowed shows no file input', async () => {
    expect((await owner.post(`/g/${circle.slug}/settings/files`, { imagesAllowed: 'on' })).statusCode).toBe(303);
    const room = await willow.get(`/g/${circle.slug}/chat`);
    expect(textOf(room.body)).toContain('Add a photo (optional)');
    expect(room.body).toContain('accept="image/jpeg,image/png,image/webp,image/gif,image/avif"');
    const refused = await willow.postMultipart(
      `/chat/rooms/${roomId}/messages`,
      form({ body: 'Here is the leaflet.' }, [{ name: 'leaflet.pdf', bytes: pdf, type: 'application/pdf' }]),
    );
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('This group takes photos only, not other files.');
    expect(refused.body).toContain('>Here is the leaflet.</textarea>');
    // The island hears the same.
    await willow.get(`/g/${circle.slug}/chat`);
    const island = await willow.postMultipart(
      `/uploads?place=g:${circle.slug}`,
      form({}, [{ name: 'leaflet.pdf', bytes: pdf, type: 'application/pdf' }]),
      { script: true },
    );
    expect(island.statusCode).toBe(400);
    expect(island.json().detail).toBe('This group takes photos only, not other files.');

    await owner.post(`/g/${circle.slug}/settings/files`, {});
    const none = await willow.get(`/g/${circle.slug}/chat`);
    expect(none.body).not.toContain('type="file"');
    expect(none.body).not.toContain('enctype="multipart/form-data"');
    expect((await willow.post(`/chat/rooms/${roomId}/messages`, { body: 'Words only, then.' })).statusCode).toBe(303);
    await owner.post(`/g/${circle.slug}/settings/files`, { imagesAllowed: 'on', filesAllowed: 'on' });
  });

  it('stores nothing for someone who may not write in the room', async () => {
    const before = fileIdsIn((await owner.get(`/g/${circle.slug}/chat`)).body).length;
    const intruder = await outsider.postMultipart(
      `/chat/rooms/${roomId}/messages`,
      form({ body: 'Let me in', alt: 'x' }, [{ name: 'a.jpg', bytes: await photo() }]),
    );
    expect(intruder.statusCode).toBe(404);
    const stored = await world.database.db.select().from(files).where(eq(files.uploaderId, outsiderId));
    expect(stored).toEqual([]);
    expect(fileIdsIn((await owner.get(`/g/${circle.slug}/chat`)).body)).toHaveLength(before);
  });
});
