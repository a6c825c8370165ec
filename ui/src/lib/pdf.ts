// Draws a PDF held in memory into canvases (pdf.js, no eval, no blob URL, nothing on disk).
// The document is destroyed once drawn: its worker copy, parsed pages and font faces would
// otherwise stay in the web page for as long as the app runs, one set per preview.
export async function renderPdfInto(container: HTMLElement, data: Uint8Array, maxPages = 50): Promise<number> {
  const pdfjs = await import("pdfjs-dist");
  const worker = await import("pdfjs-dist/build/pdf.worker.min.mjs?url");
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  const task = pdfjs.getDocument({ data, isEvalSupported: false, disableFontFace: false });
  try {
    const doc = await task.promise;
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
      page.cleanup();
    }
    return doc.numPages;
  } finally {
    await task.destroy();
  }
}
