import { LeadName } from '@aicrn/contracts';
import { AICRN_INPUT_LEADS, AicrnInputLead } from '../config';

/** Each limb lead as a combination a*I + b*II (Einthoven and Goldberger; exact for leads from the same electrodes). */
const LIMB_COEFFICIENTS: Record<string, [number, number]> = {
  I: [1, 0],
  II: [0, 1],
  III: [-1, 1],
  aVR: [-0.5, -0.5],
  aVL: [1, -0.5],
  aVF: [-0.5, 1],
};
const LIMB_ORDER = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'] as const;
const CHEST_LEADS = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;

export type LeadSelection =
  | {
      ok: true;
      /** The network's 8 leads in AICRN_INPUT_LEADS order. */
      leads: Float32Array[];
      /** Leads computed from others, e.g. ["I = II - III"]. */
      derived: string[];
      /** Source leads the selection read (checked for quality by the caller). */
      used: LeadName[];
    }
  | { ok: false; code: 'missing_chest_leads' | 'missing_limb_leads'; reason: string };

const fmt = (c: number) => (Math.abs(c - Math.round(c)) < 1e-9 ? String(Math.round(c)) : c.toFixed(4).replace(/0+$/, ''));

function describe(target: string, p: string, q: string, cp: number, cq: number): string {
  const term = (c: number, name: string, first: boolean) => (c === 0 ? '' : `${first ? (c < 0 ? '-' : '') : c < 0 ? ' - ' : ' + '}${Math.abs(c) === 1 ? '' : `${fmt(Math.abs(c))}*`}${name}`);
  return `${target} = ${term(cp, p, true)}${term(cq, q, cp === 0)}`.trim();
}

/**
 * Picks I, II, V1-V6 from whatever leads a window has. I or II missing are derived exactly from any two
 * limb leads (every pair of the hexaxial leads is independent); missing chest leads cannot be derived,
 * so such a window (e.g. a 3-lead telemetry feed) is not eligible for the network.
 */
export function selectModelLeads(available: ReadonlyMap<LeadName, Float32Array>): LeadSelection {
  const missingChest = CHEST_LEADS.filter((lead) => !available.has(lead));
  if (missingChest.length) {
    return {
      ok: false,
      code: 'missing_chest_leads',
      reason: `the network needs chest leads V1-V6; missing ${missingChest.join(', ')} (window has ${[...available.keys()].join(', ') || 'no leads'})`,
    };
  }
  const limbs = LIMB_ORDER.filter((lead) => available.has(lead));
  const derived: string[] = [];
  let used: LeadName[];
  let leadI = available.get('I');
  let leadII = available.get('II');
  if (leadI && leadII) {
    used = ['I', 'II'];
  } else {
    // Prefer a pair that includes the measured one of I/II, then the best-conditioned pair.
    let best: { p: LeadName; q: LeadName; det: number; score: number } | null = null;
    for (let i = 0; i < limbs.length; i++) {
      for (let j = i + 1; j < limbs.length; j++) {
        const [a1, b1] = LIMB_COEFFICIENTS[limbs[i]];
        const [a2, b2] = LIMB_COEFFICIENTS[limbs[j]];
        const det = a1 * b2 - a2 * b1;
        const score = Math.abs(det) + (limbs[i] === 'I' || limbs[i] === 'II' ? 10 : 0);
        if (Math.abs(det) > 1e-9 && (!best || score > best.score)) best = { p: limbs[i], q: limbs[j], det, score };
      }
    }
    if (!best) {
      return {
        ok: false,
        code: 'missing_limb_leads',
        reason: `the network needs leads I and II; they can be derived from any two limb leads (I, II, III, aVR, aVL, aVF), but the window has ${limbs.length ? `only ${limbs.join(', ')}` : 'none'}`,
      };
    }
    const { p, q, det } = best;
    const [a1, b1] = LIMB_COEFFICIENTS[p];
    const [a2, b2] = LIMB_COEFFICIENTS[q];
    // Invert [[a1, b1], [a2, b2]]: P = a1*I + b1*II, Q = a2*I + b2*II.
    const iFromP = b2 / det;
    const iFromQ = -b1 / det;
    const iiFromP = -a2 / det;
    const iiFromQ = a1 / det;
    const xp = available.get(p)!;
    const xq = available.get(q)!;
    const combine = (cp: number, cq: number) => {
      const out = new Float32Array(xp.length);
      for (let k = 0; k < out.length; k++) out[k] = cp * xp[k] + cq * xq[k];
      return out;
    };
    if (!leadI) {
      leadI = combine(iFromP, iFromQ);
      derived.push(describe('I', p, q, iFromP, iFromQ));
    }
    if (!leadII) {
      leadII = combine(iiFromP, iiFromQ);
      derived.push(describe('II', p, q, iiFromP, iiFromQ));
    }
    used = [p, q];
  }
  const byName: Record<AicrnInputLead, Float32Array> = {
    I: leadI,
    II: leadII,
    V1: available.get('V1')!,
    V2: available.get('V2')!,
    V3: available.get('V3')!,
    V4: available.get('V4')!,
    V5: available.get('V5')!,
    V6: available.get('V6')!,
  };
  return { ok: true, leads: AICRN_INPUT_LEADS.map((lead) => byName[lead]), derived, used: [...used, ...CHEST_LEADS] };
}
