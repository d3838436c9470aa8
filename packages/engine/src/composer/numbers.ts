/** Digits → English words so numbers in lyrics can be sung ("24" → "twenty four"). */
const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function below1000(n: number): string[] {
  const out: string[] = [];
  if (n >= 100) {
    out.push(ONES[Math.floor(n / 100)]!, 'hundred');
    n %= 100;
    if (n === 0) return out;
  }
  if (n < 20) out.push(ONES[n]!);
  else {
    out.push(TENS[Math.floor(n / 10)]!);
    if (n % 10) out.push(ONES[n % 10]!);
  }
  return out;
}

/** Words for a run of digits: whole numbers below a million as numbers, longer runs digit by digit. */
export function numberToWords(digits: string): string[] {
  if (!/^\d+$/.test(digits)) return [];
  if (digits.length > 6) return [...digits].map((d) => ONES[Number(d)]!);
  const n = Number(digits);
  if (n === 0) return ['zero'];
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  return [...(thousands ? [...below1000(thousands), 'thousand'] : []), ...(rest ? below1000(rest) : [])];
}
