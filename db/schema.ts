import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Category, ComplaintStatus, ReportKind } from '../domain/report';

// Columns ending in _enc hold AES-256-GCM ciphertext (see app/pii-crypto.ts); _hash columns hold
// keyed hashes for look-ups. Personal data never rests in clear.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable column that may be left out when inserting. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A nullable timestamp; written as a Date or an ISO string. */
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface OpdUnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

/** Which OPD a new complaint of a category goes to. */
export interface CategoryRouteTable {
  category: Category;
  opd_unit_id: number;
}

export interface OfficialTable {
  id: Generated<number>;
  /** Null for regency-wide roles (Sekretaris Daerah, Bupati). */
  opd_unit_id: number | null;
  role: string;
  /** 1 responsible official, 2 head of the OPD, 3 Sekretaris Daerah, 4 Bupati. */
  level: number;
  name_enc: string;
  phone_enc: string;
  phone_hash: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReporterTable {
  id: Generated<number>;
  phone_hash: string;
  phone_enc: string;
  created_at: CreatedAt;
}

export interface ComplaintTable {
  id: Generated<number>;
  ticket_code: string;
  /** Set by the conversation that submitted it, so a retried submission finds its complaint. */
  submission_key: string;
  reporter_id: number;
  reporter_name_enc: string;
  reporter_address_enc: string;
  nik_enc: string;
  nik_hash: string;
  outside_regency: boolean;
  kind: ReportKind;
  category: Category;
  category_inferred: boolean;
  description: string;
  location_text: string | null;
  kecamatan: string | null;
  latitude: number | null;
  longitude: number | null;
  status: ComplaintStatus;
  opd_unit_id: number | null;
  submitted_at: Date;
  /** 'ringan', 'sedang' or 'berat', set when the OPD accepts; decides the target. */
  difficulty: Optional<string>;
  /** The lifecycle policy the complaint runs under (policies.version). */
  policy_version: Optional<number>;
  accepted_at: OptionalTimestamp;
  target_at: OptionalTimestamp;
  resolved_at: OptionalTimestamp;
  closed_at: OptionalTimestamp;
  /** 1 responsible official, 2 head of the OPD, 3 Sekretaris Daerah, 4 Bupati. */
  escalation_level: Generated<number>;
  rating: Optional<number>;
  rejection_reason: Optional<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ComplaintEventTable {
  id: Generated<number>;
  complaint_id: number;
  type: string;
  /** Who acted: 'citizen', 'system', 'official:<id>', 'admin:<id>'. */
  actor: string;
  data: ColumnType<Record<string, unknown>, string, never>;
  /** Makes a retried activity write its event once. */
  idempotency_key: string | null;
  created_at: CreatedAt;
}

export interface MediaTable {
  id: string;
  inbound_message_id: number;
  media_index: number;
  complaint_id: number | null;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: CreatedAt;
}

export type MessageDirection = 'inbound' | 'outbound';

export interface MessageTable {
  id: Generated<number>;
  direction: MessageDirection;
  twilio_sid: string | null;
  /** Outbound: set before sending, so a retried activity never sends twice. */
  idempotency_key: string | null;
  phone_hash: string;
  phone_enc: string;
  /** Encrypted JSON: the text, and for inbound messages the media and shared location. */
  content_enc: string | null;
  num_media: Generated<number>;
  /** Inbound: 'received' until the conversation workflow has it, then 'dispatched'. Outbound: Twilio's status. */
  status: string;
  error_code: string | null;
  complaint_id: number | null;
  /** Outbound outside WhatsApp's 24-hour window: the kind of message sent as a Content template. */
  template_kind: Optional<string>;
  /** The Content template (HX…) it went out with; null for free-form messages. */
  content_sid: Optional<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type HolidayKind = 'libur_nasional' | 'cuti_bersama';

/** National holidays and cuti bersama (SKB 3 Menteri), maintained by admins. */
export interface HolidayTable {
  /** A WIB calendar date; repositories read it as 'YYYY-MM-DD' text. */
  date: ColumnType<Date, string, never>;
  name: string;
  kind: HolidayKind;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Versions of the complaint lifecycle policy; a complaint keeps the version it started with. */
export interface PolicyTable {
  version: Generated<number>;
  data: ColumnType<Record<string, unknown>, string, never>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface TicketSequenceTable {
  year: number;
  last_value: number;
}

export interface Database {
  opd_units: OpdUnitTable;
  category_routes: CategoryRouteTable;
  officials: OfficialTable;
  reporters: ReporterTable;
  complaints: ComplaintTable;
  complaint_events: ComplaintEventTable;
  media: MediaTable;
  messages: MessageTable;
  ticket_sequences: TicketSequenceTable;
  holidays: HolidayTable;
  policies: PolicyTable;
}

export type Complaint = Selectable<ComplaintTable>;
export type NewComplaint = Insertable<ComplaintTable>;
export type ComplaintUpdate = Updateable<ComplaintTable>;
export type Message = Selectable<MessageTable>;
export type Official = Selectable<OfficialTable>;
export type OpdUnit = Selectable<OpdUnitTable>;
