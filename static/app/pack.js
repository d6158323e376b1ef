// Poll the pack's progress panel while a run is queued or generating, and swap it in place.
// When the run ends (ready or failed) reload the page so its buttons match the new state.
const panel = () => document.getElementById('pack-progress')

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
        current.replaceWith(next)
        if (!next.dataset.poll) {
          window.location.reload()
          return
        }
      }
    }
  } catch (error) {
    // A dropped connection: try again on the next tick.
  }
  setTimeout(poll, 1000)
}

if (panel()?.dataset.poll) setTimeout(poll, 1000)
