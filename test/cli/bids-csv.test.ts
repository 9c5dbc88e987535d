import { BidsFileError, parseBidsCsv } from '../../src/cli/bids-csv.js';

describe('parseBidsCsv', () => {
  test('keeps rows in file order', () => {
    const rows = parseBidsCsv('bidder,amount\nalice,120\nbob,95.5\n');
    expect(rows).toEqual([
      { line: 2, bidder: 'alice', amount: '120' },
      { line: 3, bidder: 'bob', amount: '95.5' },
    ]);
  });

  test('reads an empty amount as no bid', () => {
    expect(parseBidsCsv('bidder,amount\ncarol,\n')).toEqual([{ line: 2, bidder: 'carol', amount: null }]);
  });

  test('accepts columns in any order with extra ones', () => {
    const rows = parseBidsCsv('Amount,note,Bidder\r\n7,first,dave\r\n');
    expect(rows).toEqual([{ line: 2, bidder: 'dave', amount: '7' }]);
  });

  test('keeps bad amounts as text for the caller to reject', () => {
    const rows = parseBidsCsv('bidder,amount\neve,-5\nfrank,abc\ngina,1.234\n');
    expect(rows.map((row) => row.amount)).toEqual(['-5', 'abc', '1.234']);
  });

  test('reads quoted cells with commas, quotes and newlines', () => {
    const rows = parseBidsCsv('bidder,amount\n"Smith, ""J.""\nLtd",10\n');
    expect(rows).toEqual([{ line: 2, bidder: 'Smith, "J."\nLtd', amount: '10' }]);
  });

  test('skips blank lines and a byte order mark', () => {
    expect(parseBidsCsv('\uFEFFbidder,amount\n\nhal,3\n\n')).toEqual([{ line: 3, bidder: 'hal', amount: '3' }]);
  });

  test.each([
    ['', 'the bids file is empty'],
    ['name,amount\nx,1\n', 'the header must name the columns bidder and amount'],
    ['bidder,amount\nx,1,2\n', 'line 2 has 3 cells, expected 2 as in the header'],
    ['bidder,amount\n,5\n', 'line 2 has an empty bidder name'],
    ['bidder,amount\n"open,5\n', 'line 2 has a quoted cell that is never closed'],
  ])('rejects %j', (text, message) => {
    expect(() => parseBidsCsv(text)).toThrow(BidsFileError);
    expect(() => parseBidsCsv(text)).toThrow(message);
  });
});
