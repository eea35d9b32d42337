// The outermost elements that stick out past the right edge, making the page scroll sideways.
const width = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth <= width + 1) { return []; }
const scrolls = el => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
const offenders = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.right <= width + 1 || !rendered(el) || visuallyHidden(el)) { continue; }
  let clipped = false;
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (scrolls(a)) { clipped = true; break; }
  }
  if (!clipped && !offenders.some(o => o.contains(el))) { offenders.push(el); }
}
return offenders.map(el => describe(el) + ' reaches ' + Math.round(el.getBoundingClientRect().right) + ' px');
