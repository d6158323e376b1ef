// "Print this register": a button, not an inline onclick (the CSP forbids inline script).
for (const button of document.querySelectorAll('[data-app-print]')) {
  button.addEventListener('click', () => window.print())
}
