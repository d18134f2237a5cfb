import { resolve } from 'node:path';
import { hostBusybox, setupLinuxBackend } from './linux/linux-backend.js';

/**
 * `npm start`'s setup step (root, Linux): removes what a crashed server left (mounts,
 * cgroups, containers), builds busybox:latest from the host busybox — offline, and only
 * a stat when it is already built — and finds the OCI runtime that really runs a container.
 */
async function main(): Promise<void> {
  const stateDir = resolve(process.env.LAYERLAB_STATE_DIR ?? '.layerlab/state');
  const t0 = performance.now();
  const log = (msg: string) => console.log(`[layerlab] ${msg}`);
  try {
    hostBusybox();
  } catch (error) {
    // The site still starts, on the simulator; the server's probe says what is missing.
    log(`no sandbox base image: ${(error as Error).message}`);
    return;
  }
  let setup: Awaited<ReturnType<typeof setupLinuxBackend>>;
  try {
    setup = await setupLinuxBackend(stateDir);
  } catch (error) {
    // e.g. a state dir the user namespace's root can not reach: the server says so and runs the simulator.
    log(`no sandbox: ${(error as Error).message}`);
    return;
  }
  const { leftovers, base, detection } = setup;
  if (leftovers.removed.length) log(`removed ${leftovers.removed.length} leftovers of an earlier run`);
  for (const f of leftovers.failed) log(`could not remove ${JSON.stringify(f.resource)}: ${f.error}`);
  log(`base image ${base.reference}: busybox ${base.busyboxVersion}, layer ${base.diffId.slice(0, 19)}…`);
  for (const a of detection.attempts) log(`OCI runtime ${a.name}: ${a.error ? `unusable (${a.error})` : `works (${a.version})`}`);
  log(`setup done in ${Math.round(performance.now() - t0)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
