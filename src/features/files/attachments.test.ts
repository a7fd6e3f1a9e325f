import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { defaultPostingLimits } from '../../platform/deps.js';

const run = promisify(execFile);

/** A photo as a phone makes it: with the place it was taken (GPS) and the camera in its EXIF. */
export async function photoWithLocation(): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a7d44' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Secret 9' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();
}

/** Every tag exiftool (an independent reader) finds in some bytes. */
async function tagsOf(bytes: Buffer): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'mutual-attach-'));
  await writeFile(join(dir, 'f'), bytes);
  const { stdout } = await run('/usr/bin/exiftool', ['-j', '-G1', '-a', join(dir, 'f')]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0]!;
}

function form(fields: Record<string, string | string[]>, files: { name: string; bytes: Buffer; type?: string }[] = []) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) fd.append(k, item);
  for (const f of files)
    fd.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  return fd;
}

const svg = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);
const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');

/** The public ids of the files a page links to, in order. */
const fileIdsIn = (page: string) => [...new Set([...page.matchAll(/\/files\/([A-Za-z0-9_-]+)\//g)].map((m) => m[1]!))];

describe('attaching photos and files', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let owner: Agent;
  let willow: Agent;
  let rowan: Agent;
  let outsider: Agent;
  let slug: string;
  let privateSlug: string;

  beforeAll(async () => {
    world = await createWorld();
    const u = await world.createUser('Group Owner');
    owner = world.agent();
    await owner.logIn(u.email, u.password);
    slug = (await makeGroup(world, u, { name: 'Garden Friends' })).slug;
    privateSlug = (await makeGroup(world, u, { name: 'Quiet Room', visibility: 'members' })).slug;
    willow = await world.member('Willow');
    rowan = await world.member('Rowan');
    outsider = await world.member('Passer By');
    for (const agent of [willow, rowan]) {
      await agent.post(`/g/${slug}/join`);
      await agent.post(`/g/${privateSlug}/join`);
    }
  }, 120_000);
  afterAll(() => world.close());

  it('shares a photo with its description, without a form script, and what others download has no location', async () => {
    const newThread = await willow.get(`/g/${slug}/threads/new`);
    expect(newThread.body).toContain('enctype="multipart/form-data"');
    expect(textOf(newThread.body)).toContain('Describe the photo for people who cannot see it');
    const res = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title: 'Our tomatoes', body: 'They came up at last!', alt: 'Green tomato plants in a raised bed' }, [
        { name: 'IMG_0042 Willow at home.jpg', bytes: await photoWithLocation(), type: 'image/jpeg' },
      ]),
    );
    expect(res.statusCode).toBe(303);
    const page = await rowan.get((res.headers.location as string).split('?')[0]!);
    expect(page.body).toContain('<picture>');
    expect(page.body).toMatch(/<img[^>]*alt="Green tomato plants in a raised bed"[^>]*loading="lazy"/);
    expect(page.body).toMatch(/<source type="image\/webp" srcset="[^"]*thumb\.webp 400w/);
    // The photo's own name said who took it and where: it is just "photo" now.
    expect(page.body).not.toContain('Willow at home');
    const [id] = fileIdsIn(page.body);
    const download = await rowan.get(`/files/${id}/main`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    const tags = await tagsOf(download.rawPayload);
    expect(Object.keys(tags).filter((k) => /GPS|Make|Model/.test(k))).toEqual([]);
    expect(tags['File:ImageWidth']).toBe(800);
  });

  it('asks for a description of every photo, keeping the words and the photo meanwhile', async () => {
    const res = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title: 'Seedlings', body: 'Look how they grew.' }, [
        { name: 'seedlings.jpg', bytes: await photoWithLocation(), type: 'image/jpeg' },
      ]),
    );
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('Please describe this photo for people who cannot see it.');
    expect(text).toContain('Attached: photo.jpeg');
    expect(res.body).toContain('Look how they grew.');
    const [id] = fileIdsIn(res.body);
    expect(res.body).toContain(`<input type="hidden" name="attachment" value="${id}"/>`);
    // Sent again with a description, the kept photo goes with the thread; nothing is uploaded twice.
    const again = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({
        title: 'Seedlings',
        body: 'Look how they grew.',
        attachment: id!,
        [`alt-${id}`]: 'Tiny seedlings in pots',
      }),
    );
    expect(again.statusCode).toBe(303);
    const page = await rowan.get((again.headers.location as string).split('?')[0]!);
    expect(page.body).toContain('alt="Tiny seedlings in pots"');
    expect(fileIdsIn(page.body)).toEqual([id]);
  });

  it('keeps the upload when the post itself is refused, and lets it be removed', async () => {
    const res = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title: 'x', body: 'A title too short', alt: 'A watering can' }, [
        { name: 'can.jpg', bytes: await photoWithLocation(), type: 'image/jpeg' },
      ]),
    );
    expect(res.statusCode).toBe(400);
    const [id] = fileIdsIn(res.body);
    expect(id).toBeDefined();
    expect(res.body).toContain('value="A watering can"');
    const removed = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title: 'Watering', body: 'No photo after all.', attachment: id!, remove: id!, [`alt-${id}`]: 'A can' }),
    );
    expect(removed.statusCode).toBe(303);
    const page = await rowan.get((removed.headers.location as string).split('?')[0]!);
    expect(fileIdsIn(page.body)).toEqual([]);
  });

  it('refuses SVG and HTML files, saying why, and stores nothing', async () => {
    for (const [name, bytes, type] of [
      ['drawing.svg', svg, 'image/svg+xml'],
      ['page.html', html, 'text/html'],
      ['page.txt', html, 'text/plain'],
    ] as const) {
      const res = await willow.postMultipart(
        `/g/${slug}/threads/new`,
        form({ title: 'A drawing', body: 'See this.', alt: 'A drawing' }, [{ name, bytes, type }]),
      );
      expect(res.statusCode).toBe(400);
      expect(fileIdsIn(res.body)).toEqual([]);
      expect(res.body).toContain('class="error"');
      const uploaded = await willow.postMultipart(`/uploads?place=g:${slug}`, form({}, [{ name, bytes, type }]), {
        script: true,
      });
      expect(uploaded.statusCode).toBe(400);
      expect(uploaded.headers['content-type']).toContain('application/problem+json');
      expect((uploaded.json() as { detail: string }).detail.length).toBeGreaterThan(10);
    }
  });

  it('holds CSRF for multipart forms and uploads', async () => {
    const photo = await photoWithLocation();
    const page = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title: 'Forged', body: 'Not me', alt: 'x' }, [{ name: 'a.jpg', bytes: photo }]),
      { csrf: null },
    );
    expect(page.statusCode).toBe(403);
    const upload = await willow.postMultipart(`/uploads?place=g:${slug}`, form({}, [{ name: 'a.jpg', bytes: photo }]), {
      csrf: null,
      script: true,
    });
    expect(upload.statusCode).toBe(403);
  });

  it('uploads at once with a script, then attaches to a reply by id; nobody else can use the upload', async () => {
    const thread = await willow.post(`/g/${slug}/threads/new`, { title: 'Compost tips', body: 'What works for you?' });
    const threadUrl = (thread.headers.location as string).split('?')[0]!;
    const threadId = Number(threadUrl.split('/').pop());
    const up = await rowan.postMultipart(
      `/uploads?place=g:${slug}`,
      form({}, [{ name: 'compost.jpg', bytes: await photoWithLocation() }]),
      { script: true },
    );
    expect(up.statusCode).toBe(201);
    const file = up.json() as { publicId: string; kind: string; name: string; thumbUrl: string; width: number };
    expect(file).toMatchObject({ kind: 'image', name: 'photo.jpeg', width: 800 });
    expect(file.thumbUrl).toBe(`/files/${file.publicId}/thumb.webp`);
    // Before it is posted, the upload is its uploader's alone.
    expect((await rowan.get(file.thumbUrl)).statusCode).toBe(200);
    expect((await willow.get(file.thumbUrl)).statusCode).toBe(404);
    const stolen = await willow.post(`/threads/${threadId}/replies`, {
      body: 'Mine now',
      attachment: file.publicId,
      [`alt-${file.publicId}`]: 'x',
    });
    expect(stolen.statusCode).toBe(400);
    expect(textOf(stolen.body)).not.toContain('Mine now'.repeat(2));
    const reply = await rowan.post(`/threads/${threadId}/replies`, {
      body: 'Here is my heap.',
      attachment: file.publicId,
      [`alt-${file.publicId}`]: 'A compost heap behind a shed',
    });
    expect(reply.statusCode).toBe(303);
    const page = await willow.get(threadUrl);
    expect(page.body).toContain('alt="A compost heap behind a shed"');
    expect((await willow.get(file.thumbUrl)).statusCode).toBe(200);
  });

  it('shows a file as a download with its name and size', async () => {
    const notes = Buffer.from('Compost: greens and browns, turned weekly.\n');
    const res = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title: 'My notes', body: 'Notes attached.' }, [
        { name: 'compost notes.txt', bytes: notes, type: 'text/plain' },
      ]),
    );
    expect(res.statusCode).toBe(303);
    const page = await rowan.get((res.headers.location as string).split('?')[0]!);
    expect(textOf(page.body)).toMatch(/compost notes\.txt \(1 kB\)/i);
    const [id] = fileIdsIn(page.body);
    const download = await rowan.get(`/files/${id}/main`);
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    expect(download.body).toBe(notes.toString());
  });

  it('keeps a members-only group’s photos from visitors and non-members', async () => {
    const res = await willow.postMultipart(
      `/g/${privateSlug}/threads/new`,
      form({ title: 'Private', body: 'Just for us.', alt: 'A quiet bench' }, [
        { name: 'bench.jpg', bytes: await photoWithLocation() },
      ]),
    );
    expect(res.statusCode).toBe(303);
    const page = await rowan.get((res.headers.location as string).split('?')[0]!);
    const [id] = fileIdsIn(page.body);
    expect((await rowan.get(`/files/${id}/main`)).statusCode).toBe(200);
    expect((await world.agent().get(`/files/${id}/main`)).statusCode).toBe(404);
    expect((await world.agent().get(`/files/${id}/thumb.webp`)).statusCode).toBe(404);
    expect((await outsider.get(`/files/${id}/main`)).statusCode).toBe(404);
  });

  it('lets the group’s owner turn photos and files off, and refuses them then', async () => {
    expect((await willow.get(`/g/${slug}/settings/files`)).statusCode).toBe(403);
    const settings = await owner.get(`/g/${slug}/settings/files`);
    expect(settings.statusCode).toBe(200);
    expect(settings.body).toContain('checked');
    const bad = await owner.post(`/g/${slug}/settings/files`, { filesAllowed: 'on', maxMegabytes: 'lots' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Please give a whole number of megabytes, at least 1.');
    const saved = await owner.post(`/g/${slug}/settings/files`, { filesAllowed: 'on', maxMegabytes: '2' });
    expect(saved.statusCode).toBe(303);
    const form1 = await willow.get(`/g/${slug}/threads/new`);
    expect(textOf(form1.body)).toContain('Add a file (optional)');
    expect(form1.body).not.toContain('image/jpeg');
    const refused = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title: 'Flowers', body: 'Roses.', alt: 'Roses' }, [
        { name: 'roses.jpg', bytes: await photoWithLocation() },
      ]),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Roses.');
    expect(textOf(refused.body)).toContain('This group does not take photos.');
    await owner.post(`/g/${slug}/settings/files`, {});
    const none = await willow.get(`/g/${slug}/threads/new`);
    expect(none.body).not.toContain('type="file"');
    await owner.post(`/g/${slug}/settings/files`, { imagesAllowed: 'on', filesAllowed: 'on' });
  });
});

describe('attachments in private messages', () => {
  it('shows a photo to the people in the conversation only', { timeout: 120_000 }, async () => {
    const world = await createWorld();
    try {
      const owner = await world.createUser('Owner');
      const slug = (await makeGroup(world, owner)).slug;
      const [ana, bo, cy] = [await world.member('Ana'), await world.member('Bo'), await world.member('Cy')];
      for (const agent of [ana, bo, cy]) await agent.post(`/g/${slug}/join`);
      const sent = await ana.post('/messages/new', { group: slug, to: 'Bo', body: 'Hello Bo.' });
      const talk = Number(/\/messages\/(\d+)/.exec(sent.headers.location as string)![1]);
      expect((await bo.post(`/messages/${talk}/accept`)).statusCode).toBe(303);
      const page = await bo.get(`/messages/${talk}`);
      expect(page.body).toContain('enctype="multipart/form-data"');
      // Cy is not in the conversation: nothing of hers is stored, and she is told nothing.
      const intruder = await cy.postMultipart(
        `/messages/${talk}`,
        form({ body: 'Me too', alt: 'x' }, [{ name: 'a.jpg', bytes: await photoWithLocation() }]),
      );
      expect(intruder.statusCode).toBe(404);
      const missing = await bo.postMultipart(
        `/messages/${talk}`,
        form({ body: 'My dog.' }, [{ name: 'dog.jpg', bytes: await photoWithLocation() }]),
      );
      expect(missing.statusCode).toBe(400);
      expect(textOf(missing.body)).toContain('Please describe this photo');
      const [id] = fileIdsIn(missing.body);
      const reply = await bo.postMultipart(
        `/messages/${talk}`,
        form({ body: 'My dog.', attachment: id!, [`alt-${id}`]: 'A sleepy brown dog' }),
      );
      expect(reply.statusCode).toBe(303);
      const seen = await ana.get(`/messages/${talk}`);
      expect(seen.body).toContain('alt="A sleepy brown dog"');
      expect((await ana.get(`/files/${id}/main`)).statusCode).toBe(200);
      expect((await cy.get(`/files/${id}/main`)).statusCode).toBe(404);
      expect((await world.agent().get(`/files/${id}/main`)).statusCode).toBe(404);
    } finally {
      await world.close();
    }
  });
});

describe('attachments and trust levels', () => {
  it('keeps pictures out of a new account’s posts, as pictures in its words are', { timeout: 120_000 }, async () => {
    const world = await createWorld({ postingLimits: defaultPostingLimits });
    try {
      const owner = await world.createUser('Owner');
      const slug = (await makeGroup(world, owner)).slug;
      const newcomer = await world.member('New Here');
      await newcomer.post(`/g/${slug}/join`);
      const res = await newcomer.postMultipart(
        `/g/${slug}/threads/new`,
        form({ title: 'Hello all', body: 'My first post.', alt: 'Me smiling' }, [
          { name: 'me.jpg', bytes: await photoWithLocation() },
        ]),
      );
      expect(res.statusCode).toBe(400);
      expect(textOf(res.body)).toContain('can’t share links or pictures');
      expect(res.body).toContain('My first post.');
    } finally {
      await world.close();
    }
  });
});
