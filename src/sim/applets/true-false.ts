import type { AppletContext } from '../process/context.js';

export async function trueApplet(_ctx: AppletContext): Promise<number> {
  return 0;
}
export async function falseApplet(_ctx: AppletContext): Promise<number> {
  return 1;
}
