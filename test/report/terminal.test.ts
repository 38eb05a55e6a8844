import { describe, expect, it } from 'vitest';
import { ProgressLine, progressText } from '../../src/report/terminal/progress.js';
import { COLOR, PLAIN, visibleLength, wantsColor } from '../../src/report/terminal/style.js';
import { outputWidth, wrapLine } from '../../src/report/terminal/wrap.js';

describe('colour', () => {
  it('on a terminal only, never with NO_COLOR, and on request with FORCE_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(true);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  it('adds escape codes and nothing else', () => {
    const s = COLOR.bold(COLOR.red('VIOLATED'));
    expect(s).not.toBe('VIOLATED');
    expect(visibleLength(s)).toBe(8);
    expect(PLAIN.red('VIOLATED')).toBe('VIOLATED');
  });
});

describe('width', () => {
  it("is the terminal's, else COLUMNS, else none (piped output is not wrapped)", () => {
    expect(outputWidth({ isTTY: true, columns: 97 }, {})).toBe(97);
    expect(outputWidth({ isTTY: false }, { COLUMNS: '72' })).toBe(72);
    expect(outputWidth({ isTTY: false }, {})).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('wrapLine', () => {
  const line = '    t=16ms     step 28   gateway reads r1.2 on cdn>gateway#1; gateway opens gateway>nlb#2 to nlb for r1.2 (worker 1)';

  it('breaks at spaces, no line wider than the width, continuation lines indented', () => {
    const out = wrapLine(line, 60, 26);
    expect(out.length).toBeGreaterThan(1);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of out.slice(1)) expect(l.startsWith(' '.repeat(26))).toBe(true);
    expect(out.map((l) => l.trim()).join(' ')).toBe(line.trim());
  });

  it('leaves short lines, and every line when the width is infinite', () => {
    expect(wrapLine('short', 80, 2)).toEqual(['short']);
    expect(wrapLine(line, Number.POSITIVE_INFINITY, 2)).toEqual([line]);
  });

  it('does not count colour codes', () => {
    const coloured = `${COLOR.red('VIOLATED')} ${'x'.repeat(10)}`;
    expect(wrapLine(coloured, 19, 2)).toEqual([coloured]);
  });

  it('cuts a word longer than a line', () => {
    const out = wrapLine(`a ${'b'.repeat(50)}`, 20, 2);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(20);
    expect(out.join('').replace(/\s/g, '')).toBe(`a${'b'.repeat(50)}`);
  });
});

describe('ProgressLine', () => {
  it('redraws one line in place on a terminal, at most every interval, and clears it', () => {
    const written: string[] = [];
    const p = new ProgressLine((s) => written.push(s), true, 100, 40);
    p.show('a', 1000);
    p.show('b', 1050);
    p.show('c'.repeat(60), 1200);
    expect(written).toEqual(['\r\x1b[Ka', `\r\x1b[K${'c'.repeat(38)}…`]);
    p.clear();
    p.clear();
    expect(written.at(-1)).toBe('\r\x1b[K');
    expect(written).toHaveLength(3);
  });

  it('writes nothing when not on a terminal', () => {
    const written: string[] = [];
    const p = new ProgressLine((s) => written.push(s), false);
    p.show('a', 1000);
    p.clear();
    expect(written).toEqual([]);
  });

  it('says which property, how far, how long, and how to stop', () => {
    expect(progressText({ property: 'flow-bound', index: 7, count: 8, seconds: 12.34, text: '2345/4000 runs' })).toBe(
      '[7/8] flow-bound: 2345/4000 runs, 12.3 s  (Ctrl-C stops and keeps what was found)',
    );
  });
});
