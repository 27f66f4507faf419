// Move focus to a form's error summary, on load and after htmx swaps one in, so it is read out first.
function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary]");
  if (summary) summary.focus();
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSwap", (event) => focusErrorSummary(event.detail.target));
