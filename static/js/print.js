// The receipt's "Print" button: kept out of the page so the Content-Security-Policy can forbid inline script.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
