import { GroupCommit } from '../../src/orchestrator/common/group-commit.js';

/** Returns a runner that records each group and keeps it open until release(), with release itself. */
function scripted() {
  const groups: string[][] = [];
  const open: Array<() => void> = [];
  const run = async (items: string[]) => {
    groups.push(items);
    await new Promise<void>((resolve) => open.push(resolve));
    return items.map((item) => (item.startsWith('bad') ? new Error(`${item} failed`) : item.toUpperCase()));
  };
  const release = async () => {
    open.splice(0).forEach((resolve) => resolve());
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { groups, run, release };
}

describe('group commit', () => {
  it('runs items queued meanwhile together', async () => {
    const { groups, run, release } = scripted();
    const queue = new GroupCommit(run, 10);
    const results = ['a', 'b', 'c', 'bad-d'].map((item) => queue.submit(item).catch((error: Error) => error.message));

    await release();
    await release();

    expect(groups).toEqual([['a'], ['b', 'c', 'bad-d']]);
    expect(await Promise.all(results)).toEqual(['A', 'B', 'C', 'bad-d failed']);
  });

  it('keeps items with a shared key apart and in order', async () => {
    const { groups, run, release } = scripted();
    const queue = new GroupCommit(run, 10, (item: string) => [item[0]]);
    const results = ['x0', 'a1', 'a2', 'b1', 'a3', 'c1'].map((item) => queue.submit(item));

    await release();
    await release();
    await release();
    await release();

    expect(groups).toEqual([['x0'], ['a1', 'b1', 'c1'], ['a2'], ['a3']]);
    expect(await Promise.all(results)).toEqual(['X0', 'A1', 'A2', 'B1', 'A3', 'C1']);
  });

  it('caps the group size', async () => {
    const { groups, run, release } = scripted();
    const queue = new GroupCommit(run, 2);
    const results = ['a', 'b', 'c', 'd'].map((item) => queue.submit(item));

    await release();
    await release();
    await release();

    expect(groups).toEqual([['a'], ['b', 'c'], ['d']]);
    expect(await Promise.all(results)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('rejects a whole failed group', async () => {
    const queue = new GroupCommit<string, string>(async () => {
      throw new Error('statement failed');
    }, 10);

    await expect(queue.submit('a')).rejects.toThrow('statement failed');
  });
});
