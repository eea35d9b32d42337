// Helpers shared by every check script; each script is appended to this one.
function describe(el) {
  if (!el || el.nodeType !== 1) { return String(el); }
  let text = el.tagName.toLowerCase();
  if (el.id) { text += '#' + el.id; } else if (el.classList.length) { text += '.' + [...el.classList].join('.'); }
  if (el.name) { text += '[name=' + el.name + ']'; }
  const label = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ');
  return label ? text + ' "' + label.slice(0, 50) + '"' : text;
}

// checkVisibility: the content of a closed <details> keeps its boxes but is not rendered.
function rendered(el) {
  const style = getComputedStyle(el);
  return el.getClientRects().length > 0 && el.checkVisibility() && style.visibility !== 'hidden'
    && !el.closest('[inert]');
}

// Hidden from sight but not from assistive technology: clipped to nothing, whatever the
// class (a badge's long date is hidden this way only on phones).
function visuallyHidden(el) {
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    if (getComputedStyle(node).clipPath === 'inset(50%)') { return true; }
  }
  return false;
}

function transparent(color) {
  return color === 'transparent' || /rgba\(.*,\s*0\)$/.test(color);
}

function outlineProblem(el) {
  // A visible focus indicator: an outline at least 2px wide in a colour that shows.
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth) || 0;
  if (style.outlineStyle === 'none' || width < 2 || transparent(style.outlineColor)) {
    return 'outline is "' + style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor + '"';
  }
  return null;
}

const FOCUSABLE = 'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]';

// The elements Tab should reach, in DOM order; each is marked with its index as
// el.__a11yStop. Of a radio group only the checked button (or the first) is a stop.
function tabStops() {
  const stops = [];
  const groups = new Set();
  for (const el of document.querySelectorAll(FOCUSABLE)) {
    if (el.disabled || el.type === 'hidden' || el.tabIndex < 0 || !rendered(el)) { continue; }
    if (el.type === 'radio' && el.name) {
      const key = (el.form ? el.form.id || [...document.forms].indexOf(el.form) : '') + '/' + el.name;
      if (groups.has(key)) { continue; }
      const group = [...(el.form || document).querySelectorAll('input[type=radio]')].filter(r => r.name === el.name);
      const chosen = group.find(r => r.checked) || el;
      if (chosen !== el && group.indexOf(chosen) < group.indexOf(el)) { continue; }
      groups.add(key);
      chosen.__a11yStop = stops.length;
      stops.push(chosen);
      continue;
    }
    el.__a11yStop = stops.length;
    stops.push(el);
  }
  return stops;
}
