/*
 * The bytes of a CSV ledger as text. Excel in mainland China saves "CSV" in the system's code page, GB18030/GBK,
 * with no byte-order mark; "CSV UTF-8" with one; other tools UTF-8 without. The import takes all of them without
 * asking: a byte-order mark decides, else bytes that are valid UTF-8 are UTF-8, else the detector (chardet) may name
 * another encoding it finds more likely than GB18030, else GB18030 (a superset of GBK and GB2312). Decoding is done
 * by iconv-lite; a text that still holds U+FFFD (bytes no encoding explains) is refused, never imported garbled.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** The encodings a ledger's CSV is read in. */
export type LedgerTextEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'GB18030' | 'Big5';

/** A CSV ledger's text and the encoding it was read in (and whether a byte-order mark said so). */
export interface DecodedText {
  text: string;
  encoding: LedgerTextEncoding;
  bom: boolean;
}

/** Why bytes could not be read as text: the byte offset of the first byte no accepted encoding explains. */
export class LedgerTextError extends Error {
  constructor(
    message: string,
    readonly encoding: LedgerTextEncoding,
  ) {
    super(message);
    this.name = 'LedgerTextError';
  }
}

const BOMS: readonly { bytes: readonly number[]; encoding: LedgerTextEncoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'UTF-8' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16BE' },
];

/** Encodings besides GB18030 the detector may choose, by chardet's names. */
const DETECTED: Readonly<Record<string, LedgerTextEncoding>> = { Big5: 'Big5', 'UTF-16LE': 'UTF-16LE', 'UTF-16BE': 'UTF-16BE' };

/** True when `bytes` are well-formed UTF-8 (ASCII included). */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The encoding of a CSV ledger's bytes, without its byte-order mark: a BOM (UTF-8, UTF-16LE/BE) decides; valid UTF-8 is
 * UTF-8; otherwise chardet's choice when it is Big5 or UTF-16 and it rates it above GB18030 (on short texts it rates
 * GB18030, Big5, Shift_JIS and EUC-KR alike), else GB18030, which Excel in mainland China writes.
 */
export function detectLedgerEncoding(bytes: Uint8Array): { encoding: LedgerTextEncoding; bom: number } {
  for (const b of BOMS) {
    if (b.bytes.every((v, i) => bytes[i] === v)) return { encoding: b.encoding, bom: b.bytes.length };
  }
  if (isUtf8(bytes)) return { encoding: 'UTF-8', bom: 0 };
  const matches = chardet.analyse(bytes);
  const gb = matches.find((m) => m.name === 'GB18030')?.confidence ?? 0;
  const other = matches.find((m) => Object.hasOwn(DETECTED, m.name) && m.confidence > gb);
  return { encoding: other ? DETECTED[other.name]! : 'GB18030', bom: 0 };
}

/**
 * The text of a CSV ledger's bytes ({@link detectLedgerEncoding}), its byte-order mark removed.
 * @throws LedgerTextError when the decoded text holds U+FFFD: the bytes are in no encoding the import reads
 */
export function decodeLedgerText(bytes: Uint8Array): DecodedText {
  const { encoding, bom } = detectLedgerEncoding(bytes);
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom);
  const text = encoding === 'UTF-8' ? body.toString('utf8') : iconv.decode(body, encoding);
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    const line = text.slice(0, bad).split('\n').length;
    throw new LedgerTextError(
      `the file is not text in UTF-8, GB18030 (GBK) or Big5: read as ${encoding}, line ${line} holds bytes that encoding does not define; save it again as "CSV UTF-8" or as an Excel workbook`,
      encoding,
    );
  }
  return { text, encoding, bom: bom > 0 };
}
