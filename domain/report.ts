// The shape of a citizen's report as it is collected over WhatsApp.
// Pure types and rules: imported by workflows (deterministic) and by the API alike.

export const REPORT_KINDS = ['aduan', 'usul', 'saran', 'nasihat'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const CATEGORIES = ['pendidikan', 'kesehatan', 'infrastruktur', 'layanan_publik', 'lainnya'] as const;
export type Category = (typeof CATEGORIES)[number];

/** What the conversation can ask for, in the order it asks. */
export const REPORT_FIELDS = ['name', 'address', 'nik', 'description', 'category', 'evidence'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

export interface EvidenceRef {
  mediaId: string;
  contentType: string;
  sizeBytes: number;
}

export interface ReportDraft {
  name?: string;
  address?: string;
  /** Validated 16-digit NIK. */
  nik?: string;
  /** The NIK was issued outside Kabupaten Probolinggo (accepted, but flagged). */
  outsideRegency?: boolean;
  kind: ReportKind;
  /** True once the citizen (not the default) named the kind. */
  kindGiven?: boolean;
  category?: Category;
  /** The category was guessed from the description, not given. */
  categoryInferred?: boolean;
  description?: string;
  locationText?: string;
  kecamatan?: string;
  latitude?: number;
  longitude?: number;
  evidence: EvidenceRef[];
}

export function emptyDraft(): ReportDraft {
  return { kind: 'aduan', evidence: [] };
}

/** Evidence is required for an aduan; optional for usul, saran and nasihat. */
export function requiresEvidence(kind: ReportKind): boolean {
  return kind === 'aduan';
}

/** The next thing to ask for, or null when the report is complete. */
export function nextMissingField(draft: ReportDraft): ReportField | null {
  if (!draft.name) return 'name';
  if (!draft.address) return 'address';
  if (!draft.nik) return 'nik';
  if (!draft.description) return 'description';
  if (!draft.category) return 'category';
  if (requiresEvidence(draft.kind) && draft.evidence.length === 0) return 'evidence';
  return null;
}

export function isDraftEmpty(draft: ReportDraft): boolean {
  return (
    !draft.name &&
    !draft.address &&
    !draft.nik &&
    !draft.description &&
    !draft.category &&
    !draft.locationText &&
    draft.latitude === undefined &&
    draft.evidence.length === 0
  );
}

/** Ticket codes look like LK-2026-000123. */
export const TICKET_CODE_PATTERN = /^LK-\d{4}-\d{6}$/;

export function formatTicketCode(year: number, sequence: number): string {
  return `LK-${year}-${String(sequence).padStart(6, '0')}`;
}

export function isEvidenceContentType(contentType: string): boolean {
  const type = contentType.toLowerCase().split(';')[0].trim();
  return type.startsWith('image/') || type.startsWith('video/');
}

/** A complaint's place in its life; see workflows/complaint.ts for the transitions. */
export const COMPLAINT_STATUSES = ['received', 'routed', 'accepted', 'in_progress', 'resolved', 'tuntas', 'rejected', 'withdrawn'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
/** Statuses in which the complaint is still being followed up. */
export const OPEN_STATUSES = ['received', 'routed', 'accepted', 'in_progress', 'resolved'] as const satisfies readonly ComplaintStatus[];
