// http_ece ships no types; the tests use its decryption only (RFC 8188, Web Push's aes128gcm).
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  interface DecryptParams {
    version?: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    privateKey?: ECDH;
    dh?: string;
    authSecret?: string;
    key?: string;
    salt?: string;
  }

  export function decrypt(buffer: Buffer, params: DecryptParams): Buffer;
  export function encrypt(buffer: Buffer, params: DecryptParams): Buffer;
}
