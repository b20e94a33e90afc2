import * as avro from 'avsc';
import { decodeAvro, encodeAvro, topicSchemaText } from './avro';
import { unpackInt16 } from './samples';
import { sampleAlert, sampleDeadLetter, sampleMeasurement, sampleValidatedWindow, sampleWindow } from './testing/fixtures';
import { ALL_TOPICS, TOPICS } from './topics';

describe('Avro contracts', () => {
  it('round-trips a device window with its int16 samples intact', () => {
    const window = sampleWindow();
    const decoded = decodeAvro(TOPICS.raw, encodeAvro(TOPICS.raw, window));
    expect(decoded).toEqual(window);
    expect(Array.from(unpackInt16(decoded.leads[1].samples).slice(0, 5))).toEqual(Array.from(unpackInt16(window.leads[1].samples).slice(0, 5)));
  });

  it('packs samples as bytes: a 12-lead 500 Hz window is about 120 kB, not an int array', () => {
    const window = sampleWindow({}, ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    const body = encodeAvro(TOPICS.raw, window);
    expect(body.length).toBeGreaterThan(12 * 5000 * 2);
    expect(body.length).toBeLessThan(12 * 5000 * 2 + 1000);
  });

  it('round-trips a validated window, a measurement (with nulls), an alert and a dead letter', () => {
    expect(decodeAvro(TOPICS.windows, encodeAvro(TOPICS.windows, sampleValidatedWindow()))).toEqual(sampleValidatedWindow());
    expect(decodeAvro(TOPICS.measurements, encodeAvro(TOPICS.measurements, sampleMeasurement()))).toEqual(sampleMeasurement());
    const consensus = sampleMeasurement({ method: 'consensus', model_version: 'aicrn-serving/x + dsp-1.2.0' });
    expect(decodeAvro(TOPICS.measurements, encodeAvro(TOPICS.measurements, consensus))).toEqual(consensus);
    const acknowledged = sampleAlert({ state: 'acknowledged', acknowledged_by: 'nurse-station-2', acknowledged_ms: 1_780_000_000_000 });
    expect(decodeAvro(TOPICS.alerts, encodeAvro(TOPICS.alerts, acknowledged))).toEqual(acknowledged);
    expect(decodeAvro(TOPICS.dlq, encodeAvro(TOPICS.dlq, sampleDeadLetter()))).toEqual(sampleDeadLetter());
  });

  it('refuses to encode a value that does not match the schema, naming the field', () => {
    const bad = { ...sampleMeasurement(), method: 'guess' } as never;
    expect(() => encodeAvro(TOPICS.measurements, bad)).toThrow(/EcgMeasurement schema at method/);
  });

  it('reads data written with an older schema that lacked an optional field', () => {
    const current = JSON.parse(topicSchemaText(TOPICS.measurements));
    const older = { ...current, fields: current.fields.filter((f: { name: string }) => f.name !== 'beats') };
    const writer = avro.Type.forSchema(older);
    const { beats: _beats, ...oldValue } = sampleMeasurement();
    const decoded = decodeAvro(TOPICS.measurements, writer.toBuffer(oldValue), writer);
    expect(decoded.beats).toEqual([]);
    expect(decoded.qt_ms).toBe(390);
  });

  it('has a parseable .avsc schema for every topic', () => {
    for (const topic of ALL_TOPICS) expect(() => avro.Type.forSchema(JSON.parse(topicSchemaText(topic)))).not.toThrow();
  });
});

describe('Avro bounds check', () => {
  it('rejects a frame whose array count exceeds the bytes left, instead of allocating it', () => {
    const body = encodeAvro(TOPICS.measurements, sampleMeasurement());
    // Cut after the ids and append a block count of 1e9 (zig-zag varint).
    const huge = Buffer.from([0x80, 0xa8, 0xd6, 0xb9, 0x07]);
    const hostile = Buffer.concat([body.subarray(0, 40), huge]);
    expect(() => decodeAvro(TOPICS.measurements, hostile)).toThrow(/cannot fit|truncated|needs/);
  });

  it('rejects trailing garbage and truncated bodies with the field path', () => {
    const body = encodeAvro(TOPICS.alerts, sampleAlert());
    expect(() => decodeAvro(TOPICS.alerts, Buffer.concat([body, Buffer.from([1, 2])]))).toThrow(/left over/);
    expect(() => decodeAvro(TOPICS.alerts, body.subarray(0, body.length - 3))).toThrow(/Alert/);
  });

  it('still decodes every valid record', () => {
    for (let seq = 0; seq < 50; seq++) {
      const window = sampleWindow({ seq });
      expect(decodeAvro(TOPICS.raw, encodeAvro(TOPICS.raw, window)).seq).toBe(seq);
    }
  });
});
