import { InputError } from '../models/inputError.js';
import { conservation } from './conservation.js';
import { flowBound } from './flowBound.js';
import { healthBlindSpot } from './healthBlindSpot.js';
import { keepaliveLimits } from './keepaliveLimits.js';
import { noReset } from './noReset.js';
import { noStarvation } from './noStarvation.js';
import { oneToOne } from './oneToOne.js';
import type { Property } from '../src/explore/property.js';
import { queueAdmission } from './queueAdmission.js';

/** The property catalogue, in the order reports list it: DESIGN.md's six, then flow-bound and no-reset. */
export const catalogue: readonly Property[] = [
  oneToOne,
  queueAdmission,
  noStarvation,
  keepaliveLimits,
  conservation,
  healthBlindSpot,
  flowBound,
  noReset,
];

export function propertyNamed(name: string): Property {
  const p = catalogue.find((x) => x.name === name);
  if (!p) throw new InputError(`unknown property '${name}'; allowed: ${catalogue.map((x) => x.name).join(', ')}`);
  return p;
}

export { conservation, flowBound, healthBlindSpot, keepaliveLimits, noReset, noStarvation, oneToOne, queueAdmission };
