import { useState } from 'react';
import type { DetailNode } from '../../session/contract.ts';

/** The selected packet's layers as a tree; hovering a field reports its byte range. */
export function DetailsPane({ title, nodes, onHover }: { title: string; nodes: DetailNode[] | null; onHover: (range: [number, number] | null) => void }) {
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: leaving the tree with the pointer only clears the bytes' highlight
    <div className="details" data-testid="details" onMouseLeave={() => onHover(null)}>
      {nodes ? (
        <>
          <div className="details-title">{title}</div>
          <ul className="tree">
            {nodes.map((n, i) => (
              <TreeNode key={i} node={n} depth={0} onHover={onHover} />
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">Select a packet to see its layers and bytes.</p>
      )}
    </div>
  );
}

function TreeNode({ node, depth, onHover }: { node: DetailNode; depth: number; onHover: (range: [number, number] | null) => void }) {
  const [open, setOpen] = useState(depth === 0);
  const hasChildren = !!node.children?.length;
  return (
    <li>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the tree opens by click; walking it with arrow keys, as Wireshark's, belongs with issue 14 */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: as above */}
      <div className="tree-label" onMouseEnter={() => onHover([node.start, node.end])} onClick={() => hasChildren && setOpen(!open)}>
        <span className="twisty">{hasChildren ? (open ? '▾' : '▸') : ''}</span>
        {node.label}
      </div>
      {hasChildren && open && (
        <ul>
          {node.children!.map((c, i) => (
            <TreeNode key={i} node={c} depth={depth + 1} onHover={onHover} />
          ))}
        </ul>
      )}
    </li>
  );
}
