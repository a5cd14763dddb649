// The worker's background loop: steps run one after another with the delay each returns, and stopping does not
// wait for a long delay to pass, but does wait for a step that is running.
import { repeat } from "./repeat.server.ts";

describe("repeat", () => {
  it("runs the step again after the delay it returns", async () => {
    const at: number[] = [];
    const stop = repeat(async () => {
      at.push(Date.now());
      return 50;
    });
    await vi.waitFor(() => expect(at.length).toBeGreaterThanOrEqual(3), { timeout: 2_000 });
    await stop();
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(45);
  });

  it("stops at once during a long wait, and after the running step when stopped during one", async () => {
    let runs = 0;
    const idle = repeat(async () => {
      runs++;
      return 60_000;
    });
    await vi.waitFor(() => expect(runs).toBe(1));
    const asked = Date.now();
    await idle();
    expect(Date.now() - asked).toBeLessThan(1_000);

    let finished = false;
    let release: () => void = () => {};
    const busy = repeat(async () => {
      await new Promise<void>((r) => (release = r));
      finished = true;
      return 10;
    });
    await new Promise((r) => setTimeout(r, 20));
    const stopping = busy();
    expect(finished).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
  });
});
