// A pool of fuzzing worker threads. Each input gets a deadline and each worker a heap limit:
// a hang is cut short by terminating the worker, a heap blow-up ends the worker with an
// out-of-memory error, and either way the input is a finding and a fresh worker takes over.
//
// The workers run the compiled JavaScript in dist/ (`npm run build`), so the pool works the
// same whether it is driven from dist (npm run fuzz) or from the TypeScript sources (vitest).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckMode, Verdict } from './check-input.js';
import type { WorkerRequest, WorkerSetup } from './worker.js';

export interface PoolOptions extends WorkerSetup {
  readonly workers: number;
  /** Wall-clock limit per input. */
  readonly timeoutMs: number;
  /** Heap limit per worker (V8 old generation). */
  readonly heapMb: number;
}

interface Job {
  readonly request: WorkerRequest;
  readonly resolve: (verdict: Verdict) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

/** The package root: the nearest folder above this file with a package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('fuzz: cannot find the package root');
    dir = parent;
  }
  return dir;
}

export function workerScript(): string {
  const script = join(packageRoot(), 'dist', 'fuzz', 'worker.js');
  if (!existsSync(script)) throw new Error(`fuzz: ${script} is missing: run \`npm run build\` first`);
  return script;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  /** Set when a worker dies before it is ready: the setup is broken, not an input. */
  private broken: Error | undefined;

  constructor(private readonly opts: PoolOptions) {
    const script = workerScript();
    for (let i = 0; i < opts.workers; i++) this.slots.push(this.spawn(script));
  }

  check(bytes: Uint8Array, mode: CheckMode): Promise<Verdict> {
    return new Promise((resolve, reject) => {
      if (this.broken !== undefined) return reject(this.broken);
      this.queue.push({ request: { id: this.nextId++, bytes, mode }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(script = workerScript()): Slot {
    const setup: WorkerSetup = { board: this.opts.board, withRuntime: this.opts.withRuntime, scratchDir: this.opts.scratchDir };
    const worker = new Worker(script, {
      workerData: setup,
      // 1 MiB of stack, like the main thread of `node`: recursion limits match the CLI's.
      resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb, stackSizeMb: 1 },
    });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (message: { ready?: boolean; id?: number; verdict?: Verdict }) => {
      if (message.ready === true) {
        slot.ready = true;
      } else if (slot.job !== undefined && message.id === slot.job.request.id) {
        this.finish(slot, message.verdict!);
      }
      this.dispatch();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'worker-died';
      this.replace(slot, { outcome: 'finding', kind, message: `${error.name}: ${error.message}` });
    });
    worker.on('exit', (code) => {
      this.replace(slot, { outcome: 'finding', kind: 'worker-died', message: `the worker exited with code ${code}` });
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.timer = setTimeout(() => this.timeOut(slot), this.opts.timeoutMs);
      slot.worker.postMessage(job.request);
    }
  }

  private finish(slot: Slot, verdict: Verdict): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    job?.resolve(verdict);
  }

  private timeOut(slot: Slot): void {
    const seconds = this.opts.timeoutMs / 1000;
    this.replace(slot, { outcome: 'finding', kind: 'hang', message: `no verdict within ${seconds} s` });
  }

  /** Settle the slot's input with `verdict`, retire its worker and start another. */
  private replace(slot: Slot, verdict: Verdict): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (!slot.ready && verdict.outcome === 'finding') {
      this.broken = new Error(`fuzz: a worker failed to start: ${verdict.message}`);
      for (const job of this.queue.splice(0)) job.reject(this.broken);
      this.slots.splice(index, 1);
      return;
    }
    this.finish(slot, verdict);
    this.slots[index] = this.spawn();
  }
}
