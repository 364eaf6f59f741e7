/**
 * One virtual clock for processes that share a simulator: a conservative lockstep.
 *
 * The parent owns the master VirtualClock (manual mode), the simulators and any in-process strategies. A child
 * process (the provider under test, kept apart so its RSS and CPU time are its own) runs a follower clock. Time
 * moves only when everyone is idle: no HTTP request in flight in the parent (simulators, peers) and every child
 * has reported idle with its earliest sleeper. The master then jumps to the earliest wakeup anywhere, and tells
 * the children whose sleepers are due to jump there too. A child only ever runs right after such a jump, so
 * every request it sends reaches the simulator at the same virtual instant it was sent.
 *
 * Idle detection uses setImmediate turns, not the 2 ms timers of tests/helpers/virtualTime.ts: hundreds of
 * thousands of jumps (peers polling one copy each) must cost microseconds each. Everything between a wakeup and
 * the next HTTP request is promise continuations, which run before the next setImmediate turn.
 */
import type { ChildProcess } from "node:child_process";
import type { VirtualClock } from "../../simulator/clock";

/** Consecutive idle turns before time may move (a margin for continuations that hop through I/O callbacks). */
const IDLE_TURNS = 3;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Resolves once `busy()` has read 0 for IDLE_TURNS consecutive turns. */
export async function settle(busy: () => number): Promise<void> {
  for (let idle = 0; idle < IDLE_TURNS;) {
    await turn();
    idle = busy() > 0 ? 0 : idle + 1;
  }
}

/** Messages between the master and a follower. */
export type ToFollower = { type: "advance"; t: number };
export type FromFollower = { type: "idle"; next?: number } | { type: "done"; result: unknown };

/** The master's view of one child. */
class Remote {
  idle = false;
  next?: number;
  done = false;
  result: unknown;
  private wake?: () => void;

  constructor(readonly child: ChildProcess) {
    child.on("message", (m: FromFollower) => {
      if (m.type === "idle") {
        this.idle = true;
        this.next = m.next;
      } else {
        this.done = true;
        this.idle = true;
        this.next = undefined;
        this.result = m.result;
      }
      this.wake?.();
    });
    child.on("exit", () => {
      this.done = true;
      this.idle = true;
      this.next = undefined;
      this.wake?.();
    });
  }

  /** Resolves when the child is idle (or gone). */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }

  advance(t: number): void {
    this.idle = false;
    this.next = undefined;
    this.child.send({ type: "advance", t } satisfies ToFollower);
  }
}

/** What the master reports after each settled instant (the bench samples counters there). */
export type OnInstant = (t: number) => void;

/**
 * Drives `clock` (and followers) until `finished()` says so. `busy` counts local work in flight (HTTP
 * requests being served or sent in this process). `onInstant` runs once per settled instant, before time moves.
 */
export class TimeMaster {
  private readonly remotes: Remote[] = [];
  jumps = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly busy: () => number,
    private readonly onInstant: OnInstant = () => undefined,
  ) {}

  /** Adds a follower; resolves with what it reports when done. */
  follow(child: ChildProcess): Promise<unknown> {
    const r = new Remote(child);
    this.remotes.push(r);
    return new Promise((resolve, reject) => {
      child.on("message", (m: FromFollower) => m.type === "done" && resolve(m.result));
      child.on("exit", (code) =>
        r.result === undefined ? reject(new Error(`child exited ${code}`)) : undefined,
      );
    });
  }

  async run(finished: () => boolean): Promise<void> {
    for (;;) {
      await Promise.all(this.remotes.map((r) => r.whenIdle()));
      // Children run only after advance(), so once they are idle only local work can still be settling.
      await settle(this.busy);
      this.onInstant(this.clock.now());
      if (finished()) return;
      const local = this.clock.nextWakeup();
      const remote = this.remotes.filter((r) => !r.done && r.next !== undefined).map((r) => r.next!);
      const next = Math.min(local ?? Infinity, ...remote);
      if (next === Infinity) {
        // Nothing scheduled anywhere: a child is between messages, or the run is stuck.
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const t = Math.max(next, this.clock.now());
      this.jumps++;
      for (const r of this.remotes) if (!r.done && r.next !== undefined && r.next <= t) r.advance(t);
      this.clock.advanceTo(t);
    }
  }
}

/**
 * Child side: follows the master's jumps on a local manual clock. Call {@link Follower.ready} once the child
 * has started its work; it reports idle (with its next wakeup) after every jump until {@link Follower.done}.
 */
export class Follower {
  private finished = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly busy: () => number,
  ) {
    process.on("message", (m: ToFollower) => {
      if (m.type !== "advance") return;
      this.clock.advanceTo(m.t);
      void this.reportIdle();
    });
  }

  /** Call after starting work at the initial instant. */
  ready(): void {
    void this.reportIdle();
  }

  private async reportIdle(): Promise<void> {
    await settle(this.busy);
    if (this.finished) return;
    process.send!({ type: "idle", next: this.clock.nextWakeup() } satisfies FromFollower);
  }

  /** Sends the result; the master stops driving this child. */
  done(result: unknown): void {
    this.finished = true;
    process.send!({ type: "done", result } satisfies FromFollower);
  }
}
