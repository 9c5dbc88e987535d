/**
 * The prime field of every share: p = 2^26 - 5 = 67108859.
 *
 * Why this prime: a product of two elements is below 2^52, so it is exact in a
 * float64 and the fast backend reduces it with one division, no BigInt. The
 * prime is 3 mod 4, so square roots are one exponentiation (random bits use them).
 *
 * Why it is large enough: comparisons and auctions work on bits and indices
 * below 2^26, and amounts are opened bit by bit, so no value outgrows the field.
 * Each random check (a random linear combination that is zero for an honest
 * input) misses a cheater with probability at most 1/p < 2^-25.99, so every
 * check is repeated CHECK_REPETITIONS = 2 times with independent challenges:
 * at most 2^-51.9 per check, below the 2^-40 the platform requires.
 */
export const P = 67108859;

/** Bits needed to hold any element. */
export const FIELD_BITS = 26;

/** Independent repetitions of every random check, for a soundness error of at most 2^-40. */
export const CHECK_REPETITIONS = 2;

/** Largest bid index that the tournament can carry as one field element. */
export const MAX_BIDS = P - 1;
