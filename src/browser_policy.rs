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

/// What only a response header can say of framing: no other site may show a page in a
/// frame (a `<meta>` policy cannot carry `frame-ancestors`).
pub const FRAME_ANCESTORS: &str = "frame-ancestors 'none'";

/// Features the site never uses, refused to every page and anything in it.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), \
publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
xr-spatial-tracking=()";

/// How long a browser keeps to HTTPS for the host once it has seen the site over it:
/// a year, the host only (the site may share a domain with others).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// The headers every answer of the site carries, written once for every server that
/// sends them and for the preview: the pages' policy with what a `<meta>` cannot say.
/// `Strict-Transport-Security` only where the site is served over HTTPS (a browser
/// ignores it over HTTP anyway).
pub fn response_headers(https: bool) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        (
            "Content-Security-Policy",
            format!("{CONTENT_SECURITY_POLICY}; {FRAME_ANCESTORS}"),
        ),
        ("Referrer-Policy", REFERRER_POLICY.to_owned()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("X-Frame-Options", "DENY".to_owned()),
        ("Permissions-Policy", PERMISSIONS_POLICY.to_owned()),
        ("Cross-Origin-Opener-Policy", "same-origin".to_owned()),
    ];
    if https {
        headers.push((
            "Strict-Transport-Security",
            STRICT_TRANSPORT_SECURITY.to_owned(),
        ));
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headers_carry_the_pages_policy_and_what_a_meta_cannot() {
        let headers = response_headers(true);
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        let csp = get("Content-Security-Policy").unwrap();
        assert!(csp.starts_with(CONTENT_SECURITY_POLICY));
        assert!(csp.ends_with("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-eval"));
        assert_eq!(get("Referrer-Policy"), Some(REFERRER_POLICY));
        assert_eq!(get("X-Content-Type-Options"), Some("nosniff"));
        assert!(get("Strict-Transport-Security").is_some());
        assert!(
            response_headers(false)
                .iter()
                .all(|(n, _)| *n != "Strict-Transport-Security")
        );
        // One line each, as every server writes them.
        assert!(headers.iter().all(|(_, v)| !v.contains(['\n', '"'])));
    }
}
