import { Command } from 'commander';
import { registerAverageCommand } from './average.command';
import { registerBenchDspCommand } from './bench-dsp.command';
import { registerBenchInferenceCommand } from './bench-inference.command';
import { registerBenchPipelineCommand } from './bench-pipeline.command';
import { registerEvalAlertsCommand } from './eval-alerts.command';
import { registerEvalCommand } from './eval.command';
import { registerMeasureCommand } from './measure.command';
import { registerReplayCommand } from './replay.command';
import { registerSimulateCommand } from './simulate.command';
import { registerStartCommand } from './start.command';
import { registerTrainCommand } from './train.command';

/** One file per command; each exports `register<Name>Command(program)`. */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
  registerSimulateCommand(program);
  registerReplayCommand(program);
  registerMeasureCommand(program);
  registerEvalCommand(program);
  registerEvalAlertsCommand(program);
  registerTrainCommand(program);
  registerAverageCommand(program);
  registerBenchDspCommand(program);
  registerBenchInferenceCommand(program);
  registerBenchPipelineCommand(program);
}
