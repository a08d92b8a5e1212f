/** Offset, hex and ASCII, 16 bytes a line; the hovered field's bytes are highlighted. */
export function HexPane({ bytes, highlight }: { bytes: Uint8Array | null; highlight: [number, number] | null }) {
  if (!bytes) return <div className="hexdump" data-testid="hexdump" />;
  const lines = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const hex = [];
    const ascii = [];
    for (let i = at; i < Math.min(at + 16, bytes.length); i++) {
      const on = highlight !== null && i >= highlight[0] && i < highlight[1];
      const b = bytes[i];
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
    for (let i = bytes.length; i < at + 16 && at + 16 > bytes.length; i++) hex.push(<span key={i}>{'  '}</span>);
    lines.push(
      <div key={at} className="hex-line">
        <span className="hex-offset">{at.toString(16).padStart(4, '0')}</span>
        <span className="hex-bytes">{hex}</span>
        <span className="hex-ascii">{ascii}</span>
      </div>,
    );
  }
  return (
    <div className="hexdump" data-testid="hexdump">
      {lines}
    </div>
  );
}
