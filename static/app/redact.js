// The redaction screen (templates/documents/detail.html).
//
// Text records: a selection in the record box becomes code-point offsets into the stored text,
// read from each span's data-start (the box holds exactly the stored text, one text node per
// span), and fills the form's hidden start/end and the selected words. PDFs and images: dragging on the page draws a
// box; its corners, as fractions of the displayed image, fill the hidden x0, y0, x1, y1 and
// the visible percentage fields (which also work the other way, for keyboard users).
// Existing boxes are placed from their data-x0..y1 through the CSSOM: the
// Content-Security-Policy forbids style attributes, not element.style.

const MIN_BOX = 0.004 // smaller than this (a click, not a drag) is not a box

// Without JavaScript the typed-text and coordinates fields are the only way in, so the page
// sends them open; here they fold away unless they hold an error to fix.
for (const details of document.querySelectorAll('details[data-app-collapse]')) {
  if (!details.querySelector('.govuk-form-group--error')) details.removeAttribute('open')
}

const quoted = (text) => {
  const flat = text.replace(/\s+/g, ' ')
  return `‘${flat.length > 200 ? flat.slice(0, 199) + '…' : flat}’`
}

// ---- text records ---------------------------------------------------------------------------

// Offsets sent to the server are code points of the stored text (Python string indices), the
// one unit used end to end. JavaScript strings and DOM offsets count UTF-16 units, which differ
// for every character outside the Basic Multilingual Plane (most emoji), so every offset read
// from or given to the DOM is converted here.
const codePoints = (string) => [...string].length
const unitsFor = (string, points) => { // UTF-16 length of the first `points` code points
  let units = 0
  let seen = 0
  for (const char of string) {
    if (seen++ === points) break
    units += char.length
  }
  return units
}

function setUpRecord (record, form) {
  const start = form.querySelector('input[name="start"]')
  const end = form.querySelector('input[name="end"]')
  const selected = form.querySelector('input[name="selected_text"]')
  const typed = form.querySelector('input[name="text_to_redact"]')
  const status = document.getElementById('selection-status')
  // Exactly the stored text (pseudo-element codes are not in it), one entry per code point.
  const chars = Array.from(record.textContent)
  const length = chars.length
  const slice = (from, to) => chars.slice(from, to).join('')

  // The offset in the stored text of a selection boundary (node, offset) inside the record.
  const offsetOf = (node, offset) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const span = node.parentElement.closest('[data-start]')
      return Number(span.dataset.start) + codePoints(node.data.slice(0, offset))
    }
    if (node === record) {
      const child = record.children[offset]
      return child ? Number(child.dataset.start) : length
    }
    const span = node.closest('[data-start]')
    const from = Number(span.dataset.start)
    return offset === 0 ? from : from + codePoints(span.textContent)
  }

  // A selection never cuts a letter from its accent or an emoji in half: it grows to whole
  // user-perceived characters (grapheme clusters), as the server would widen it anyway.
  const segmenter = window.Intl && Intl.Segmenter
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null
  let boundaries = null
  const whole = (from, to) => {
    if (!segmenter) return [from, to]
    if (!boundaries) {
      boundaries = new Set([0])
      let at = 0
      for (const { segment } of segmenter.segment(record.textContent)) {
        at += codePoints(segment)
        boundaries.add(at)
      }
    }
    while (from > 0 && !boundaries.has(from)) from--
    while (to < length && !boundaries.has(to)) to++
    return [from, to]
  }

  const show = (from, to) => {
    status.textContent = from < to
      ? `Selected: ${quoted(slice(from, to))}`
      : 'Nothing selected yet: select words in the record.'
  }

  const highlight = (from, to) => {
    if (!(window.Highlight && CSS.highlights)) return
    CSS.highlights.delete('app-pending')
    if (from >= to) return
    const range = document.createRange()
    const at = (offset) => {
      for (const span of record.children) {
        const s = Number(span.dataset.start)
        const node = span.firstChild
        if (!node) continue
        if (offset <= s + codePoints(node.data)) return [node, unitsFor(node.data, offset - s)]
      }
      return [record, record.children.length]
    }
    range.setStart(...at(from))
    range.setEnd(...at(to))
    CSS.highlights.set('app-pending', new Highlight(range))
  }

  const onSelection = () => {
    const selection = window.getSelection()
    if (!selection.rangeCount || selection.isCollapsed) return // keep the last selection
    const range = selection.getRangeAt(0)
    if (!range.intersectsNode(record)) return
    // A selection running out of the box is cut at its edges.
    let from = record.contains(range.startContainer)
      ? offsetOf(range.startContainer, range.startOffset) : 0
    let to = record.contains(range.endContainer)
      ? offsetOf(range.endContainer, range.endOffset) : length
    // Double-clicking a word often takes the space after it: redact the words, not the gaps.
    while (from < to && /\s/.test(chars[from])) from++
    while (to > from && /\s/.test(chars[to - 1])) to--
    if (from >= to) return
    ;[from, to] = whole(from, to)
    start.value = from
    end.value = to
    // The words themselves go too: the server refuses offsets that point at other words.
    selected.value = slice(from, to)
    if (typed) typed.value = ''
    show(from, to)
    highlight(from, to)
  }

  document.addEventListener('selectionchange', onSelection)

  // Keyboard selection (WCAG 2.1.1). A plain box has no caret, so Shift and the arrow keys
  // select nothing in it. Made editable, the browser gives it a caret and its own selection
  // keys (Shift+arrows, Ctrl+Shift+arrows for whole words, Shift+Home/End), and assistive
  // technology reads it as a read-only text box; every attempt to change the text is refused,
  // and the server checks the selected words against the stored text anyway.
  record.contentEditable = 'true'
  record.spellcheck = false
  record.setAttribute('role', 'textbox')
  record.setAttribute('aria-multiline', 'true')
  record.setAttribute('aria-readonly', 'true')
  record.setAttribute('aria-describedby', 'record-keys')
  for (const type of ['beforeinput', 'paste', 'drop', 'cut']) {
    record.addEventListener(type, (event) => event.preventDefault())
  }

  // Typing the words instead replaces the selection.
  typed?.addEventListener('input', () => {
    start.value = ''
    end.value = ''
    selected.value = ''
    show(0, 0)
    highlight(0, 0)
  })

  // A form shown again after an error keeps its selection: show it.
  if (start.value !== '' && end.value !== '') highlight(Number(start.value), Number(end.value))
}

// ---- pages of PDFs and images ---------------------------------------------------------------

const clamp = (v) => Math.min(1, Math.max(0, v))
const percent = (v) => Math.round(v * 1000) / 10

function place (box, x0, y0, x1, y1) {
  box.style.left = `${x0 * 100}%`
  box.style.top = `${y0 * 100}%`
  box.style.width = `${(x1 - x0) * 100}%`
  box.style.height = `${(y1 - y0) * 100}%`
}

function setUpPage (page, form) {
  for (const box of page.querySelectorAll('.app-box[data-x0]')) {
    const [x0, y0, x1, y1] = ['x0', 'y0', 'x1', 'y1'].map((k) => Number(box.dataset[k]))
    place(box, x0, y0, x1, y1)
    box.classList.add('app-box--placed')
  }
  if (!form) return

  const image = page.querySelector('.app-page__image')
  const status = document.getElementById('box-status')
  const hidden = Object.fromEntries(['x0', 'y0', 'x1', 'y1'].map(
    (k) => [k, form.querySelector(`input[name="${k}"]`)]))
  const typed = Object.fromEntries(['from_left', 'from_top', 'box_width', 'box_height'].map(
    (k) => [k, form.querySelector(`input[name="${k}"]`)]))
  const draft = document.createElement('div')
  draft.className = 'app-box app-box--draft'
  draft.setAttribute('aria-hidden', 'true')

  const show = (x0, y0, x1, y1) => {
    place(draft, x0, y0, x1, y1)
    if (!draft.isConnected) page.append(draft)
  }

  const describe = (x0, y0, x1, y1) => {
    status.textContent = `Box drawn: ${percent(x0)}% from the left, ${percent(y0)}% from the ` +
      `top, ${percent(x1 - x0)}% wide and ${percent(y1 - y0)}% high. Choose a reason, then ` +
      'select Redact.'
  }

  const fill = (x0, y0, x1, y1) => {
    const values = { x0, y0, x1, y1 }
    for (const k in hidden) hidden[k].value = values[k].toFixed(5)
    typed.from_left.value = percent(x0)
    typed.from_top.value = percent(y0)
    typed.box_width.value = percent(x1 - x0)
    typed.box_height.value = percent(y1 - y0)
    describe(x0, y0, x1, y1)
  }

  const pointAt = (event) => {
    const rect = image.getBoundingClientRect()
    return [clamp((event.clientX - rect.left) / rect.width),
      clamp((event.clientY - rect.top) / rect.height)]
  }

  let origin = null
  const corners = (event) => {
    const [x, y] = pointAt(event)
    return [Math.min(origin[0], x), Math.min(origin[1], y),
      Math.max(origin[0], x), Math.max(origin[1], y)]
  }

  page.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return
    event.preventDefault()
    page.setPointerCapture(event.pointerId)
    origin = pointAt(event)
    show(...origin, ...origin)
  })
  page.addEventListener('pointermove', (event) => {
    if (origin) show(...corners(event))
  })
  const finish = (event) => {
    if (!origin) return
    const [x0, y0, x1, y1] = corners(event)
    origin = null
    if (x1 - x0 < MIN_BOX || y1 - y0 < MIN_BOX) {
      // A click: keep any box drawn before.
      const kept = ['x0', 'y0', 'x1', 'y1'].map((k) => hidden[k].value)
      if (kept.every((v) => v !== '')) show(...kept.map(Number))
      else draft.remove()
      return
    }
    show(x0, y0, x1, y1)
    fill(x0, y0, x1, y1)
  }
  page.addEventListener('pointerup', finish)
  page.addEventListener('pointercancel', () => {
    origin = null
    draft.remove()
  })

  // Typed percentages draw the box too, and replace a drawn one.
  const fromTyped = () => {
    const [left, top, width, height] = Object.values(typed).map((input) =>
      input.value.trim() === '' ? NaN : Number(input.value) / 100)
    for (const k in hidden) hidden[k].value = ''
    if ([left, top, width, height].some(Number.isNaN) || width <= 0 || height <= 0) {
      draft.remove()
      return
    }
    const box = [clamp(left), clamp(top), clamp(left + width), clamp(top + height)]
    show(...box)
    for (const [k, v] of Object.entries({ x0: box[0], y0: box[1], x1: box[2], y1: box[3] })) {
      hidden[k].value = v.toFixed(5)
    }
    describe(...box)
  }
  for (const input of Object.values(typed)) input.addEventListener('input', fromTyped)

  // A form shown again after an error keeps its box: draw it.
  const kept = ['x0', 'y0', 'x1', 'y1'].map((k) => hidden[k].value)
  if (kept.every((v) => v !== '')) {
    show(...kept.map(Number))
    describe(...kept.map(Number))
  } else if (Object.values(typed).every((input) => input.value.trim() !== '')) {
    fromTyped()
  }
}

const record = document.querySelector('.app-record[data-selectable]')
const recordForm = document.querySelector('form[data-record-form]')
if (record && recordForm) setUpRecord(record, recordForm)

const page = document.querySelector('.app-page')
if (page) setUpPage(page, page.hasAttribute('data-drawable') ? document.querySelector('form[data-box-form]') : null)
