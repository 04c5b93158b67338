import { describe, expect, it } from "vitest";
import { BeginFrameQueue } from "./begin-frames";

/** A begin frame the test finishes by hand, recording when it started. */
function frames() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  let running = 0;
  let overlapped = false;
  const frame = (name: string) => () => {
    started.push(name);
    running += 1;
    if (running > 1) overlapped = true;
    return new Promise<string>((resolve) => {
      finish.set(name, () => {
        running -= 1;
        resolve(name);
      });
    });
  };
  const done = async (name: string) => {
    finish.get(name)?.();
    // Let the queue start the next one.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, frame, done, overlapped: () => overlapped };
}

describe("a browser's begin-frame queue", () => {
  it("runs a waiting recipient's picture before other tabs' background frames", async () => {
    const queue = new BeginFrameQueue();
    const f = frames();
    queue.enqueue(f.frame("picture a"), "picture");
    queue.enqueue(f.frame("heartbeat b"), "background");
    queue.enqueue(f.frame("heartbeat c"), "background");
    queue.enqueue(f.frame("picture d"), "picture");
    for (const name of ["picture a", "picture d", "heartbeat b", "heartbeat c"]) await f.done(name);
    expect(f.started).toEqual(["picture a", "picture d", "heartbeat b", "heartbeat c"]);
    // Two begin frames of one browser at once kill its GPU process.
    expect(f.overlapped()).toBe(false);
  });

  it("does not starve background frames behind a steady stream of pictures", async () => {
    let now = 0;
    const queue = new BeginFrameQueue(() => now);
    const f = frames();
    queue.enqueue(f.frame("picture 0"), "picture");
    queue.enqueue(f.frame("heartbeat"), "background");
    for (let i = 1; i <= 5; i++) queue.enqueue(f.frame(`picture ${i}`), "picture");
    await f.done("picture 0");
    await f.done("picture 1");
    now = 300;
    await f.done("picture 2");
    expect(f.started.slice(0, 4)).toEqual(["picture 0", "picture 1", "picture 2", "heartbeat"]);
  });

  it("gives up a background frame that has not started, and keeps one that has", async () => {
    const queue = new BeginFrameQueue();
    const f = frames();
    const running = queue.enqueue(f.frame("heartbeat a"), "background");
    const waiting = queue.enqueue(f.frame("heartbeat b"), "background");
    waiting.skip();
    running.skip();
    await expect(waiting.result).resolves.toBeNull();
    await f.done("heartbeat a");
    await expect(running.result).resolves.toBe("heartbeat a");
    expect(f.started).toEqual(["heartbeat a"]);
  });
});
