// WCAG 1.4.12: with the text-spacing overrides applied, report text that is cut off.
const sheet = new CSSStyleSheet();
sheet.replaceSync('* { line-height: 1.5 !important; letter-spacing: 0.12em !important; '
  + 'word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
const problems = [];
try {
  for (const el of document.body.querySelectorAll('*')) {
    if (['INPUT', 'TEXTAREA', 'SELECT', 'SCRIPT'].includes(el.tagName) || visuallyHidden(el) || !rendered(el)) { continue; }
    const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!hasText && !el.textContent.trim()) { continue; }
    const style = getComputedStyle(el);
    const clips = v => v === 'hidden' || v === 'clip';
    const cutX = clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const cutY = clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const ellipsis = style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1;
    if (cutX || cutY || ellipsis) {
      problems.push(describe(el) + ' cuts off its text (' + el.scrollWidth + '×' + el.scrollHeight
        + ' in ' + el.clientWidth + '×' + el.clientHeight + ')');
    }
  }
} finally {
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter(s => s !== sheet);
}
return problems;
