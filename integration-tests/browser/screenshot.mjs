// Takes a screenshot of the dashboard showing one batch, with a chunk's details open (for the README).
// Usage: node screenshot.mjs URL BATCH OUT.png [TASK_TO_CLICK]
import { launch } from "./chromium.mjs";

const [url, batch, out, task] = process.argv.slice(2);
const browser = await launch();
try {
  const page = browser.context.pages()[0] || await browser.context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("console", (m) => { if (m.type() === "error") console.error("console:", m.text()); });
  await page.goto(url + (url.includes("?") ? "&" : "?") + "batch=" + encodeURIComponent(batch));
  await page.waitForSelector("#chunks .chunk");
  await page.waitForTimeout(1500);
  if (task) await page.click(`#chunks .chunk[data-task="${task}"]`);
  await page.screenshot({ path: out, fullPage: true });
} finally {
  await browser.close();
}
