// Browser tests of storydiff's HTML report, in Debian's headless Chromium driven by
// playwright-core. Run by scripts/test (`node --test tests/browser/`), after cargo has built
// the binary. Screenshots are written to ci-artifacts/ and their paths printed.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, statSync, existsSync, copyFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The binary Cargo built: STORYDIFF_BIN (scripts/test sets it from `cargo metadata`), else the
// debug binary under CARGO_TARGET_DIR or ./target, as Cargo places it.
const targetDir = process.env.CARGO_TARGET_DIR
  ? resolve(root, process.env.CARGO_TARGET_DIR)
  : join(root, "target");
const bin = process.env.STORYDIFF_BIN || join(targetDir, "debug", "storydiff");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = join(root, "ci-artifacts");
const trio = ["kuna", "epa", "brasov"].map((o) => join("fixtures", "lavrov-2022-01-14", `${o}.txt`));

let browser;

before(async () => {
  assert.ok(existsSync(bin), `storydiff binary missing at ${bin}: run cargo build first`);
  assert.ok(existsSync(chromiumPath), `Chromium missing at ${chromiumPath}: scripts/test installs it`);
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
});

function storydiff(args) {
  return execFileSync(bin, args, { cwd: root, maxBuffer: 64 << 20 });
}

/** Open a report; record console errors, page errors, dialogs and any non-file request. */
async function open(file, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = { console: [], errors: [], requests: [], dialogs: [] };
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.console.push(m.text()); });
  page.on("pageerror", (e) => problems.errors.push(String(e)));
  page.on("dialog", async (d) => { problems.dialogs.push(d.message()); await d.dismiss(); });
  page.on("request", (r) => { if (!r.url().startsWith("file:")) problems.requests.push(r.url()); });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems };
}

/** Claims computed independently from the JSON links: connected groups of linked sentences. */
test("trio report: matrix, counts agree with JSON, no errors, no network, small (render time logged, not asserted)", async () => {
  const file = join(artifacts, "report-trio.html");
  storydiff(["compare", "--format", "html", "-o", file, ...trio]);
  const json = JSON.parse(storydiff(["compare", "--format", "json", ...trio]).toString());
  const size = statSync(file).size;
  console.log(`report size: ${size} bytes`);
  assert.ok(size < 300 * 1024, `report is ${size} bytes`);

  const { page, problems } = await open(file);
  const navMs = () => page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    return n.loadEventEnd - n.startTime;
  });
  const coldMs = await navMs();
  // The first load also warms up the browser process; the render time is a second load.
  await page.reload({ waitUntil: "load" });
  const loadMs = await navMs();
  console.log(`report render (navigation start to load end): ${loadMs.toFixed(1)} ms (first load ${coldMs.toFixed(1)} ms)`);
  // Timing is reported, not judged: a loaded machine is not a failing report.

  // One matrix column per outlet, one row per claim of the JSON's claim graph, and each row
  // marks exactly the outlets that claim's members come from.
  const cols = await page.$$eval(".matrix thead th[data-outlet]", (e) => e.map((x) => x.textContent));
  assert.deepEqual(cols, json.articles.map((a) => a.label));
  const rows = await page.$$eval(".matrix tbody tr.claim", (e) => e.length);
  assert.equal(rows, json.claims.length);
  const marked = await page.$$eval(".matrix tbody tr.claim", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td[data-outlet]")].filter((td) => !td.classList.contains("absent")).map((td) => td.dataset.outlet)));
  const carriers = json.claims.map((c) => [...new Set(c.members.map((m) => m.article))]);
  const sorted = (xs) => xs.map((x) => [...x].sort().join(",")).sort();
  assert.deepEqual(sorted(marked), sorted(carriers));

  // Side-by-side rows per comparison match the JSON summary.
  for (const c of json.comparisons) {
    const counts = await page.evaluate(([b, o]) => {
      const sec = [...document.querySelectorAll("section.pair")].find((s) => s.dataset.base === b && s.dataset.other === o);
      const n = (k) => sec.querySelectorAll(`tbody tr[data-kind="${k}"]`).length;
      return { identical: n("identical"), reworded: n("reworded"), partial: n("partial"), added: n("added"), dropped: n("dropped") };
    }, [c.base, c.other]);
    for (const k of ["identical", "reworded", "partial", "added", "dropped"]) {
      assert.equal(counts[k], c.summary[k], `${c.other} ${k}`);
    }
  }
  const findings = await page.$$eval("li.finding", (e) => e.length);
  assert.equal(findings, json.findings.length);

  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.requests, [], "the report must not make network requests");

  const shot = join(artifacts, "report-trio.png");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  if (process.env.STORYDIFF_DOCS_SCREENSHOT) {
    await page.screenshot({ path: join(root, "docs", "report.png") });
  }
  await page.close();
});

test("hover, click and keyboard light up partners; filters hide rows", async () => {
  const file = join(artifacts, "report-trio.html");
  const { page } = await open(file);
  const linked = page.locator("section.pair tr[data-kind=partial] .s").first();
  const claim = await linked.getAttribute("data-claim");
  await linked.hover();
  const lit = await page.$$eval(`[data-claim="${claim}"].hl`, (e) => e.length);
  assert.ok(lit >= 3, `hover lit ${lit} elements`); // matrix row + both sides
  await page.mouse.move(0, 0);
  await page.locator(".matrix tr.claim").first().focus();
  const focused = await page.$$eval(".hl", (e) => e.length);
  assert.ok(focused >= 1);
  // Enter pins the highlight: it stays when focus moves on, and Enter again unpins it.
  const row = page.locator(".matrix tr.claim").first();
  const rowClaim = await row.getAttribute("data-claim");
  await page.keyboard.press("Enter");
  await page.locator(".matrix tr.claim").nth(1).focus();
  await page.locator(".matrix tr.claim").nth(1).blur();
  const pinned = await page.$$eval(`[data-claim="${rowClaim}"].hl`, (e) => e.length);
  assert.ok(pinned >= 1, "Enter should pin the highlight");
  await row.focus();
  await page.keyboard.press("Enter");
  await row.blur();
  const unpinned = await page.$$eval(`[data-claim="${rowClaim}"].hl`, (e) => e.length);
  assert.equal(unpinned, 0, "Enter again should unpin it");
  // A click pins too.
  await linked.click();
  await page.mouse.move(0, 0);
  const clicked = await page.$$eval(`[data-claim="${claim}"].hl`, (e) => e.length);
  assert.ok(clicked >= 3, `click pinned ${clicked} elements`);
  await linked.click();

  await page.selectOption("#only-outlet", "epa");
  const visible = await page.$$eval("section.pair tbody tr", (rows) => rows.filter((r) => !r.hidden).map((r) => [r.dataset.kind, r.dataset.owner]));
  assert.ok(visible.length > 0);
  assert.ok(visible.every(([k, o]) => k === "added" && o === "epa"), JSON.stringify(visible.slice(0, 3)));
  // A pair with no addition of the outlet chosen says so instead of an empty table.
  const notes = await page.$$eval("section.pair", (pairs) => pairs.map((p) => {
    const n = p.querySelector("p.nothing");
    return [p.dataset.other, n && !n.hidden ? n.textContent : null];
  }));
  const byOther = Object.fromEntries(notes);
  assert.equal(byOther.epa, null, JSON.stringify(notes));
  assert.equal(byOther.brasov, "Nothing matches the filters (additions of epa).", JSON.stringify(notes));
  await page.selectOption("#only-outlet", "");
  const cleared = await page.$$eval("p.nothing", (ns) => ns.filter((n) => !n.hidden).length);
  assert.equal(cleared, 0, "no filter, no message");
  await page.check("#only-diff");
  const identicalShown = await page.$$eval("tr[data-kind=identical]", (rows) => rows.filter((r) => !r.hidden).length);
  assert.equal(identicalShown, 0);
  await page.close();
});

test("the outlet filter works for labels with spaces", async () => {
  const file = join(artifacts, "report-labels.html");
  storydiff(["compare", "--format", "html", "-o", file, "--label", "KUNA wire", "--label", "Le Monde", "--label", "Brasov", ...trio]);
  const { page, problems } = await open(file);
  await page.selectOption("#only-outlet", "Le Monde");
  const matrix = await page.$$eval(".matrix tr.claim", (rows) => rows.filter((r) => !r.hidden).length);
  assert.ok(matrix > 0, "claims only Le Monde carries stay visible");
  const owners = await page.$$eval(".matrix tr.claim", (rows) => rows.filter((r) => !r.hidden).map((r) => JSON.parse(r.dataset.only)));
  assert.ok(owners.every((o) => o.includes("Le Monde")), JSON.stringify(owners.slice(0, 3)));
  const rows = await page.$$eval("section.pair tbody tr", (rows) => rows.filter((r) => !r.hidden).map((r) => r.dataset.owner));
  assert.ok(rows.length > 0 && rows.every((o) => o === "Le Monde"), JSON.stringify(rows.slice(0, 3)));
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test("readable at 320 px: no page-wide horizontal scroll", async () => {
  const { page } = await open(join(artifacts, "report-trio.html"), { width: 320, height: 640 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 330, `page is ${width} px wide at a 320 px viewport`);
  await page.screenshot({ path: join(artifacts, "report-320.png") });
  await page.close();
});

test("article text cannot inject markup or script", async () => {
  const dir = join(artifacts, "inject");
  mkdirSync(dir, { recursive: true });
  const evil = join(dir, "evil.txt");
  writeFileSync(
    evil,
    "Lavrov met Blinken in Geneva <script>document.title='pwned'</script> on Friday.\n\n" +
      "The talks <img src=x onerror=\"document.title='pwned2'\"> ended </style><b>bold</b> early.\n\n" +
      "Read the text at javascript:alert(1) and <a href=\"javascript:alert(2)\">here</a> now.\n",
  );
  const labelled = join(dir, "<img src=x onerror=alert(3)>.txt");
  copyFileSync(join(root, trio[0]), labelled);
  const file = join(dir, "report.html");
  storydiff(["compare", "--format", "html", "-o", file, evil, labelled]);
  const { page, problems } = await open(file);
  const title = await page.title();
  assert.ok(title.startsWith("storydiff:"), title);
  assert.ok(!title.includes("pwned"));
  const body = await page.evaluate(() => document.body.textContent);
  assert.ok(body.includes("<script>document.title='pwned'</script>"), "script shown as text");
  assert.ok(body.includes("<img src=x onerror=alert(3)>"), "label shown as text");
  assert.equal(await page.$$eval("script", (s) => s.length), 1, "only the report's own script");
  // The report's own links are to findings (a.fref) and evidence (a.ev) only.
  assert.equal(await page.$$eval("img, a:not(.fref):not(.ev), i", (e) => e.length), 0, "no element from article text");
  const hrefs = await page.$$eval("a", (e) => e.map((x) => x.getAttribute("href")));
  assert.ok(hrefs.every((h) => /^#[A-Za-z0-9_-]+$/.test(h)), JSON.stringify(hrefs.slice(0, 5)));
  assert.ok(!(await page.$$eval("b", (e) => e.some((x) => x.textContent === "bold"))));
  assert.deepEqual(problems.dialogs, []);
  assert.deepEqual(problems.requests, []);
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test("readable at 390 px: outlet labels stay with their column", async () => {
  const { page, problems } = await open(join(artifacts, "report-trio.html"), { width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 400, `page is ${width} px wide at a 390 px viewport`);
  // Stacked cells: each shows its outlet's label above its text, the base's on dropped
  // sentences and the other outlet's on added ones.
  const cells = await page.$$eval("section.pair", (secs) => secs.flatMap((sec) =>
    [...sec.querySelectorAll("tbody td")].filter((td) => getComputedStyle(td).display !== "none").map((td) => ({
      label: getComputedStyle(td, "::before").content,
      outlet: td.dataset.outlet,
      kind: td.parentElement.dataset.kind,
      side: td.cellIndex === 0 ? sec.dataset.base : sec.dataset.other,
      top: td.getBoundingClientRect().top,
      textTop: td.querySelector(".s")?.getBoundingClientRect().top,
    }))));
  assert.ok(cells.length > 50, `${cells.length} cells`);
  for (const c of cells) {
    assert.equal(c.label, JSON.stringify(c.side), JSON.stringify(c));
    assert.equal(c.outlet, c.side);
    assert.ok(c.textTop > c.top, "the label comes before the text");
  }
  assert.ok(cells.some((c) => c.kind === "added") && cells.some((c) => c.kind === "dropped"));
  await page.screenshot({ path: join(artifacts, "report-390.png") });
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test("the matrix header stays in view while its rows scroll", async () => {
  const { page } = await open(join(artifacts, "report-trio.html"), { width: 1000, height: 600 });
  const tops = await page.evaluate(() => {
    const box = document.querySelector(".matrix-scroll");
    const th = box.querySelector("thead th[data-outlet]");
    box.scrollTop = 400;
    const after = th.getBoundingClientRect().top - box.getBoundingClientRect().top;
    return { scrolled: box.scrollTop, after };
  });
  assert.ok(tops.scrolled > 100, `the matrix scrolls (${tops.scrolled})`);
  assert.ok(Math.abs(tops.after) <= 1, `header ${tops.after} px from the top of its box`);
  await page.close();
});

test("findings link to their sentences and sentences back to their findings", async () => {
  const json = JSON.parse(storydiff(["compare", "--format", "json", ...trio]).toString());
  const { page, problems } = await open(join(artifacts, "report-trio.html"), { width: 1280, height: 700 });
  // Every evidence line links to the sentence it lies in.
  const ev = await page.$$eval("li.finding", (lis) => lis.map((li) => ({
    id: li.id,
    links: [...li.querySelectorAll("a.ev")].map((a) => {
      const t = document.getElementById(a.getAttribute("href").slice(1));
      return t && t.classList.contains("s") ? t.dataset.s : null;
    }),
  })));
  assert.equal(ev.length, json.findings.length);
  json.findings.forEach((f, k) => {
    const want = f.evidence.slice(0, 6).map((e) => `${e.article}:${e.sentence}`);
    assert.deepEqual(ev[k].links, want, f.id);
    assert.equal(ev[k].id, `f-${f.id}`);
  });
  // Each sentence a finding rests on links back to that finding.
  const back = await page.$$eval("a.fref", (as) => as.map((a) => {
    const f = document.getElementById(a.getAttribute("href").slice(1));
    let s = a.previousElementSibling;
    while (s && !s.classList.contains("s")) { s = s.previousElementSibling; }
    if (!s) { return null; }
    return f && f.classList.contains("finding") && [...f.querySelectorAll("a.ev")].some((x) => {
      const t = document.getElementById(x.getAttribute("href").slice(1));
      return t && t.dataset.s === s.dataset.s;
    });
  }));
  assert.ok(back.length >= json.findings.length, `${back.length} back-links`);
  assert.ok(back.every((b) => b === true), JSON.stringify(back));
  // Following a link scrolls its sentence into view and marks it.
  const first = page.locator("li.finding a.ev").first();
  const target = (await first.getAttribute("href")).slice(1);
  await first.click();
  assert.equal(await page.evaluate(() => location.hash.slice(1)), target);
  const inView = await page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1; // subpixel layout
  }, target);
  assert.ok(inView, "the sentence is on screen");
  const backLink = page.locator(`#${target} + a.fref`).first();
  await backLink.click();
  assert.ok((await page.evaluate(() => location.hash)).startsWith("#f-"));
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test("print layout: no controls, nothing cut off by scroll boxes", async () => {
  const { page } = await open(join(artifacts, "report-trio.html"));
  await page.emulateMedia({ media: "print" });
  const style = await page.evaluate(() => ({
    controls: getComputedStyle(document.querySelector(".controls")).display,
    fref: getComputedStyle(document.querySelector("a.fref")).display,
    overflow: getComputedStyle(document.querySelector(".matrix-scroll")).overflowY,
    maxHeight: getComputedStyle(document.querySelector(".matrix-scroll")).maxHeight,
    rowBreak: getComputedStyle(document.querySelector(".sbs tr")).breakInside,
  }));
  assert.deepEqual(style, { controls: "none", fref: "none", overflow: "visible", maxHeight: "none", rowBreak: "avoid" });
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 10000, `${pdf.length} bytes of PDF`);
  await page.close();
});

test("annotations: every selector of a saved web page finds its text in the page as Chromium renders it", async () => {
  const pages = ["harbour-agency", "harbour-national", "harbour-wire"].map((p) => join("tests", "fixtures", "web", `${p}.html`));
  const doc = JSON.parse(storydiff(["compare", "--scorer", "lexical", "--format", "annotations", ...pages]).toString());
  assert.equal(doc["@context"], "http://www.w3.org/ns/anno.jsonld");
  const items = doc.first.items;
  assert.ok(items.length > 5, `only ${items.length} annotations`);
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  let checked = 0;
  for (const path of pages) {
    // The saved pages' own scripts may fail (they are copies of real sites); only the text
    // matters here.
    const { page } = await open(join(root, path));
    const rendered = norm(await page.evaluate(() => document.body.innerText));
    for (const a of items.filter((a) => a.target.source === path)) {
      const quote = a.target.selector.find((s) => s.type === "TextQuoteSelector");
      const position = a.target.selector.find((s) => s.type === "TextPositionSelector");
      assert.ok(quote && position, `${a.id}: selectors missing`);
      assert.equal(position.end - position.start, [...quote.exact].length, `${a.id}: position and quote disagree`);
      assert.ok(rendered.includes(norm(quote.exact)), `${a.id}: "${quote.exact}" not in the rendered ${path}`);
      checked += 1;
    }
    await page.close();
  }
  assert.equal(checked, items.length, "an annotation targets no input page");
});
