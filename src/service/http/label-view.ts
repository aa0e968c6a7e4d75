import type { LabelRecord } from '../../store/service-tables.js';

/** A verdict as the API shows it. */
export function labelView(label: LabelRecord): {
  label_id: number;
  target: string;
  id: string;
  verdict: string;
  note: string | null;
  analyst: string;
  created_at: string;
} {
  return {
    label_id: label.labelId,
    target: label.target,
    id: label.targetId,
    verdict: label.verdict,
    note: label.note,
    analyst: label.analyst,
    created_at: new Date(label.createdAt).toISOString(),
  };
}
