/* The chart frame in the browser (layouts/frame.py): tabs without a server round trip, and the
   frame's width class, measured here and handed to the figure callbacks through the frame's
   `<prefix>-layout` store. Also the site's clientside callbacks (window.dash_clientside.nsps),
   referenced from Python with ClientsideFunction('nsps', name). */
(function () {
  'use strict';

  /* --- width classes: the same rule as dashboard/figure_layouts.layout_for_width --- */
  function widthClass(frame) {
    var limits = JSON.parse(frame.getAttribute('data-breakpoints') || '{}');
    var width = frame.getBoundingClientRect().width;
    if (frame.getAttribute('data-embedded') === 'true') {
      return width < limits.phone_max ? 'embed_phone' : 'embed';
    }
    if (width < limits.phone_max) { return 'phone'; }
    return width < limits.desktop_min ? 'tablet' : 'desktop';
  }

  function measure(frame) {
    var chosen = widthClass(frame);
    if (frame.getAttribute('data-width-class') === chosen) { return; }
    frame.setAttribute('data-width-class', chosen);
    var store = frame.getAttribute('data-layout-store');
    if (store && window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(store, {data: chosen});
    }
  }

  var observer = window.ResizeObserver ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { measure(entry.target); });
  }) : null;

  function watch(root) {
    (root.querySelectorAll ? root.querySelectorAll('.chart-frame') : []).forEach(function (frame) {
      if (frame.getAttribute('data-watched')) { return; }
      frame.setAttribute('data-watched', 'true');
      /* an address naming a panel (`#goal-panel-sources`, the embeds' "Sources" link) opens it */
      var wanted = window.location.hash.slice(1);
      if (wanted && frame.querySelector(':scope > #' + CSS.escape(wanted))) { openPanel(wanted, false); }
      if (observer) { observer.observe(frame); } else { measure(frame); }
    });
  }

  /* --- tabs: show one panel, mark its button, redraw plotly charts that were hidden --- */
  function openPanel(panelId, focus) {
    var panel = document.getElementById(panelId);
    if (!panel) { return; }
    var frame = panel.closest('.chart-frame');
    var key = panelId.split('-panel-').pop();
    if (key === 'map' || key === 'chart') { frame.setAttribute('data-active-view', key); }
    frame.querySelectorAll('[data-frame-tab]').forEach(function (button) {
      var chosen = button.getAttribute('data-frame-tab') === panelId;
      button.setAttribute('aria-selected', chosen ? 'true' : 'false');
      button.setAttribute('tabindex', chosen ? '0' : '-1');
      button.classList.toggle('active', chosen);
      if (chosen && focus) { button.focus(); }
    });
    frame.querySelectorAll(':scope > .chart-frame-panel').forEach(function (other) {
      other.hidden = other !== panel;
    });
    panel.querySelectorAll('.js-plotly-plot').forEach(function (plot) {
      if (window.Plotly && window.Plotly.Plots) { window.Plotly.Plots.resize(plot); }
    });
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest && event.target.closest('[data-frame-tab], [data-frame-open]');
    if (!target) { return; }
    var panelId = target.getAttribute('data-frame-tab') || target.getAttribute('data-frame-open');
    openPanel(panelId, target.hasAttribute('data-frame-open'));
  });

  /* Arrow keys move between tabs (WAI-ARIA tabs pattern). */
  document.addEventListener('keydown', function (event) {
    var tab = event.target.closest && event.target.closest('[role=tab][data-frame-tab]');
    if (!tab || (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft')) { return; }
    var tabs = Array.from(tab.parentElement.querySelectorAll('[role=tab]'));
    var next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    next.click();
    next.focus();
    event.preventDefault();
  });

  function start() {
    watch(document);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) { if (node.nodeType === 1) { watch(node); } });
      });
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }

  window.nspsFrame = {openPanel: openPanel, widthClass: widthClass};
})();
