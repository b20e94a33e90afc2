/** acknowledge() was given an id this bed never raised (or forgot long ago). */
export class UnknownAlertError extends Error {
  constructor(readonly bedId: string, readonly alertId: string) {
    super(`bed ${bedId} has no alert "${alertId}"`);
    this.name = 'UnknownAlertError';
  }
}

/** A measurement or state that the engine cannot use, with what is wrong. */
export class AlarmInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlarmInputError';
  }
}
