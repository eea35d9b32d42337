// The focused element, once any scroll it caused has settled: which stop it is, whether
// its outline shows, whether anything covers it. Asynchronous: the last argument is the callback.
const done = arguments[arguments.length - 1];

function report() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement || !document.hasFocus()) {
    return {end: true};
  }
  const box = el.getClientRects()[0] || el.getBoundingClientRect();
  let covered = null;
  if (!inView(el)) {
    covered = 'it is outside the viewport';
  } else {
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    if (!(hit === el || el.contains(hit))) { covered = 'it is covered by ' + describe(hit); }
  }
  return {end: false, stop: el.__a11yStop === undefined ? null : el.__a11yStop, name: describe(el),
          outline: outlineProblem(el), covered: covered, inMain: Boolean(el.closest('main'))};
}

// Smooth scrolling moves the page over several frames, starting a frame or two after
// focus moves: wait until the element is in view and the page has stopped scrolling.
function inView(el) {
  const box = el.getBoundingClientRect();
  return box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
}
let last = null;
let frames = 0;
(function settle() {
  const now = scrollX + ',' + scrollY;
  const el = document.activeElement;
  const settled = now === last && (!el || el === document.body || inView(el));
  if (settled || frames > 60) { done(report()); return; }
  last = now;
  frames += 1;
  requestAnimationFrame(settle);
})();
