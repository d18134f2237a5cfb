import type { RegistryResponse } from '../../engine/drivers/registry.js';

/** Every answer of distribution 2.8 carries its API version. */
const API_VERSION = { 'docker-distribution-api-version': 'registry/2.0' };
const JSON_TYPE = 'application/json; charset=utf-8';
const encoder = new TextEncoder();
const utf8Encode = (text: string) => encoder.encode(text);

/** A whole response, its body given once (a HEAD gets the headers of the GET and no body). */
export function respond(status: number, headers: Record<string, string>, body: Uint8Array = new Uint8Array(0), head = false): RegistryResponse {
  const sent = head ? new Uint8Array(0) : body;
  let read = false;
  const take = () => {
    if (read) throw new Error('registry response body read twice');
    read = true;
    return sent;
  };
  return {
    status,
    headers: { ...API_VERSION, 'content-length': String(body.length), ...headers },
    body: async () => take(),
    async *chunks() {
      const bytes = take();
      if (bytes.length > 0) yield bytes;
    },
  };
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}, head = false): RegistryResponse {
  return respond(status, { 'content-type': JSON_TYPE, ...headers }, utf8Encode(JSON.stringify(value)), head);
}

/** distribution's errcode envelope: `{"errors":[{"code","message","detail"}]}`. */
export interface RegistryErrorBody {
  code: string;
  message: string;
  detail?: unknown;
}

export function errorResponse(status: number, errors: RegistryErrorBody[], head = false): RegistryResponse {
  return jsonResponse(status, { errors }, {}, head);
}

/** gorilla/mux's answer to a path no route matches (a name outside the grammar, a bad tag). */
export function routeNotFound(): RegistryResponse {
  return respond(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, utf8Encode('404 page not found\n'));
}

export const BLOB_UNKNOWN = (digest: string): RegistryErrorBody => ({ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: digest });
export const BLOB_UPLOAD_UNKNOWN: RegistryErrorBody = { code: 'BLOB_UPLOAD_UNKNOWN', message: 'blob upload unknown to registry', detail: {} };
export const BLOB_UPLOAD_INVALID: RegistryErrorBody = { code: 'BLOB_UPLOAD_INVALID', message: 'blob upload invalid', detail: {} };
export const NAME_UNKNOWN = (name: string): RegistryErrorBody => ({
  code: 'NAME_UNKNOWN',
  message: 'repository name not known to registry',
  detail: { name },
});
export const MANIFEST_BLOB_UNKNOWN = (digest: string): RegistryErrorBody => ({
  code: 'MANIFEST_BLOB_UNKNOWN',
  message: 'blob unknown to registry',
  detail: digest,
});
export const MANIFEST_INVALID = (detail: unknown): RegistryErrorBody => ({ code: 'MANIFEST_INVALID', message: 'manifest invalid', detail });
export const UNSUPPORTED: RegistryErrorBody = { code: 'UNSUPPORTED', message: 'The operation is unsupported.' };
