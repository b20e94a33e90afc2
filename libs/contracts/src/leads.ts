/** The standard 12 leads, in the order PTB-XL and most 12-lead devices store them. */
export const STANDARD_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type LeadName = (typeof STANDARD_LEADS)[number];

/**
 * Aliases seen in WFDB headers and device feeds. MLII/MLI/MLIII are the Mason-Likar (torso-placed)
 * equivalents of the limb leads used by Holter and telemetry recorders (MIT-BIH among them).
 */
const LEAD_ALIASES: Record<string, LeadName> = {
  ML1: 'I',
  MLI: 'I',
  ML2: 'II',
  MLII: 'II',
  ML3: 'III',
  MLIII: 'III',
};

const CANONICAL_BY_UPPER = new Map<string, LeadName>(STANDARD_LEADS.map((lead) => [lead.toUpperCase(), lead]));

/** Canonical lead name for a device or file label ("avr" -> "aVR", "MLII" -> "II"), or null if unknown. */
export function canonicalLeadName(label: string): LeadName | null {
  const upper = label.trim().toUpperCase().replace(/^LEAD[ _-]?/, '');
  return CANONICAL_BY_UPPER.get(upper) ?? LEAD_ALIASES[upper] ?? null;
}
