// Building blocks for the demo capture: story time, and a time-ordered list of frames that
// can hold millions of records cheaply, written out as a classic pcap.
//
// Millions of storm frames are the *same* bytes, so a record is only a timestamp plus
// an index into a small table of distinct frames: no object per packet.
import { PCAP_FILE_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES, PcapWriter } from '../../kit/pcap-writer.ts';

/** 2017-12-05, the day of field story 1. */
const STORY_DAY = { year: 2017, monthIndex: 11, day: 5 };
/** The story's times are local to the site, UTC+9. */
const STORY_UTC_OFFSET_HOURS = 9;

/** Microseconds since the Unix epoch of a story (local, UTC+9) time of day: '14:12:51.447649'. */
export function storyTime(hms: string): number {
  const m = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/.exec(hms);
  if (!m) throw new Error(`bad story time ${hms}`);
  const [, h, min, s, frac = ''] = m;
  const utcMs = Date.UTC(STORY_DAY.year, STORY_DAY.monthIndex, STORY_DAY.day, Number(h) - STORY_UTC_OFFSET_HOURS, Number(min), Number(s));
  return utcMs * 1000 + Number(frac.padEnd(6, '0'));
}

export const SECOND_US = 1_000_000;

/**
 * Frames with their capture times (µs since the epoch). Frames are interned by identity,
 * so pushing the same Uint8Array a million times stores it once.
 */
export class Timeline {
  private times = new Float64Array(1 << 16);
  private frameIds = new Uint16Array(1 << 16);
  private readonly frames: Uint8Array[] = [];
  private readonly ids = new Map<Uint8Array, number>();
  length = 0;

  push(timeUs: number, frame: Uint8Array): void {
    if (!Number.isSafeInteger(timeUs)) throw new Error(`time must be whole microseconds, got ${timeUs}`);
    let id = this.ids.get(frame);
    if (id === undefined) {
      id = this.frames.length;
      if (id > 0xffff) throw new Error('too many distinct frames');
      this.frames.push(frame);
      this.ids.set(frame, id);
    }
    if (this.length === this.times.length) this.grow();
    this.times[this.length] = timeUs;
    this.frameIds[this.length] = id;
    this.length++;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    const frameIds = new Uint16Array(this.frameIds.length * 2);
    frameIds.set(this.frameIds);
    this.times = times;
    this.frameIds = frameIds;
  }

  /**
   * Records in time order; records with equal times keep the order they were pushed in
   * (the sort is stable), so the result depends only on what was pushed.
   */
  sorted(): { times: Float64Array; frames: Uint8Array[]; frameIds: Uint16Array } {
    const order = Array.from({ length: this.length }, (_, i) => i);
    const t = this.times;
    order.sort((a, b) => t[a] - t[b] || a - b);
    const times = new Float64Array(this.length);
    const frameIds = new Uint16Array(this.length);
    order.forEach((from, to) => {
      times[to] = t[from];
      frameIds[to] = this.frameIds[from];
    });
    return { times, frames: this.frames, frameIds };
  }
}

const LINKTYPE_ETHERNET = 1;
/** tcpdump's default snaplen. */
const SNAPLEN = 262144;

/** A classic microsecond pcap, little-endian, Ethernet, written in one preallocated buffer. */
export function writePcap(timeline: Timeline): Uint8Array {
  const { times, frames, frameIds } = timeline.sorted();
  let size = PCAP_FILE_HEADER_BYTES;
  for (let i = 0; i < frameIds.length; i++) size += PCAP_RECORD_HEADER_BYTES + frames[frameIds[i]].length;
  const out = new PcapWriter({ endian: 'le', resolution: 'us', linkType: LINKTYPE_ETHERNET, snaplen: SNAPLEN }, size);
  for (let i = 0; i < frameIds.length; i++) out.record(Math.floor(times[i] / SECOND_US), times[i] % SECOND_US, frames[frameIds[i]]);
  return out.bytes();
}
