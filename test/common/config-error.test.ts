import { ConfigError, ConfigProblems, describeError } from '../../src/common/config-error.js';

describe('ConfigProblems', () => {
  it('returns the value of a valid read', () => {
    const problems = new ConfigProblems();
    expect(problems.read(() => 5, 0)).toBe(5);
    expect(problems.valueOrThrow('ready')).toBe('ready');
  });

  it('records a ConfigError and returns the fallback', () => {
    const problems = new ConfigProblems();
    expect(problems.read(() => failWith(new ConfigError('A is invalid')), 0)).toBe(0);
    expect(problems.check(false, 'B is invalid')).toBe(false);
    expect(() => problems.valueOrThrow('ready')).toThrow(new ConfigError(['A is invalid', 'B is invalid']));
  });

  it('lets other errors propagate', () => {
    const problems = new ConfigProblems();
    expect(() => problems.read(() => failWith(new TypeError('bug')), 0)).toThrow(TypeError);
  });
});

describe('describeError', () => {
  it('keeps a single problem on one line', () => {
    expect(describeError(new ConfigError('A is invalid'))).toBe('ConfigError: A is invalid');
    expect(describeError(new TypeError('bug'))).toBe('TypeError: bug');
  });

  it('puts several problems on indented lines', () => {
    const text = describeError(new ConfigError(['A is invalid', 'B is missing']));
    expect(text).toBe('ConfigError: 2 invalid settings:\n  A is invalid\n  B is missing');
  });
});

function failWith(error: Error): never {
  throw error;
}
