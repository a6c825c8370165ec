// Draws a PDF held in memory into canvases (pdf.js, no eval, no blob URL, nothing on disk).
export async function renderPdfInto(container: HTMLElement, data: Uint8Array, maxPages = 50): Promise<number> {
  const pdfjs = await import("pdfjs-dist");
  const worker = await import("pdfjs-dist/build/pdf.worker.min.mjs?url");
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  const doc = await pdfjs.getDocument({ data, isEvalSupported: false, disableFontFace: false }).promise;
  container.replaceChildren();
  const n = Math.min(doc.numPages, maxPages);
  for (let i = 1; i <= n; i++) {
    const page = await doc.getPage(i);
    const viewport = page.getViewport({ scale: 1.3 });
    const canvas = document.createElement("canvas");
    canvas.width = viewport.width;
    canvas.height = viewport.height;
    canvas.className = "pdf-page";
    container.appendChild(canvas);
    await page.render({ canvas, viewport }).promise;
  }
  return doc.numPages;
}
