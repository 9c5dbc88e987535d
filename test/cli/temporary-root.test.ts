import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { temporaryRoot } from '../../src/cli/temporary-root.js';

describe('temporaryRoot', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'sealbid-temporary-root-'));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('prefers TMPDIR', () => {
    expect(temporaryRoot({ TMPDIR: '/var/tmp/x' }, folder)).toBe('/var/tmp/x');
  });

  it('uses the memory folder without TMPDIR', () => {
    expect(temporaryRoot({}, folder)).toBe(folder);
    expect(temporaryRoot({ TMPDIR: '' }, folder)).toBe(folder);
  });

  it('falls back without a memory folder', () => {
    const file = join(folder, 'not-a-folder');
    writeFileSync(file, '');

    expect(temporaryRoot({}, join(folder, 'missing'))).toBe(tmpdir());
    expect(temporaryRoot({}, file)).toBe(tmpdir());
  });
});
