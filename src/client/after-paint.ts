/**
 * Runs `work` in a task after the next frame has painted: for what can come a frame after what the reader is
 * waiting for (the picture, once the terminal takes keys). A `requestAnimationFrame` callback runs before its
 * frame paints; a task it queues runs after. A hidden document paints no frames and runs no such callbacks,
 * so there it is a task of its own.
 */
export function afterPaint(work: () => void): void {
  if (document.visibilityState === 'hidden') setTimeout(work);
  else requestAnimationFrame(() => setTimeout(work));
}
