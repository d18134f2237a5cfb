import { EngineError } from '../errors.js';
import type { EngineLimits } from '../limits.js';
import type { Command } from './command.js';

export class ContainerLimitReached extends EngineError {
  readonly code = 'CONTAINER_LIMIT';
}
export class BuildLimitReached extends EngineError {
  readonly code = 'BUILD_LIMIT';
}

/** A command's hold on a limit: released when its container exists (then it counts itself) or when it ends. */
export interface LimitSlot {
  containerCreated(): void;
  release(): void;
}

const NO_SLOT: LimitSlot = { containerCreated() {}, release() {} };

/**
 * Counts on the parsed command (its `limit`), never on the line's text, so that no
 * quoting (`docker 'run'`, `"docker" r""un`) or alias (`docker container create`) gets
 * past. A `run` holds a slot from before it creates its container until the container
 * exists, so that commands running side by side cannot all pass the check at once.
 */
export class CommandLimiter {
  private creating = 0;
  private building = 0;

  constructor(
    private readonly limits: Required<Pick<EngineLimits, 'maxContainers' | 'maxConcurrentBuilds'>>,
    private readonly containerCount: () => number,
  ) {}

  admit(command: Command): LimitSlot {
    if (command.limit === 'container') {
      const max = this.limits.maxContainers;
      if (this.containerCount() + this.creating >= max) {
        throw new ContainerLimitReached(`this sandbox may have at most ${max} containers; remove some with \`docker rm\``, { max });
      }
      this.creating++;
      let held = true;
      const done = () => {
        if (held) this.creating--;
        held = false;
      };
      return { containerCreated: done, release: done };
    }
    if (command.limit === 'build') {
      const max = this.limits.maxConcurrentBuilds;
      if (this.building >= max) {
        throw new BuildLimitReached(
          `this sandbox runs at most ${max} ${max === 1 ? 'build' : 'builds'} at a time; wait for the running one to finish`,
          { max },
        );
      }
      this.building++;
      let held = true;
      return {
        containerCreated() {},
        release: () => {
          if (held) this.building--;
          held = false;
        },
      };
    }
    return NO_SLOT;
  }
}
