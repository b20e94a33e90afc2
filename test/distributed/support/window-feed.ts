import { EcgWindow, TOPICS, windowIdOf } from '@aicrn/contracts';
import { KafkaBus, kafkaTestConfig } from '@aicrn/kafka';
import { WardSimulator } from '@aicrn/pipeline';
import type { TestKafka } from '../../infra/test-infra';

const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Simulated bedside devices driven step by step by a test: windows of every bed in time order, with
 * timestamps in the past (the last of `totalWindowsPerBed` ends now), published through KafkaBus.
 */
export class WindowFeed {
  readonly publishedIds: string[] = [];
  private readonly ward: WardSimulator;

  private constructor(
    private readonly bus: KafkaBus,
    beds: number,
    totalWindowsPerBed: number,
    private readonly leads: readonly string[] | null,
  ) {
    this.ward = new WardSimulator({ beds, seed: 1, startedMs: Date.now() - totalWindowsPerBed * 10_000 });
  }

  /** `leads`: send only these leads (smaller records, for tests that need no 12-lead measurement). */
  static async start(kafka: TestKafka, beds: number, totalWindowsPerBed: number, leads: readonly string[] | null = null): Promise<WindowFeed> {
    const bus = await KafkaBus.connect(kafkaTestConfig(kafka, { clientId: 'test-devices' }), { logger: QUIET });
    return new WindowFeed(bus, beds, totalWindowsPerBed, leads);
  }

  /** Publishes the next `windowsPerBed` windows of every bed (time-interleaved); returns their ids. */
  async publish(windowsPerBed: number): Promise<string[]> {
    const windows: EcgWindow[] = [];
    for (let k = 0; k < windowsPerBed; k++) {
      for (const bed of this.ward.beds) {
        const window = this.ward.nextWindow(bed);
        windows.push(this.leads ? { ...window, leads: window.leads.filter((l) => this.leads!.includes(l.name)) } : window);
      }
    }
    await this.bus.publish(TOPICS.raw, windows.map((w) => ({ key: w.bed_id, value: w })));
    const ids = windows.map(windowIdOf);
    this.publishedIds.push(...ids);
    return ids;
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
