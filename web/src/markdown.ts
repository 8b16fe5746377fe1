// Assistant replies are markdown, and may quote email text, which is untrusted. markdown-it with
// html:false escapes every tag, so the output contains only the markup markdown itself produces.
// On top of that: links only to http(s), opened in a new tab without referrer; no images at all
// (an image would be a request to an outside server, and a tracking pixel in a quoted email).
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.disable(['image']);
md.linkify.set({ fuzzyEmail: false, fuzzyLink: false, fuzzyIP: false });

const SAFE_LINK = /^https?:\/\//i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Renders markdown to HTML that is safe to put into the page. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
