// WCAG 2.5.8: targets at least 24 by 24 CSS px, unless inline in a sentence, or so spaced
// that a 24px circle centred on each small target touches no other target or circle.
const MIN = 24;
const targets = [...document.querySelectorAll(FOCUSABLE)]
  .filter(el => !el.disabled && el.type !== 'hidden' && rendered(el) && !visuallyHidden(el))
  .filter(el => !el.classList.contains('skip-link'));

function block(el) {
  let node = el.parentElement;
  while (node && getComputedStyle(node).display.startsWith('inline')) { node = node.parentElement; }
  return node;
}

function inSentence(el) {
  if (!getComputedStyle(el).display.startsWith('inline') || el.tagName === 'INPUT') { return false; }
  const own = el.textContent.trim().length;
  const around = (block(el) || el).textContent.trim().length;
  return around > own + 2;
}

const boxes = targets.map(el => ({el, r: el.getBoundingClientRect()}));
const small = boxes.filter(b => (b.r.width < MIN - 0.01 || b.r.height < MIN - 0.01) && !inSentence(b.el));
const centre = r => [r.left + r.width / 2, r.top + r.height / 2];

function circleTouchesRect([cx, cy], r) {
  const dx = cx - Math.max(r.left, Math.min(cx, r.right));
  const dy = cy - Math.max(r.top, Math.min(cy, r.bottom));
  return dx * dx + dy * dy < (MIN / 2) * (MIN / 2);
}

const problems = [];
for (const b of small) {
  const c = centre(b.r);
  const near = boxes.find(o => o.el !== b.el && !o.el.contains(b.el) && !b.el.contains(o.el)
    && circleTouchesRect(c, o.r))
    || small.find(o => o.el !== b.el && Math.hypot(centre(o.r)[0] - c[0], centre(o.r)[1] - c[1]) < MIN);
  if (near) {
    problems.push(describe(b.el) + ' is ' + Math.round(b.r.width) + '×' + Math.round(b.r.height)
      + ' px and too close to ' + describe(near.el));
  }
}
return problems;
