/**
 * Serialises read-modify-write cycles per issue in this process and spaces
 * writes to one issue apart. Jira limits writes per issue
 * (`jira-per-issue-on-write`), and two redactions of the same description
 * running at once could otherwise each write back the other's secret from
 * a stale read.
 */
export class IssueWritePacer {
  readonly #minIntervalMs: number;
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #lastWrite = new Map<string, number>();

  constructor(minIntervalMs = 1000) {
    this.#minIntervalMs = minIntervalMs;
  }

  /** Runs `work` alone for `issueKey`, starting at least `minIntervalMs` after the previous one ended. */
  async exclusive<T>(issueKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(issueKey) ?? Promise.resolve();
    const run = previous
      .catch(() => {})
      .then(async () => {
        const wait = (this.#lastWrite.get(issueKey) ?? 0) + this.#minIntervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          return await work();
        } finally {
          this.#lastWrite.set(issueKey, Date.now());
        }
      });
    this.#tails.set(issueKey, run);
    try {
      return await run;
    } finally {
      if (this.#tails.get(issueKey) === run) {
        this.#tails.delete(issueKey);
        // Forget the issue once its spacing has elapsed, so the map does not grow with every issue ever edited.
        setTimeout(() => {
          if (!this.#tails.has(issueKey)) this.#lastWrite.delete(issueKey);
        }, this.#minIntervalMs).unref();
      }
    }
  }
}
