// The only file that talks to the server. Every request carries the session
// cookie; every state-changing request sends JSON and the CSRF token from
// GET /api/session. Errors become ApiError(message, status) with a message a
// person can read, so widgets never need to look at a Response.

export const UNREACHABLE =
  "The discussion server can't be reached. Your text is kept; try again in a moment.";

export class ApiError extends Error {
  constructor(message, status, errors = []) {
    super(message);
    this.name = "ApiError";
    this.status = status; // 0 when the server could not be reached at all
    this.errors = errors;
  }

  get unreachable() {
    return this.status === 0;
  }
}

/** An API client for the Roundtable server whose root URL is `root`. */
export function createApi(root) {
  let session = null; // a promise of the GET /api/session body, shared by all widgets

  async function send(method, path, body) {
    const headers = {Accept: "application/json"};
    const init = {method, headers, credentials: "include", cache: "no-cache"};
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      headers["X-CSRF-Token"] = (await getSession()).csrf_token || "";
      init.body = JSON.stringify(body ?? {});
    }
    let response;
    try {
      response = await fetch(new URL(path.replace(/^\//, ""), root), init);
    } catch {
      throw new ApiError(UNREACHABLE, 0);
    }
    return readBody(response);
  }

  async function request(method, path, body) {
    try {
      return await send(method, path, body);
    } catch (error) {
      // A stale CSRF token (the session changed in another tab): fetch a new one, retry once.
      if (method !== "GET" && error instanceof ApiError && /csrf/i.test(error.message)) {
        session = null;
        return send(method, path, body);
      }
      throw error;
    }
  }

  /** The session body {user, csrf_token}, fetched once and shared; refetched after a failure. */
  function getSession({refresh = false} = {}) {
    if (refresh || !session) {
      session = send("GET", "api/session");
      session.catch(() => { session = null; });
    }
    return session;
  }

  return {
    root,
    session: getSession,
    forget() { session = null; },
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    patch: (path, body) => request("PATCH", path, body),
    put: (path, body) => request("PUT", path, body),
    del: (path) => request("DELETE", path),
  };
}

async function readBody(response) {
  if (response.status === 204) return {ok: true};
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok && data) return data;
  if (response.ok) throw new ApiError("The discussion server sent an answer the page cannot read.", response.status);
  // A proxy in front of a stopped server answers 502-504 with an HTML page.
  if (!data && [502, 503, 504].includes(response.status)) throw new ApiError(UNREACHABLE, 0);
  const errors = Array.isArray(data?.errors) ? data.errors : [];
  const message = data?.error || errors[0] || fallbackMessage(response.status);
  throw new ApiError(message, response.status, errors);
}

function fallbackMessage(status) {
  if (status === 401) return "Please sign in again.";
  if (status === 403) return "You are not allowed to do that.";
  if (status === 404) return "This was not found, or it is not visible to you.";
  if (status === 429) return "That was a lot at once. Wait a moment and try again.";
  if (status >= 500) return `The discussion server had a problem (${status}). Your text is kept; try again in a moment.`;
  return `The request failed (${status}).`;
}
