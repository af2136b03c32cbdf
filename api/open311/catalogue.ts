// What Open311 clients see of LAPOR KAND4: one service per complaint category, and the
// attributes every request needs (the same identity the WhatsApp conversation asks for).
// Service texts are shown to citizens by the clients, so they are in Bahasa Indonesia.
import { CATEGORIES, REPORT_KINDS, type Category, type ReportKind } from '../../domain/report';
import { categoryLabel, kindLabel } from '../../domain/messages';

export const JURISDICTION_ID = 'probolinggokab.go.id';
export const SPECIFICATION_URL = 'http://wiki.open311.org/GeoReport_v2';
/** When this API's behaviour last changed (discovery's changeset). */
export const CHANGESET = '2026-12-06T00:00:00+07:00';

interface ServiceInfo {
  description: string;
  keywords: string[];
  group: string;
}

const SERVICES: Record<Category, ServiceInfo> = {
  pendidikan: {
    description: 'Aduan dan aspirasi tentang sekolah, guru, PAUD, beasiswa, ijazah dan penerimaan murid baru.',
    keywords: ['sekolah', 'guru', 'paud', 'beasiswa', 'ijazah', 'ppdb'],
    group: 'Pelayanan Dasar',
  },
  kesehatan: {
    description: 'Aduan dan aspirasi tentang puskesmas, rumah sakit, posyandu, BPJS Kesehatan, obat dan gizi.',
    keywords: ['puskesmas', 'rsud', 'posyandu', 'bpjs', 'obat', 'stunting'],
    group: 'Pelayanan Dasar',
  },
  infrastruktur: {
    description: 'Aduan dan aspirasi tentang jalan, jembatan, lampu jalan, drainase, irigasi dan banjir.',
    keywords: ['jalan', 'jembatan', 'pju', 'drainase', 'irigasi', 'banjir'],
    group: 'Sarana dan Prasarana',
  },
  layanan_publik: {
    description: 'Aduan dan aspirasi tentang KTP, kartu keluarga, akta, perizinan, pelayanan kantor dan pungutan liar.',
    keywords: ['ktp', 'kartu keluarga', 'akta', 'perizinan', 'pelayanan', 'pungli'],
    group: 'Pelayanan Publik',
  },
  lainnya: {
    description: 'Aduan dan aspirasi lain yang tidak termasuk kategori di atas.',
    keywords: ['lainnya', 'umum'],
    group: 'Umum',
  },
};

export function isServiceCode(code: string): code is Category {
  return (CATEGORIES as readonly string[]).includes(code);
}

export function serviceName(code: Category): string {
  return categoryLabel(code);
}

/** GET services.json: the spec's service list. */
export function serviceList() {
  return CATEGORIES.map((code) => ({
    service_code: code,
    service_name: serviceName(code),
    description: SERVICES[code].description,
    metadata: true,
    type: 'realtime' as const,
    keywords: SERVICES[code].keywords.join(','),
    group: SERVICES[code].group,
  }));
}

export const DEFAULT_KIND: ReportKind = 'aduan';

/** GET services/{service_code}.json: the attributes a request carries besides the spec's fields. */
export function serviceDefinition(code: Category) {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'nik',
        datatype: 'string' as const,
        required: true,
        datatype_description: '16 digit angka sesuai KTP.',
        order: 1,
        description: 'NIK pelapor',
      },
      {
        variable: true,
        code: 'nama',
        datatype: 'string' as const,
        required: true,
        datatype_description: 'Nama lengkap sesuai KTP.',
        order: 2,
        description: 'Nama pelapor',
      },
      {
        variable: true,
        code: 'alamat',
        datatype: 'string' as const,
        required: true,
        datatype_description: 'Alamat tempat tinggal (dusun/jalan, RT/RW, desa, kecamatan).',
        order: 3,
        description: 'Alamat pelapor',
      },
      {
        variable: true,
        code: 'jenis',
        datatype: 'singlevaluelist' as const,
        required: false,
        datatype_description: `Salah satu dari: ${REPORT_KINDS.join(', ')}. Bila kosong: ${DEFAULT_KIND}. Aduan wajib disertai foto atau video (media_url).`,
        order: 4,
        description: 'Jenis laporan',
        values: REPORT_KINDS.map((kind) => ({ key: kind, name: kindLabel(kind) })),
      },
    ],
  };
}

/** GET discovery.json (the Open311 service discovery document). */
export function discoveryDocument(publicBaseUrl: string, basePath: string) {
  return {
    changeset: CHANGESET,
    contact: 'LAPOR KAND4, Pemerintah Kabupaten Probolinggo',
    key_service: 'Creating service requests needs an api_key (an Open311 key issued by the LAPOR KAND4 administrators). Reading needs none.',
    endpoints: [
      {
        specification: SPECIFICATION_URL,
        url: `${publicBaseUrl.replace(/\/+$/, '')}${basePath}`,
        changeset: CHANGESET,
        type: 'production' as const,
        formats: ['application/json'],
      },
    ],
  };
}
