/* The embed page (layouts/templates/embed.html): draws the figure of the frame's width class
   from the page's JSON block (one figure per class, chosen as dashboard/figure_layouts
   chooses) and re-chooses on resize or rotation. Dash pages do not load it (app.py's
   assets_ignore). */
(function () {
  'use strict';
  var block = document.getElementById('embed-figure');
  if (!block) { return; }
  var spec = JSON.parse(block.textContent);
  var frame = document.getElementById('embed-frame');
  var chart = document.getElementById('embed-chart');
  var limits = JSON.parse(frame.getAttribute('data-breakpoints'));
  var drawn = null;

  function widthClass() {
    var width = frame.clientWidth, height = frame.clientHeight;
    /* the same rule as dashboard/figure_layouts.layout_for_width */
    if (width >= limits.phone_max) { return 'embed'; }
    if (height < width) { return 'embed_phone_wide'; }
    return height >= limits.tall_min ? 'embed_phone_tall' : 'embed_phone';
  }

  function draw() {
    var chosen = widthClass();
    var figure = spec.figures[chosen] || spec.figures[spec.fallback];
    if (chosen === drawn) { window.Plotly.Plots.resize(chart); return; }
    drawn = chosen;
    frame.setAttribute('data-width-class', chosen);
    window.Plotly.react(chart, figure.data, figure.layout, spec.config).then(function () {
      chart.setAttribute('data-rendered', 'true');
    });
  }

  draw();
  var pending = null;
  window.addEventListener('resize', function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(draw, 100);
  });
})();
