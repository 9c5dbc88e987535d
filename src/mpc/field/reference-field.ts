import { Field } from '@noble/curves/abstract/modular.js';
import { P } from './prime.js';

/**
 * The reference field: @noble/curves' audited modular arithmetic on BigInt.
 * It is slower than the fast backend and serves as the oracle of its
 * property tests and of the Lagrange coefficients' derivation.
 */
export const referenceField = Field(BigInt(P));
