// How long work says how far it has got: builds report each function they optimise and
// compile, `mcu-aot test` each test it starts. The driver only calls the listener it is
// given (an optional field of its options); the CLI shows the events as one status line on
// a terminal (src/cli/progress.ts) and nothing anywhere else.

/** One step of long work: `done` of `total` steps of `stage` are finished, `item` is next. */
export interface ProgressEvent {
  /** What is going on, as a verb: 'optimising', 'compiling', 'linking', 'testing'. */
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  /** What the next step works on: a function's or a test's name. */
  readonly item?: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** The event as a short line: `compiling 12/340 fib`, `linking`. */
export function describeProgress(event: ProgressEvent): string {
  const count = event.total > 1 ? ` ${event.done}/${event.total}` : '';
  const item = event.item !== undefined ? ` ${event.item}` : '';
  return `${event.stage}${count}${item}`;
}
