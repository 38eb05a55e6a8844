import { z } from 'zod';
import { DURATION_EXPECTED, DURATION_PATTERN, parseDuration } from './duration.js';

/**
 * Builders for the zod schemas of machine parameters, as topology files
 * write them. Each machine's descriptor declares its parameters with these;
 * the topology-file loader validates with them, the JSON Schema is generated
 * from them, and serialisation reads which fields are durations from them.
 */

/** Bounds that keep exploration meaningful: the kernel's branch choice `pick` ranges over 0..63. */
export const MAX_BRANCHES = 64;

/** How a parameter is written in a file besides its plain JSON value. */
export type ParamUnit = 'duration' | 'window';
const units = new WeakMap<z.ZodType, ParamUnit>();

/** Whether a parameter schema is a duration (`75s`) or a window of durations (`[1ms, 20ms]`), for writing files. */
export function unitOf(schema: z.ZodType): ParamUnit | undefined {
  return units.get(schema);
}

function withUnit<T extends z.ZodType>(schema: T, unit: ParamUnit): T {
  units.set(schema, unit);
  return schema;
}

export const text = (what: string, max: number) =>
  z.string({ error: `expected ${what}` }).max(max, { error: `expected ${what} of at most ${max} characters` });

export const name = (pattern: string, expected: string) =>
  z.string({ error: `expected ${expected}` }).regex(new RegExp(pattern), { error: `expected ${expected}` });

export function whole(min: number, max: number, nullable: false): z.ZodNumber;
export function whole(min: number, max: number, nullable: true): z.ZodNullable<z.ZodNumber>;
export function whole(min: number, max: number, nullable: boolean) {
  const e = `expected a whole number from ${min} to ${max}${nullable ? ', or null for no limit' : ''}`;
  const n = z.number({ error: e }).int({ error: e }).min(min, { error: e }).max(max, { error: e });
  return nullable ? n.nullable() : n;
}

/** A duration (see duration.ts) in whole ms, at least `min`. In JSON Schema: a number, or a string with a unit. */
function duration(min: number) {
  const e = `expected ${DURATION_EXPECTED}`;
  return z
    .union([z.number({ error: e }), z.string({ error: e }).regex(new RegExp(DURATION_PATTERN), { error: e })], { error: e })
    .transform((v, ctx) => {
      const r = parseDuration(v, min);
      if ('error' in r) {
        ctx.issues.push({ code: 'custom', message: r.error, input: v });
        return z.NEVER;
      }
      return r.ms;
    });
}
/** The two duration schemas, shared (one definition each in the JSON Schema). */
export const anyDuration = duration(0).meta({ id: 'duration', description: `${DURATION_EXPECTED}; at least 0` });
export const positiveDuration = duration(1).meta({ id: 'positiveDuration', description: `${DURATION_EXPECTED}; at least 1ms` });

/** A timeout: a positive duration, or null for none. */
export const timeout = (about: string) =>
  withUnit(positiveDuration.nullable().describe(`${about}. A duration ('75s', '29000ms', '5m'; a plain number is ms), or null for none.`), 'duration');

/** A duration of at least 1 ms that is always set (a check's timeout). */
export const span = (about: string) => withUnit(positiveDuration.describe(`${about}. A duration ('6s', '500ms'; a plain number is ms).`), 'duration');

/** A duration of at least 0 that is always set (a backoff, a check interval). */
export const delay = (about: string) => withUnit(anyDuration.describe(`${about}. A duration ('1s', '500ms'; a plain number is ms).`), 'duration');

/** A [min, max] window of durations, min <= max. */
export const window = (about: string) =>
  withUnit(
    z
      .tuple([anyDuration, anyDuration], { error: 'expected a window [min, max] of two durations, e.g. [1ms, 20ms]' })
      .check((ctx) => {
        if (ctx.value[0] > ctx.value[1])
          ctx.issues.push({ code: 'custom', message: `expected min <= max in the window [min, max], found [${ctx.value[0]}ms, ${ctx.value[1]}ms]`, input: ctx.value });
      })
      .describe(`${about}. [min, max], each a duration ('1ms', '20ms'; a plain number is ms).`),
    'window',
  );

export const flag = (about: string) => z.boolean({ error: 'expected true or false' }).describe(about);

export const choice = <const T extends readonly [string, ...string[]]>(values: T, about: string) =>
  z.enum(values, { error: `expected one of: ${values.join(', ')}` }).describe(about);
