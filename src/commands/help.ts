import { Args, Command, loadHelpClass } from '@oclif/core';

/**
 * `ksim help [COMMAND]`: what @oclif/plugin-help does, without the plugin (its current major
 * needs Node ≥ 22 and @oclif/core 5). The same renderer as `--help`, so both always agree.
 */
export default class Help extends Command {
  static override description = 'Show help for ksim or for one of its commands';

  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help run'];

  // A command id may take several words (the topic separator is a space), as in oclif's own.
  static override strict = false;

  static override args = {
    command: Args.string({ description: 'command to show help for', required: false }),
  };

  async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config).showHelp(argv as string[]);
  }
}
