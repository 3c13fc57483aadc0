//! Every file of the output is claimed by exactly one owner.
//!
//! Pages, the pages of the news list, feeds, the sitemap and copied files all end up as
//! paths in one folder. Were two of them to write the same path, one would silently
//! replace the other, and which one would depend on the order of writing. So two claims
//! on one path are an error naming both owners, and the build writes nothing. The same
//! table answers whether a link leads somewhere, so a link to a file the generator
//! writes (the sitemap, a feed, a later page of a list) is as good as a link to a page.

mod common;

use std::path::PathBuf;

use common::*;
use yorisoi::diagnostics::{Diagnostic, Problem, RouteOwner};
use yorisoi::report::MessageLanguage;

/// The basic fixture with a news section in both languages, one announcement to a page
/// of its list, and two announcements: the list has a second page.
fn site_with_two_list_pages() -> Workspace {
    let site = Workspace::copy_of("basic");
    let config = std::fs::read_to_string(site.content.join("site.toml")).expect("site.toml");
    site.write("site.toml", format!("{config}\n[news]\nper_page = 1\n"));
    site.write(
        "news/_index.ja.md",
        "+++\ntitle = \"お知らせ\"\ndescription = \"センターからのお知らせです。\"\n+++\n",
    );
    site.write(
        "news/_index.en.md",
        "+++\ntitle = \"Announcements\"\ndescription = \"News from the centre.\"\n+++\n",
    );
    for (day, ja, en) in [
        ("01", "説明会", "Open meeting"),
        ("02", "休館日", "Closed day"),
    ] {
        site.write(
            &format!("news/2026-10-{day}-n.ja.md"),
            format!("+++\ntitle = \"{ja}\"\ndate = 2026-10-{day}\n+++\n\n{ja}のお知らせです。\n"),
        );
        site.write(
            &format!("news/2026-10-{day}-n.en.md"),
            format!("+++\ntitle = \"{en}\"\ndate = 2026-10-{day}\n+++\n\nAbout the {en}.\n"),
        );
    }
    site
}

fn clashes(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| matches!(d.problem, Problem::RouteClash { .. }))
        .collect()
}

#[test]
fn two_owners_of_one_path_stop_the_build_and_keep_the_last_output() {
    let site = site_with_two_list_pages();
    let good = site.build();
    assert!(
        good.written && !good.has_errors(),
        "{:#?}",
        good.diagnostics
    );
    assert!(site.output.join("news/page/2/index.html").is_file());
    let before = snapshot(&site.output);

    // A page whose address is the news list's second page, and a download whose path
    // is the index of a page's folder (refused before it can clash: an HTML file
    // under files/ would run as a page of the site).
    site.write(
        "news/page/2.ja.md",
        "+++\ntitle = \"2ページ目\"\ndescription = \"重なるページです。\"\n+++\n\n本文。\n",
    );
    site.write(
        "files.ja.md",
        "+++\ntitle = \"資料\"\ndescription = \"資料の一覧です。\"\n+++\n\n資料です。\n",
    );
    site.write("files/index.html", "<p>an index of the files</p>\n");

    let outcome = site.build();
    assert!(!outcome.written, "nothing is written while two files clash");
    let found = clashes(&outcome.diagnostics);
    assert_eq!(found.len(), 1, "{:#?}", outcome.diagnostics);
    assert!(
        outcome.diagnostics.iter().any(|d| d.is_error()
            && matches!(
                &d.problem,
                Problem::UnpublishableFile {
                    flaw: yorisoi::file_kinds::NameFlaw::Extension(extension),
                    ..
                } if extension == "html"
            )
            && d.location
                .as_ref()
                .is_some_and(|l| l.file == std::path::Path::new("files/index.html"))),
        "{:#?}",
        outcome.diagnostics
    );
    let list_page = found
        .iter()
        .find(|d| {
            matches!(&d.problem, Problem::RouteClash { path, .. } if path == "news/page/2/index.html")
        })
        .expect("the list page clash");
    assert_eq!(
        list_page.problem,
        Problem::RouteClash {
            path: "news/page/2/index.html".into(),
            first: RouteOwner::ListPage {
                source: PathBuf::from("news/_index.ja.md"),
                page: 2,
            },
            second: RouteOwner::Page {
                source: PathBuf::from("news/page/2.ja.md"),
            },
        }
    );
    assert!(list_page.is_error());
    assert_eq!(
        list_page.location.as_ref().map(|l| l.file.clone()),
        Some(PathBuf::from("news/page/2.ja.md")),
        "reported on the file that can be renamed"
    );
    // The message names both files, in both languages of the report.
    for lang in [MessageLanguage::Japanese, MessageLanguage::English] {
        let message = site.message(list_page, lang);
        assert!(
            message.contains("news/page/2.ja.md") && message.contains("news/_index.ja.md"),
            "{message}"
        );
    }

    assert_eq!(
        snapshot(&site.output),
        before,
        "the last good output is untouched"
    );
    assert_eq!(
        list_files(site.dir.path())
            .into_iter()
            .filter(|f| !f.starts_with("content/") && !f.starts_with("public/"))
            .collect::<Vec<_>>(),
        Vec::<String>::new(),
        "no staging folder is left beside the output"
    );

    // `check` finds the same errors without writing anything.
    let checked = site.check();
    let errors_of = |o: &yorisoi::Outcome| -> Vec<Diagnostic> {
        o.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect()
    };
    assert_eq!(errors_of(&checked), errors_of(&outcome));
    assert_eq!(snapshot(&site.output), before);
}

#[test]
fn links_to_generated_files_and_later_list_pages_resolve() {
    let site = site_with_two_list_pages();
    site.write(
        "access.ja.md",
        "+++\ntitle = \"アクセス\"\ndescription = \"センターへの行き方です。\"\nmenu = true\nweight = 20\n+++\n\n\
         仙台駅から徒歩10分です。\n\n\
         - [サイトの一覧（XML）](/sitemap.xml)\n\
         - [お知らせのフィード](/news/feed.xml)\n\
         - [英語のフィード](/en/news/feed.xml)\n\
         - [以前のお知らせ](/news/page/2/)\n",
    );
    let outcome = site.build();
    assert!(
        outcome.written && !outcome.has_errors(),
        "{:#?}",
        outcome.diagnostics
    );
    let doc = scraper::Html::parse_document(
        &std::fs::read_to_string(site.output.join("access/index.html")).expect("access page"),
    );
    let hrefs: Vec<String> = select(&doc, "main a[href]")
        .into_iter()
        .map(|a| attr(a, "href").to_owned())
        .collect();
    for href in [
        "/support/sitemap.xml",
        "/support/news/feed.xml",
        "/support/en/news/feed.xml",
        "/support/news/page/2/",
    ] {
        assert!(hrefs.iter().any(|h| h == href), "{href} in {hrefs:?}");
        let file = file_of_href(href).expect("a link on the site");
        assert!(site.output.join(&file).is_file(), "{file} is written");
    }

    // The same table refuses a page of the list that does not exist.
    site.write(
        "access.ja.md",
        "+++\ntitle = \"アクセス\"\ndescription = \"センターへの行き方です。\"\nmenu = true\nweight = 20\n+++\n\n\
         [もっと前のお知らせ](/news/page/3/)\n",
    );
    let outcome = site.check();
    let broken = find(&outcome, |p| matches!(p, Problem::BrokenLink { .. }));
    assert_eq!(broken.len(), 1, "{:#?}", outcome.diagnostics);
    assert_eq!(
        broken[0].location.as_ref().map(|l| l.file.clone()),
        Some(PathBuf::from("access.ja.md"))
    );
}
