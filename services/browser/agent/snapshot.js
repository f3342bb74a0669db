// Compact page view for the model, built in one pass over the DOM: one line per block of the
// page, its inline text and controls in reading order. Controls get a ref (data-sbref="eN") the
// actions use. A table row, a list item or a card (one of several like siblings, short) is one
// line, its cells joined by " · "; a row whose leading cells are empty continues the row above
// it (" — "). Headings are "#" lines; separators ("|", "•", "›"), spacer cells, nameless links,
// hidden subtrees, scripts and styles are left out. Long lines wrap at piece boundaries, the rest
// indented, so no line is longer than LINE_MAX.
() => {
  const INTERACTIVE = 'a[href],button,input:not([type=hidden]),select,textarea,summary,[role=button],[role=link],' +
    '[role=checkbox],[role=radio],[role=tab],[role=menuitem],[role=option],[role=switch],[contenteditable=""],[contenteditable=true]';
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'CANVAS', 'IFRAME', 'HEAD']);
  const ROW = 'tr,li,article,[role=row],[role=listitem],[role=article]';
  const NESTED = 'tr,li,table,ul,ol,article,[role=row],[role=listitem],[role=article]';
  const SEPARATOR = /^[|·•,.:;\-–—\[\]›»/]*$/;
  const LINE_MAX = 600;
  const CARD_MAX = 600;  // a card is short: a longer block of like siblings is a section, not a card
  const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
  document.querySelectorAll('[data-sbref]').forEach((el) => {
    el.removeAttribute('data-sbref'); el.removeAttribute('data-sbrole'); el.removeAttribute('data-sbname');
  });
  let count = 0;
  const lines = [];  // {parts, heading, row}
  let line = { parts: [], heading: 0, row: null };
  let text = '';
  let gap = '';

  // --- one line, piece by piece ---
  // Pieces are joined by a space; by " · " where a cell, block or separator parted two texts
  // (a control's "[eN]" parts it from its neighbours already); none before ")" "," or after "(".
  const put = (piece, isControl) => {
    const previous = line.parts[line.parts.length - 1];
    const tight = !gap && (/^[),.;:!?]/.test(piece) || (previous !== undefined && /\($/.test(previous)));
    const wide = gap && !isControl && !line.control;
    line.parts.push(previous === undefined || tight ? piece : (wide ? gap : ' ') + piece);
    line.control = isControl;
    gap = '';
  };
  const endText = () => {  // a separator standing alone in the text ("a | b") becomes a gap
    const segments = text.split(/(?:^|\s)[|•·›»](?=\s|$)/).map(squash);
    text = '';
    segments.forEach((t, i) => {
      if (i > 0 && line.parts.length) gap = ' · ';
      if (t && SEPARATOR.test(t)) gap = line.parts.length ? ' · ' : '';
      else if (t) put(t);
    });
  };
  const boundary = () => {  // between cells or blocks inside a row
    endText();
    const last = line.parts[line.parts.length - 1];
    if (last !== undefined) gap = /[.:]$/.test(last) ? ' ' : ' · ';
  };
  const flush = () => {
    endText();
    if (line.parts.length) lines.push(line);
    line = { parts: [], heading: 0, row: null };
    gap = '';
  };

  // --- controls ---
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
  const labelledBy = (el) => (el.getAttribute('aria-labelledby') || '').split(/\s+/)
    .map((id) => id && document.getElementById(id)).filter(Boolean).map((e) => e.innerText).join(' ');
  const nameOf = (el) => {
    const field = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
    const icon = field ? null : el.querySelector('img[alt],[title],[aria-label]');
    return squash(el.getAttribute('aria-label') || labelledBy(el) || (field ? '' : el.innerText) ||
      (el.labels && el.labels[0] && el.labels[0].innerText) || el.getAttribute('placeholder') || el.title ||
      (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type) ? el.value : '') || el.getAttribute('alt') ||
      (icon && (icon.getAttribute('alt') || icon.getAttribute('aria-label') || icon.title)) || '').slice(0, 120);
  };
  const describe = (el, ref, role, name) => {
    let out = `[${ref}] ${role}` + (name ? ` "${name}"` : '');
    if (el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(el.type)) out += el.checked ? ' [checked]' : '';
    else if (el.tagName === 'INPUT' && el.type === 'password') out += el.value ? ' [filled]' : '';  // never the value
    else if (['INPUT', 'TEXTAREA'].includes(el.tagName) && el.value) out += `: ${squash(el.value).slice(0, 80)}`;
    if (el.tagName === 'SELECT') out += ': ' + Array.from(el.options).map((o) => (o.selected ? `*${squash(o.text)}` : squash(o.text))).join(' | ').slice(0, 300);
    if (el.disabled) out += ' [disabled]';
    return out;
  };
  // Text a page made clickable by script alone (a pointer cursor of its own, not inherited),
  // short and with nothing interactive inside: a link or button to the user, so one to the model.
  const clickable = (el) => {
    const cursor = getComputedStyle(el).cursor;
    if (cursor !== 'pointer' || (el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer')) return null;
    const t = squash(el.innerText);
    if (!t || t.length > 80 || el.querySelector(INTERACTIVE)) return null;
    return getComputedStyle(el).display === 'inline' ? 'link' : 'button';
  };
  const control = (el, role) => {  // role: given for text made clickable by script, else from the element
    const name = role ? squash(el.innerText).slice(0, 120) : nameOf(el);
    role = role || roleOf(el);
    if (role === 'link' && !name) return;  // a nameless link (a logo, a spacer) tells the model nothing
    endText();
    const ref = `e${++count}`;
    el.setAttribute('data-sbref', ref);
    el.setAttribute('data-sbrole', role);  // what a recipe names its targets by (services/browser/replay.py)
    el.setAttribute('data-sbname', name);
    put(describe(el, ref, role, name), true);
  };
  // A label that names its visible control: the control's piece carries the text, said once.
  const namesControl = (el) => el.tagName === 'LABEL' && el.control && el.control.labels[0] === el &&
    !el.control.getAttribute('aria-label') && el.control.matches(INTERACTIVE) &&
    (!el.control.checkVisibility || el.control.checkVisibility());

  // --- rows ---
  const likeSiblings = new Map();  // parent -> count of children per tag+class
  const card = (el) => {
    if (!el.parentElement || typeof el.className !== 'string' || !el.className.trim()) return false;
    let counts = likeSiblings.get(el.parentElement);
    if (!counts) {
      counts = new Map();
      for (const c of el.parentElement.children) { const k = c.tagName + '.' + c.className; counts.set(k, (counts.get(k) || 0) + 1); }
      likeSiblings.set(el.parentElement, counts);
    }
    return counts.get(el.tagName + '.' + el.className) >= 3 && el.querySelector(INTERACTIVE) !== null &&
      el.innerText.length <= CARD_MAX;
  };
  const isRow = (el) => (el.matches(ROW) || card(el)) && !el.querySelector(NESTED);
  const empty = (el) => !squash(el.innerText) && !el.querySelector(INTERACTIVE);
  // A table row whose leading cells are empty, right below a row just printed, continues that
  // row: the second half of a two-row record (a spacer row in between ends the record).
  const continues = (el) => {
    const last = lines[lines.length - 1];
    return el.tagName === 'TR' && el.cells.length > 1 && empty(el.cells[0]) && last !== undefined &&
      last.row === el.previousElementSibling;
  };
  const row = (el) => {
    flush();
    for (const child of el.childNodes) walk(child, true, false);
    endText();
    const last = lines[lines.length - 1];
    if (line.parts.length && continues(el)) last.parts.push(' — ', ...line.parts);
    else if (line.parts.length) { line.row = el; lines.push(line); }
    line = { parts: [], heading: 0, row: null };
    gap = '';
  };

  // --- the walk: `inRow` keeps blocks on the current line; `quiet` drops text (a label said elsewhere) ---
  const walk = (node, inRow, quiet) => {
    if (node.nodeType === Node.TEXT_NODE) { if (!quiet) text += node.textContent; return; }
    if (node.nodeType !== Node.ELEMENT_NODE || SKIP.has(node.tagName.toUpperCase())) return;
    const el = node;
    if (el.checkVisibility && !el.checkVisibility()) return;
    if (el.matches(INTERACTIVE)) { control(el, null); return; }
    const script = clickable(el);
    if (script) { control(el, script); return; }
    if (el.tagName === 'BR') { if (inRow) boundary(); else flush(); return; }
    if (!inRow && isRow(el)) { row(el); return; }
    const heading = /^H([1-6])$/.exec(el.tagName);
    const block = heading || getComputedStyle(el).display !== 'inline';
    if (block) { if (inRow) boundary(); else flush(); }
    if (heading && !line.parts.length && !squash(text)) line.heading = +heading[1];
    const hush = quiet || namesControl(el);
    for (const child of el.childNodes) walk(child, inRow || !!heading, hush);
    if (block) { if (inRow) boundary(); else flush(); }
  };

  // --- output: long lines wrap at piece boundaries ---
  const chunks = (piece) => {  // a piece longer than a line, cut at spaces
    const out = [];
    let rest = piece;
    while (rest.length > LINE_MAX) {
      const cut = rest.lastIndexOf(' ', LINE_MAX) > LINE_MAX / 2 ? rest.lastIndexOf(' ', LINE_MAX) : LINE_MAX;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    return out.concat(rest);
  };
  const render = (l) => {
    const out = [];
    let current = l.heading ? '#'.repeat(l.heading) + ' ' : '';
    for (const piece of l.parts.flatMap(chunks)) {
      if (current.trim() && current.length + piece.length > LINE_MAX) { out.push(current); current = '  '; }
      current += current === '  ' ? piece.trimStart() : piece;
    }
    out.push(current);
    return out.join('\n');
  };
  if (document.body) walk(document.body, false, false);
  flush();
  const out = [];
  for (const l of lines.map(render)) if (l !== out[out.length - 1]) out.push(l);  // a repeat says nothing new
  return out.join('\n');
}
