import { Alert } from './alert';
import { DeadLetter } from './dead-letter';
import { EcgWindow, ValidatedWindow } from './ecg-window';
import { EcgMeasurement } from './measurement';

/** Topic names, the same in every mode (in-memory bus and Kafka). Every topic is keyed by bed id. */
export const TOPICS = {
  raw: 'ecg.raw.v1',
  windows: 'ecg.windows.v1',
  measurements: 'ecg.measurements.v1',
  alerts: 'ecg.alerts.v1',
  dlq: 'ecg.dlq.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** What each topic carries: makes every publish and every handler type-checked for its topic. */
export interface TopicPayloads {
  'ecg.raw.v1': EcgWindow;
  'ecg.windows.v1': ValidatedWindow;
  'ecg.measurements.v1': EcgMeasurement;
  'ecg.alerts.v1': Alert;
  'ecg.dlq.v1': DeadLetter;
}

/** Avro schema file and record name of each topic's value. */
export const TOPIC_SCHEMAS: Record<TopicName, { file: string; name: string }> = {
  'ecg.raw.v1': { file: 'ecg-window.avsc', name: 'aicrn.ecg.EcgWindow' },
  'ecg.windows.v1': { file: 'validated-window.avsc', name: 'aicrn.ecg.ValidatedWindow' },
  'ecg.measurements.v1': { file: 'ecg-measurement.avsc', name: 'aicrn.ecg.EcgMeasurement' },
  'ecg.alerts.v1': { file: 'alert.avsc', name: 'aicrn.ecg.Alert' },
  'ecg.dlq.v1': { file: 'dead-letter.avsc', name: 'aicrn.ecg.DeadLetter' },
};

export const ALL_TOPICS: readonly TopicName[] = Object.values(TOPICS);
