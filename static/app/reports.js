// Draw each report table's chart with Chart.js (loaded before this file, from npm).
//
// The figures come from the <script type="application/json"> element the <figure> names in
// data-chart (Django's json_script), never from inline script: the Content-Security-Policy
// allows scripts only from this site or with the page's nonce. The chart is decoration for
// sighted users; the table beside it holds the same numbers and is what assistive technology
// reads. Without JavaScript the figure stays hidden and the table is the whole report.

(function () {
  'use strict'
  if (typeof window.Chart === 'undefined') return

  // GOV.UK colours, chosen to stay distinct for the common colour-vision deficiencies.
  var COLOURS = ['#1d70b8', '#f47738', '#4c2c92', '#00703c']
  var ROW_HEIGHT = 34
  window.Chart.defaults.color = '#0b0c0c'
  window.Chart.defaults.font.size = 14

  document.querySelectorAll('figure[data-chart]').forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute('data-chart'))
    if (!source) return
    var data = JSON.parse(source.textContent)
    var canvas = figure.querySelector('canvas')
    // Horizontal bars: long labels (teams, types of request) stay readable at 320 px.
    var box = figure.querySelector('.app-chart__canvas')
    box.style.height = Math.max(140, data.labels.length * ROW_HEIGHT + 70) + 'px'
    figure.hidden = false
    new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderWidth: 0
          }
        })
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        animation: false,
        responsive: true,
        plugins: {
          legend: { display: data.series.length > 1, position: 'bottom' },
          tooltip: { enabled: true }
        },
        scales: {
          x: {
            stacked: data.stacked,
            beginAtZero: true,
            title: { display: true, text: data.unit },
            ticks: { precision: data.unit === 'days' ? undefined : 0 }
          },
          y: {
            stacked: data.stacked,
            ticks: {
              // Long labels are cut to fit the chart's width (about 9 px a character, at
              // most 40% of it); the table beside the chart has them whole.
              callback: function (value) {
                var label = this.getLabelForValue(value)
                var room = Math.max(8, Math.min(28, Math.floor(this.chart.width * 0.4 / 9)))
                return label.length > room ? label.slice(0, room - 1) + '…' : label
              }
            }
          }
        }
      }
    })
  })
})()
