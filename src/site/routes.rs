//! The route table: every file of the output, claimed exactly once.
//!
//! Owns the answer to "what is at this address?". Each output (pages, list pages,
//! feeds, the sitemap, robots.txt, the 404 page, copied files) claims the paths it
//! writes; two claims on one path are an error naming both, instead of one file silently
//! replacing the other. Links are checked against this table, so a link is valid exactly
//! when something is written where it points.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::address::output_path;
use crate::diagnostics::{Diagnostic, Problem, RouteOwner};

/// What a route holds, as far as links to it care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteKind {
    /// A page of the site, or one page of a list.
    Page,
    /// A file copied as it is: a download or a theme file.
    File { size: u64, format: String },
    /// A file the generator writes (a feed, the sitemap).
    Generated,
}

/// One path of the output and who claims it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The file written, relative to the output folder: `en/about/index.html`.
    pub path: String,
    /// The address links use, below the site root: `/en/about/`.
    pub url: String,
    pub kind: RouteKind,
    /// Which output renders it, by its position in the list of outputs.
    pub output: usize,
    /// What the output renders there: an index it chose (a page, a language) and a part
    /// of it (a page of a list).
    pub item: usize,
    pub part: usize,
    pub owner: RouteOwner,
}

/// A claim an output makes before the table is built.
pub type Claim = Route;

/// Every route of the site, by output path and by URL.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
    by_path: BTreeMap<String, usize>,
    by_url: BTreeMap<String, usize>,
}

impl RouteTable {
    /// Builds the table from every output's claims, in order; a claim on a path
    /// already claimed is left out and reported, naming both owners.
    pub fn new(claims: Vec<Claim>) -> (RouteTable, Vec<Diagnostic>) {
        let mut table = RouteTable::default();
        let mut problems = Vec::new();
        for claim in claims {
            if let Some(&first) = table.by_path.get(&claim.path) {
                problems.push(clash(&table.routes[first], &claim));
                continue;
            }
            let i = table.routes.len();
            table.by_path.insert(claim.path.clone(), i);
            table.by_url.insert(claim.url.clone(), i);
            table.routes.push(claim);
        }
        (table, problems)
    }

    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    pub fn by_path(&self, path: &str) -> Option<&Route> {
        self.by_path.get(path).map(|&i| &self.routes[i])
    }

    /// The route a path below the root leads to, as a browser would follow it:
    /// `/about/`, `/about`, `/about/index.html` all lead to `about/index.html`.
    pub fn find(&self, path: &str) -> Option<&Route> {
        if let Some(&i) = self.by_url.get(path) {
            return Some(&self.routes[i]);
        }
        let with_slash = format!("{}/", path.trim_end_matches('/'));
        self.by_path
            .get(&output_path(path))
            .or_else(|| self.by_path.get(&output_path(&with_slash)))
            .map(|&i| &self.routes[i])
    }

    /// The URLs of every route, for "did you mean" suggestions.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.by_url.keys().map(String::as_str)
    }
}

/// Reported on the second claim's source when it has one, so the person can rename the
/// file that came later.
fn clash(first: &Route, second: &Route) -> Diagnostic {
    let d = Diagnostic::error(Problem::RouteClash {
        path: second.path.clone(),
        first: first.owner.clone(),
        second: second.owner.clone(),
    });
    match (source_of(&second.owner), source_of(&first.owner)) {
        (Some(file), _) | (None, Some(file)) => d.in_file(&file),
        (None, None) => d,
    }
}

fn source_of(owner: &RouteOwner) -> Option<PathBuf> {
    match owner {
        RouteOwner::Page { source } | RouteOwner::ListPage { source, .. } => Some(source.clone()),
        RouteOwner::File { source } => Some(source.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(path: &str, url: &str, owner: RouteOwner) -> Claim {
        Route {
            path: path.to_owned(),
            url: url.to_owned(),
            kind: RouteKind::Page,
            output: 0,
            item: 0,
            part: 0,
            owner,
        }
    }

    #[test]
    fn a_second_claim_on_a_path_is_an_error_naming_both() {
        let page = RouteOwner::ListPage {
            source: PathBuf::from("news/_index.ja.md"),
            page: 2,
        };
        let file = RouteOwner::Page {
            source: PathBuf::from("news/page/2.ja.md"),
        };
        let (table, problems) = RouteTable::new(vec![
            claim("news/page/2/index.html", "/news/page/2/", page.clone()),
            claim("news/page/2/index.html", "/news/page/2/", file.clone()),
        ]);
        assert_eq!(table.routes().len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].problem,
            Problem::RouteClash {
                path: "news/page/2/index.html".into(),
                first: page,
                second: file,
            }
        );
        assert_eq!(
            problems[0].location.as_ref().unwrap().file,
            PathBuf::from("news/page/2.ja.md")
        );
    }

    #[test]
    fn a_route_is_found_as_a_browser_follows_a_link() {
        let owner = RouteOwner::Generated { what: "sitemap" };
        let (table, _) = RouteTable::new(vec![
            claim("about/index.html", "/about/", owner.clone()),
            claim("sitemap.xml", "/sitemap.xml", owner),
        ]);
        for path in ["/about/", "/about", "/about/index.html"] {
            assert_eq!(table.find(path).unwrap().path, "about/index.html", "{path}");
        }
        assert_eq!(table.find("/sitemap.xml").unwrap().path, "sitemap.xml");
        assert!(table.find("/missing/").is_none());
    }
}
