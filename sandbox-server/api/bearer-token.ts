import type { FastifyRequest } from 'fastify';

/** The subprotocol a browser's WebSocket offers, since it can not send an Authorization header. */
export const WS_PROTOCOL = 'layerlab.v1';
const WS_BEARER_PREFIX = 'layerlab.bearer.';

/**
 * The bearer token of a request: `Authorization: Bearer <token>` (RFC 6750), or for a
 * WebSocket upgrade the subprotocol `layerlab.bearer.<token>` offered beside
 * `layerlab.v1`. Never a query parameter: URLs end up in logs.
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    return match?.[1];
  }
  if (request.headers.upgrade?.toLowerCase() === 'websocket') {
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const bearer = offered.find((p) => p.startsWith(WS_BEARER_PREFIX));
    return bearer?.slice(WS_BEARER_PREFIX.length) || undefined;
  }
  return undefined;
}

/** The protocol the server answers an upgrade with: never the one carrying the token. */
export function selectWsProtocol(offered: Set<string>): string | false {
  return offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false;
}
