// The browser side of DashboardBrowserIT: watches a batch on the dashboard without reloading, reads a failed
// chunk's output and full log, fixes its cause (creates a file), presses replay and waits for it to turn green.
// Usage: node batch-live.mjs URL BATCH FAILING_TASK FIX_FILE SCREENSHOT; prints one JSON object.
import { writeFileSync } from "node:fs";
import { launch } from "./chromium.mjs";

const [url, batch, failingTask, fixFile, screenshot] = process.argv.slice(2);
const WAIT_MS = 150_000;
const result = { states: {}, reloaded: false };
const browser = await launch();
try {
  const page = browser.context.pages()[0] || await browser.context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  let loads = 0;
  page.on("load", () => { loads++; });
  await page.goto(url + (url.includes("?") ? "&" : "?") + "batch=" + encodeURIComponent(batch));
  // every state each chunk's square shows, in order, sampled every 50 ms inside the page
  await page.evaluate(() => {
    window.__dp3qStates = {};
    window.__dp3qSample = () => {
      for (const cell of document.querySelectorAll("#chunks .chunk")) {
        const seen = (window.__dp3qStates[cell.dataset.task] ||= []);
        if (seen[seen.length - 1] !== cell.dataset.state) seen.push(cell.dataset.state);
      }
    };
    setInterval(window.__dp3qSample, 50);
  });
  console.error("page open; waiting for the batch");
  const failedCell = `#chunks .chunk[data-task="${failingTask}"][data-state="failed"]`;
  await page.waitForSelector(failedCell);
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll("#chunks .chunk")];
    return cells.length > 0 && cells.every((c) => ["succeeded", "failed"].includes(c.dataset.state));
  });
  const failedRow = page.locator(`#failed tr[data-task="${failingTask}"]`);
  result.stderrTail = await failedRow.locator("pre.stderr").innerText();
  await page.click(`#chunks .chunk[data-task="${failingTask}"]`);
  result.detail = await page.locator("#chunk-detail").innerText();

  const [logPage] = await Promise.all([browser.context.waitForEvent("page"), failedRow.locator("a.log-link").click()]);
  await logPage.waitForLoadState();
  result.log = await logPage.locator("body").innerText();
  await logPage.close();

  writeFileSync(fixFile, "sky model, fixed\n");
  await failedRow.locator("button.replay-task").click();
  await page.click("#confirm-yes");
  await page.waitForSelector(`#chunks .chunk[data-task="${failingTask}"][data-state="succeeded"]`);
  await page.waitForSelector(`#failed tr[data-task="${failingTask}"]`, { state: "detached" });
  await page.waitForFunction(() => document.querySelector("#batch-state")?.textContent === "succeeded");
  // one last sample: the replayed chunk may have turned green less than 50 ms ago (a fast replay ended without it)
  result.states = await page.evaluate(() => { window.__dp3qSample(); return window.__dp3qStates; });
  result.reloaded = loads > 1;
  result.lanes = await page.locator("#lanes rect").count();
  await page.locator("#chunk-detail").evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: screenshot, fullPage: true });
  result.screenshot = screenshot;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
