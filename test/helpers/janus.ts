import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * A Janus WebRTC server on loopback for the tests, from a configuration the test writes into a
 * temporary folder: the HTTP API only (on a free loopback port, no admin API), the AudioBridge and
 * VideoRoom plugins only (their folder holds links to those two and nothing else, so no other
 * plugin, transport, logger or event handler is loaded), full ICE (not ICE Lite) on the loopback
 * and this machine's own addresses, and a small RTP port range of its own.
 */

export const janusPath = '/usr/bin/janus';
export const janusInstalled = existsSync(janusPath);

/** Where Debian (or a source build) keeps Janus's plugins and transports. */
function janusLibrary(): string {
  const candidates = [
    '/usr/lib/x86_64-linux-gnu/janus',
    '/usr/lib/aarch64-linux-gnu/janus',
    '/usr/lib/janus',
    '/opt/janus/lib/janus',
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'plugins', 'libjanus_audiobridge.so')));
  if (!found) throw new Error(`Janus's plugins are in none of ${candidates.join(', ')}`);
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestJanus {
  /** The API's root, as JANUS_URL would be: http://127.0.0.1:<port>/janus */
  url: string;
  /** The RTP/RTCP ports Janus uses for media. */
  rtpPorts: { min: number; max: number };
  /** Everything Janus logged, for a failing test's message. */
  log(): string;
  /** Janus's process id (the benchmark reads its CPU and memory). */
  pid: number;
  stop(): Promise<void>;
}

export interface TestJanusOptions {
  /** 0 (nothing) to 7 (everything); 3 keeps warnings and errors. */
  debugLevel?: number;
  /** Seconds of silence before Janus drops a session. */
  sessionTimeout?: number;
  apiSecret?: string;
}

function jcfg(sections: Record<string, Record<string, string | number | boolean>>): string {
  const value = (v: string | number | boolean) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  return Object.entries(sections)
    .map(([name, settings]) => {
      const lines = Object.entries(settings).map(([k, v]) => `\t${k} = ${value(v)}`);
      return `${name}: {\n${lines.join('\n')}\n}\n`;
    })
    .join('\n');
}

/** Starts Janus and waits until its API answers (GET /janus/info). */
export async function startJanus(options: TestJanusOptions = {}): Promise<TestJanus> {
  const library = janusLibrary();
  const dir = await mkdtemp(join(tmpdir(), 'mutual-janus-'));
  const folders = ['plugins', 'transports', 'events', 'loggers'];
  for (const folder of folders) await mkdir(join(dir, folder));
  for (const plugin of ['libjanus_audiobridge.so', 'libjanus_videoroom.so'])
    await symlink(join(library, 'plugins', plugin), join(dir, 'plugins', plugin));
  await symlink(join(library, 'transports', 'libjanus_http.so'), join(dir, 'transports', 'libjanus_http.so'));

  const port = await freePort();
  // A block of 100 ports of its own, so tests in parallel workers do not share one.
  const min = 20_000 + Math.floor(Math.random() * 400) * 100;
  const rtpPorts = { min, max: min + 99 };

  await writeFile(
    join(dir, 'janus.jcfg'),
    jcfg({
      general: {
        configs_folder: dir,
        plugins_folder: join(dir, 'plugins'),
        transports_folder: join(dir, 'transports'),
        events_folder: join(dir, 'events'),
        loggers_folder: join(dir, 'loggers'),
        debug_level: options.debugLevel ?? 3,
        debug_colors: false,
        server_name: 'mutual-test',
        session_timeout: options.sessionTimeout ?? 60,
        hide_dependencies: true,
        ...(options.apiSecret ? { api_secret: options.apiSecret } : {}),
      },
      media: { rtp_port_range: `${rtpPorts.min}-${rtpPorts.max}`, no_media_timer: 0 },
      nat: { ice_lite: false, nice_debug: false, full_trickle: false, ignore_mdns: true },
      plugins: {},
      transports: {},
      events: { broadcast: false },
      loggers: {},
    }),
  );
  await writeFile(
    join(dir, 'janus.transport.http.jcfg'),
    jcfg({
      general: { json: 'compact', base_path: '/janus', http: true, port, ip: '127.0.0.1', https: false },
      admin: { admin_http: false, admin_https: false },
      cors: {},
    }),
  );
  // No rooms of their own: Mutual creates each circle's room through the API.
  await writeFile(join(dir, 'janus.plugin.audiobridge.jcfg'), jcfg({ general: {} }));
  await writeFile(join(dir, 'janus.plugin.videoroom.jcfg'), jcfg({ general: {} }));

  let output = '';
  const child: ChildProcess = spawn(
    janusPath,
    ['--config', join(dir, 'janus.jcfg'), '--configs-folder', dir, '--disable-colors'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}/janus`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`janus exited (${child.exitCode}) before answering:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/info`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`janus did not answer on ${url} within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, rtpPorts, pid: child.pid!, log: () => output, stop };
}

/**
 * An SDP offer as a browser would make one (audio first, then video), with made-up ICE and DTLS
 * credentials: enough for Janus to negotiate and answer, though no media will ever flow.
 */
export function fakeOffer(kinds: ('audio' | 'video')[], direction: 'sendrecv' | 'sendonly' = 'sendrecv') {
  const fingerprint = Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
  const lines = [
    'v=0',
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    `a=group:BUNDLE ${kinds.map((_, i) => i).join(' ')}`,
    'a=msid-semantic: WMS',
  ];
  kinds.forEach((kind, i) => {
    lines.push(kind === 'audio' ? 'm=audio 9 UDP/TLS/RTP/SAVPF 111' : 'm=video 9 UDP/TLS/RTP/SAVPF 96');
    lines.push(
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      `a=ice-ufrag:${randomBytes(3).toString('hex')}`,
      `a=ice-pwd:${randomBytes(12).toString('hex')}`,
      'a=ice-options:trickle',
      `a=fingerprint:sha-256 ${fingerprint}`,
      'a=setup:actpass',
      `a=mid:${i}`,
      `a=${direction}`,
      'a=rtcp-mux',
    );
    if (kind === 'audio') lines.push('a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1');
    else lines.push('a=rtpmap:96 VP8/90000');
    lines.push(`a=ssrc:${1000 + i} cname:mutual-test`);
  });
  return { type: 'offer' as const, sdp: `${lines.join('\r\n')}\r\n` };
}
