// What is typed into the simulated console UART. The simulator runs synchronously, so the
// bytes a terminal or a pipe delivers wait here until the UART can take them: the machine
// pulls one at a time between instruction chunks (Machine.feedUart), as QEMU's character
// backend hands a byte over only while the UART says it can receive. `arrival` lets the
// asynchronous run loop (simulate.ts) wait when the firmware sleeps until input comes.

/** The simulator's side: take the next byte, and know whether any may still come. */
export interface UartInput {
  /** The next byte, or undefined when none has arrived yet. */
  next(): number | undefined;
  /** False once the input has ended and every byte has been taken. */
  readonly open: boolean;
}

export class UartInputQueue implements UartInput {
  private readonly chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already taken. */
  private taken = 0;
  private ended = false;
  private readonly waiters: (() => void)[] = [];

  /** A queue holding all of `bytes`, already ended (piped text given at once). */
  static of(bytes: Uint8Array): UartInputQueue {
    const queue = new UartInputQueue();
    queue.push(bytes);
    queue.end();
    return queue;
  }

  push(bytes: Uint8Array): void {
    if (this.ended) return;
    if (bytes.length > 0) this.chunks.push(bytes);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  next(): number | undefined {
    const chunk = this.chunks[0];
    if (chunk === undefined) return undefined;
    const byte = chunk[this.taken++]!;
    if (this.taken === chunk.length) {
      this.chunks.shift();
      this.taken = 0;
    }
    return byte;
  }

  get open(): boolean {
    return !this.ended || this.chunks.length > 0;
  }

  /** Resolves once a byte is waiting or the input has ended (at once if either is so). */
  arrival(): Promise<void> {
    if (this.chunks.length > 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
