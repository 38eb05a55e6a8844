/**
 * One progress line on a terminal, redrawn in place (`\r`, erase line) at
 * most every `everyMs`; nothing at all when not on a terminal. Cleared before
 * anything else is printed, so results and progress never mix.
 */
export class ProgressLine {
  private shown = false;
  private last = 0;

  constructor(
    private readonly write: (s: string) => void,
    private readonly enabled: boolean,
    private readonly everyMs = 100,
    private readonly width = 0,
  ) {}

  show(text: string, now = performance.now()): void {
    if (!this.enabled || now - this.last < this.everyMs) return;
    this.last = now;
    // Never wider than the terminal: a wrapped progress line cannot be redrawn in place.
    const fitted = this.width > 1 && text.length >= this.width ? `${text.slice(0, this.width - 2)}…` : text;
    this.write(`\r\x1b[K${fitted}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.write('\r\x1b[K');
    this.shown = false;
    this.last = 0;
  }
}

/** `[3/8] flow-bound: 2345/7000 runs, 12.3 s` */
export function progressText(p: { property: string; index: number; count: number; seconds: number; text: string }): string {
  return `[${p.index}/${p.count}] ${p.property}: ${p.text}, ${p.seconds.toFixed(1)} s  (Ctrl-C stops and keeps what was found)`;
}
