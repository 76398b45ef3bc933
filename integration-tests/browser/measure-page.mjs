// Measures the dashboard page for one batch in headless chromium: time from navigation until every chunk
// square is drawn, the page's JS heap and the size of one batch poll; with --soak MINUTES it then keeps the
// page open, polling, and prints the JS heap every minute.
// Usage: node measure-page.mjs URL BATCH CHUNKS [RUNS] [--soak MINUTES]
import { launch } from "./chromium.mjs";

const args = process.argv.slice(2);
const soakAt = args.indexOf("--soak");
const soakMinutes = soakAt >= 0 ? Number(args[soakAt + 1]) : 0;
const [url, batch, chunks, runs = "5"] = soakAt >= 0 ? args.slice(0, soakAt) : args;
const browser = await launch();
const out = { loads_ms: [], js_heap_mb: [], batch_json_kb: null, soak_js_heap_mb: [] };
try {
  for (let i = 0; i < Number(runs); i++) {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const start = Date.now();
    await page.goto(url + (url.includes("?") ? "&" : "?") + "batch=" + encodeURIComponent(batch));
    await page.waitForFunction((n) => document.querySelectorAll("#chunks .chunk").length >= n, Number(chunks),
      { timeout: 120_000, polling: 20 });
    out.loads_ms.push(Date.now() - start);
    const metrics = (await cdp.send("Performance.getMetrics")).metrics;
    out.js_heap_mb.push(+(metrics.find((m) => m.name === "JSHeapUsedSize").value / 1048576).toFixed(1));
    if (out.batch_json_kb == null) {
      out.batch_json_kb = +((await page.evaluate(async (b) =>
        (await (await fetch("api/batch?name=" + encodeURIComponent(b))).text()).length, batch)) / 1024).toFixed(1);
    }
    if (i < Number(runs) - 1 || !soakMinutes) await page.close();
    else {
      for (let m = 1; m <= soakMinutes; m++) {
        await page.waitForTimeout(60_000);
        const now = (await cdp.send("Performance.getMetrics")).metrics;
        out.soak_js_heap_mb.push(+(now.find((x) => x.name === "JSHeapUsedSize").value / 1048576).toFixed(1));
        console.error(`minute ${m}: JS heap ${out.soak_js_heap_mb.at(-1)} MiB`);
      }
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
