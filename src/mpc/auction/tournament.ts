import { sub } from '../field/fast-field.js';
import { greaterThan } from '../protocol/compare.js';
import { multiply, select } from '../protocol/multiply.js';
import type { PartyRuntime } from '../runtime/party-runtime.js';

/**
 * A knockout tournament over bit-shared keys in which the larger key wins.
 * Each match puts the winner of a block of earlier positions against the
 * winner of the block right after it, and the later one wins only if its key
 * is strictly larger, so on equal keys the earlier position wins. With count
 * keys there are ceil(log2 count) levels. An odd node out passes to the next
 * level unplayed.
 */

/** The match outcomes of one level, kept to derive each bid's won bit later. */
export interface LevelChoices {
  /** Nodes entering the level. */
  count: number;
  /** Per match, a sharing of 1 when the later node won. */
  laterWon: Uint32Array;
}

export interface TournamentResult {
  /** Bits of the best key. */
  top: Uint32Array;
  /** Bits of the second-best key (a zero key when only one took part), or null. */
  second: Uint32Array | null;
  /** Sharing of the winner's position. */
  position: Uint32Array;
  levels: LevelChoices[];
}

interface Nodes {
  count: number;
  /** Per node: width key bits then its position. */
  packed: Uint32Array;
  /** Per node: width bits of its second-best key, when tracked. */
  second: Uint32Array | null;
}

/**
 * Finds the best key, its position and, when withSecond is set, the second-best key.
 * Rounds per level: 2 + ceil(log2 width) for the best key alone, one more with the second.
 */
export async function runTournament(
  runtime: PartyRuntime,
  keys: Uint32Array,
  count: number,
  width: number,
  withSecond: boolean,
): Promise<TournamentResult> {
  let nodes = leaves(keys, count, width, withSecond);
  const levels: LevelChoices[] = [];

  while (nodes.count > 1) {
    const { next, laterWon } = withSecond
      ? await playLevelWithSecond(runtime, nodes, width)
      : await playLevel(runtime, nodes, width);
    levels.push({ count: nodes.count, laterWon });
    nodes = next;
  }
  return {
    top: nodes.packed.slice(0, width),
    second: nodes.second ? nodes.second.slice(0, width) : null,
    position: nodes.packed.slice(width, width + 1),
    levels,
  };
}

function leaves(keys: Uint32Array, count: number, width: number, withSecond: boolean): Nodes {
  const packed = new Uint32Array(count * (width + 1));
  for (let j = 0; j < count; j++) {
    packed.set(keys.subarray(j * width, (j + 1) * width), j * (width + 1));
    // A public constant is a valid sharing of itself, because every party uses it as its share.
    packed[j * (width + 1) + width] = j;
  }
  return { count, packed, second: withSecond ? new Uint32Array(count * width) : null };
}

/** Splits node data of the given stride into the earlier (even) and later (odd) node of each match. */
function split(data: Uint32Array, count: number, stride: number): { earlier: Uint32Array; later: Uint32Array; bye: Uint32Array | null } {
  const matches = Math.floor(count / 2);
  const earlier = new Uint32Array(matches * stride);
  const later = new Uint32Array(matches * stride);
  for (let m = 0; m < matches; m++) {
    earlier.set(data.subarray(2 * m * stride, (2 * m + 1) * stride), m * stride);
    later.set(data.subarray((2 * m + 1) * stride, (2 * m + 2) * stride), m * stride);
  }
  const bye = count % 2 === 1 ? data.subarray((count - 1) * stride, count * stride) : null;
  return { earlier, later, bye };
}

function keysOf(packed: Uint32Array, matches: number, width: number): Uint32Array {
  const keys = new Uint32Array(matches * width);
  for (let m = 0; m < matches; m++) {
    keys.set(packed.subarray(m * (width + 1), m * (width + 1) + width), m * width);
  }
  return keys;
}

function withBye(winners: Uint32Array, bye: Uint32Array | null): Uint32Array {
  if (!bye) {
    return winners;
  }
  const out = new Uint32Array(winners.length + bye.length);
  out.set(winners, 0);
  out.set(bye, winners.length);
  return out;
}

async function playLevel(runtime: PartyRuntime, nodes: Nodes, width: number): Promise<{ next: Nodes; laterWon: Uint32Array }> {
  const matches = Math.floor(nodes.count / 2);
  const { earlier, later, bye } = split(nodes.packed, nodes.count, width + 1);

  const laterWon = await greaterThan(runtime, keysOf(later, matches, width), keysOf(earlier, matches, width), matches, width);
  const [winners] = await select(runtime, [{ choice: laterWon, base: earlier, alternative: later, width: width + 1 }]);

  const next = { count: Math.ceil(nodes.count / 2), packed: withBye(winners, bye), second: null };
  return { next, laterWon };
}

/**
 * Plays one level while keeping the second-best key. With earlier (k1, s1)
 * and later (k2, s2), the second best is max(k2, s1) when the earlier wins
 * and max(k1, s2) when the later wins. All three comparisons share rounds.
 */
async function playLevelWithSecond(runtime: PartyRuntime, nodes: Nodes, width: number): Promise<{ next: Nodes; laterWon: Uint32Array }> {
  const matches = Math.floor(nodes.count / 2);
  const top = split(nodes.packed, nodes.count, width + 1);
  const second = split(nodes.second!, nodes.count, width);
  const k1 = keysOf(top.earlier, matches, width);
  const k2 = keysOf(top.later, matches, width);

  const a = concatAll([k2, second.earlier, second.later]);
  const b = concatAll([k1, k2, k1]);
  const outcomes = await greaterThan(runtime, a, b, 3 * matches, width);
  const laterWon = outcomes.slice(0, matches);
  const earlierSecondAhead = outcomes.slice(matches, 2 * matches);
  const laterSecondAhead = outcomes.slice(2 * matches);

  const [winners, ifEarlierWon, ifLaterWon] = await select(runtime, [
    { choice: laterWon, base: top.earlier, alternative: top.later, width: width + 1 },
    { choice: earlierSecondAhead, base: k2, alternative: second.earlier, width },
    { choice: laterSecondAhead, base: k1, alternative: second.later, width },
  ]);
  const [seconds] = await select(runtime, [{ choice: laterWon, base: ifEarlierWon, alternative: ifLaterWon, width }]);

  const next = {
    count: Math.ceil(nodes.count / 2),
    packed: withBye(winners, top.bye),
    second: withBye(seconds, second.bye),
  };
  return { next, laterWon };
}

/**
 * Derives, for every leaf, a sharing of 1 if it won the tournament and 0
 * otherwise, by pushing the root's 1 down through the match outcomes. One
 * round per level.
 */
export async function wonBits(runtime: PartyRuntime, levels: LevelChoices[]): Promise<Uint32Array> {
  let parents: Uint32Array = Uint32Array.of(1);

  for (let l = levels.length - 1; l >= 0; l--) {
    const { count, laterWon } = levels[l];
    const matches = Math.floor(count / 2);
    const toLater = await multiply(runtime, parents.subarray(0, matches), laterWon);
    const children = new Uint32Array(count);
    for (let m = 0; m < matches; m++) {
      children[2 * m + 1] = toLater[m];
      children[2 * m] = sub(parents[m], toLater[m]);
    }
    if (count % 2 === 1) {
      children[count - 1] = parents[matches];
    }
    parents = children;
  }
  return parents;
}

function concatAll(parts: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
