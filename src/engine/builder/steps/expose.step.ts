import type { InstructionStep } from './step.js';

/** EXPOSE: `80` is `80/tcp`; BuildKit records the ports as the Go map it keeps them in. */
export const exposeStep: InstructionStep<'EXPOSE'> = {
  plan(ins, ctx) {
    const ports = ctx.words(ins.raw).map((p) => (p.includes('/') ? p.toLowerCase() : `${p}/tcp`));
    const exposed = { ...(ctx.state.config.ExposedPorts ?? {}) };
    for (const p of ports) exposed[p] = {};
    return {
      text: ctx.mode === 'buildkit' ? `EXPOSE map[${ports.map((p) => `${p}:{}`).join(' ')}]` : `EXPOSE ${ports.join(' ')}`,
      config: { ExposedPorts: exposed },
    };
  },
};
