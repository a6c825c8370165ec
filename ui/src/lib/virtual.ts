// Windowing for long lists with fixed row height: which rows to render, and which pages to
// fetch for them.

export interface Window {
  first: number;
  last: number; // exclusive
  padTop: number;
  padBottom: number;
}

export function visibleWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): Window {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: 0, padTop: 0, padBottom: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last, padTop: first * rowHeight, padBottom: (total - last) * rowHeight };
}

/** Page numbers (of `pageSize` rows) that cover rows [first, last). */
export function pagesFor(first: number, last: number, pageSize: number): number[] {
  if (last <= first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((last - 1) / pageSize); p++) out.push(p);
  return out;
}
