import type { Command } from '../command.js';
import { buildCommand } from './build.command.js';
import { commitCommand } from './commit.command.js';
import { createCommand } from './create.command.js';
import { diffCommand } from './diff.command.js';
import { execCommand } from './exec.command.js';
import { historyCommand } from './history.command.js';
import { imagesCommand } from './images.command.js';
import { infoCommand } from './info.command.js';
import { containerInspectCommand, imageInspectCommand, inspectCommand } from './inspect.command.js';
import { killCommand } from './kill.command.js';
import { loadCommand } from './load.command.js';
import { logsCommand } from './logs.command.js';
import { pauseCommand } from './pause.command.js';
import { psCommand } from './ps.command.js';
import { pullCommand } from './pull.command.js';
import { pushCommand } from './push.command.js';
import { restartCommand } from './restart.command.js';
import { rmCommand } from './rm.command.js';
import { rmiCommand } from './rmi.command.js';
import { saveCommand } from './save.command.js';
import { runCommand } from './run.command.js';
import { startCommand } from './start.command.js';
import { stopCommand } from './stop.command.js';
import { systemDfCommand } from './system-df.command.js';
import { tagCommand } from './tag.command.js';
import { unpauseCommand } from './unpause.command.js';
import { versionCommand } from './version.command.js';
import { waitCommand } from './wait.command.js';
import { volumeCommands } from './volume.commands.js';

export { commandTable } from './command-table.js';

export const builtinCommands: Command[] = [
  runCommand,
  createCommand,
  startCommand,
  stopCommand,
  restartCommand,
  killCommand,
  pauseCommand,
  unpauseCommand,
  waitCommand,
  rmCommand,
  psCommand,
  logsCommand,
  execCommand,
  diffCommand,
  commitCommand,
  imagesCommand,
  rmiCommand,
  tagCommand,
  historyCommand,
  inspectCommand,
  imageInspectCommand,
  containerInspectCommand,
  systemDfCommand,
  versionCommand,
  infoCommand,
  buildCommand,
  saveCommand,
  loadCommand,
  pushCommand,
  pullCommand,
  ...volumeCommands,
];
