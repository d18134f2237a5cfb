/**
 * A Dockerfile instruction as parsed, before any variable expansion: expansion depends
 * on the ARG and ENV values in force when the step runs, so words stay raw here.
 */
interface Base {
  /** 1-based line and column of the keyword. */
  line: number;
  column: number;
  /** Last line the instruction spans (continuations), for BuildKit's error excerpt. */
  endLine: number;
  /** The instruction as Docker prints it in progress output: keyword upper-cased,
   * continuation lines joined (`RUN echo one > /one`). */
  text: string;
}

/** RUN, CMD, ENTRYPOINT: a JSON array is the exec form, anything else the shell form. */
export type CommandForm = { form: 'exec'; args: string[] } | { form: 'shell'; command: string };

export type Instruction =
  | (Base & { kind: 'FROM'; image: string; stageName?: string })
  | (Base & { kind: 'RUN' } & CommandForm)
  | (Base & { kind: 'CMD' } & CommandForm)
  | (Base & { kind: 'ENTRYPOINT' } & CommandForm)
  | (Base & { kind: 'COPY' | 'ADD'; sources: string[]; dest: string; from?: string; chown?: string; chmod?: string; json: boolean })
  | (Base & { kind: 'ENV' | 'LABEL'; pairs: [name: string, rawValue: string][] })
  | (Base & { kind: 'ARG'; args: { name: string; rawDefault?: string }[] })
  | (Base & { kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL'; raw: string })
  | (Base & { kind: 'EXPOSE'; raw: string })
  | (Base & { kind: 'VOLUME'; paths: string[]; json: boolean })
  | (Base & { kind: 'SHELL'; args: string[] });

export type InstructionKind = Instruction['kind'];

export interface Stage {
  /** 0-based position among the Dockerfile's stages. */
  index: number;
  /** `FROM … AS name`, lower-cased as Docker compares it. */
  name?: string;
  from: Extract<Instruction, { kind: 'FROM' }>;
  /** The instructions after FROM, up to the next FROM. */
  steps: Exclude<Instruction, { kind: 'FROM' }>[];
}

export interface ParsedDockerfile {
  /** ARGs before the first FROM: only FROM lines may use them. */
  metaArgs: Extract<Instruction, { kind: 'ARG' }>[];
  stages: Stage[];
  escape: string;
  /** The source lines, for BuildKit's error excerpt. */
  lines: string[];
}
