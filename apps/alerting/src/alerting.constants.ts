export const ALERTING_GROUP = 'aicrn-alerting';
/** Namespace of each bed's alarm engine state in the state store. */
export const BED_ALARMS_NAMESPACE = 'alarms';
/** How often escalations are checked when no measurement arrives. */
export const TICK_INTERVAL_MS = 5000;
