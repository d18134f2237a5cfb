/** Asks the page's terminal to run commands (code blocks' run buttons, the lesson's catch-up). */
export const RUN_EVENT = 'll-run';
export type RunEventDetail = { commands: string[] };
