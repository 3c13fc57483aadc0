//! The policy a reader's browser enforces on every page, written once.
//!
//! Owns the Content-Security-Policy, the referrer policy and the `rel` of links that
//! leave the site. Every HTML page carries them as `<meta>` elements; a deploy step can
//! send the same strings as HTTP headers. The build's own checks refuse what the policy
//! forbids, so a page never relies on the browser alone: the policy is the second lock,
//! for whatever a check might miss.

/// No script but the site's own files, no inline script or event handlers; images,
/// fonts, media and style sheets from the site only; nothing embedded, no `<base>`,
/// forms sent only to the site. `style-src-attr` lets a `style` attribute that the
/// content check passed apply: it cannot load anything, since every fetch is
/// limited to the site. `connect-src 'self'` is the preview's reload stream.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; font-src 'self'; \
media-src 'self'; connect-src 'self'; manifest-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'";

/// A reader who follows a link to another site does not tell it where they came from:
/// that they were reading about hikikomori is nobody else's business.
pub const REFERRER_POLICY: &str = "no-referrer";

/// The `rel` of every link to another site: the other page gets no handle on this one
/// and no referrer, even in a browser that ignores the page's referrer policy.
pub const EXTERNAL_LINK_REL: &str = "noopener noreferrer";
