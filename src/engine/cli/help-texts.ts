/**
 * What `docker <command> --help` prints on stdout, exactly as Docker 28 prints it, keyed
 * by command path (`''` is `docker --help`): data in `help-texts.json`, loaded the first
 * time a help text or a usage error asks for it — a dynamic import, so a bundle of the
 * engine carries the 40 kB of text in a chunk of its own, fetched only then.
 *
 * Docker: recorded from the Docker CLI 28.2.2 binary talking to a Linux, non-experimental
 * daemon at API 1.50, without a terminal. That context decides the text: cobra hides
 * Windows-only flags (`--cpu-count`, `--io-maxiops`) and experimental ones (`checkpoint`,
 * `build --squash`, `start --checkpoint`) for such a daemon, shows flags that need API
 * 1.42+ (`run --annotation`, `--health-start-interval`), and wraps flag text for an
 * 80-column terminal. `docker build --help` also writes the legacy builder's
 * deprecation notice, but to stderr, so it is not part of the text here. No CLI plugins
 * (buildx, compose) are installed, so none is listed by `docker --help`; its default
 * config paths are root's (`/root/.docker`), as for the sandbox's learner.
 */
export type HelpTexts = Readonly<Record<string, string>>;

let loading: Promise<HelpTexts> | undefined;

export function loadHelpTexts(): Promise<HelpTexts> {
  loading ??= import('./help-texts.json').then(
    (m) => m.default as HelpTexts,
    (error: unknown) => {
      loading = undefined; // a page that lost its network may ask again
      throw error;
    },
  );
  return loading;
}
