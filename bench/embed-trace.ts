// Issue 15's start, taken apart: one playground on a page of another origin at 4× CPU throttling, traced
// (Chrome's devtools.timeline and V8's sampling profiler), and printed as what the main thread did from navigation
// to the terminal taking keys — each task over 1 ms with the scripts it fetched, compiled and ran, then the
// functions with the most self time in samples. A tool for finding where the start goes, not a benchmark: the
// figures come from `npm run bench embed`. `npx tsx bench/embed-trace.ts [SITE_DIR]` (default dist).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser } from '../test/support/browser.js';
import { watchKeys } from './keys-watch.js';
import { playgroundPages } from './playground-page.js';
import { startSiteChild } from './site-child.js';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown>; beginData?: Record<string, unknown> } & Record<string, unknown>;
}

const siteDir = resolve(process.argv[2] ?? 'dist');
const server = await startSiteChild(siteDir);
const pages = await playgroundPages([server.url]);
const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const complete = new Promise<void>((done) => cdp.once('Tracing.tracingComplete', () => done()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8.execute',
        'v8',
        'blink.user_timing',
        'loading',
        'blink',
        'toplevel',
        'mojom',
        'disabled-by-default-v8.cpu_profiler',
      ],
    },
  });
  const takesKeys = await watchKeys(page);
  await page.goto(pages.url());
  const keysAt = await takesKeys();
  await cdp.send('Tracing.end');
  await complete;
  // The raw trace too, for DevTools' Performance panel (Load profile…) or a closer look: LAYERLAB_TRACE_OUT=file.json.
  if (process.env.LAYERLAB_TRACE_OUT) writeFileSync(process.env.LAYERLAB_TRACE_OUT, JSON.stringify({ traceEvents: events }));

  // The page's main thread: the one that ran the navigation's ParseHTML of our document.
  const parse = events.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').includes('127.0.0.1'));
  if (!parse) throw new Error('no ParseHTML of the page in the trace');
  const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid);
  const nav = events.find((e) => e.name === 'navigationStart' && e.pid === parse.pid)?.ts ?? parse.ts;
  const end = nav + keysAt * 1000;
  const ms = (ts: number) => ((ts - nav) / 1000).toFixed(1).padStart(6);
  const short = (url: unknown) => String(url ?? '').replace(/^.*\//, '');

  console.log(`keys at ${keysAt.toFixed(0)} ms after navigation start\n`);
  console.log('network (requests and arrivals):');
  // By request id: what each resource's events say of it (its URL is on the request only).
  const urls = new Map<unknown, string>();
  const said = { ResourceSendRequest: 'asks for', ResourceReceiveResponse: 'answered', ResourceFinish: 'has     ' } as Record<string, string>;
  for (const e of events.filter((x) => x.pid === parse.pid && said[x.name] && x.ts <= end)) {
    const d = e.args?.data ?? {};
    if (d.url) urls.set(d.requestId, short(d.url));
    console.log(`  ${ms(e.ts)}  ${said[e.name]} ${urls.get(d.requestId) ?? d.requestId}`);
  }
  console.log('\noff the main thread (V8 compiling or parsing, over 1 ms):');
  for (const e of events.filter(
    (x) => x.pid === parse.pid && x.tid !== parse.tid && x.ph === 'X' && (x.dur ?? 0) > 1000 && /compile|parse|Stream/i.test(x.name) && x.ts <= end,
  ))
    console.log(
      `  ${ms(e.ts)} +${((e.dur ?? 0) / 1000).toFixed(1).padStart(5)}  ${e.name} ${short(e.args?.data?.url ?? (e.args as Record<string, unknown>)?.fileName ?? '')} (thread ${e.tid})`,
    );

  console.log('\nmain thread tasks over 1 ms:');
  const tasks = main.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.ts >= nav && e.ts <= end && (e.dur ?? 0) > 1000);
  let busy = 0;
  for (const task of tasks) {
    busy += task.dur!;
    const inside = main.filter(
      (e) => e.ph === 'X' && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur! && e !== task && (e.dur ?? 0) > 500,
    );
    const what = inside
      .filter((e) =>
        /^(EvaluateScript|v8\.compileModule|v8\.evaluateModule|FunctionCall|RunMicrotasks|ParseHTML|Layout|UpdateLayoutTree|v8\.compile|CompileScript|TimerFire|FireAnimationFrame|v8\.parseOnBackground)$/.test(
          e.name,
        ),
      )
      .map((e) => `${e.name}${e.args?.data?.url ? ` ${short(e.args.data.url)}` : ''} ${((e.dur ?? 0) / 1000).toFixed(1)}`)
      .slice(0, 8);
    console.log(`  ${ms(task.ts)} +${(task.dur! / 1000).toFixed(1).padStart(5)}  ${what.join(' | ')}`);
  }
  console.log(`  busy ${(busy / 1000).toFixed(0)} ms of ${keysAt.toFixed(0)}`);

  // The main thread's time by trace event, self time (an event's duration less its children's): what the
  // tasks above without a named child spent theirs on (loading, style, GC, …).
  const spans = main.filter((e) => e.ph === 'X' && e.ts >= nav && e.ts <= end && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const byName = new Map<string, number>();
  const open: { e: TraceEvent; children: number }[] = [];
  const close = (upTo: number) => {
    while (open.length && open.at(-1)!.e.ts + open.at(-1)!.e.dur! <= upTo) {
      const { e, children } = open.pop()!;
      byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur! - children);
      if (open.length) open.at(-1)!.children += e.dur!;
    }
  };
  for (const e of spans) {
    close(e.ts);
    open.push({ e, children: 0 });
  }
  close(Infinity);
  console.log('\nmain thread self time by trace event (over 5 ms):');
  for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).filter(([, us]) => us > 5000))
    console.log(`  ${(us / 1000).toFixed(1).padStart(7)}  ${name}`);

  // Time by function from the sampling profiler's chunks (nodes with their parents, samples with time deltas):
  // self, and inclusive from the first start chunk's arrival to keys (where the widget's own start runs).
  const arrived = Math.max(...events.filter((e) => e.pid === parse.pid && e.name === 'ResourceFinish' && e.ts <= end).map((e) => e.ts));
  const nodes = new Map<number, { key: string; parent?: number }>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const profile of events.filter((x) => x.name === 'Profile' && x.pid === parse.pid)) {
    let ts = Number((profile.args?.data as { startTime?: number })?.startTime ?? 0);
    for (const e of events.filter(
      (x) => x.name === 'ProfileChunk' && x.pid === parse.pid && (x as { id?: string }).id === (profile as { id?: string }).id,
    )) {
      const data = e.args?.data as {
        cpuProfile?: {
          nodes?: { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
          samples?: number[];
        };
        timeDeltas?: number[];
      };
      for (const n of data.cpuProfile?.nodes ?? [])
        nodes.set(n.id, {
          key: `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber}`,
          parent: n.parent,
        });
      const deltas = data.timeDeltas ?? [];
      (data.cpuProfile?.samples ?? []).forEach((id, i) => {
        ts += deltas[i] ?? 0;
        const us = deltas[i + 1] ?? 0;
        const n = nodes.get(id);
        if (!n) return;
        self.set(n.key, (self.get(n.key) ?? 0) + us);
        if (ts < arrived || ts > end) return;
        const seen = new Set<string>();
        for (let at: { key: string; parent?: number } | undefined = n; at; at = at.parent === undefined ? undefined : nodes.get(at.parent))
          seen.add(at.key);
        for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      });
    }
  }
  console.log('\nself time by function (sampled, whole trace):');
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(us / 1000).toFixed(1).padStart(6)} ms  ${key}`);
  console.log(`\ninclusive time by function, from the last start chunk's arrival (${ms(arrived)}) to keys:`);
  for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`  ${(us / 1000).toFixed(1).padStart(6)} ms  ${key}`);
  await context.close();
} finally {
  await browser.close();
  pages.close();
  server.stop();
}
