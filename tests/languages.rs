//! Languages are data: a site with a third language, declared only in `site.toml` and
//! given interface texts in the theme, builds with every link, switcher, alternate, feed
//! and sitemap entry right, without any change to the generator.

mod common;

use std::fs;

use common::*;
use yorisoi::diagnostics::Problem;

/// The basic fixture with French added: `site.toml` declares it, the theme gets an
/// `i18n/fr.toml`, and every page but `access` and `services/visit` is translated.
fn trilingual() -> (Workspace, std::path::PathBuf) {
    let site = Workspace::copy_of("basic");
    let config = fs::read_to_string(site.content.join("site.toml")).unwrap();
    let config = config.replace(
        "[contact]",
        "[languages.fr]\nname = \"Français\"\ntitle = \"Centre de consultation de Miyagi\"\ndescription = \"Le centre de consultation de Miyagi.\"\n\n[contact]",
    );
    site.write("site.toml", config);
    site.write(
        "_index.fr.md",
        "+++\ntitle = \"Accueil\"\n+++\n\nVoir [le centre](@/about.md) et [les consultations](@/services/_index.md).\n",
    );
    site.write(
        "about.fr.md",
        "+++\ntitle = \"Le centre\"\nmenu = true\nweight = 10\n+++\n\nLe centre reçoit les personnes et leurs familles. [Consultations](../services/).\n",
    );
    site.write(
        "services/_index.fr.md",
        "+++\ntitle = \"Consultations\"\nmenu = true\nweight = 20\n+++\n\nPar téléphone.\n",
    );
    site.write(
        "services/phone.fr.md",
        "+++\ntitle = \"Par téléphone\"\n+++\n\nAppelez le centre.\n",
    );
    for (lang, title, date) in [
        ("ja", "お知らせ", None),
        ("en", "Announcements", None),
        ("fr", "Actualités", None),
        ("ja", "説明会のお知らせ", Some("2026-04-08")),
        ("en", "Information session", Some("2026-04-08")),
        ("fr", "Séance d'information", Some("2026-04-08")),
    ] {
        let (path, front) = match date {
            None => (format!("news/_index.{lang}.md"), String::new()),
            Some(d) => (
                format!("news/2026-04-08-session.{lang}.md"),
                format!("date = {d}\n"),
            ),
        };
        site.write(
            &path,
            format!("+++\ntitle = \"{title}\"\n{front}+++\n\nTexte.\n"),
        );
    }
    // The theme, with French interface texts: the English ones, marked as French.
    let theme = site.dir.path().join("theme");
    copy_dir(&theme_dir(), &theme);
    let english = fs::read_to_string(theme.join("i18n/en.toml")).unwrap();
    fs::write(
        theme.join("i18n/fr.toml"),
        english.replace(
            "not_translated = \"This page is not yet available in English; this link goes to the English home page.\"",
            "not_translated = \"Cette page n'existe pas encore en français ; ce lien mène à l'accueil en français.\"",
        ),
    )
    .unwrap();
    (site, theme)
}

fn build(site: &Workspace, theme: &std::path::Path) -> yorisoi::Outcome {
    let mut options = site.options();
    options.theme_dir = Some(theme.to_path_buf());
    yorisoi::build(&options)
}

fn page(site: &Workspace, rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&fs::read_to_string(site.output.join(rel)).unwrap())
}

#[test]
fn a_third_language_builds_with_every_link_switcher_and_alternate_right() {
    let (site, theme) = trilingual();
    let outcome = build(&site, &theme);
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    // The only warnings are the translations it really lacks.
    let missing: Vec<String> = find(&outcome, |p| {
        matches!(p, Problem::MissingTranslation { .. })
    })
    .into_iter()
    .map(|d| match &d.problem {
        Problem::MissingTranslation { lang, expected } => format!("{lang} {}", expected.display()),
        _ => unreachable!(),
    })
    .collect();
    assert_eq!(
        missing,
        [
            "fr access.fr.md",
            "en services/visit.en.md",
            "fr services/visit.fr.md"
        ]
    );
    for rel in [
        "fr/index.html",
        "fr/about/index.html",
        "fr/services/phone/index.html",
    ] {
        let doc = page(&site, rel);
        assert_eq!(attr(one(&doc, "html"), "lang"), "fr", "{rel}");
        // Every link of the site resolves to a file of the output.
        for a in select(&doc, "a[href]") {
            if let Some(file) = file_of_href(attr(a, "href")) {
                assert!(site.output.join(&file).is_file(), "{rel}: {file}");
            }
        }
    }
    // The switcher names all three languages in themselves, and links the translation.
    let about = page(&site, "fr/about/index.html");
    let switcher: Vec<(String, String)> = select(&about, ".language-switcher li")
        .into_iter()
        .map(|li| {
            let href = select_in(li, "a")
                .first()
                .map_or(String::new(), |a| attr(*a, "href").to_owned());
            (text(li), href)
        })
        .collect();
    assert_eq!(
        switcher,
        [
            ("日本語".to_owned(), format!("{BASE_PATH}about/")),
            ("English".to_owned(), format!("{BASE_PATH}en/about/")),
            ("Français".to_owned(), String::new()),
        ]
    );
    let about_alternates = alternates(&about);
    assert_eq!(about_alternates["fr"], format!("{BASE_URL}fr/about/"));
    assert_eq!(about_alternates["ja"], format!("{BASE_URL}about/"));
    assert_eq!(about_alternates["x-default"], format!("{BASE_URL}about/"));
    // A page without a French version has no French alternate, and its switcher leads
    // to the French home page with a note in French.
    let access = page(&site, "access/index.html");
    assert!(!alternates(&access).contains_key("fr"));
    let to_french = select(&access, ".language-switcher a[hreflang=\"fr\"]");
    assert_eq!(attr(to_french[0], "href"), format!("{BASE_PATH}fr/"));
    assert!(text(one(&access, "#no-translation-fr")).contains("français"));
}

#[test]
fn a_third_language_has_its_own_feed_and_sitemap_entries() {
    let (site, theme) = trilingual();
    let outcome = build(&site, &theme);
    assert!(outcome.written, "{:#?}", outcome.diagnostics);
    let feed = rss::Channel::read_from(
        fs::read(site.output.join("fr/news/feed.xml"))
            .unwrap()
            .as_slice(),
    )
    .expect("the French feed is RSS");
    assert_eq!(feed.language(), Some("fr"));
    let links: Vec<&str> = feed.items().iter().filter_map(|i| i.link()).collect();
    assert_eq!(links, [format!("{BASE_URL}fr/news/2026-04-08-session/")]);
    let sitemap = fs::read_to_string(site.output.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let about = doc
        .descendants()
        .find(|n| n.has_tag_name("loc") && n.text() == Some(&format!("{BASE_URL}fr/about/")))
        .expect("the French page is in the sitemap");
    let hreflangs: Vec<&str> = about
        .parent()
        .unwrap()
        .children()
        .filter_map(|n| n.attribute("hreflang"))
        .collect();
    assert_eq!(hreflangs, ["ja", "en", "fr", "x-default"]);
}
