// The focused element: which stop it is, whether its outline shows, whether anything
// covers it. Smooth scrolling is off while tabbing (see instant_scroll.js), so where
// focus scrolled the page is final.
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement || !document.hasFocus()) {
  return {end: true};
}
const box = el.getClientRects()[0] || el.getBoundingClientRect();
const inView = box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
let covered = null;
if (!inView) {
  covered = 'it is outside the viewport';
} else {
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  if (!(hit === el || el.contains(hit))) { covered = 'it is covered by ' + describe(hit); }
}
return {end: false, stop: el.__a11yStop === undefined ? null : el.__a11yStop, name: describe(el),
        outline: outlineProblem(el), covered: covered, inMain: Boolean(el.closest('main'))};
