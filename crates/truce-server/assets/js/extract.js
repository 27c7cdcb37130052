// The extraction page: a file chosen in the file input is read in the browser, as text, into the
// article's textarea (nothing is sent until the form is submitted); each candidate's "Drop" button
// removes it from the list on the page (nothing is saved either way: "Accept" opens the position
// form filled in, which saves only when submitted). Its words come from the status element's
// `data-read`, `data-unread` and `data-dropped`, in the reader's language.

(() => {
  const status = document.getElementById('extract-status');
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const file = document.getElementById('article-file');
  const article = document.getElementById('article');
  if (file && article) {
    file.addEventListener('change', async () => {
      const f = file.files && file.files[0];
      if (!f) return;
      try {
        article.value = await f.text();
        say((status.dataset.read || '').replace('{name}', f.name));
        article.focus();
      } catch (e) {
        say((status.dataset.unread || '').replace('{name}', f.name));
      }
    });
  }
  const list = document.getElementById('candidates');
  if (!list) return;
  list.addEventListener('click', (ev) => {
    const button = ev.target.closest('button.drop');
    if (!button) return;
    const item = button.closest('li');
    // Focus moves to the next candidate's Accept link (or the previous one's, or the list's heading),
    // so that a keyboard user stays in the list.
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    const left = list.querySelectorAll('li').length;
    say((status.dataset.dropped || '').replace('{left}', String(left)));
    const target = next ? next.querySelector('a.accept') : document.getElementById('candidates-title');
    if (target) target.focus();
  });
})();
