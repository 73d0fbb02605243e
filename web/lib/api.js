// @ts-check
// Commands to the server: fetch with the bearer token, JSON in and out, and
// every failure as an ApiError {status, code, reason, detail} so pages react
// to the stable `reason` and translate it, never the English message.

/** A refused or failed request. `status` 0 means the network failed. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} reason
   * @param {string} message
   * @param {any} [detail]
   * @param {number} [retryAfter] seconds, from Retry-After
   */
  constructor(status, code, reason, message, detail, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.reason = reason;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

/**
 * A client for one session's API.
 * @param {string} slug
 * @param {() => (string | null)} token the bearer token, read at each call
 */
export function sessionApi(slug, token) {
  const base = "/api/sessions/" + encodeURIComponent(slug);
  return {
    /** @param {string} path */
    get: (path) => request("GET", base + path, token()),
    /** @param {string} path @param {any} [body] */
    post: (path, body) => request("POST", base + path, token(), body ?? {}),
    /** @param {string} path @param {any} body */
    patch: (path, body) => request("PATCH", base + path, token(), body),
    /** @param {string} path */
    del: (path) => request("DELETE", base + path, token()),
    /** @param {string} path  a response body as a Blob (images, exports) */
    blob: (path) => request("GET", base + path, token(), undefined, true),
  };
}

/**
 * @param {string} method
 * @param {string} url
 * @param {string | null} [token]
 * @param {any} [body]
 * @param {boolean} [asBlob]
 * @returns {Promise<any>}
 */
export async function request(method, url, token, body, asBlob) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (token) headers.Authorization = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      referrerPolicy: "no-referrer",
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError(0, "network", "network", String(e));
  }
  if (res.ok) {
    if (asBlob) return res.blob();
    if (res.status === 204) return {};
    const data = await res.json().catch(() => ({}));
    return res.status === 202 ? { ...data, accepted: true } : data;
  }
  const data = await res.json().catch(() => ({}));
  const e = data && data.error ? data.error : {};
  const retry = Number(res.headers.get("Retry-After")) || undefined;
  throw new ApiError(
    res.status,
    e.code || "http_" + res.status,
    e.reason || "http_" + res.status,
    e.message || "The server answered " + res.status,
    e.detail,
    retry,
  );
}

/**
 * The question being answered now (null when none), or undefined when it
 * could not be read: the stream only tells changes, so a page opening
 * mid-answer asks once.
 * @param {ReturnType<typeof sessionApi>} api
 */
export async function nowAnswering(api) {
  const list = await api.get("/questions?status=answering").catch(() => null);
  return list && Array.isArray(list.questions) ? list.questions[0] || null : undefined;
}

/** A fresh idempotency key for a command that may be retried. */
export function clientId() {
  return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + String(Math.random()).slice(2);
}
