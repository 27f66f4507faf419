"""What the phone-width checks measure on an open page (shared by the crawl and the targeted browser tests)."""

from axe_playwright_python.base import AXE_SCRIPT

WIDTH = 360
# Boxes that carry an amount, a status or a label a person must read whole.
MUST_FIT = "td, th, .num, .total, .big-amount, .badge, .button, .figure-value, h1, h2"

COLLECT_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""

MEASURE = """([width, selector]) => {
  const describe = (el) =>
    `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${el.textContent.trim().slice(0, 30)}"`;
  const outside = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // hidden
    if (box.left < -0.5 || box.right > width + 0.5) outside.push(describe(el));
  }
  const wrapped = (el) => el.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(el).fontSize);
  const blobs = [...document.querySelectorAll(".badge")]
    .filter((el) => el.getClientRects().length > 1 || wrapped(el))
    .map(describe);
  return {scrollWidth: document.documentElement.scrollWidth, outside, blobs};
}"""

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}"""


def check_page(page) -> dict:
    """Overflow at the phone width, boxes outside the screen, wrapped badges, axe-core's serious or critical
    violations and the CSP violations seen since the page loaded (COLLECT_CSP_VIOLATIONS must be an init script)."""
    page.wait_for_load_state("load")
    found = page.evaluate(MEASURE, [WIDTH, MUST_FIT])
    page.evaluate(AXE_SCRIPT)
    found["axe"] = page.evaluate(RUN_AXE)
    found["csp"] = page.evaluate("window.__csp || []")
    return found
