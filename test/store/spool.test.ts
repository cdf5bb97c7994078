// LineSpool: lines written out as they come, read back in order, lanes joined in lane order.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSpool } from '../../src/store/spool.js';

describe('LineSpool', () => {
  it('joins its lanes in lane order, each in the order written, and removes its files', () => {
    const spool = new LineSpool(3);
    spool.write(2, 'c1');
    spool.write(0, 'a1');
    spool.write(1, 'b1');
    spool.write(0, 'a2');
    const { path, bytes } = spool.finish('out.csv');
    expect(readFileSync(path, 'utf8')).toBe('a1\r\na2\r\nb1\r\nc1\r\n');
    expect(bytes).toBe(16);
    expect(spool.lines).toBe(4);
    spool.dispose();
    expect(existsSync(dirname(path))).toBe(false);
  });

  it('puts the lanes it is asked to sort in order, the others as written', () => {
    const spool = new LineSpool(2, '\n');
    for (const l of ['b', 'c', 'a']) spool.write(0, l);
    for (const l of ['z', 'y']) spool.write(1, l);
    expect(readFileSync(spool.finish('x', [0]).path, 'utf8')).toBe('a\nb\nc\nz\ny\n');
    spool.dispose();
  });

  it('reads back more than it holds, characters split across chunks included', () => {
    const spool = new LineSpool(1, '\n');
    // 200 000 lines of ~30 bytes (6 MB): past the flush threshold and the 1 MB read chunk many times over.
    const line = (i: number) => JSON.stringify({ i, name: `ünïcode ✓ ${i}` });
    for (let i = 0; i < 200_000; i++) spool.write(0, line(i));
    let n = 0;
    for (const l of spool.read(0)) {
      expect(l).toBe(line(n));
      n++;
    }
    expect(n).toBe(200_000);
    expect([...spool.read(0)]).toEqual([]);
    spool.dispose();
  });
});
