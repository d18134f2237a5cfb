import { fromCallback } from 'xstate';
import type { Engine } from '../engine/engine.js';
import type { SourceEvent, SourceInput, SourceRequest } from './sandbox.machine.js';

/**
 * The sandbox machine's source for an engine running in the same page (the simulator,
 * or any `Engine`): its events pass through, and each `state.request` is answered with
 * `engine.state()`. Give it with `sandboxMachine().provide({ actors: { source: engineSource(engine) } })`.
 */
export function engineSource(engine: Pick<Engine, 'state' | 'subscribe'>) {
  return fromCallback<SourceRequest, SourceInput>(({ sendBack, receive }) => {
    const send = (e: SourceEvent) => sendBack(e);
    let stopped = false;
    let asked = 0;
    const unsubscribe = engine.subscribe((event) => send({ type: 'engine.emitted', event }));
    receive((request) => {
      if (request.type !== 'state.request') return;
      const mine = ++asked;
      engine.state().then(
        // A slower, older answer must not overwrite a newer one.
        (state) => !stopped && mine === asked && send({ type: 'state.received', state }),
        (err: unknown) => !stopped && send({ type: 'source.failed', message: err instanceof Error ? err.message : String(err) }),
      );
    });
    send({ type: 'source.opened' });
    return () => {
      stopped = true;
      unsubscribe();
    };
  });
}
