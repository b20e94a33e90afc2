import { resolve } from 'node:path';
import { Command } from 'commander';
import { averageSavedModels } from '@aicrn/model';
import { BadInputError, reportBadInput } from './bad-input';

export interface AverageOptions {
  out: string;
  modelVersion?: string;
}

/** `aicrn average <model dirs...> --out DIR`: the mean of several checkpoints of one training run. */
export function registerAverageCommand(program: Command): void {
  program
    .command('average')
    .description('average the weights of several saved models of ONE training run (stochastic weight averaging) into a servable model; evaluate it before you use it')
    .argument('<dirs...>', 'model directories (model.json + weights.bin), e.g. copies of <out>/checkpoint taken after different epochs; the last one gives the metadata')
    .requiredOption('--out <dir>', 'directory for the averaged model')
    .option('--model-version <name>', 'model version of the average (default: the last model\'s version with -avg-<first step>-<last step>)')
    .action(async (dirs: string[], options: AverageOptions) => {
      try {
        const result = await runAverage(dirs, options);
        process.stdout.write(`${result.metadata.model_version}: the mean of ${result.sources.join(', ')} -> ${options.out}\n`);
      } catch (error) {
        reportBadInput('average', error instanceof BadInputError ? error : new BadInputError((error as Error).message));
      }
    });
}

export async function runAverage(dirs: string[], options: AverageOptions) {
  if (dirs.some((dir) => resolve(dir) === resolve(options.out))) throw new BadInputError(`--out ${options.out} is one of the models to average: write the average elsewhere`);
  return averageSavedModels(dirs, options.out, options.modelVersion);
}
