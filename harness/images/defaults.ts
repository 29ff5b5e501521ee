// Defaults of the image builders, in one place.

/** Which Node base the sample app is built on: `auto` = Debian base when present, else the FROM-scratch one; or any image ref with node ≥ 24 (e.g. node:24-slim). */
export type NodeBaseChoice = 'auto' | 'debian' | 'scratch' | (string & {});

export interface ImageOptions {
  sampleAppRepository: string;
  nodeBaseRepository: string;
  /** The Debian base another builder makes with debootstrap. */
  debianBaseImage: string;
  /** env DRAINSPEC_NODE_BASE */
  nodeBase: NodeBaseChoice;
  /** Strip debug symbols from the node binary (126 MB → 108 MB) when `strip` exists. */
  stripNode: boolean;
}

export const DEFAULT_IMAGE_OPTIONS: ImageOptions = {
  sampleAppRepository: 'drainspec/sample-app',
  nodeBaseRepository: 'drainspec/node-base',
  debianBaseImage: 'drainspec/debian-base:bookworm',
  nodeBase: process.env.DRAINSPEC_NODE_BASE ?? 'auto',
  stripNode: true,
};
