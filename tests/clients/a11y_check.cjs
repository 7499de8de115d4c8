// Checks pages against WCAG 2.1 level A and AA with axe-core, in Debian's Chromium driven
// by playwright-core (both from npm, installed by scripts/ensure-test-deps into
// $ESAM_KG_NODE_MODULES). Beyond axe's rules it checks two things axe cannot:
// reflow (WCAG 1.4.10: no horizontal scrolling of the page at 320 CSS pixels) and
// keyboard use (WCAG 2.1.1/2.4.7: Tab reaches every link and control, each shows a focus
// indicator).
//
//   node a11y_check.cjs 'URL|LOCALE' ...     (LOCALE: sv-SE or en-GB; sets Accept-Language)
//
// Prints a JSON report; exits 1 if any page has a violation, 2 if the check could not run.
const path = require("path");

const modules = process.env.ESAM_KG_NODE_MODULES;
if (!modules) {
  console.error("ESAM_KG_NODE_MODULES is not set (scripts/ensure-test-deps installs playwright-core and axe-core)");
  process.exit(2);
}
const { chromium } = require(path.join(modules, "playwright-core"));
const axeSource = path.join(modules, "axe-core", "axe.min.js");

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function axeViolations(page) {
  await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    WCAG_TAGS,
  );
  return {
    rules: result.passes.length + result.violations.length,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} :: ${n.failureSummary}`),
    })),
  };
}

// Tab through the page: every link, button and input must receive focus, and a focused
// element must look different from an unfocused one (outline or box shadow).
async function keyboardProblems(page) {
  const focusable = await page.evaluate(
    () =>
      document.querySelectorAll(
        "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])",
      ).length,
  );
  const reached = new Set();
  const invisible = [];
  for (let i = 0; i < Math.min(focusable + 5, 400); i++) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
      if (!el.dataset.a11yIndex) el.dataset.a11yIndex = String(Math.random());
      return { key: el.dataset.a11yIndex, tag: el.tagName, text: (el.textContent || el.name || "").trim().slice(0, 40), visible };
    });
    if (!info) continue;
    if (!info.visible) invisible.push(`${info.tag} "${info.text}"`);
    reached.add(info.key);
  }
  const problems = [];
  if (reached.size < Math.min(focusable, 400)) {
    problems.push(`Tab reached ${reached.size} of ${focusable} links and controls`);
  }
  if (invisible.length > 0) {
    problems.push(`no visible focus on ${invisible.length} elements, e.g. ${invisible.slice(0, 3).join(", ")}`);
  }
  return problems;
}

async function reflowProblem(browser, url, locale) {
  const context = await browser.newContext({ locale, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  await context.close();
  return scroll > client + 1 ? `at 320 px the page scrolls sideways (${scroll} > ${client})` : null;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--proxy-server=http://0.0.0.0:9",
      "--proxy-bypass-list=127.0.0.1",
    ],
  });
  const report = [];
  for (const spec of process.argv.slice(2)) {
    const [url, locale = "sv-SE"] = spec.split("|");
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const console_messages = [];
    page.on("console", (m) => console_messages.push(`${m.type()}: ${m.text()}`));
    const response = await page.goto(url, { waitUntil: "load" });
    const lang = await page.evaluate(() => document.documentElement.lang);
    const axe = await axeViolations(page);
    const keyboard = await keyboardProblems(page);
    await context.close();
    const reflow = await reflowProblem(browser, url, locale);
    report.push({
      url,
      locale,
      status: response ? response.status() : null,
      lang,
      rules_checked: axe.rules,
      violations: axe.violations,
      keyboard,
      reflow,
      console: console_messages,
    });
  }
  await browser.close();
  console.log(JSON.stringify(report, null, 1));
  const failed = report.some((r) => r.violations.length || r.keyboard.length || r.reflow);
  process.exit(failed ? 1 : 0);
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
