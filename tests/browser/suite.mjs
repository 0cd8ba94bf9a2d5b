// The browser suite: the built site in Debian's Chromium, driven by
// playwright-core. For every page kind it runs axe-core (light and dark, wide
// and narrow), checks that nothing scrolls sideways at 375 px, and saves
// screenshots at 375 px, 1280 px and in print under target/screenshots/. It
// runs the Nu Html Checker over every page, follows a claim to its highlight
// and back with JavaScript on and off, and checks the previews, the claims
// filter, the Content-Security-Policy and pages opened from disk.
//
// Usage: node suite.mjs [SITE...] — each SITE is a built site (default: the
// repository's public/). The first site's screenshots go to
// target/screenshots/, the others' to target/screenshots/<folder name>/.
// CHROMIUM names the browser (default /usr/bin/chromium).

import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { basename, dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { validateXML } from "xmllint-wasm";
import jsonld from "jsonld";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const sites = (process.argv.length > 2 ? process.argv.slice(2) : [join(repo, "public")]).map((s) => resolve(s));
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const vnuJar = join(dirname(require.resolve("vnu-jar")), "build", "dist", "vnu.jar");
// sitemaps.org's schema, as the sitemap package ships it.
const sitemapXsd = join(dirname(require.resolve("sitemap/package.json")), "schema", "sitemap.xsd");

const failures = [];
let checks = 0;
let addressesPrinted = 0;
let axeRuns = 0;
let axeRules = 0;

function check(ok, what) {
  checks += 1;
  if (!ok) {
    failures.push(what);
    console.log(`  FAIL ${what}`);
  }
  return ok;
}

function section(title) {
  console.log(`== ${title}`);
}

function countPages(dir) {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) n += countPages(path);
    else if (name.endsWith(".html")) n += 1;
  }
  return n;
}

// ---- The browser ---------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
});

// A page with its console errors (a blocked script or style shows there).
async function open(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}

async function axe(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  }));
  for (const v of result.violations) {
    console.log(`  axe ${label}: ${v.id} (${v.impact}): ${v.help}`);
    for (const node of v.nodes.slice(0, 3)) console.log(`      ${node.target.join(" ")}: ${node.failureSummary.split("\n").slice(1, 2).join(" ").trim()}`);
  }
  check(result.passes.length > 10, `axe ran too few rules on ${label}: ${result.passes.length} passed`);
  check(result.violations.length === 0, `axe: ${result.violations.length} violations on ${label}`);
  axeRuns += 1;
  axeRules += result.passes.length + result.violations.length;
}

const light = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, colorScheme: "light", deviceScaleFactor: 2, isMobile: true, hasTouch: true });
const noScript = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
const noScriptPhone = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false, isMobile: true });

for (const [i, site] of sites.entries()) {
  const shots = i === 0 ? join(repo, "target", "screenshots") : join(repo, "target", "screenshots", basename(site));
  console.log(`\n# ${site}`);
  await suite(site, shots);
}

async function suite(site, shots) {
  mkdirSync(shots, { recursive: true });
  // ---- The site: which pages exist, and a server for them -----------------

  if (!existsSync(join(site, "index.html"))) {
    console.error(`no site at ${site}: build it first (cargo run --release -- build)`);
    process.exit(2);
  }

  function first(dir) {
    const names = existsSync(join(site, dir)) ? readdirSync(join(site, dir)).filter((n) => n.endsWith(".html") && n !== "index.html").sort() : [];
    return names.length ? `${dir}/${names[0]}` : null;
  }

  // A claim reported by more than one source is the best example of a claim page.
  function exampleClaim() {
    const names = readdirSync(join(site, "claims")).filter((n) => n.endsWith(".html") && n !== "index.html").sort();
    const shared = names.find((n) => (readFileSync(join(site, "claims", n), "utf8").match(/class="?to-highlight/g) || []).length > 1);
    return `claims/${shared || names[0]}`;
  }

  const kinds = [
    ["index", "index.html"],
    ["article", first("articles")],
    ["articles", "articles/index.html"],
    ["claims", "claims/index.html"],
    ["claim", exampleClaim()],
    ["glossary", "actors/index.html"],
    ["actor", first("actors")],
    ["term", first("terms")],
    ["timeline", "timeline/index.html"],
    ["coverage", "coverage/index.html"],
    ["not-found", "404.html"],
  ].filter(([, path]) => path && existsSync(join(site, path)));

  const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml", ".json": "application/json", ".jsonld": "application/ld+json", ".png": "image/png", ".svg": "image/svg+xml" };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = resolve(site, "." + path);
    if (!file.startsWith(site + sep) && file !== site) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": types[".html"] });
      createReadStream(join(site, "404.html")).pipe(res);
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}/`;

  // ---- The Nu Html Checker over every page ---------------------------------

  section("Nu Html Checker over every page");
  {
    const run = spawnSync("java", ["-jar", vnuJar, "--errors-only", "--skip-non-html", "--format", "json", site], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (run.error) {
      check(false, `the Nu Html Checker did not run: ${run.error.message}`);
    } else {
      let messages = [];
      try {
        messages = JSON.parse(run.stderr || run.stdout || "{}").messages || [];
      } catch (err) {
        check(false, `the Nu Html Checker's output is not JSON: ${(run.stderr || "").slice(0, 500)}`);
      }
      const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
      for (const m of errors.slice(0, 20)) {
        console.log(`  ${m.url.replace(pathToFileURL(site).href, "")}:${m.lastLine}:${m.firstColumn}: ${m.message}`);
      }
      const pages = countPages(site);
      check(errors.length === 0, `Nu Html Checker: ${errors.length} errors in ${pages} pages`);
      console.log(`  ${pages} pages checked, ${errors.length} errors`);
    }
  }


  // ---- JSON-LD of the pages, through a JSON-LD processor ---------------------

  section("schema.org JSON-LD expanded with jsonld.js");
  {
    // Offline, schema.org's context is its vocabulary: every term is a
    // schema.org IRI. Expansion fails on JSON-LD that is not well formed.
    const documentLoader = async (url) => {
      if (url.replace(/\/$/, "") === "https://schema.org") {
        return { contextUrl: null, documentUrl: url, document: { "@context": { "@vocab": "https://schema.org/" } } };
      }
      throw new Error(`no network: ${url}`);
    };
    const expected = { articles: ["https://schema.org/NewsArticle"], claims: ["https://schema.org/Claim", "https://schema.org/ClaimReview"] };
    let blocks = 0;
    for (const dir of ["articles", "claims"]) {
      for (const name of readdirSync(join(site, dir)).filter((n) => n.endsWith(".html") && n !== "index.html")) {
        const html = readFileSync(join(site, dir, name), "utf8");
        const found = [...html.matchAll(/<script type="?application\/ld\+json"?>(.*?)<\/script>/gs)];
        check(found.length === 1, `${dir}/${name}: ${found.length} JSON-LD blocks`);
        for (const [, text] of found) {
          try {
            const expanded = await jsonld.expand(JSON.parse(text), { documentLoader });
            const type = expanded[0]["@type"][0];
            check(expected[dir].includes(type), `${dir}/${name}: JSON-LD type ${type}`);
            if (type === "https://schema.org/ClaimReview") {
              const item = expanded[0]["https://schema.org/itemReviewed"][0];
              check(item["@type"][0] === "https://schema.org/Claim", `${dir}/${name}: the review is not of a Claim`);
            }
            blocks += 1;
          } catch (err) {
            check(false, `${dir}/${name}: JSON-LD does not expand: ${err.message}`);
          }
        }
      }
    }
    console.log(`  ${blocks} blocks expanded`);
  }

  // ---- The sitemap against the sitemaps.org schema --------------------------

  section("sitemap.xml against the sitemaps.org XSD");
  {
    const sitemap = join(site, "sitemap.xml");
    check(existsSync(sitemap), "no sitemap.xml (the briefing has a base_url)");
    if (existsSync(sitemap)) {
      const schema = { fileName: "sitemap.xsd", contents: readFileSync(sitemapXsd, "utf8") };
      const contents = readFileSync(sitemap, "utf8");
      const result = await validateXML({ xml: [{ fileName: "sitemap.xml", contents }], schema: [schema] });
      for (const e of result.errors.slice(0, 10)) console.log(`  ${e.rawMessage}`);
      check(result.valid, `sitemap.xml is not valid: ${result.errors.length} errors`);
      // The validator is real: a sitemap whose URL has no <loc> is refused.
      const broken = contents.replace(/<loc>[^<]*<\/loc>/, "");
      const refused = await validateXML({ xml: [{ fileName: "broken.xml", contents: broken }], schema: [schema] });
      check(!refused.valid, "the XSD accepted a sitemap with a URL without <loc>");
      console.log(`  ${(contents.match(/<url>/g) || []).length} URLs, valid: ${result.valid}`);
    }
  }

  for (const [kind, path] of kinds) {
    section(`${kind}: ${path}`);
    {
      const { page, problems } = await open(light, base + path);
      check(problems.length === 0, `${path}: console errors at 1280 px: ${problems.join("; ")}`);
      check(await page.evaluate(() => document.documentElement.classList.contains("js")), `${path}: the script did not run`);
      await axe(page, `${path} (light, 1280 px)`);
      await page.screenshot({ path: join(shots, `${kind}-1280.png`), fullPage: true });
      await page.emulateMedia({ media: "print" });
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: join(shots, `${kind}-print.png`), fullPage: true });
      if (kind === "article" || kind === "claim") await page.pdf({ path: join(shots, `${kind}-print.pdf`), format: "A4", printBackground: true });
      await page.close();
    }
    {
      const { page } = await open(dark, base + path);
      await axe(page, `${path} (dark, 1280 px)`);
      if (kind === "article" || kind === "claim" || kind === "index") await page.screenshot({ path: join(shots, `${kind}-1280-dark.png`), fullPage: true });
      await page.close();
    }
    {
      const { page, problems } = await open(phone, base + path);
      check(problems.length === 0, `${path}: console errors at 375 px: ${problems.join("; ")}`);
      const overflow = await page.evaluate(() => {
        const widest = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
        const culprits = [];
        if (widest > window.innerWidth) {
          for (const el of document.querySelectorAll("body *")) {
            const r = el.getBoundingClientRect();
            if (r.right > window.innerWidth + 1 && !el.closest(".table-scroll")) culprits.push(`${el.tagName.toLowerCase()}.${el.className}`);
            if (culprits.length > 4) break;
          }
        }
        return { widest, width: window.innerWidth, culprits };
      });
      check(overflow.widest <= overflow.width, `${path}: scrolls sideways at 375 px (${overflow.widest} px wide: ${overflow.culprits.join(", ")})`);
      await axe(page, `${path} (light, 375 px)`);
      await page.screenshot({ path: join(shots, `${kind}-375.png`), fullPage: true });
      await page.close();
    }
  }

  // ---- From a claim to its highlight and back ------------------------------

  const claimPath = kinds.find(([k]) => k === "claim")[1];
  const claimFile = claimPath.split("/").pop();
  for (const [label, context] of [["JavaScript on, 1280 px", light], ["JavaScript on, 375 px", phone], ["JavaScript off, 1280 px", noScript], ["JavaScript off, 375 px", noScriptPhone]]) {
    section(`click-through, ${label}`);
    const { page } = await open(context, base + claimPath);
    const links = page.locator("a.to-highlight");
    const count = await links.count();
    check(count > 0, `${claimPath}: no link to a highlight`);
    for (let i = 0; i < count; i += 1) {
      await page.goto(base + claimPath);
      const href = await links.nth(i).getAttribute("href");
      const anchor = href.split("#")[1];
      await links.nth(i).click();
      await page.waitForURL((url) => url.hash === `#${anchor}`);
      const state = await page.evaluate((id) => {
        const el = document.getElementById(id);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        const pieces = [...document.querySelectorAll(`[data-quote="${id}"]`)];
        return {
          target: el.matches(":target"),
          visible: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0,
          pieces: pieces.length,
          marked: pieces.filter((p) => p.classList.contains("is-target")).length,
          outline: getComputedStyle(el).outlineStyle,
        };
      }, anchor);
      if (!check(state !== null, `${href}: no element #${anchor}`)) continue;
      check(state.target, `${href}: #${anchor} is not :target`);
      check(state.visible, `${href}: #${anchor} is not scrolled into view`);
      check(state.outline !== "none", `${href}: #${anchor} is not marked`);
      if (context === light || context === phone) check(state.marked === state.pieces, `${href}: ${state.marked} of ${state.pieces} pieces of the highlight are marked`);
      const back = page.locator(`[data-note-for="${anchor}"] a`).first();
      check((await back.count()) === 1, `${href}: no note links back to the claim`);
      await back.click();
      await page.waitForURL((url) => url.pathname.endsWith(`/${claimFile}`));
      check(page.url().endsWith(claimPath), `${href}: the note leads to ${page.url()}, not ${claimPath}`);
    }
    console.log(`  ${count} quotes followed there and back`);
    await page.close();
  }

  // ---- Previews ------------------------------------------------------------

  section("previews on hover and keyboard focus");
  {
    const articlePath = kinds.find(([k]) => k === "article")[1];
    const { page } = await open(light, base + articlePath);
    const mention = page.locator("a.mention").first();
    const name = await page.evaluate(() => {
      const key = document.querySelector("a.mention").dataset.preview;
      return document.getElementById("previews").content.querySelector(`[data-preview-card="${key}"] .preview-title`).textContent;
    });
    await mention.hover();
    const tip = page.locator("#preview");
    await tip.waitFor({ state: "visible" });
    check((await tip.textContent()).includes(name), `hovering a mention previews "${name}"`);
    await page.screenshot({ path: join(shots, "preview-mention-1280.png") });
    check((await mention.getAttribute("aria-describedby")) === "preview", "a previewed mention is described by its preview");
    await page.keyboard.press("Escape");
    check(await tip.isHidden(), "Escape hides the preview");
    await page.mouse.move(0, 0);
    const mark = page.locator("mark[id^='q-']").first();
    await mark.focus();
    await tip.waitFor({ state: "visible" });
    const markText = await tip.textContent();
    await page.screenshot({ path: join(shots, "preview-claim-1280.png") });
    const claimTitle = await page.evaluate(() => {
      const key = document.activeElement.dataset.preview;
      return document.getElementById("previews").content.querySelector(`[data-preview-card="${key}"] .preview-title`).textContent;
    });
    check(markText.includes(claimTitle) && (await tip.locator(".status-label").count()) === 1, `focusing a highlight previews its claim and status (${markText})`);
    const claimHref = await page.evaluate(() => {
      const key = document.activeElement.dataset.preview;
      return document.getElementById("previews").content.querySelector(`[data-preview-card="${key}"]`).dataset.href;
    });
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname.endsWith(claimHref.replace("../", "/")));
    check(true, "Enter on a highlight opens its claim");
    await page.close();
  }

  // ---- The claims filter ---------------------------------------------------

  section("claims filter");
  {
    const { page } = await open(light, base + "claims/index.html");
    const form = page.locator("#claim-filter");
    check(await form.isVisible(), "the filter is shown with JavaScript on");
    const total = await page.locator(".claim-card").count();
    const options = await page.locator("#filter-status option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    for (const [value, text] of options.filter(([v]) => v)) {
      await page.selectOption("#filter-status", value);
      const shown = await page.locator(".claim-card:visible").count();
      const wrong = await page.locator(`.claim-card:visible:not([data-status="${value}"])`).count();
      const expected = Number(/\((\d+)\)/.exec(text)[1]);
      check(shown === expected && wrong === 0, `status ${value}: ${shown} shown (${wrong} of another status), expected ${expected}`);
      check(page.url().includes(`status=${value}`), `status ${value}: the address keeps the choice`);
    }
    await page.selectOption("#filter-status", "");
    const entry = await page.locator("#filter-entry option").nth(1).getAttribute("value");
    const source = await page.locator("#filter-article option").nth(1).getAttribute("value");
    await page.selectOption("#filter-entry", entry);
    await page.selectOption("#filter-article", source);
    const both = await page.locator(".claim-card:visible").evaluateAll((cards, [e, s]) => cards.map((c) => c.dataset.entries.split(" ").includes(e) && c.dataset.articles.split(" ").includes(s)), [entry, source]);
    check(both.length > 0 && both.every(Boolean), `entry ${entry} and source ${source}: ${both.length} shown, each naming both`);
    const hiddenGroups = await page.locator("section.topic:visible").evaluateAll((groups) => groups.filter((g) => !g.querySelector(".claim-card:not([hidden])")).length);
    check(hiddenGroups === 0, "topics without a matching claim are hidden");
    await page.reload();
    check((await page.inputValue("#filter-entry")) === entry, "a reload keeps the choices in the address");
    await page.click("#claim-filter button[type=reset]");
    await page.waitForFunction((n) => document.querySelectorAll(".claim-card:not([hidden])").length === n, total);
    check(/all/i.test(await page.locator(".filter-status").textContent()), "Show all shows every claim");
    await page.close();

    const plain = await open(noScript, base + "claims/index.html");
    check(!(await plain.page.locator("#claim-filter").isVisible()), "the filter is not shown with JavaScript off");
    check((await plain.page.locator(".claim-card:visible").count()) === total, "every claim is listed with JavaScript off");
    await plain.page.close();
  }

  // ---- Opened from disk, under the Content-Security-Policy ------------------

  section("opened from disk");
  {
    const articlePath = kinds.find(([k]) => k === "article")[1];
    const { page, problems } = await open(light, pathToFileURL(join(site, articlePath)).href);
    check(problems.length === 0, `file:// ${articlePath}: console errors: ${problems.join("; ")}`);
    check(await page.evaluate(() => document.documentElement.classList.contains("js")), "file://: the script runs");
    check(await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).borderTopStyle === "solid"), "file://: the stylesheet applies");
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || "");
    check(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), `the page forbids inline script: ${csp}`);
    const blocked = await page.evaluate(() => new Promise((ok) => {
      document.addEventListener("securitypolicyviolation", () => ok(true));
      const s = document.createElement("script");
      s.textContent = "window.__inline = true";
      document.body.appendChild(s);
      setTimeout(() => ok(window.__inline !== true), 500);
    }));
    check(blocked, "an inline script is refused");
    await page.close();
  }

  section("print");
  {
    const withAddress = readdirSync(join(site, "articles")).filter((n) => n !== "index.html" && readFileSync(join(site, "articles", n), "utf8").includes("source-url")).sort();
    const articlePath = withAddress.length ? `articles/${withAddress[0]}` : kinds.find(([k]) => k === "article")[1];
    const { page } = await open(light, base + articlePath);
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => {
      const url = document.querySelector("a.source-url");
      return {
        nav: getComputedStyle(document.querySelector(".site-header nav")).display,
        mark: getComputedStyle(document.querySelector("mark.hl")).textDecorationLine,
        background: getComputedStyle(document.querySelector("mark.hl")).backgroundColor,
        url: url ? getComputedStyle(url, "::after").content : null,
        label: getComputedStyle(document.querySelector(".margin-note .status-label")).display,
      };
    });
    check(printed.nav === "none", "print: no navigation");
    check(printed.mark.includes("underline") && /rgba\(0, 0, 0, 0\)|transparent/.test(printed.background), `print: highlights are underlines (${printed.mark}, ${printed.background})`);
    if (printed.url === null) {
      console.log(`  ${articlePath} names no address of its original`);
    } else {
      addressesPrinted += 1;
      check(printed.url.includes("http"), `print: a source's address follows its link (${printed.url})`);
    }
    check(printed.label !== "none", "print: status labels are printed");
    await page.close();
  }
  server.close();
}

await browser.close();
check(addressesPrinted > 0, "print: no site had a source address to print; give the suite a site that has one");

console.log(`\naxe ran ${axeRuns} times, ${Math.round(axeRules / Math.max(axeRuns, 1))} applicable rules a run on average`);
console.log(`${checks - failures.length} of ${checks} checks passed; screenshots in ${join(repo, "target", "screenshots")}`);
if (failures.length) {
  console.log(`${failures.length} failed:`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
