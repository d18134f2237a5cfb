/** Who the dashboard flags stuck, as the server keeps it per workshop (sandbox-server/workshops/stuck.ts). */
export interface WireStuckSettings {
  slowFactor: number;
  slowFloorMs: number;
  failingCommands: number;
}

/**
 * The dashboard's form for the workshop's stuck settings: the floor is typed in seconds, the
 * server keeps milliseconds. The fields' min/max/step are the server's ranges (`STUCK_SETTINGS_RANGE`),
 * so the browser refuses most bad values before a request; the server checks them again.
 */
export class StuckSettingsForm {
  constructor(private readonly form: HTMLFormElement) {}

  /** The workshop's settings now, unless the instructor is changing them in the form. */
  show(settings: WireStuckSettings | undefined): void {
    if (!settings || this.form.contains(document.activeElement)) return;
    this.field('slowFactor').value = String(settings.slowFactor);
    this.field('slowFloorSeconds').value = String(Math.round(settings.slowFloorMs / 1000));
    this.field('failingCommands').value = String(settings.failingCommands);
  }

  read(): WireStuckSettings {
    return {
      slowFactor: this.field('slowFactor').valueAsNumber,
      slowFloorMs: Math.round(this.field('slowFloorSeconds').valueAsNumber * 1000),
      failingCommands: this.field('failingCommands').valueAsNumber,
    };
  }

  onSubmit(save: (settings: WireStuckSettings) => void): void {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      save(this.read());
    });
  }

  private field(name: string): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }
}
