// Compact page view for the model, built in one pass over the DOM.
// Interactive elements get a ref (data-sbref="eN") the actions use; text and headings
// are kept as lines; hidden subtrees, scripts and styles are skipped.
() => {
  const INTERACTIVE = 'a[href],button,input:not([type=hidden]),select,textarea,summary,[role=button],[role=link],' +
    '[role=checkbox],[role=radio],[role=tab],[role=menuitem],[role=option],[role=switch],[contenteditable=""],[contenteditable=true]';
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'CANVAS', 'IFRAME', 'HEAD']);
  const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
  document.querySelectorAll('[data-sbref]').forEach((el) => {
    el.removeAttribute('data-sbref'); el.removeAttribute('data-sbrole'); el.removeAttribute('data-sbname');
  });
  let count = 0;
  const lines = [];
  let text = [];
  const PUNCTUATION = /^[|()·•,.:;\-–—\[\]]*$/;
  // A line's text nodes are joined as the page shows them: `"<b>fU</b>"` reads "fU", not " fU ".
  const flush = () => { const t = squash(text.join('')); if (!PUNCTUATION.test(t)) lines.push(t); text = []; };
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
  // A <label> tied to no control (no `for`, nothing inside) just before a field: its label, as the page shows it.
  // (It is printed as the field's name, not as a line of its own.)
  const FIELDS = ['INPUT', 'SELECT', 'TEXTAREA'];
  const loose = (label) => label && label.tagName === 'LABEL' && !label.htmlFor && !label.control;
  const looseLabel = (el) => (FIELDS.includes(el.tagName) && loose(el.previousElementSibling) ? el.previousElementSibling.innerText : '');
  const namesNext = (el) => loose(el) && el.nextElementSibling && FIELDS.includes(el.nextElementSibling.tagName) &&
    el.nextElementSibling.type !== 'hidden' && (!el.nextElementSibling.checkVisibility || el.nextElementSibling.checkVisibility());
  const describe = (el, ref) => {
    const role = roleOf(el);
    // A field is named by its label, never its contents (a <select>'s text is all its options).
    const name = squash(el.getAttribute('aria-label') || (['INPUT', 'SELECT'].includes(el.tagName) ? '' : el.innerText) ||
      (el.labels && el.labels[0] && el.labels[0].innerText) || looseLabel(el) || el.getAttribute('placeholder') || el.title ||
      (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type) ? el.value : '') || el.getAttribute('alt') || '').slice(0, 120);
    el.setAttribute('data-sbrole', role);  // what a recipe names its targets by (services/browser/replay.py)
    el.setAttribute('data-sbname', name);
    let line = `[${ref}] ${role}` + (name ? ` "${name}"` : '');
    if (el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(el.type)) line += el.checked ? ' [checked]' : '';
    else if (el.tagName === 'INPUT' && el.type === 'password') line += el.value ? ' [filled]' : '';  // never the value
    else if (['INPUT', 'TEXTAREA'].includes(el.tagName) && el.value) line += `: ${squash(el.value).slice(0, 80)}`;
    if (el.tagName === 'SELECT') line += ': ' + Array.from(el.options).map((o) => (o.selected ? `*${squash(o.text)}` : squash(o.text))).join(' | ').slice(0, 300);
    if (el.disabled) line += ' [disabled]';
    return line;
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
  const named = new Set();  // labels already printed as the name of the control inside them
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { if (!named.has(node.parentElement)) text.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE || SKIP.has(node.tagName.toUpperCase())) return;
    const el = node;
    if (el.tagName === 'BR') { text.push(' '); return; }
    if ((el.checkVisibility && !el.checkVisibility()) || namesNext(el)) return;
    const role = el.matches(INTERACTIVE) ? null : clickable(el);
    if (role || el.matches(INTERACTIVE)) {
      flush();
      const ref = `e${++count}`;
      el.setAttribute('data-sbref', ref);
      if (role) { el.setAttribute('data-sbrole', role); el.setAttribute('data-sbname', squash(el.innerText).slice(0, 120)); }
      lines.push(role ? `[${ref}] ${role} "${squash(el.innerText).slice(0, 120)}"` : describe(el, ref));
      if (el.labels && el.labels[0] && el.labels[0].contains(el) && !el.getAttribute('aria-label')) named.add(el.labels[0]);
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
