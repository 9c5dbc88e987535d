/**
 * Random and mutated HTTP requests for the fuzz test. A seeded generator makes
 * every run reproducible: a failure message names the seed and the request.
 */

/** A small seeded pseudo-random generator (mulberry32), enough to vary test inputs. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [0, max). */
  below(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/** One request of the fuzz run. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const STRANGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://127.0.0.1/x}',
  '\ud800',
  'é'.repeat(300),
  'x'.repeat(5_000),
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'true',
  'null',
];

const STRANGE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53 + 1,
  -(2 ** 31),
  1e308,
  [],
  {},
  [null],
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  Array.from({ length: 300 }, (_, i) => i),
];

/** Returns a random value: a strange string, a strange value, or a nested mix. */
export function randomValue(random: Random, depth = 0): unknown {
  const roll = random.below(depth > 3 ? 3 : 5);
  if (roll === 0) return random.pick(STRANGE_STRINGS);
  if (roll === 1) return random.pick(STRANGE_VALUES);
  if (roll === 2) return random.below(2 ** 31) - 2 ** 30;
  if (roll === 3) return Array.from({ length: random.below(4) }, () => randomValue(random, depth + 1));
  return Object.fromEntries(Array.from({ length: random.below(4) }, () => [random.pick(['a', 'evaluator', 'version', 'id', '__proto__']), randomValue(random, depth + 1)]));
}

/** Returns a mutated deep copy of a JSON value: one field dropped, replaced, added or retyped. */
export function mutate(random: Random, value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    const copy = value.map((item) => item);
    if (copy.length > 0 && random.chance(0.6)) {
      const index = random.below(copy.length);
      copy[index] = mutate(random, copy[index], depth + 1);
    } else if (random.chance(0.5)) {
      copy.push(randomValue(random));
    } else {
      copy.splice(random.below(copy.length + 1), 1);
    }
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const roll = random.below(4);
    if (keys.length > 0 && roll === 0) {
      delete copy[random.pick(keys)];
    } else if (keys.length > 0 && roll === 1) {
      const key = random.pick(keys);
      copy[key] = depth < 4 && random.chance(0.5) ? mutate(random, copy[key], depth + 1) : randomValue(random);
    } else if (roll === 2) {
      copy[random.pick(['extra', 'amount', '__proto__', 'constructor', 'isAdmin'])] = randomValue(random);
    } else {
      return randomValue(random);
    }
    return copy;
  }
  if (typeof value === 'string' && value.length > 0 && random.chance(0.5)) {
    const index = random.below(value.length);
    return value.slice(0, index) + String.fromCharCode(32 + random.below(95)) + value.slice(index + 1);
  }
  return randomValue(random);
}

/** Serializes a body, sometimes broken: truncated, random bytes or not JSON at all. */
export function encodeBody(random: Random, body: unknown): string {
  const roll = random.below(20);
  const text = JSON.stringify(body) ?? 'null';
  if (roll === 0) return text.slice(0, random.below(text.length + 1));
  if (roll === 1) return Buffer.from(Array.from({ length: random.below(200) }, () => random.below(256))).toString('latin1');
  if (roll === 2) return '{"a":'.repeat(200);
  if (roll === 3) return `${text}${text}`;
  return text;
}

/** Percent-encodes text for a URL; a lone surrogate, which encodeURIComponent rejects, becomes %ED%A0%80. */
export function encodePart(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

/** Returns a random variant of an id in a path: the real one, a malformed one or a strange string. */
export function pathId(random: Random, real: string): string {
  const roll = random.below(6);
  if (roll <= 2) return real;
  if (roll === 3) return crypto.randomUUID();
  if (roll === 4) return encodePart(random.pick(STRANGE_STRINGS)) || 'x';
  return real.slice(0, random.below(real.length)) || 'x';
}
