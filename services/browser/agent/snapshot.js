// Compact page view for the model, built in one pass over the DOM.
// Interactive elements get a ref (data-sbref="eN") the actions use; text and headings
// are kept as lines; hidden subtrees, scripts and styles are skipped.
// A row (table row, list item, article, schema.org item) without rows inside it is one
// line with its cells in order, so a story's title, score and comment count stay together;
// a table row whose first cell is empty continues the row above it (" — ").
() => {
  const INTERACTIVE = 'a[href],button,input:not([type=hidden]),select,textarea,summary,[role=button],[role=link],' +
    '[role=checkbox],[role=radio],[role=tab],[role=menuitem],[role=option],[role=switch],[contenteditable=""],[contenteditable=true]';
  const ROW = 'tr,li,article,[role=row],[role=listitem],[role=article],[itemscope]';
  const NOT_FLAT = 'tr,li,article,table,ul,ol,h1,h2,h3,h4,h5,h6,[role=row],[role=listitem],[role=article],[itemscope]';
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'CANVAS', 'IFRAME', 'HEAD']);
  const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
  document.querySelectorAll('[data-sbref]').forEach((el) => el.removeAttribute('data-sbref'));
  let count = 0;
  const lines = [];
  let text = [];
  let lastRow = null;  // the last row rendered and its line's index, for continuation rows
  const PUNCTUATION = /^[|()·•,.:;\-–—\[\]]*$/;
  const flush = () => { const t = squash(text.join(' ')); if (!PUNCTUATION.test(t)) lines.push(t); text = []; };
  const roleOf = (el) => {
    const role = el.getAttribute('role');
    if (role) return role;
    const tag = el.tagName;
    if (tag === 'A') return 'link';
    if (tag === 'SELECT') return 'combobox';
    if (tag === 'TEXTAREA') return 'textbox';
    if (tag === 'INPUT') {
      const type = (el.type || 'text').toLowerCase();
      if (['checkbox', 'radio'].includes(type)) return type;
      if (['submit', 'button', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'password') return 'password';
      return type === 'search' ? 'searchbox' : 'textbox';
    }
    return tag === 'SUMMARY' ? 'button' : tag.toLowerCase();
  };
  const labelOf = (el) => {
    if (el.labels && el.labels[0]) return el.labels[0].innerText;
    const by = el.getAttribute('aria-labelledby');
    const ref = by && document.getElementById(by.split(/\s+/)[0]);
    return ref ? ref.innerText : '';
  };
  const inner = (el) => { const t = el.querySelector('[title],img[alt]'); return t ? (t.getAttribute('alt') || t.title) : ''; };
  const nameOf = (el) => squash(el.getAttribute('aria-label') || (el.tagName === 'INPUT' ? '' : el.innerText) ||
    labelOf(el) || el.getAttribute('placeholder') || el.title ||
    (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type) ? el.value : '') || el.getAttribute('alt') ||
    inner(el) || '').slice(0, 120);
  const describe = (el, ref) => {
    const name = nameOf(el);
    let line = `[${ref}] ${roleOf(el)}` + (name ? ` "${name}"` : '');
    // A field's own label, when its name came from elsewhere (aria-label, placeholder).
    const label = squash(labelOf(el)).slice(0, 80);
    if (label && label !== name && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) line += ` (label "${label}")`;
    if (el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(el.type)) line += el.checked ? ' [checked]' : ' [unchecked]';
    else if (el.tagName === 'INPUT' && el.type === 'password') line += el.value ? ' [filled]' : '';  // never the value
    else if (roleOf(el) !== 'button' && ['INPUT', 'TEXTAREA'].includes(el.tagName) && el.value) line += `: ${squash(el.value).slice(0, 80)}`;
    if (el.tagName === 'SELECT') line += ': ' + Array.from(el.options).map((o) => (o.selected ? `*${squash(o.text)}` : squash(o.text))).join(' | ').slice(0, 300);
    if (el.disabled) line += ' [disabled]';
    return line;
  };
  const shown = (el) => !el.checkVisibility || el.checkVisibility();
  const skipped = (node) => node.nodeType !== Node.ELEMENT_NODE || SKIP.has(node.tagName.toUpperCase()) || !shown(node);
  const interactive = (el) => { const ref = `e${++count}`; el.setAttribute('data-sbref', ref); return describe(el, ref); };
  // One row as one line: its text and interactive elements in document order, blocks (cells) apart.
  const rowLine = (row) => {
    const parts = [];
    const visit = (node) => {
      if (node.nodeType === Node.TEXT_NODE) { parts.push(node.textContent); return; }
      if (skipped(node)) return;
      if (node.matches(INTERACTIVE)) { parts.push(' ' + interactive(node) + ' '); return; }
      const block = getComputedStyle(node).display !== 'inline';
      if (block) parts.push(' · ');
      for (const child of node.childNodes) visit(child);
      if (block) parts.push(' · ');
    };
    for (const child of row.childNodes) visit(child);
    return squash(parts.join('')).replace(/(\s*·\s*)+/g, ' · ').replace(/^\s*·\s*|\s*·\s*$/g, '');
  };
  const continues = (row) => {
    const first = row.tagName === 'TR' && row.cells.length > 1 ? row.cells[0] : null;
    return first !== null && !squash(first.innerText) && !first.querySelector(INTERACTIVE) && lastRow !== null &&
      lastRow.el === row.previousElementSibling && lastRow.index === lines.length - 1;
  };
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { text.push(node.textContent); return; }
    if (skipped(node)) return;
    const el = node;
    if (el.matches(INTERACTIVE)) { flush(); lines.push(interactive(el)); return; }
    if (el.matches(ROW) && !el.querySelector(NOT_FLAT)) {
      flush();
      const cont = continues(el);
      const line = rowLine(el);
      if (line && !PUNCTUATION.test(line)) {
        if (cont) lines[lines.length - 1] += ' — ' + line;
        else lines.push(line);
        lastRow = { el, index: lines.length - 1 };
      }
      return;
    }
    const heading = /^H([1-6])$/.exec(el.tagName);
    const block = heading || getComputedStyle(el).display !== 'inline';
    if (block) flush();
    if (heading) { const t = squash(el.innerText); if (t) lines.push('#'.repeat(+heading[1]) + ' ' + t); return; }
    for (const child of el.childNodes) walk(child);
    if (block) flush();
  };
  if (document.body) walk(document.body);
  flush();
  return lines.join('\n');
}
