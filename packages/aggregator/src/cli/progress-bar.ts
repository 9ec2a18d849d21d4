/** Files at least this large get a progress bar while being read. */
export const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;
const WIDTH = 30;
const MIN_INTERVAL_MS = 100;

/**
 * A one-line progress bar on stderr (`[#####-----]  42%  12.0/28.6 MiB  51234 rows`), redrawn at most every
 * 100 ms with a carriage return; `done()` ends the line. Silent when `enabled` is false.
 */
export function createProgressBar(stream: { write(text: string): unknown }, enabled: boolean, now: () => number = Date.now) {
  let last = -Infinity;
  let drawn = false;
  const mib = (b: number): string => (b / 1048576).toFixed(1);
  const draw = (bytesRead: number, totalBytes: number, rows: number): void => {
    const ratio = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 1;
    const filled = Math.round(ratio * WIDTH);
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${mib(bytesRead)}/${mib(totalBytes)} MiB  ${rows} rows`);
    drawn = true;
  };
  return {
    update(bytesRead: number, totalBytes: number, rows: number): void {
      if (!enabled) return;
      const t = now();
      if (t - last < MIN_INTERVAL_MS) return;
      last = t;
      draw(bytesRead, totalBytes, rows);
    },
    done(bytesRead: number, totalBytes: number, rows: number): void {
      if (!enabled) return;
      draw(bytesRead, totalBytes, rows);
      if (drawn) stream.write('\n');
    },
  };
}
