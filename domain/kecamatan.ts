// The 24 kecamatan (districts) of Kabupaten Probolinggo, and finding one in free text.

export const KECAMATAN: readonly string[] = Object.freeze([
  'Sukapura',
  'Sumber',
  'Kuripan',
  'Bantaran',
  'Leces',
  'Tegalsiwalan',
  'Banyuanyar',
  'Tiris',
  'Krucil',
  'Gading',
  'Pakuniran',
  'Kotaanyar',
  'Paiton',
  'Besuk',
  'Kraksaan',
  'Krejengan',
  'Pajarakan',
  'Maron',
  'Gending',
  'Dringu',
  'Wonomerto',
  'Lumbang',
  'Tongas',
  'Sumberasih',
]);

// Compound names are often written as two words ("Kota Anyar", "Sumber Asih").
const SPLIT_SPELLINGS: Record<string, string[]> = {
  Sukapura: ['suka pura'],
  Tegalsiwalan: ['tegal siwalan'],
  Banyuanyar: ['banyu anyar'],
  Kotaanyar: ['kota anyar'],
  Sumberasih: ['sumber asih'],
  Wonomerto: ['wono merto'],
};

// Some names are also ordinary words: "bantaran sungai" is a riverbank, "sumber air" a spring.
const NOT_A_KECAMATAN_WHEN_FOLLOWED_BY: Record<string, readonly string[]> = {
  Bantaran: ['sungai', 'kali', 'rel'],
  Sumber: ['air', 'mata', 'dana', 'daya'],
};

interface Spelling {
  kecamatan: string;
  words: string[];
}

// Longest spellings first, so "Sumber Asih" wins over "Sumber" at the same position.
const SPELLINGS: Spelling[] = KECAMATAN.flatMap((name) =>
  [name.toLowerCase(), ...(SPLIT_SPELLINGS[name] ?? [])].map((spelling) => ({
    kecamatan: name,
    words: spelling.split(' '),
  })),
).sort((a, b) => b.words.length - a.words.length);

const KECAMATAN_MARKERS = new Set(['kec', 'kecamatan', 'kecamatn', 'kcmtn']);

interface Mention {
  kecamatan: string;
  explicit: boolean;
}

/**
 * The kecamatan mentioned in an address or location, if any.
 * An explicit "Kec."/"Kecamatan" mention wins; otherwise the last mention, since Indonesian
 * addresses run from small to large (dusun, desa, kecamatan) and villages often share a name.
 */
export function findKecamatan(text: string): string | undefined {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);

  const mentions: Mention[] = [];
  for (let i = 0; i < words.length; ) {
    const spelling = SPELLINGS.find((s) => s.words.every((word, j) => words[i + j] === word));
    const next = spelling ? words[i + spelling.words.length] : undefined;
    if (spelling && !(next && NOT_A_KECAMATAN_WHEN_FOLLOWED_BY[spelling.kecamatan]?.includes(next))) {
      mentions.push({ kecamatan: spelling.kecamatan, explicit: KECAMATAN_MARKERS.has(words[i - 1] ?? '') });
      i += spelling.words.length;
    } else {
      i += 1;
    }
  }

  return (mentions.find((m) => m.explicit) ?? mentions[mentions.length - 1])?.kecamatan;
}
