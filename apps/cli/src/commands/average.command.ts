import { resolve } from 'node:path';
import { Command } from 'commander';
import { averageSavedModels } from '@aicrn/model';
import { BadInputError, reportBadInput } from './bad-input';
import { positiveNumberList } from './option-parsers';

export interface AverageOptions {
  out: string;
  modelVersion?: string;
  weights?: number[];
}

/** `aicrn average <model dirs...> --out DIR [--weights 2,1,1]`: the (weighted) mean of several models of one network. */
export function registerAverageCommand(program: Command): void {
  program
    .command('average')
    .description(
      'average the weights of several saved models of ONE network into a servable model: checkpoints of one run (stochastic weight averaging) or runs fine-tuned from one starting point (a model soup); evaluate it before you use it',
    )
    .argument('<dirs...>', 'model directories (model.json + weights.bin), e.g. copies of <out>/checkpoint taken after different epochs, or several runs\' best/; the last one gives the metadata')
    .requiredOption('--out <dir>', 'directory for the averaged model')
    .option('--model-version <name>', 'model version of the average (default: the last model\'s version with -avg-<first step>-<last step>)')
    .option('--weights <list>', 'relative weight of each model, in the order given (default: equal); e.g. 2,1 extends an average of two models by a third one uniformly', positiveNumberList('--weights'))
    .action(async (dirs: string[], options: AverageOptions) => {
      try {
        const result = await runAverage(dirs, options);
        process.stdout.write(`${result.metadata.model_version}: ${result.description} -> ${options.out}\n`);
      } catch (error) {
        reportBadInput('average', error instanceof BadInputError ? error : new BadInputError((error as Error).message));
      }
    });
}

export async function runAverage(dirs: string[], options: AverageOptions) {
  if (dirs.some((dir) => resolve(dir) === resolve(options.out))) throw new BadInputError(`--out ${options.out} is one of the models to average: write the average elsewhere`);
  return averageSavedModels(dirs, options.out, { version: options.modelVersion, weights: options.weights });
}
