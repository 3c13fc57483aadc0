//! Files copied as they are: downloads from `content/files/` (under their own names,
//! which staff link to) and the theme's static files (its style sheet, its images),
//! under names with their content's hash (`fingerprint`; a style sheet with the names of
//! the theme files it loads changed to match). Their format and size are what links to
//! them show.

use super::{Body, Changes, Output, RenderCx};
use crate::diagnostics::{Diagnostic, RouteOwner};
use crate::load::file_format;
use crate::site::Site;
use crate::site::routes::{Claim, Route, RouteKind};
use crate::theme::Theme;

/// A route's `item` is an index into the site's assets, or, from `assets.len()` on, into
/// the theme's static files.
pub struct Files;

impl Output for Files {
    fn claims(&self, site: &Site, theme: &Theme, output: usize) -> Vec<Claim> {
        let assets = site.assets.iter().map(|a| {
            (
                a.url_path(),
                a.size,
                RouteOwner::File {
                    source: a.rel.clone(),
                },
            )
        });
        let statics = theme.static_files.iter().map(|f| {
            (
                f.published.clone(),
                f.size,
                RouteOwner::File {
                    source: f.path.clone(),
                },
            )
        });
        assets
            .chain(statics)
            .enumerate()
            .map(|(item, (path, size, owner))| Claim {
                url: format!("/{path}"),
                kind: RouteKind::File {
                    size,
                    format: file_format(&path),
                },
                path,
                output,
                item,
                part: 0,
                owner,
            })
            .collect()
    }

    fn render(&self, route: &Route, cx: &RenderCx) -> Result<Body, Diagnostic> {
        let assets = &cx.site.assets;
        Ok(match assets.get(route.item) {
            Some(asset) => Body::Copy(asset.abs.clone()),
            None => {
                let file = &cx.theme.static_files[route.item - assets.len()];
                match &file.rewritten {
                    Some(bytes) => Body::Bytes(bytes.clone()),
                    None => Body::Copy(file.path.clone()),
                }
            }
        })
    }

    fn affected(&self, _route: &Route, changes: &Changes, _cx: &RenderCx) -> bool {
        changes.everything
    }
}
