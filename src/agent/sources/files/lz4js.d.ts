// lz4js ships no types: the one function the journal reader uses.
declare module "lz4js" {
  /** Decompresses an LZ4 block from src[sIndex, sIndex + sLength) into dst from dIndex; returns the end index in dst. */
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
  /** Compresses src[sIndex, sIndex + sLength) into dst as one LZ4 block; returns its length. */
  export function compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  export function compressBound(n: number): number;
  const lz4js: { decompressBlock: typeof decompressBlock; compressBlock: typeof compressBlock; compressBound: typeof compressBound };
  export default lz4js;
}
