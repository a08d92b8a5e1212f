import { useState } from 'react';

/** Bytes drawn at first and per "more": a 128 MB record is read and drawn a page at a time, never whole. */
const PAGE_BYTES = 16 * 1024;

interface Props {
  bytes: Uint8Array | null;
  highlight: [number, number] | null;
  /** The packet's captured length, when `bytes` holds only its first part. */
  capLen?: number;
  /** Asks for the packet's next bytes after those in `bytes`. */
  onMore?: () => void;
}

/** Offset, hex and ASCII, 16 bytes a line; the hovered field's bytes are highlighted. */
export function HexPane({ bytes, highlight, capLen = 0, onMore }: Props) {
  const [limit, setLimit] = useState(PAGE_BYTES);
  if (!bytes) return <div className="hexdump" data-testid="hexdump" />;
  const shown = bytes.subarray(0, limit);
  const lines = [];
  for (let at = 0; at < shown.length; at += 16) {
    const hex = [];
    const ascii = [];
    for (let i = at; i < Math.min(at + 16, shown.length); i++) {
      const on = highlight !== null && i >= highlight[0] && i < highlight[1];
      const b = shown[i];
      hex.push(
        <span key={i} className={on ? 'hl' : undefined}>
          {b.toString(16).padStart(2, '0')}
        </span>,
      );
      ascii.push(
        <span key={i} className={on ? 'hl' : undefined}>
          {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
        </span>,
      );
    }
    // Short last line: pad so the ASCII column stays aligned.
    for (let i = shown.length; i < at + 16 && at + 16 > shown.length; i++) hex.push(<span key={i}>{'  '}</span>);
    lines.push(
      <div key={at} className="hex-line">
        <span className="hex-offset">{at.toString(16).padStart(4, '0')}</span>
        <span className="hex-bytes">{hex}</span>
        <span className="hex-ascii">{ascii}</span>
      </div>,
    );
  }
  const rest = Math.max(capLen, bytes.length) - shown.length;
  return (
    <div className="hexdump" data-testid="hexdump">
      {lines}
      {rest > 0 && (
        <p className="muted" data-testid="hex-more">
          {rest.toLocaleString('en-US')} more bytes not shown.{' '}
          <button
            type="button"
            onClick={() => {
              if (limit + PAGE_BYTES > bytes.length && bytes.length < capLen) onMore?.();
              setLimit(limit + PAGE_BYTES);
            }}
          >
            Show the next 16 KiB
          </button>
        </p>
      )}
    </div>
  );
}
