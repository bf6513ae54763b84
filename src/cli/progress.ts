// The status line: long work (a big module's functions, `mcu-aot test`'s tests) shows where
// it is on ONE line of the terminal, rewritten in place (`\r`, erase line). It exists only
// on a terminal: when stderr is a pipe or a file, or CI is set, it writes nothing at all, so
// logs and tests see exactly what they saw before. Anything else printed goes through
// `clear()` first, so no line is ever written over half a status.

import { describeProgress, type ProgressEvent } from '../driver/progress.js';

/** The part of a stream the status line needs (process.stderr has it all). */
export interface StatusStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface StatusLine {
  /** Show the event, replacing what the line showed. */
  readonly update: (event: ProgressEvent) => void;
  /** Erase the line (before other output, and when the work is done). */
  readonly clear: () => void;
}

/** A line is redrawn at most this often: a module of thousands of small functions would
 *  otherwise spend its time writing to the terminal. */
const REDRAW_INTERVAL_MS = 50;
const ERASE_LINE = '\r\x1b[2K';

/** Whether a status line may be shown: a terminal, and not a CI job (CI=true, CI=1...). */
export function statusLineWanted(stream: Pick<StatusStream, 'isTTY'>, env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env['CI'];
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
  return stream.isTTY === true && !inCi;
}

export function statusLine(stream: StatusStream, env: Readonly<Record<string, string | undefined>>): StatusLine {
  if (!statusLineWanted(stream, env)) return { update: () => {}, clear: () => {} };
  let shown = false;
  let drawnAt = -Infinity;
  let lastStage = '';
  // The newest event held back by the throttle, drawn when the interval is up, so a slow
  // step (a hanging test) is never hidden behind the one before it.
  let pending: ProgressEvent | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = (event: ProgressEvent): void => {
    pending = undefined;
    lastStage = event.stage;
    drawnAt = Date.now();
    const width = Math.max(10, (stream.columns || 80) - 1); // never wrap: \r only returns within one row (a pty may report 0 columns)
    const text = describeProgress(event);
    stream.write(`${ERASE_LINE}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    shown = true;
  };
  const cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  return {
    update: (event) => {
      const wait = drawnAt + REDRAW_INTERVAL_MS - Date.now();
      // A new stage always shows at once; steps within one are throttled.
      if (event.stage !== lastStage || wait <= 0) {
        cancel();
        draw(event);
        return;
      }
      pending = event;
      timer ??= setTimeout(() => {
        timer = undefined;
        if (pending !== undefined) draw(pending);
      }, wait).unref();
    },
    clear: () => {
      cancel();
      if (!shown) return;
      stream.write(ERASE_LINE);
      shown = false;
    },
  };
}
