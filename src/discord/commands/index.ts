/** All slash commands, by name. */
import type { Command } from '../context.js';
import * as add from './add.js';
import * as ask from './ask.js';
import * as remove from './remove.js';
import * as sources from './sources.js';
import * as summary from './summary.js';

export const commands: Command[] = [ask, summary, sources, add, remove];
