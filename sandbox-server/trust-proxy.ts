/**
 * Fastify's `trustProxy` from `LAYERLAB_TRUST_PROXY`. Off by default: behind no proxy a
 * client could forge X-Forwarded-For and pick its own rate-limit bucket. Behind a reverse
 * proxy every learner arrives from the proxy's address and would share one bucket, so the
 * operator says whom to believe: `true` (every hop), a hop count (`1`), or the proxies'
 * addresses or CIDRs, comma-separated (`127.0.0.1,10.0.0.0/8`).
 */
export type TrustProxy = boolean | number | string[];

export function trustProxyFromEnv(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const addresses = value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (addresses.some((a) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))) {
    throw new Error(`LAYERLAB_TRUST_PROXY must be true, false, a hop count or proxy addresses/CIDRs, got ${JSON.stringify(raw)}`);
  }
  return addresses;
}
