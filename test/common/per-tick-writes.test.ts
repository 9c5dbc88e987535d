import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { writePerTick } from '../../src/common/per-tick-writes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Creates a writable stream that records the chunks of each underlying write call. */
function recordingStream(): { stream: Writable; calls: string[][] } {
  const calls: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      calls.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      calls.push(chunks.map((entry) => String(entry.chunk)));
      callback();
    },
  });
  return { stream, calls };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('writePerTick', () => {
  it('writes one turn in one call', async () => {
    const { stream, calls } = recordingStream();
    writePerTick(stream);

    stream.write('a\n');
    stream.write('b\n');
    stream.write('c\n');
    expect(calls).toEqual([]);
    await nextTurn();

    expect(calls).toEqual([['a\n', 'b\n', 'c\n']]);
  });

  it('corks again in a later turn', async () => {
    const { stream, calls } = recordingStream();
    writePerTick(stream);

    stream.write('first\n');
    await nextTurn();
    stream.write('second\n');
    stream.write('third\n');
    await nextTurn();

    expect(calls).toEqual([['first\n'], ['second\n', 'third\n']]);
  });

  it('writes held lines at exit', () => {
    const module = join(root, 'src', 'common', 'per-tick-writes.ts');
    const script = [
      `import { writePerTick } from ${JSON.stringify(module)};`,
      'writePerTick(process.stdout);',
      "process.stdout.write('one\\n');",
      "process.stdout.write('two\\n');",
      'process.exit(3);',
    ].join('\n');

    let output = '';
    try {
      execFileSync(process.execPath, ['--import', join(root, 'scripts', 'register-ts.mjs'), '--input-type=module', '-e', script], { encoding: 'utf8' });
    } catch (error) {
      output = (error as { stdout: string; status: number }).stdout;
      expect((error as { status: number }).status).toBe(3);
    }

    expect(output).toBe('one\ntwo\n');
  });
});
