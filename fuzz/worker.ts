// A fuzzing worker thread: loads the board (and runtime-c, when it links), says it is ready,
// then checks the inputs the pool sends one at a time. The pool bounds each input's time
// and this thread's heap; this side only compiles and answers.

import { parentPort, workerData } from 'node:worker_threads';
import { loadBoard } from '../src/driver/board.js';
import { loadFirmwareRuntime } from '../src/driver/link-firmware.js';
import { checkInput, type CheckEnvironment, type CheckMode } from './check-input.js';

export interface WorkerSetup {
  readonly board: string;
  readonly withRuntime: boolean;
  readonly scratchDir: string;
}

export interface WorkerRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly mode: CheckMode;
}

async function serve(setup: WorkerSetup): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('fuzz/worker.js runs as a worker thread');
  const board = loadBoard(setup.board);
  const env: CheckEnvironment = {
    board,
    scratchDir: setup.scratchDir,
    ...(setup.withRuntime && { runtime: await loadFirmwareRuntime(board) }),
  };
  port.on('message', (request: WorkerRequest) => {
    void checkInput(request.bytes, request.mode, env).then((verdict) => port.postMessage({ id: request.id, verdict }));
  });
  port.postMessage({ ready: true });
}

void serve(workerData as WorkerSetup);
