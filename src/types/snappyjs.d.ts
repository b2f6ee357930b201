// Types of snappyjs (pure-JS Snappy, raw block format), which ships none.
declare module "snappyjs" {
  /** Throws on a corrupt stream, or when the uncompressed length is above maxLength. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
}
