import { createActor, fromCallback } from 'xstate';
import type { PictureElement } from '../../components/picture.element.js';
import { checkedState } from '../../model/checked-state.js';
import { sandboxMachine, type SandboxActor, type SourceEvent, type SourceInput, type SourceRequest } from '../../model/sandbox.machine.js';

/** The most command outputs the panel keeps: a watched learner's long session must not grow the page without end. */
const KEPT_OUTPUTS = 200;

/**
 * What the instructor sees of one watched learner, read-only: the lesson page's own picture
 * (`<ll-picture>`, drawing the state snapshots the learner's page relays) and their commands'
 * output, each set as text.
 */
export class WatchPanel {
  private actor: SandboxActor | null = null;

  constructor(
    private readonly picture: PictureElement,
    private readonly log: HTMLElement,
  ) {}

  /** A new learner: an empty picture and log until their page sends its next state. */
  begin(): void {
    this.actor?.stop();
    // The picture's source is the dashboard socket, which pushes states in; nothing to ask for.
    const passive = fromCallback<SourceRequest, SourceInput>(({ sendBack }) => {
      sendBack({ type: 'source.opened' } satisfies SourceEvent);
    });
    this.actor = createActor(sandboxMachine().provide({ actors: { source: passive } }));
    this.actor.start();
    this.picture.attach(this.actor);
    this.log.replaceChildren();
  }

  end(): void {
    this.actor?.stop();
    this.actor = null;
    this.log.replaceChildren();
  }

  /** Their engine's latest snapshot, from the server: one that fails the schema is refused, and the picture says so. */
  state(state: unknown): void {
    this.actor?.send(checkedState(state));
  }

  output(command: string, output: string, exitCode: number | null): void {
    const entry = document.createElement('div');
    entry.className = 'watch-output__entry';
    entry.dataset.exitCode = String(exitCode ?? '');
    const line = document.createElement('code');
    line.className = 'watch-output__command';
    line.textContent = `$ ${command}`;
    const text = document.createElement('pre');
    text.textContent = output;
    entry.append(line, text);
    this.log.append(entry);
    while (this.log.childElementCount > KEPT_OUTPUTS) this.log.firstElementChild?.remove();
    this.log.scrollTop = this.log.scrollHeight;
  }
}
