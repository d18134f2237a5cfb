import type { Digest } from '../digest.js';
import type { EngineEvent } from '../events.js';
import type { ContainerManager } from '../containers/container-manager.js';
import { statusOf } from '../containers/container-record.js';
import { ImageConflict } from './image-errors.js';
import type { ImageStore } from './image-store.js';

/**
 * `docker rmi` as moby's ImageDelete decides it: a tag reference to an image with
 * other tags only untags; the last reference goes with the image unless a container
 * uses it; by ID, an image with several tags needs `-f`; a running container's image
 * cannot be removed even with `-f`. Returns Docker's `Untagged:`/`Deleted:` lines.
 */
export async function removeImage(
  deps: { images: ImageStore; containers: ContainerManager; emit(e: EngineEvent): void },
  refOrId: string,
  force: boolean,
): Promise<string[]> {
  const { images, containers, emit } = deps;
  const image = images.resolve(refOrId);
  const short = image.id.slice(7, 19);
  const tagRef = images.isTagReference(refOrId);
  const users = containers.usersOf(image);
  const lines: string[] = [];
  const untag = (t: string) => {
    images.untag(t);
    lines.push(`Untagged: ${t}`);
    emit({ type: 'image.untagged', id: image.id, tag: t });
  };
  if (tagRef !== undefined) {
    if (image.tags.length > 1 || (force && users.length > 0)) {
      untag(tagRef);
      // moby ImageDelete: a tag removed when no other tag of its repository is left takes
      // that repository's digest references with it (`Untagged: name@sha256:…`).
      const repository = repositoryOf(tagRef);
      if (!image.tags.some((t) => repositoryOf(t) === repository)) {
        for (const d of images.removeRepoDigests(image, repository)) lines.push(`Untagged: ${d}`);
      }
      return lines;
    }
    if (users.length > 0) {
      const user = users[0]!;
      throw new ImageConflict(
        `conflict: unable to remove repository reference "${refOrId}" (must force) - container ${user.id.slice(0, 12)} is using its referenced image ${short}`,
      );
    }
  } else {
    const running = users.find((c) => statusOf(c) === 'running' || statusOf(c) === 'paused');
    if (running) {
      throw new ImageConflict(
        `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${running.id.slice(0, 12)}`,
      );
    }
    if (image.tags.length > 1 && !force) {
      throw new ImageConflict(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
    }
    if (users.length > 0 && !force) {
      throw new ImageConflict(
        `conflict: unable to delete ${short} (must be forced) - image is being used by stopped container ${users[0]!.id.slice(0, 12)}`,
      );
    }
    if (users.length > 0) {
      // Docker: forced removal of an image a stopped container uses only untags it.
      for (const t of [...image.tags]) untag(t);
      return lines;
    }
  }
  if ([...images.images.values()].some((i) => i.parent === image.id) && !force) {
    for (const t of [...image.tags]) untag(t);
    if (lines.length) return lines;
    throw new ImageConflict(`conflict: unable to delete ${short} (cannot be forced) - image has dependent child images`);
  }
  for (const t of [...image.tags]) untag(t);
  // moby: the image goes with every reference to it, its registry digests too.
  for (const d of image.repoDigests) lines.push(`Untagged: ${d}`);
  const removedLayers = await images.removeImage(image, (chainId: Digest) => containers.usesLayer(chainId));
  lines.push(`Deleted: ${image.id}`);
  emit({ type: 'image.removed', id: image.id });
  for (const chainId of removedLayers) {
    lines.push(`Deleted: ${chainId}`);
    emit({ type: 'layer.removed', chainId });
  }
  return lines;
}

/** A reference's repository: `localhost:5000/app` of `localhost:5000/app:v1` (a port's colon is before a slash). */
function repositoryOf(ref: string): string {
  return ref.replace(/[:@][^/]*$/, '');
}
