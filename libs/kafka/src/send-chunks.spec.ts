import { chunkBySize } from './send-chunks';

describe('chunkBySize', () => {
  const message = (id: number, bytes: number) => ({ key: String(id), value: Buffer.alloc(bytes) });

  it('splits a send into chunks under the byte budget, in order, a single oversized record alone', () => {
    const chunks = chunkBySize([message(0, 400), message(1, 500), message(2, 200), message(3, 5000), message(4, 1), message(5, 999)], 1000);
    expect(chunks.map((c) => c.map((m) => Number(m.key)))).toEqual([[0, 1], [2], [3], [4, 5]]);
  });

  it('keeps a small send whole and an empty one empty', () => {
    expect(chunkBySize([message(0, 10), message(1, 10)]).length).toBe(1);
    expect(chunkBySize([])).toEqual([]);
  });
});
