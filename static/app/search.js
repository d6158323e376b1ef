// Enter in a search-as-you-type box searches where you are instead of posting the page.
//
// Without JavaScript, Enter presses the form's hidden first button (a search posted with the
// whole form, ADR 0022). With htmx the results already come as you type; posting the page
// as well would reload it and drop the keyboard's place (WCAG 2.4.3). So Enter asks htmx for
// the results now (its `search` trigger) and the focus stays in the box.
for (const box of document.querySelectorAll('input.app-search__input[hx-get]')) {
  box.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing) return
    event.preventDefault()
    box.dispatchEvent(new Event('search'))
  })
}
