/**
 * The bids file of `sealbid simulate`: CSV (RFC 4180 quoting) with a header
 * that has the columns bidder and amount, in any order. Rows are kept in file
 * order; an empty amount means that the bidder registered but did not bid.
 */

/** One data row of the bids file. */
export interface BidRow {
  /** Line number in the file, from 1 (the header is line 1). */
  line: number;
  bidder: string;
  /** The amount text exactly as written, or null when the cell is empty. */
  amount: string | null;
}

/** Error for a bids file that cannot be read as a whole (rows with bad amounts are not errors). */
export class BidsFileError extends Error {
  override readonly name = 'BidsFileError';
}

/**
 * Parses the bids file.
 * @throws BidsFileError for a missing column, an unterminated quote, a row
 *   with the wrong number of cells or an empty bidder name.
 */
export function parseBidsCsv(text: string): BidRow[] {
  const records = splitRecords(text.replace(/^\uFEFF/, ''));
  if (records.length === 0) {
    throw new BidsFileError('the bids file is empty: it needs a header line "bidder,amount"');
  }
  const header = records[0].cells.map((cell) => cell.trim().toLowerCase());
  const bidderColumn = header.indexOf('bidder');
  const amountColumn = header.indexOf('amount');
  if (bidderColumn < 0 || amountColumn < 0) {
    throw new BidsFileError(`the header must name the columns bidder and amount, got ${JSON.stringify(records[0].cells.join(','))}`);
  }

  return records.slice(1).map((record) => {
    if (record.cells.length !== header.length) {
      throw new BidsFileError(`line ${record.line} has ${record.cells.length} cells, expected ${header.length} as in the header`);
    }
    const bidder = record.cells[bidderColumn].trim();
    if (bidder === '') {
      throw new BidsFileError(`line ${record.line} has an empty bidder name`);
    }
    const amount = record.cells[amountColumn].trim();
    return { line: record.line, bidder, amount: amount === '' ? null : amount };
  });
}

interface CsvRecord {
  line: number;
  cells: string[];
}

function splitRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;

  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      pushRecord(records, recordLine, cells);
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted) {
    throw new BidsFileError(`line ${recordLine} has a quoted cell that is never closed`);
  }
  cells.push(cell);
  pushRecord(records, recordLine, cells);
  return records;
}

// Blank lines (one empty cell) are skipped, as spreadsheet exports often end with one.
function pushRecord(records: CsvRecord[], line: number, cells: string[]): void {
  if (cells.length === 1 && cells[0].trim() === '') {
    return;
  }
  records.push({ line, cells });
}
