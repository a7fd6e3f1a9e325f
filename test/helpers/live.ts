import type { WebSocket } from 'ws';

/** A frame from /live, as the page's script reads it. */
export type Frame = Record<string, unknown> & { type: string };

/** A WebSocket client of /live that keeps every frame it receives, in order, for a test to read. */
export class LiveClient {
  private readonly frames: Frame[] = [];
  private readonly waiting: ((frame: Frame) => void)[] = [];
  closed = false;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      const next = this.waiting.shift();
      if (next) next(frame);
      else this.frames.push(frame);
    });
    socket.on('close', () => {
      this.closed = true;
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame; waits for it (the test's timeout ends a wait for one that never comes). */
  next(): Promise<Frame> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Subscribes and returns the server's answer: a 'subscribed' frame, or an error. */
  async subscribe(topic: string, id: number): Promise<Frame> {
    this.send({ type: 'subscribe', topic, id });
    return this.next();
  }

  /** Frames received and not yet read. */
  get pending(): readonly Frame[] {
    return this.frames;
  }

  close(): void {
    this.socket.terminate();
  }
}
