// Enter in a search-as-you-type box searches where you are instead of posting the page.
//
// Without JavaScript, Enter presses the form's hidden first button (a search posted with the
// whole form, ADR 0022). With htmx the results already come as you type; posting the page
// as well would reload it and drop the keyboard's place (WCAG 2.4.3). So Enter asks htmx for
// the results now (its `search` trigger) and the focus stays in the box.
const boxes = document.querySelectorAll('input.app-search__input[hx-get]')
for (const box of boxes) {
  box.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing) return
    event.preventDefault()
    box.dispatchEvent(new Event('search'))
  })
}

// htmx loads after the page (deferred): what was typed before it listened would show no
// results until the next key. When it starts (its first `htmx:load`, on the body), a box whose
// text is not what the page came with is searched for at once.
document.addEventListener('htmx:load', function searchWhatWasTyped (event) {
  if (event.target !== document.body) return
  document.removeEventListener('htmx:load', searchWhatWasTyped)
  for (const box of boxes) {
    if (box.value !== box.defaultValue) box.dispatchEvent(new Event('search'))
  }
})
