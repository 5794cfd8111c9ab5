/** The undo log: whatever a command writes, a failure leaves the world exactly as it was; success stores no views. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeEpoch, transaction } from '../../src/model/transaction.js';
import { createWorld, execute } from '../../src/model/index.js';
import { parseScript } from '../../src/script/parser.js';

interface Doc { n: number; list: { id: number; tags: string[] }[]; map: Record<string, { v: number } | undefined>; other: { id: number; tags: string[] }[] }

const fresh = (): Doc => ({ n: 1, list: [{ id: 1, tags: ['a'] }, { id: 2, tags: [] }, { id: 3, tags: ['b', 'c'] }], map: { x: { v: 1 } }, other: [] });

type Op = (d: Doc) => void;
const OPS: Op[] = [
  (d) => d.list.push({ id: d.n++, tags: [] }),
  (d) => void d.list.pop(),
  (d) => void d.list.shift(),
  (d) => d.list.unshift({ id: 9, tags: ['z'] }),
  (d) => void d.list.splice(1, 1, { id: 7, tags: [] }, { id: 8, tags: [] }),
  (d) => d.list.sort((a, b) => b.id - a.id),
  (d) => d.list.reverse(),
  (d) => (d.list.length = Math.max(0, d.list.length - 2)),
  (d) => d.list[0]?.tags.push('t'),
  (d) => (d.list = d.list.filter((x) => x.id % 2 === 0)),
  (d) => d.other.push(...d.list.slice(0, 2)),
  (d) => delete d.map.x,
  (d) => (d.map.y = { v: d.n }),
  (d) => Object.assign(d.map, { z: d.map.x }),
  (d) => (d.n += 1),
  (d) => (d.list[5] = { id: 5, tags: [] }),
];

describe('transaction', () => {
  it('a failing change is undone exactly; a succeeding one is kept and stores only raw objects', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: OPS.length - 1 }), { maxLength: 30 }), fc.boolean(), (ops, fails) => {
        const doc = fresh();
        const before = JSON.stringify(doc);
        const apply = (d: Doc) => ops.forEach((i) => OPS[i]!(d));
        try {
          transaction(doc, (d) => {
            apply(d);
            if (fails) throw new Error('no');
          });
        } catch {
          // the failing case
        }
        if (fails) {
          expect(JSON.stringify(doc)).toBe(before);
        } else {
          const expected = fresh();
          apply(expected);
          expect(JSON.stringify(doc)).toBe(JSON.stringify(expected));
          // structuredClone refuses a Proxy: the world holds none.
          expect(() => structuredClone(doc)).not.toThrow();
        }
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it('the same object is the same view (identity holds inside a command)', () => {
    const doc = fresh();
    transaction(doc, (d) => {
      const first = d.list[0];
      expect(d.list.indexOf(first!)).toBe(0);
      expect(d.list.find((x) => x.id === 1)).toBe(first);
    });
  });
});

describe('a command on the world', () => {
  it('writes only what it changes: the objects it does not write stay the same objects (no copy of the world per command)', async () => {
    const { run } = await import('./model-helpers.js');
    const r = run('host a\ndocker run -d --name w img\nhost b\ndocker run -d --name w img');
    const [a, b] = r.world.hosts;
    const aContainers = a!.containers;
    const bNetworks = b!.networks;
    run('docker run -d --name x img\ndocker network create -d nat n2', { world: r.world });
    expect(r.world.hosts[0]).toBe(a);
    expect(r.world.hosts[0]!.containers).toBe(aContainers);
    expect(r.world.hosts[1]).toBe(b);
    expect(b!.containers.map((c) => c.name)).toEqual(['w', 'x']);
    expect(b!.networks).toBe(bNetworks);
  });
});

describe('a transaction inside another (a command that keeps part of what it did)', () => {
  it('a failed inner one is undone alone; what an inner one kept is undone with the outer one', () => {
    const doc = fresh();
    const before = JSON.stringify(doc);
    const kept = transaction(doc, (d) => {
      d.n = 5;
      expect(() => transaction(doc, (d2) => { d2.n = 6; d2.list.pop(); throw new Error('inner'); })).toThrow('inner');
      expect(d.n).toBe(5);
      expect(d.list).toHaveLength(3);
      return d.n;
    });
    expect(kept).toBe(5);
    doc.n = 1;
    expect(JSON.stringify(doc)).toBe(before);
    expect(() => transaction(doc, (d) => {
      transaction(doc, (d2) => { d2.list.push({ id: 4, tags: [] }); d2.map.y = { v: 2 }; });
      expect(d.list).toHaveLength(4);
      throw new Error('outer');
    })).toThrow('outer');
    expect(JSON.stringify(doc)).toBe(before);
  });
});

describe('the indexes over world lists stay valid across a docker run', () => {
  // The model's indexes (containers by name, addresses and MACs per network) are rebuilt when
  // changeEpoch() moves. A successful docker run only appends (a container, an endpoint): if it bumped
  // the epoch, every run would rebuild them and n runs would cost O(n²) (65,535 runs took minutes).
  it('a docker run on a known network leaves changeEpoch() where it was', () => {
    const world = createWorld({ seed: 1 });
    const cmds = parseScript('docker network create -d nat --subnet 10.100.0.0/16 n0\ndocker run -d --name a --network n0 img\ndocker run -d --name b --network n0 --ip 10.100.1.9 img\ndocker run -d --name c img').commands;
    expect(execute(world, cmds[0]!).ok).toBe(true);
    for (const cmd of cmds.slice(1)) {
      const before = changeEpoch();
      expect(execute(world, cmd).ok).toBe(true);
      expect(changeEpoch()).toBe(before);
    }
  });
});
