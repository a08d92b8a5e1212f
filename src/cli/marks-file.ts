/**
 * `export --marks FILE.json`: `{"marks": [{"file", "frame", "note"}], "ranges": [{"from",
 * "to", "label", "note"}]}`, checked whole before anything is read; the first problem is
 * refused in one line.
 */
import type { Instant } from '../analysis/findings/finding.ts';
import { InputError } from './input-error.ts';
import { parseTime } from './time-arg.ts';

export interface Mark {
  /** One input file by name or path; every file when absent. */
  file?: string;
  /** 1-based frame number. */
  frame: number;
  note: string;
}

export interface MarkedRange {
  from: Instant;
  to: Instant;
  /** label and note joined, as the packet comment. */
  note: string;
}

export interface MarksFile {
  marks: Mark[];
  ranges: MarkedRange[];
}

export function parseMarksFile(text: string, name: string): MarksFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name}: not JSON (${(error as Error).message})`);
  }
  const refuse = (problem: string) => new InputError(`${name}: ${problem}`);
  if (!isObject(json)) throw refuse('expected an object with "marks" and/or "ranges"');
  const marks = list(json.marks, 'marks', refuse).map((m, i) => {
    const at = `marks[${i}]`;
    if (!isObject(m)) throw refuse(`${at} is not an object`);
    if (!Number.isSafeInteger(m.frame) || (m.frame as number) < 1) throw refuse(`${at}.frame is not a whole number >= 1`);
    return {
      ...(m.file === undefined ? {} : { file: requiredText(m.file, `${at}.file`, refuse) }),
      frame: m.frame as number,
      note: optionalText(m.note, `${at}.note`, refuse),
    };
  });
  const ranges = list(json.ranges, 'ranges', refuse).map((r, i) => {
    const at = `ranges[${i}]`;
    if (!isObject(r)) throw refuse(`${at} is not an object`);
    const time = (value: unknown, field: string) => {
      const given = requiredText(value, `${at}.${field}`, refuse);
      try {
        return parseTime(given);
      } catch (error) {
        throw refuse(`${at}.${field}: ${(error as Error).message}`);
      }
    };
    const note = [optionalText(r.label, `${at}.label`, refuse), optionalText(r.note, `${at}.note`, refuse)].filter(Boolean).join(': ');
    return { from: time(r.from, 'from'), to: time(r.to, 'to'), note };
  });
  return { marks, ranges };
}

type Refuse = (problem: string) => InputError;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown, field: string, refuse: Refuse): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw refuse(`${field} is not a list`);
  return value;
}

function requiredText(value: unknown, field: string, refuse: Refuse): string {
  if (typeof value !== 'string') throw refuse(`${field} is not a text`);
  return value;
}

function optionalText(value: unknown, field: string, refuse: Refuse): string {
  return value === undefined || value === null ? '' : requiredText(value, field, refuse);
}
