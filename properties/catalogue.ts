import { InputError } from '../models/inputError.js';
import { conservation } from './conservation.js';
import { oneToOne } from './oneToOne.js';
import type { Property } from './property.js';
import { queueAdmission } from './queueAdmission.js';

/** The property catalogue, in the order reports list it. */
export const catalogue: readonly Property[] = [oneToOne, queueAdmission, conservation];

export function propertyNamed(name: string): Property {
  const p = catalogue.find((x) => x.name === name);
  if (!p) throw new InputError(`unknown property '${name}'; allowed: ${catalogue.map((x) => x.name).join(', ')}`);
  return p;
}

export type { Monitor, Property, Verdict, Violation } from './property.js';
export { conservation, oneToOne, queueAdmission };
