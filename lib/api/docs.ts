// The API reference page (/docs/api): what it loads. Pure module (the page, the bundle's route handler
// and the tests read it).

/** The version of @scalar/api-reference whose standalone bundle /api/docs/scalar.js serves (package.json pins it). */
export const SCALAR_VERSION = "1.76.4";

/** The bundle's URL: versioned, so it is cached for a year. */
export const SCALAR_SCRIPT_URL = `/api/docs/scalar.js?v=${SCALAR_VERSION}`;

/** The OpenAPI document the reference renders. */
export const OPENAPI_URL = "/api/v1/openapi.json";

/** The page. */
export const API_DOCS_PATH = "/docs/api";

/** The address the page's static code samples carry; replaced in the browser by the reader's origin. */
export const ORIGIN_PLACEHOLDER = "https://aqstream.example";
