#!/bin/sh
# The bare baseline of a container run: mount its overlay rootfs, `runc run` it in the
# foreground, unmount — with the bundle (config.json: seccomp, namespaces, limits) that
# Layerlab's runtime wrote for the same container, and nothing of Layerlab's.
# usage: bare-cycle.sh <bundle> <lowerdir> <runc root>
set -e
bundle=$1
scratch=$bundle/scratch.$$
mkdir -p "$scratch/upper" "$scratch/work"
mount -t overlay overlay -o "lowerdir=$2,upperdir=$scratch/upper,workdir=$scratch/work" "$bundle/rootfs"
runc --root "$3" run --bundle "$bundle" "bare-$$" >/dev/null </dev/null || status=$?
umount "$bundle/rootfs"
rm -rf "$scratch"
exit "${status:-0}"
