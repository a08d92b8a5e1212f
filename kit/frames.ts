// The packet-crafting kit in one import, layer by layer: `import * as f from '../kit/frames.ts'`.
export * from './bytes.ts';
export * from './checksum.ts';
export * from './link-layer.ts';
export * from './ip.ts';
export * from './transport.ts';
export * from './control-plane.ts';
export * from './app-layer.ts';
