/**
 * The CLI's one error path: a problem with what the user gave (a file, a filter, a flag, a
 * marks file, a budget reached) is one line on stderr and exit 2; anything else is a bug,
 * printed with its stack, exit 1.
 */
import { CaptureChanged } from '../capture/capture-changed.ts';
import { NotACapture } from '../capture/packet-sink.ts';
import { FilterSyntaxError } from '../filter/compile.ts';

/** A refusal already worded for the user: its message is the whole line. */
export class InputError extends Error {}

/** The line to print for an input problem, or null when the error is a bug. */
export function inputErrorLine(error: unknown): string | null {
  if (error instanceof InputError || error instanceof NotACapture || error instanceof CaptureChanged) return firstLine(error.message);
  if (error instanceof FilterSyntaxError) return firstLine(`filter: ${error.message}`);
  if (isSystemError(error)) return firstLine(error.message);
  return null;
}

/**
 * An input problem, said in terms of the path it concerns: "x.pcap: no such file or
 * directory (ENOENT)" rather than "ENOENT: no such file or directory, open 'x.pcap'".
 */
export function inPathTerms(error: unknown, path: string): unknown {
  if (error instanceof NotACapture) return new InputError(`${path}: ${error.message}`);
  if (isSystemError(error)) return new InputError(`${path}: ${error.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '')} (${error.code})`);
  return error;
}

/** An error from the file system (ENOENT, EACCES, EISDIR, ENOSPC...): the machine's answer, not a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 500 ? `${line.slice(0, 500)}...` : line;
}
