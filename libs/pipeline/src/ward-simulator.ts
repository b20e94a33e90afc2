import { EcgWindow, millivoltsToLead, WINDOW_SECONDS } from '@aicrn/contracts';
import { BedScenario, scenarioForBed } from '@aicrn/signal';

/** ADC resolution of the simulated monitors: 200 ADU/mV (5 µV per unit), like MIT-BIH and most Holters. */
const SIMULATED_GAIN_ADU_PER_MV = 200;

export interface SimulatedBed {
  bedId: string;
  deviceId: string;
  scenario: BedScenario;
  /** Epoch ms at which the bed's scenario time is zero. */
  startedMs: number;
  nextSeq: number;
}

export interface WardSimulatorOptions {
  beds: number;
  seed: number;
  /** Epoch ms of scenario time zero for every bed. */
  startedMs: number;
  /** Scenario of each bed; default: the demo mix of `scenarioForBed`. */
  scenarioFor?: (index: number, seed: number) => BedScenario;
}

/** Bed ids that sort naturally and say nothing about the patient. */
export function simulatedBedId(index: number): string {
  return `bed-${String(index + 1).padStart(2, '0')}`;
}

/**
 * N simulated bedside monitors, each running a scripted scenario and emitting one 10-s 12-lead window
 * per call, with consecutive sequence numbers and contiguous start times.
 */
export class WardSimulator {
  readonly beds: SimulatedBed[];

  constructor(options: WardSimulatorOptions) {
    const scenarioFor = options.scenarioFor ?? scenarioForBed;
    this.beds = Array.from({ length: options.beds }, (_, index) => ({
      bedId: simulatedBedId(index),
      deviceId: `sim-mon-${String(index + 1).padStart(2, '0')}`,
      scenario: scenarioFor(index, options.seed),
      startedMs: options.startedMs,
      nextSeq: 0,
    }));
  }

  /** The next window of one bed; its start time follows the previous window's end. */
  nextWindow(bed: SimulatedBed): EcgWindow {
    const seq = bed.nextSeq++;
    const tS = seq * WINDOW_SECONDS;
    const synthetic = bed.scenario.windowAt(tS);
    return {
      bed_id: bed.bedId,
      device_id: bed.deviceId,
      seq,
      start_ms: bed.startedMs + tS * 1000,
      sample_rate_hz: synthetic.record.sampleRateHz,
      leads: synthetic.record.leads.map((lead) => millivoltsToLead(lead.name, lead.mv, SIMULATED_GAIN_ADU_PER_MV)),
    };
  }

  /** Windows of every bed whose end time is at or before `nowMs`, in time order per bed. */
  windowsDue(nowMs: number): EcgWindow[] {
    const due: EcgWindow[] = [];
    for (const bed of this.beds) {
      while (bed.startedMs + (bed.nextSeq + 1) * WINDOW_SECONDS * 1000 <= nowMs) due.push(this.nextWindow(bed));
    }
    return due;
  }
}
