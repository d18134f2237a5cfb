/*
 * The embed bundle's entry, served as `/embed/v1/layerlab.js` (an ES module; its chunks beside it): the widgets'
 * code, which defines the elements. The build puts in this one file all that a playground on the simulator runs
 * before its terminal takes keys — the simulator's start, the CLI's flag reader and both languages' strings, each
 * imported where it is used (`import()`) and resolved within this file (`startModules` in
 * scripts/lib/build-embed.mjs) — since every file more was a request and a response the page's main thread waited
 * on (BENCHMARKS.md, issue 15's start). What a command needs on use (the builder, completion, `-it`'s emulator, the
 * editor) stays in chunks. Nothing of it goes on `window`.
 */
import './embed-elements.js';
