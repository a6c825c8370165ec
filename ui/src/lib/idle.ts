// Auto-lock after a period without keyboard or pointer use.

export interface IdleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Calls `onIdle` once `minutes` pass with no `poke()`. `stop()` cancels it. */
export function idleTimer(minutes: number, onIdle: () => void, clock: IdleClock = realClock) {
  const ms = Math.max(1, minutes) * 60_000;
  let last = clock.now();
  let handle: unknown = null;
  let stopped = false;
  const arm = (delay: number) => {
    handle = clock.setTimeout(check, delay);
  };
  function check() {
    if (stopped) return;
    const idle = clock.now() - last;
    if (idle >= ms) {
      stopped = true;
      onIdle();
    } else {
      arm(ms - idle);
    }
  }
  arm(ms);
  return {
    poke() {
      last = clock.now();
    },
    /** Milliseconds until the lock, at the current rate of no activity. */
    remaining(): number {
      return Math.max(0, ms - (clock.now() - last));
    },
    stop() {
      stopped = true;
      if (handle !== null) clock.clearTimeout(handle);
    },
  };
}

/** How long before an idle lock the page warns, with a countdown. */
export const LOCK_WARNING_MS = 30_000;

export const ACTIVITY_EVENTS = ["keydown", "mousedown", "mousemove", "wheel", "touchstart"] as const;
