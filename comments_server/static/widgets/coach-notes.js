// Coach-only blocks (facilitator notes): the build leaves an empty, hidden mount
// point where each was, and GET /api/modules/<id>/coach-notes answers them only
// to the program's coaches, the module's authors and admins. For anyone else
// (404, or any other error) nothing is drawn and the mount stays hidden: a
// learner sees no hint that notes exist.

import {h, replace, setServerHtml} from "../dom.js";

const requests = new Map(); // module id -> promise of its notes: one request per page, however many blocks

function notesOf(api, id) {
  if (!requests.has(id)) {
    const path = `api/modules/${id.split("/").map(encodeURIComponent).join("/")}/coach-notes`;
    requests.set(id, api.get(path).then((data) => data.notes, () => []));
  }
  return requests.get(id);
}

export async function mount(element, {api, id}) {
  const mountPoint = element.closest(".rt-activity");
  const number = Number(mountPoint?.dataset.rtNote || 0);
  const note = (await notesOf(api, id)).find((n) => n.n === number);
  if (!note) return;
  const body = h("div", {class: "rt-coach-notes__body"});
  setServerHtml(body, note.html); // sanitised by the build (generator/coach.py, nh3)
  replace(element, h("div", {class: "admonition rt-coach-notes"},
    h("p", {class: "admonition-title"}, note.title, h("span", {class: "rt-coach-notes__who"}, " · coaches only")),
    body));
  mountPoint.hidden = false;
}
