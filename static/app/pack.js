// Poll the pack's progress panel while a run is queued or generating, and swap it in place.
// When the run ends (ready or failed) reload the page so its buttons match the new state.
//
// The keyboard keeps its place (WCAG 2.4.3): a swap that takes away the element with the
// focus (the panel's "Refresh" link) gives it to the same link in the new panel, and the
// page reloaded when a run ends puts the focus on the pack's status, which says how it ended.
const panel = () => document.getElementById('pack-progress')
const RUN_ENDED = 'app-pack-run-ended'

async function poll () {
  const current = panel()
  const url = current?.dataset.poll
  if (!url) return
  try {
    const response = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
    if (response.ok) {
      const holder = document.createElement('div')
      holder.innerHTML = await response.text()
      const next = holder.querySelector('#pack-progress')
      if (next) {
        const hadFocus = current.contains(document.activeElement)
        current.replaceWith(next)
        if (!next.dataset.poll) {
          window.sessionStorage.setItem(RUN_ENDED, window.location.pathname)
          window.location.reload()
          return
        }
        if (hadFocus) (next.querySelector('a, button') || document.getElementById('pack-status'))?.focus()
      }
    }
  } catch (error) {
    // A dropped connection: try again on the next tick.
  }
  setTimeout(poll, 1000)
}

if (window.sessionStorage.getItem(RUN_ENDED) === window.location.pathname) {
  window.sessionStorage.removeItem(RUN_ENDED)
  document.getElementById('pack-status')?.focus()
}
if (panel()?.dataset.poll) setTimeout(poll, 1000)
