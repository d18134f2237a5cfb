/**
 * A value made on first use, then kept: for what a module would otherwise build as it loads and a page's start does
 * not need yet (an xstate machine: its state nodes and transitions are ~10 ms at 4× CPU throttling, issue 15).
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
