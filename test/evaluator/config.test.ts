import { toBase64Url } from '../../src/crypto/index.js';
import { ConfigError, loadEvaluatorConfig } from '../../src/evaluator/config/evaluator-config.js';

const key = toBase64Url(new Uint8Array(32).fill(7));
const peers = JSON.stringify([
  { index: 2, url: 'ws://127.0.0.1:7102/v1/peers', signingPublicKey: key },
  { index: 3, url: 'ws://127.0.0.1:7103/v1/peers', signingPublicKey: key },
]);
const base = {
  SEALBID_EVALUATOR_INDEX: '1',
  SEALBID_PEERS: peers,
  SEALBID_ORCHESTRATOR_TOKEN: 'x'.repeat(32),
};

describe('loadEvaluatorConfig', () => {
  it('fills defaults', () => {
    const config = loadEvaluatorConfig({ ...base });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(7101);
    expect(config.parties).toBe(3);
    expect(config.degree).toBe(1);
    expect(config.dataDir).toMatch(/data\/evaluator-1$/);
    expect(config.keyFile).toMatch(/data\/evaluator-1\/evaluator-keys\.json$/);
    expect(config.retentionMs).toBe(7 * 24 * 3600 * 1000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.peers.map((peer) => peer.index)).toEqual([2, 3]);
    expect(config.peers[0].signingPublicKey).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads explicit settings', () => {
    const config = loadEvaluatorConfig({
      ...base,
      SEALBID_PORT: '0',
      SEALBID_HOST: '::1',
      SEALBID_RETENTION_SECONDS: '60',
      DATABASE_URL: 'postgres://localhost/sealbid',
      SEALBID_KEY_FILE: '/tmp/keys.json',
    });
    expect(config.port).toBe(0);
    expect(config.host).toBe('::1');
    expect(config.retentionMs).toBe(60_000);
    expect(config.databaseUrl).toBe('postgres://localhost/sealbid');
    expect(config.keyFile).toBe('/tmp/keys.json');
  });

  it('rejects invalid settings by name', () => {
    const cases: Array<[Record<string, string | undefined>, RegExp]> = [
      [{ SEALBID_EVALUATOR_INDEX: undefined }, /SEALBID_EVALUATOR_INDEX is missing/],
      [{ SEALBID_EVALUATOR_INDEX: '4' }, /must be at most SEALBID_PARTIES/],
      [{ SEALBID_EVALUATOR_INDEX: 'one' }, /SEALBID_EVALUATOR_INDEX must be an integer/],
      [{ SEALBID_DEGREE: '2' }, /at least 2 \* SEALBID_DEGREE \+ 1 = 5/],
      [{ SEALBID_PORT: '70000' }, /SEALBID_PORT must be an integer from 0 to 65535/],
      [{ SEALBID_ORCHESTRATOR_TOKEN: 'short' }, /at least 32 characters/],
      [{ SEALBID_ORCHESTRATOR_TOKEN: undefined }, /SEALBID_ORCHESTRATOR_TOKEN is missing/],
      [{ SEALBID_PEERS: undefined }, /SEALBID_PEERS is missing/],
      [{ SEALBID_PEERS: '{' }, /SEALBID_PEERS is not valid JSON/],
      [{ SEALBID_PEERS: '[]' }, /must list parties 2, 3 once each, got none/],
      [{ SEALBID_PEERS: peers.replace('"index":3', '"index":2') }, /must list parties 2, 3 once each, got 2, 2/],
      [{ SEALBID_PEERS: peers.replace('ws://127.0.0.1:7102', 'http://127.0.0.1:7102') }, /SEALBID_PEERS\[0\]\.url must use ws or wss/],
      [{ SEALBID_PEERS: peers.replaceAll(key, 'AAAA') }, /signingPublicKey must be a 32-byte Ed25519 public key/],
    ];
    for (const [change, message] of cases) {
      const env = { ...base, ...change };
      expect(() => loadEvaluatorConfig(env)).toThrow(ConfigError);
      expect(() => loadEvaluatorConfig(env)).toThrow(message);
    }
  });
});

describe('loadEvaluatorConfig with several problems', () => {
  function problemsOf(change: Record<string, string | undefined>): readonly string[] {
    try {
      loadEvaluatorConfig({ ...base, ...change });
    } catch (error) {
      if (error instanceof ConfigError) {
        expect(error.message).toBe(error.problems.join('\n'));
        return error.problems;
      }
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  it('lists every invalid setting', () => {
    const problems = problemsOf({
      SEALBID_PORT: '70000',
      SEALBID_ORCHESTRATOR_TOKEN: 'token-7f3a',
      SEALBID_ROUND_TIMEOUT_MS: '5',
      SEALBID_PEERS: '{',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^SEALBID_PEERS is not valid JSON/),
      'SEALBID_PORT must be an integer from 0 to 65535, got "70000"',
      'SEALBID_ORCHESTRATOR_TOKEN must have at least 32 characters, got 10',
      'SEALBID_ROUND_TIMEOUT_MS must be an integer from 100 to 3600000, got "5"',
    ]);
    expect(problems.join('\n')).not.toContain('token-7f3a');
  });

  it('skips checks with invalid inputs', () => {
    const problems = problemsOf({ SEALBID_EVALUATOR_INDEX: '9', SEALBID_PARTIES: 'x', SEALBID_DEGREE: '3', SEALBID_PEERS: '{' });
    expect(problems).toEqual(['SEALBID_PARTIES must be an integer from 3 to 255, got "x"']);
  });

  it('runs cross checks with valid inputs', () => {
    const problems = problemsOf({ SEALBID_EVALUATOR_INDEX: '9', SEALBID_DEGREE: '2', SEALBID_PEERS: '{' });
    expect(problems).toEqual([
      'SEALBID_PARTIES (3) must be at least 2 * SEALBID_DEGREE + 1 = 5',
      'SEALBID_EVALUATOR_INDEX (9) must be at most SEALBID_PARTIES (3)',
    ]);
  });

  it('skips peers when insecure flag invalid', () => {
    const problems = problemsOf({ SEALBID_ALLOW_INSECURE_PEERS: 'maybe', SEALBID_PEERS: '{' });
    expect(problems).toEqual(['SEALBID_ALLOW_INSECURE_PEERS must be true or false, got "maybe"']);
  });

  it('checks a given port without a valid index', () => {
    const problems = problemsOf({ SEALBID_EVALUATOR_INDEX: undefined, SEALBID_PORT: '70000' });
    expect(problems).toEqual([
      'SEALBID_EVALUATOR_INDEX is missing: set it to an integer from 1 to 255',
      'SEALBID_PORT must be an integer from 0 to 65535, got "70000"',
    ]);
  });

  it('keeps the message of a single problem', () => {
    const message = 'SEALBID_PARTIES (3) must be at least 2 * SEALBID_DEGREE + 1 = 5';
    expect(() => loadEvaluatorConfig({ ...base, SEALBID_DEGREE: '2' })).toThrow(new ConfigError(message));
    expect(problemsOf({ SEALBID_DEGREE: '2' })).toEqual([message]);
  });
});
