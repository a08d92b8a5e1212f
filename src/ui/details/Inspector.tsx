import { useState } from 'react';
import type { PacketDetails } from '../app/viewer-state.ts';
import { DetailsPane } from './DetailsPane.tsx';
import { HexPane } from './HexPane.tsx';

/** The selected packet's layers beside its bytes; hovering a field lights its bytes. */
export function Inspector({ details, error, onMore }: { details: PacketDetails | null; error: string | null; onMore: () => void }) {
  const [hover, setHover] = useState<[number, number] | null>(null);
  return (
    <div className="inspector">
      {error ? (
        <div className="details details-error" role="alert" data-testid="details-error">
          {error}. {/changed on disk/.test(error) ? 'Open the file again to read what it holds now.' : ''}
        </div>
      ) : (
        <DetailsPane title={details?.title ?? ''} nodes={details?.nodes ?? null} onHover={setHover} />
      )}
      <HexPane key={details?.position ?? -1} bytes={details?.bytes ?? null} highlight={hover} capLen={details?.capLen ?? 0} onMore={onMore} />
    </div>
  );
}
