// The one Markdown renderer of event descriptions (dashboard preview and the public event page).
// Safe by construction, not by sanitizing afterwards:
// - raw HTML is never passed through: `<script>`, `<img onerror=…>` and any other tag are shown as
//   escaped text (markdown-it `html: false`);
// - links keep only http:, https: and mailto: targets (anything else — javascript:, data:, vbscript:,
//   file:, relative paths — is rendered as plain text) and get rel="nofollow noopener noreferrer ugc"
//   and target="_blank";
// - images are not rendered (no tracking pixels, no layout jumps): `![alt](url)` stays text;
// - bare URLs become links (linkify) under the same rules.
// Pure (no server-only): the dashboard renders the preview with it on the client as well.
import MarkdownIt from "markdown-it";

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** True for an absolute http(s) or mailto: URL. */
export function isSafeLinkTarget(href: string): boolean {
  // Browsers ignore ASCII tab/newline and leading control characters in URLs ("java\tscript:"):
  // parse what a browser would see.
  const cleaned = href.replace(/[\u0000-\u0020\u007f]/g, "");
  try {
    const url = new URL(cleaned);
    return ALLOWED_PROTOCOLS.has(url.protocol);
  } catch {
    return false;
  }
}

const md = new MarkdownIt("default", {
  html: false,
  linkify: true,
  typographer: false,
  breaks: true,
});
md.disable(["image"]);
// markdown-it's own check (refuses javascript:, vbscript:, file:, data:) plus ours: absolute http(s)/mailto only.
const defaultValidateLink = md.validateLink.bind(md);
md.validateLink = (url: string) => defaultValidateLink(url) && isSafeLinkTarget(url);

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  token.attrSet("rel", "nofollow noopener noreferrer ugc");
  token.attrSet("target", "_blank");
  return self.renderToken(tokens, idx, options);
};

/** Markdown → an HTML string safe to put into `dangerouslySetInnerHTML`. Empty input → "". */
export function renderMarkdown(markdown: string | null | undefined): string {
  if (!markdown || !markdown.trim()) return "";
  return md.render(markdown);
}
