import { InputError } from '../../models/inputError.js';

/** The OS's reasons, in words (Node's messages repeat the path and the syscall). */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this file system or process limit',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'directory not empty',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ELOOP: 'too many symbolic links (a loop?)',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  ENXIO: 'no such device or address',
  EINVAL: 'invalid argument',
  ETXTBSY: 'text file busy',
};

/** What went wrong, as the OS put it: `no space left on device (ENOSPC)`. */
export function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return `${REASONS[code] ?? code.toLowerCase()} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/** Whether `e` is an error from the OS (it has an errno code), as opposed to a bug. */
export function isOsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!);
}

/**
 * An output connmodel could not write: the environment's doing, not a bug,
 * so exit 2 like other bad input. The message names the path and the OS reason.
 */
export class OutputError extends InputError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }

  /** `cannot write 'out/seed/x.trace.json': no space left on device (ENOSPC)`. */
  static failed(path: string, e: unknown, action = 'write'): OutputError {
    return new OutputError(`cannot ${action} '${path}': ${typeof e === 'string' ? e : osReason(e)}`, path);
  }
}
