// A background loop for worker tasks (the Meilisearch outbox, PostgreSQL's word list): runs `step`, waits the delay
// it returns, and again, until stopped; stopping cuts the wait short and resolves once the running step is over.
export function repeat(step: () => Promise<number>): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      const delay = await step();
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return async () => {
    stopped = true;
    wake?.();
    await loop;
  };
}
