// Switch smooth scrolling off (arguments[0] true) or back on (false). While tabbing, the
// page then jumps to each focused element at once, so its position can be read straight away.
const on = arguments[0];
if (on) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('html, * { scroll-behavior: auto !important; }');
  window.__a11yInstantScroll = sheet;
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
} else if (window.__a11yInstantScroll) {
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter(s => s !== window.__a11yInstantScroll);
  delete window.__a11yInstantScroll;
}
