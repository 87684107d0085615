// The admin's autocomplete fields (Select2) create a search box with no name, which a screen
// reader announces as a nameless text box. Each one is named after its field's label, also
// when Select2 creates it later (a reference row added, a field opened).
'use strict';
{
  function nameSearchBoxes() {
    for (const box of document.querySelectorAll('.select2-search__field:not([aria-label])')) {
      const select = box.closest('.select2')?.previousElementSibling;
      const label = select && select.id && document.querySelector(`label[for="${select.id}"]`);
      const name = label ? label.textContent.replace(/:\s*$/, '').trim() : '';
      box.setAttribute('aria-label', name ? `Search ${name.toLowerCase()}` : 'Search');
    }
  }
  new MutationObserver(nameSearchBoxes).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', nameSearchBoxes);
}
