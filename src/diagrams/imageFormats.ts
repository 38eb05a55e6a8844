import { InputError } from '../../models/inputError.js';

export const IMAGE_FORMATS = ['svg', 'png'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** `svg,png` -> ['svg', 'png'], or an InputError naming the allowed formats. */
export function imageFormats(list: readonly string[]): ImageFormat[] {
  const out: ImageFormat[] = [];
  for (const f of list) {
    const format = f.trim().toLowerCase();
    if (!(IMAGE_FORMATS as readonly string[]).includes(format))
      throw new InputError(`unknown image format '${f}'; allowed: ${IMAGE_FORMATS.join(', ')}`);
    if (!out.includes(format as ImageFormat)) out.push(format as ImageFormat);
  }
  return out;
}
